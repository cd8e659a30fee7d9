"""Shared constants have one source: the development ids in native_host/installer, the fake
site's address in devkit/fake_genspark. Python imports them; every file that cannot import
(JavaScript, JSON, docs) is checked here against them."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from pathlib import Path

from devkit.fake_genspark import HOST, ORIGIN
from native_host.installer import DEFAULT_FIREFOX_ID, DEV_EXTENSION_ID

REPO = Path(__file__).resolve().parents[1]
SOURCE = REPO / "native_host" / "installer" / "__init__.py"
# A Chromium extension id: 32 letters a-p (the hex digits of a hash, shifted).
CHROMIUM_ID = re.compile(r"(?<![a-z])[a-p]{32}(?![a-z])")
FIREFOX_ID = re.compile(r"[\w.-]+@creditguard\.app")
SCANNED = (
    "README.md",
    "docs",
    "extension",
    "tests",
    "bench",
    "build_scripts",
    "native_host",
    "devkit",
)
SUFFIXES = {".py", ".js", ".mjs", ".json", ".md", ".sh", ".ps1", ".html"}


def text_files() -> list[Path]:
    found = []
    for name in SCANNED:
        root = REPO / name
        paths = [root] if root.is_file() else root.rglob("*")
        found += [p for p in paths if p.suffix in SUFFIXES and "node_modules" not in p.parts]
    return found


def chromium_id_of(public_key: str) -> str:
    """The id Chromium derives from a manifest's `key`: the SHA-256 of the key, its first
    32 hex digits written with the letters a-p."""
    digest = hashlib.sha256(base64.b64decode(public_key)).hexdigest()[:32]
    return "".join(chr(ord("a") + int(digit, 16)) for digit in digest)


def test_the_manifest_key_gives_the_development_id() -> None:
    manifest = json.loads((REPO / "extension" / "manifest.json").read_text())
    assert chromium_id_of(manifest["key"]) == DEV_EXTENSION_ID
    assert manifest["browser_specific_settings"]["gecko"]["id"] == DEFAULT_FIREFOX_ID


def test_every_file_that_names_an_id_names_the_shared_one() -> None:
    files = text_files()
    assert len(files) > 100, "the scan found the tree"
    wrong = [
        f"{path.relative_to(REPO)}: {found}"
        for path in files
        for pattern, expected in ((CHROMIUM_ID, DEV_EXTENSION_ID), (FIREFOX_ID, DEFAULT_FIREFOX_ID))
        for found in pattern.findall(path.read_text(errors="replace"))
        if found != expected
    ]
    assert wrong == []


def test_python_imports_the_ids_rather_than_writing_them() -> None:
    copies = [
        str(path.relative_to(REPO))
        for path in text_files()
        if path.suffix == ".py"
        and path != SOURCE
        and path != Path(__file__).resolve()
        and (DEV_EXTENSION_ID in path.read_text() or DEFAULT_FIREFOX_ID in path.read_text())
    ]
    assert copies == []


def test_the_fake_site_stands_where_the_extension_looks() -> None:
    """The harness's fake Genspark is served at the origin the extension's site rules
    name, so the tests, the demo and the benchmarks exercise the real match patterns."""
    site = json.loads((REPO / "extension" / "site" / "genspark.json").read_text())
    assert site["origin"] == ORIGIN == f"https://{HOST}"
