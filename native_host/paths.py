"""Every on-disk location the helper uses, in one place.

All state lives under `$CREDIT_GUARD_HOME` when it is set (tests and simulated devices
use it), else under the platform's user data directory.
"""

from __future__ import annotations

import os
from pathlib import Path

ENV_HOME = "CREDIT_GUARD_HOME"
APP_NAME = "credit-guard"
LEDGER_FILE = "ledger.sqlite3"


def data_folder() -> Path:
    """Where the data directory is, whether or not it exists (to name it in errors)."""
    override = os.environ.get(ENV_HOME)
    if override:
        return Path(override).expanduser()
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False)


def data_dir() -> Path:
    """The data directory, created on first use."""
    path = data_folder()
    path.mkdir(parents=True, exist_ok=True)
    return path


def ledger_path() -> Path:
    return data_dir() / LEDGER_FILE


def log_path() -> Path:
    return data_dir() / "helper.log"
