"""Helpers shared by several test files (import them as ``support.<module>``)."""
