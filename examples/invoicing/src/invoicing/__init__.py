"""A small invoicing service: the example project Charter ships."""
