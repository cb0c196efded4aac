from charter.hooks.cli import main

raise SystemExit(main())
