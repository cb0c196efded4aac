"""Adopting Charter on an existing repository: ``charter init``'s inference and files."""
