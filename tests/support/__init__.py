"""Helpers shared by several test files (imported as ``support.<module>``)."""
