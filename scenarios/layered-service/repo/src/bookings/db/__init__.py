"""SQLAlchemy tables and sessions."""
