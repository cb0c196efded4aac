"""Load and save aggregates."""
