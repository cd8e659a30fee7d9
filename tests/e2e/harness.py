"""What the end-to-end tests add to the development harness (devkit/browsers.py): a
browser or tool that is missing skips the test on a developer machine and fails it in CI,
which installs them all."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from devkit.browsers import (
    CHROMIUM,
    chromium_locale_pack,
    find_chromium,
    find_firefox,
    find_node_with_puppeteer,
)


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("true", "1", "yes")


def require_tool(what: str, path: str | None, hint: str) -> str:
    """The tool's path; without it skip (a developer machine) or fail (CI must have it)."""
    if path and Path(path).exists():
        return path
    message = f"{what} not found ({hint})"
    if in_ci():
        pytest.fail(f"{message}: CI installs it in .ci/run, so this is a broken set-up")
    pytest.skip(f"{message}; install it to run the end-to-end tests")


def chromium_path() -> str:
    where = os.environ.get("CREDIT_GUARD_CHROMIUM") or CHROMIUM
    return require_tool("Chromium", find_chromium(), f"{where}; apt-get install chromium")


def chromium_ui_language(executable: str, lang: str) -> None:
    """Chromium's UI in `lang` (chrome.i18n in the worker) needs its locale pack."""
    pack = chromium_locale_pack(executable, lang)
    require_tool(f"Chromium's {lang} UI", str(pack), "apt-get install chromium-l10n")


def firefox_path() -> str:
    return require_tool("Firefox ESR", find_firefox(), "apt-get install firefox-esr")


def node_with_puppeteer() -> str:
    """node, with puppeteer-core installed by `npm ci`."""
    return require_tool(
        "node and puppeteer-core", find_node_with_puppeteer(), "npm ci installs puppeteer-core"
    )
