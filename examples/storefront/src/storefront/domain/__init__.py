"""The domain model: pure Python."""
