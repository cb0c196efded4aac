"""Team-specific checks for Charter's `python` constraint kind (ADR-0010)."""
