from charter.hooks.cli import entry

entry()
