"""Helpers shared by several test modules (imported by them, never by conftest.py)."""
