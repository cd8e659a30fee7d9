"""build_scripts/build_extension.py: per-browser manifests, shipped files, determinism."""

from __future__ import annotations

import fnmatch
import json
import posixpath
import re
import sys
import zipfile
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from native_host.installer import DEFAULT_FIREFOX_ID

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "build_scripts"))

import build_extension  # noqa: E402

SOURCE_MANIFEST = json.loads((ROOT / "extension" / "manifest.json").read_text(encoding="utf-8"))
CHROMIUM = "credit-guard-chromium.zip"
STORE = "credit-guard-chrome-web-store.zip"
FIREFOX = "credit-guard-firefox.xpi"
ARCHIVES = [CHROMIUM, STORE, FIREFOX]
# Top-level keys only Firefox reads: Chromium warns about each on load.
FIREFOX_ONLY_KEYS = {
    "browser_specific_settings",
    "applications",
    "developer",
    "sidebar_action",
    "user_scripts",
    "theme_experiment",
}


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
    manifest = archive_manifest(dist / CHROMIUM)
    assert not FIREFOX_ONLY_KEYS & manifest.keys()
    assert manifest["background"] == {"service_worker": "background/worker.js", "type": "module"}
    assert manifest["key"] == SOURCE_MANIFEST["key"]  # pins the development id
    assert manifest["permissions"] == SOURCE_MANIFEST["permissions"]


def test_chrome_web_store_manifest_is_chromiums_without_key(dist: Path) -> None:
    """The store refuses an upload whose manifest has `key` ("key field is not allowed")."""
    manifest = archive_manifest(dist / STORE)
    assert "key" not in manifest
    assert not FIREFOX_ONLY_KEYS & manifest.keys()
    chromium = archive_manifest(dist / CHROMIUM)
    del chromium["key"]
    assert manifest == chromium


def test_firefox_manifest(dist: Path) -> None:
    manifest = archive_manifest(dist / FIREFOX)
    assert "key" not in manifest
    assert "minimum_chrome_version" not in manifest
    assert "service_worker" not in manifest["background"]
    assert manifest["background"]["scripts"] == ["background/worker.js"]
    gecko = manifest["browser_specific_settings"]["gecko"]
    assert gecko["id"] == DEFAULT_FIREFOX_ID
    # Firefox 140 (ESR) and Firefox for Android 142 are the first to read this key.
    assert gecko["data_collection_permissions"] == {"required": ["none"]}
    assert gecko["strict_min_version"] == "140.0"
    assert manifest["browser_specific_settings"]["gecko_android"]["strict_min_version"] == "142.0"
    assert manifest["content_scripts"] == SOURCE_MANIFEST["content_scripts"]
    assert manifest["permissions"] == SOURCE_MANIFEST["permissions"]


def test_every_package_ships_the_same_files(dist: Path) -> None:
    names = [archive_names(dist / archive) for archive in ARCHIVES]
    assert names[0] == names[1] == names[2]


class _References(HTMLParser):
    """The local files a page loads (src and href), relative to the page."""

    def __init__(self) -> None:
        super().__init__()
        self.paths: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("src", "href") and value and not re.match(r"[a-z]+:|#|/", value):
                self.paths.append(value)


def manifest_references(manifest: dict[str, Any]) -> set[str]:
    """Every file path the manifest names (globs of web_accessible_resources apart)."""
    action = manifest.get("action", {})
    background = manifest.get("background", {})
    paths = set(manifest.get("icons", {}).values()) | set(action.get("default_icon", {}).values())
    paths |= {action["default_popup"]} if "default_popup" in action else set()
    paths |= set(background.get("scripts", [])) | {background.get("service_worker")} - {None}
    for script in manifest.get("content_scripts", []):
        paths |= set(script.get("js", [])) | set(script.get("css", []))
    paths.add(f"_locales/{manifest['default_locale']}/messages.json")
    return paths


@pytest.mark.parametrize("archive", ARCHIVES)
def test_every_file_the_manifest_names_is_shipped(dist: Path, archive: str) -> None:
    manifest = archive_manifest(dist / archive)
    names = set(archive_names(dist / archive))
    references = manifest_references(manifest)
    assert references >= {"popup/popup.html", "background/worker.js", "icons/icon128.png"}
    assert references <= names, references - names
    with zipfile.ZipFile(dist / archive) as zipped:
        for page in sorted(n for n in references if n.endswith(".html")):
            parser = _References()
            parser.feed(zipped.read(page).decode("utf-8"))
            loaded = {posixpath.join(posixpath.dirname(page), path) for path in parser.paths}
            assert loaded and loaded <= names, (page, loaded - names)
        locales = {
            n.split("/")[1] for n in names if re.fullmatch(r"_locales/[^/]+/messages.json", n)
        }
        assert locales == {"en", "ja"}
        messages = re.findall(r"__MSG_(\w+)__", json.dumps(manifest))
        assert messages
        for locale in locales:
            catalog = json.loads(zipped.read(f"_locales/{locale}/messages.json"))
            assert {m for m in messages if m not in catalog} == set(), locale
    for entry in manifest["web_accessible_resources"]:
        for pattern in entry["resources"]:
            assert fnmatch.filter(names, pattern), pattern


def test_folders_match_archives(dist: Path) -> None:
    """An unpacked copy of each package to load as is, none of the store's (only uploaded)."""
    folders = {folder: archive for archive, folder, _ in build_extension.targets() if folder}
    assert {p.name for p in dist.iterdir() if p.is_dir()} == set(folders) == {"chromium", "firefox"}
    for folder, archive in folders.items():
        assert folder_names(dist / folder) == sorted(archive_names(dist / archive))
        manifest = json.loads((dist / folder / "manifest.json").read_text(encoding="utf-8"))
        assert manifest == archive_manifest(dist / archive)


def test_ships_the_extension_and_nothing_for_development(dist: Path) -> None:
    names = archive_names(dist / CHROMIUM)
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
    for archive in ARCHIVES:
        assert (tmp_path / archive).read_bytes() == (dist / archive).read_bytes()
    with zipfile.ZipFile(dist / FIREFOX) as archive:
        assert {info.date_time for info in archive.infolist()} == {build_extension.ZIP_TIME}


def test_a_gecko_id_of_ones_own(tmp_path: Path) -> None:
    """To sign one's own build: addons.mozilla.org keeps an id for whoever signed it first."""
    assert build_extension.main(["--out", str(tmp_path), "--gecko-id", "cg@example.org"]) == 0
    firefox = archive_manifest(tmp_path / FIREFOX)
    assert firefox["browser_specific_settings"]["gecko"]["id"] == "cg@example.org"
    assert json.loads((tmp_path / "firefox" / "manifest.json").read_text("utf-8")) == firefox
    assert "browser_specific_settings" not in archive_manifest(tmp_path / CHROMIUM)


def test_refuses_an_id_firefox_would_not_take(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        build_extension.main(["--gecko-id", "credit guard"])
    assert exit_info.value.code == 2
    assert "invalid Firefox add-on id 'credit guard'" in capsys.readouterr().err
