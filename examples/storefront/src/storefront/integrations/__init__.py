"""Clients for third-party HTTP APIs."""
