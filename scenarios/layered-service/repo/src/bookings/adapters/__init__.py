"""Outbound integrations (mail)."""
