"""Bring other tools' import rules over: import-linter and tach configurations."""
