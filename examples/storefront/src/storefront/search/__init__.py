"""The product search index."""
