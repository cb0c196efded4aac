"""Plain data types and pure rules shared by every layer."""
