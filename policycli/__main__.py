from policycli.cli.app import main

raise SystemExit(main())
