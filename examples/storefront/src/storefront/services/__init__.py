"""Business workflows."""
