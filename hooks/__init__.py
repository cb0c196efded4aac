"""Charter's engine: decision records, constraint checks and the command line."""

__version__ = "0.1.0"

# Before any record is defined: its generated methods come compiled (methods.py).
from charter.hooks import methods as _methods

_methods.install()
