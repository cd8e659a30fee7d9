"""One frozen binary for both roles: the host when a browser starts it, else the CLI.

Browsers start the host with an origin (Chromium: `chrome-extension://ID/`, on Windows
followed by `--parent-window=N`) or a manifest path and add-on id (Firefox), never with
a CLI command, so the first argument tells the roles apart without importing the CLI:
the host's cold start pays for nothing it does not use (docs/DECISIONS.md). No argument
at all is the host too, as `python -m native_host` is.
"""

import sys


def started_by_a_browser(args: list[str]) -> bool:
    return not args or args[0].startswith("chrome-extension://") or args[0].endswith(".json")


def main() -> int:
    if started_by_a_browser(sys.argv[1:]):
        from native_host.host import main as host_main

        return host_main()
    from native_host.cli import main as cli_main

    return cli_main()


raise SystemExit(main())
