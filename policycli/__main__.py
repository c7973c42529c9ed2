from policycli.cli import main

raise SystemExit(main())
