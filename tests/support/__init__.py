"""Helpers shared by the tests (imported as ``support``; conftest.py holds only fixtures)."""
