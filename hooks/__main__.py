from charter.hooks.launch import entry

entry()
