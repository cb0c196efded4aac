"""A constraint: the parts its front-matter model is built from, and a constraint in force."""
