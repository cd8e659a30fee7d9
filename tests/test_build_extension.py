"""build_scripts/build_extension.py: per-browser manifests, shipped files, determinism."""

from __future__ import annotations

import json
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "build_scripts"))

import build_extension  # noqa: E402

SOURCE_MANIFEST = json.loads((ROOT / "extension" / "manifest.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    build_extension.build(out)
    return out


def archive_manifest(path: Path) -> dict[str, Any]:
    with zipfile.ZipFile(path) as archive:
        manifest: dict[str, Any] = json.loads(archive.read("manifest.json"))
        return manifest


def archive_names(path: Path) -> list[str]:
    with zipfile.ZipFile(path) as archive:
        return archive.namelist()


def folder_names(path: Path) -> list[str]:
    return sorted(p.relative_to(path).as_posix() for p in path.rglob("*") if p.is_file())


def test_chromium_manifest(dist: Path) -> None:
    manifest = archive_manifest(dist / "credit-guard-chromium.zip")
    assert "browser_specific_settings" not in manifest
    assert manifest["background"] == {"service_worker": "background/worker.js", "type": "module"}
    assert manifest["key"] == SOURCE_MANIFEST["key"]  # pins the development id
    assert manifest["permissions"] == SOURCE_MANIFEST["permissions"]


def test_firefox_manifest(dist: Path) -> None:
    manifest = archive_manifest(dist / "credit-guard-firefox.xpi")
    assert "key" not in manifest
    assert "service_worker" not in manifest["background"]
    assert manifest["background"]["scripts"] == ["background/worker.js"]
    assert manifest["browser_specific_settings"]["gecko"]["id"] == "credit-guard@creditguard.app"
    assert manifest["content_scripts"] == SOURCE_MANIFEST["content_scripts"]


def test_folders_match_archives(dist: Path) -> None:
    for folder, archive in [
        ("chromium", "credit-guard-chromium.zip"),
        ("firefox", "credit-guard-firefox.xpi"),
    ]:
        assert folder_names(dist / folder) == sorted(archive_names(dist / archive))
        manifest = json.loads((dist / folder / "manifest.json").read_text(encoding="utf-8"))
        assert manifest == archive_manifest(dist / archive)


def test_ships_the_extension_and_nothing_for_development(dist: Path) -> None:
    names = archive_names(dist / "credit-guard-chromium.zip")
    assert names == sorted(names)
    for needed in [
        "manifest.json",
        "background/worker.js",
        "shared/protocol.js",
        "_locales/en/messages.json",
        "_locales/ja/messages.json",
        "icons/icon128.png",
    ]:
        assert needed in names
    source = ROOT / "extension"
    expected = {p.relative_to(source).as_posix() for p in source.rglob("*") if p.is_file()}
    assert set(names) == {n for n in expected if not n.endswith(".test.js")}
    assert not [n for n in names if n.endswith(".test.js") or "/." in f"/{n}"]


def test_excludes_tests_and_dotfiles(tmp_path: Path) -> None:
    source = tmp_path / "extension"
    (source / "background").mkdir(parents=True)
    (source / "tests").mkdir()
    (source / "manifest.json").write_text(json.dumps(SOURCE_MANIFEST), encoding="utf-8")
    for name in ["background/worker.js", "background/port.test.js", "tests/x.js", ".eslintrc"]:
        (source / name).write_text("//", encoding="utf-8")
    assert build_extension.shipped_files(source) == ["background/worker.js"]


def test_archives_are_deterministic(dist: Path, tmp_path: Path) -> None:
    build_extension.build(tmp_path)
    for archive in ["credit-guard-chromium.zip", "credit-guard-firefox.xpi"]:
        assert (tmp_path / archive).read_bytes() == (dist / archive).read_bytes()
    with zipfile.ZipFile(dist / "credit-guard-firefox.xpi") as archive:
        assert {info.date_time for info in archive.infolist()} == {build_extension.ZIP_TIME}
