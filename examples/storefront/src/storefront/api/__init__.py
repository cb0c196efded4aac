"""HTTP routes (FastAPI)."""
