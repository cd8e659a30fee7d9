"""`python -m native_host` is the host the browser launches (and the PyInstaller entry)."""

from native_host.host import main

raise SystemExit(main())
