"""One frozen binary for both roles: the CLI when given a command, else the host.

Browsers start the host with an origin (Chromium) or a manifest path and add-on id
(Firefox), never with a CLI command, so the first argument tells the roles apart.
"""

import sys

from native_host.cli import COMMANDS
from native_host.cli import main as cli_main
from native_host.host import main as host_main

CLI_WORDS = (*COMMANDS, "-h", "--help", "--version")

if len(sys.argv) > 1 and sys.argv[1] in CLI_WORDS:
    raise SystemExit(cli_main())
raise SystemExit(host_main())
