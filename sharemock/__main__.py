from sharemock.cli import main

raise SystemExit(main())
