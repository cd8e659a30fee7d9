"""Imports point inward: the sans-I/O core imports no shell, and handlers reach the ledger
only through the context's small interface.

Each check runs in a fresh interpreter, so what a module imports is all that is loaded.
"""

from __future__ import annotations

import ast
import json
import pkgutil
import subprocess
import sys
from pathlib import Path

import native_host
from native_host import handlers, ledger

ROOT = Path(native_host.__file__).resolve().parent.parent
# Everything the rules are made of; every module of the ledger package but its SQLite shell.
LEDGER_RULES = sorted(
    f"native_host.ledger.{module.name}"
    for module in pkgutil.iter_modules(ledger.__path__)
    if module.name != "store"
)
CORE = [
    "native_host.framing",
    "native_host.messages",
    "native_host.errors",
    "native_host.i18n",
    "native_host.config",
    "native_host.advisor",
    "native_host.diagnosis",
    "native_host.pace",
    "native_host.accounts",
    "native_host.cli_input",
    "native_host.sync.exceptions",
    "native_host.sync.seal",
    "native_host.sync.pairing",
    "native_host.sync.protocol",
    "native_host.sync.transfer",
    *LEDGER_RULES,
]
# Libraries that do I/O of the kinds the shells own (socket and select are not listed:
# pydantic loads them itself, through importlib.metadata, when it builds a model).
IO_LIBRARIES = [
    "sqlite3",
    "asyncio",
    "subprocess",
    "websockets",
    "keyring",
    "platformdirs",
    "ssl",
    "http.client",
    "urllib.request",
]


def our_modules() -> list[str]:
    return sorted(
        module.name
        for module in pkgutil.walk_packages(native_host.__path__, "native_host.")
        if not module.ispkg
    )


def loaded_by(modules: list[str], watched: list[str]) -> dict[str, list[str]]:
    """For each module, imported in order in a fresh interpreter, the watched modules it
    was the first to load."""
    code = (
        "import importlib, json, sys\n"
        f"watched, seen, found = {watched!r}, set(), {{}}\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "    new = sorted(m for m in watched if m in sys.modules and m not in seen)\n"
        "    seen.update(new)\n"
        "    found[name] = new\n"
        "print(json.dumps(found))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    found: dict[str, list[str]] = json.loads(done.stdout)
    return found


def test_the_core_is_every_module_the_design_names() -> None:
    """The list below is not stale: each named module exists, the ledger's rules included."""
    modules = our_modules()
    assert set(CORE) <= set(modules)
    assert {"native_host.ledger.tally", "native_host.ledger.costs"} <= set(LEDGER_RULES)
    assert "native_host.ledger.store" not in CORE


def test_core_modules_import_no_shell_and_no_io_library() -> None:
    shells = [name for name in our_modules() if name not in CORE]
    found = loaded_by(CORE, shells + IO_LIBRARIES)
    assert found == {name: [] for name in CORE}


def test_the_context_needs_no_sqlite_at_import() -> None:
    watched = ["sqlite3", "native_host.ledger.store", "native_host.tallies"]
    assert loaded_by(["native_host.context"], watched) == {"native_host.context": []}


def test_handlers_reach_the_ledger_only_through_the_context() -> None:
    """No handler imports the store or the tallies module, or reaches a ledger through
    the tallies (`ctx.tallies.ledger`): `ctx.ledger` is the interface (LedgerAccess)."""
    for module in pkgutil.iter_modules(handlers.__path__):
        path = Path(handlers.__path__[0]) / f"{module.name}.py"
        tree = ast.parse(path.read_text(encoding="utf-8"))
        imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)} | {
            alias.name
            for node in ast.walk(tree)
            if isinstance(node, ast.Import)
            for alias in node.names
        }
        assert not imported & {"native_host.ledger.store", "native_host.tallies"}, path
        through_tallies = [
            node.lineno
            for node in ast.walk(tree)
            if isinstance(node, ast.Attribute)
            and node.attr == "ledger"
            and isinstance(node.value, ast.Attribute)
            and node.value.attr == "tallies"
        ]
        assert through_tallies == [], f"{path}: .tallies.ledger on lines {through_tallies}"
