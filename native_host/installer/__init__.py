"""Registers the helper with browsers: native-messaging manifests and where they go.

`manifests` renders and checks a manifest, `locations` knows where each browser reads
one on each OS, `register` writes and removes them (files, or registry keys on Windows).
"""

from __future__ import annotations

from typing import Final

# Development id of the unpacked extension, pinned by the `key` in its manifest.json
# (docs/DECISIONS.md); every Chromium-family manifest allows exactly this id.
DEV_EXTENSION_ID: Final = "mcpbclgggcikgcgnhkmlmjjhcifpmmcf"
DEFAULT_FIREFOX_ID: Final = "credit-guard@creditguard.app"
HOST_DESCRIPTION: Final = "Credit Guard helper: keeps the Genspark credit tally"
