"""The ``charter sim`` subcommands, one module each (``HELP``, ``add_arguments``, ``run``),
dispatched by ``simulator/cli.py``."""
