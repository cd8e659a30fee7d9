"""Credit Guard helper: the native-messaging host and its CLI.

The package is split into a sans-I/O core (framing, messages, errors, config, plans,
ledger rules, advisor, diagnosis, i18n) and thin shells (stdio host, SQLite store,
OS probes, installer, keyring). Core modules never import the shells.
"""

__version__ = "0.1.0"
PROTOCOL_VERSION = 1
HOST_NAME = "com.creditguard.helper"
