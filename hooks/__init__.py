"""Charter's engine: decision records, constraint checks and the command line."""

__version__ = "0.1.0"
