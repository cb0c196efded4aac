"""Business rules; called by the API, calling repositories."""
