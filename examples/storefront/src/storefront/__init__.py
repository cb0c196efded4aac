"""An online shop backend."""
