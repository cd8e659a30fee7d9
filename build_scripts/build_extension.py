"""Package the extension for Chromium browsers and for Firefox, from one source tree.

Writes, under dist/ (or --out):
  credit-guard-chromium.zip, chromium/   manifest without browser_specific_settings and
                                         without background.scripts (Chrome, Edge, Brave…),
                                         with `key`: "Load unpacked" gets the development
                                         id, which the helper's registration lets in
  credit-guard-chrome-web-store.zip      the same without `key`, for the Chrome Web Store,
                                         which refuses an upload that carries one
  credit-guard-firefox.xpi, firefox/     manifest without key, minimum_chrome_version and
                                         background.service_worker; gecko id set
The archives are deterministic: sorted entries, fixed timestamps and modes, so the same
source gives the same bytes. Development-only files (tests, dotfiles) are never shipped.

Usage: .venv/bin/python build_scripts/build_extension.py [--out DIR] [--gecko-id ID]
(--gecko-id: to sign a build of one's own on addons.mozilla.org, where an id belongs to
the account that first signed it; docs/guide/install-extension.md.)
"""

from __future__ import annotations

import argparse
import copy
import functools
import json
import shutil
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from native_host.installer import DEFAULT_FIREFOX_ID  # noqa: E402
from native_host.installer.manifests import ManifestError, check_firefox_id  # noqa: E402

SOURCE = ROOT / "extension"
ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip entry can carry
EXCLUDED_SUFFIXES = (".test.js", ".spec.js", ".map")

Manifest = dict[str, Any]


def shipped_files(source: Path) -> list[str]:
    """Paths (POSIX, relative, sorted) of the files to package, manifest.json excluded."""
    files = []
    for path in source.rglob("*"):
        relative = path.relative_to(source)
        if not path.is_file() or relative.as_posix() == "manifest.json":
            continue
        if any(part.startswith(".") for part in relative.parts):
            continue
        if path.name.endswith(EXCLUDED_SUFFIXES) or "tests" in relative.parts:
            continue
        files.append(relative.as_posix())
    return sorted(files)


def chromium_manifest(manifest: Manifest) -> Manifest:
    """Only what Chromium reads: no Firefox settings, no background scripts list."""
    result = copy.deepcopy(manifest)
    result.pop("browser_specific_settings", None)
    result.get("background", {}).pop("scripts", None)
    return result


def chrome_web_store_manifest(manifest: Manifest) -> Manifest:
    """Chromium's, without `key`: the store gives the extension its own id."""
    result = chromium_manifest(manifest)
    result.pop("key", None)
    return result


def firefox_manifest(manifest: Manifest, gecko_id: str = DEFAULT_FIREFOX_ID) -> Manifest:
    """Firefox runs background.scripts (no service workers in MV3) and has no use for `key`."""
    result = copy.deepcopy(manifest)
    result.pop("key", None)
    result.pop("minimum_chrome_version", None)
    result.get("background", {}).pop("service_worker", None)
    gecko = result.setdefault("browser_specific_settings", {}).setdefault("gecko", {})
    gecko["id"] = gecko_id
    return result


def write_zip(target: Path, source: Path, files: list[str], manifest: Manifest) -> None:
    entries = [("manifest.json", manifest_bytes(manifest))]
    entries += [(name, (source / name).read_bytes()) for name in files]
    with zipfile.ZipFile(target, "w") as archive:
        for name, data in sorted(entries):
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3  # Unix, so the mode above is read as one
            archive.writestr(info, data, compresslevel=9)


def write_folder(target: Path, source: Path, files: list[str], manifest: Manifest) -> None:
    if target.exists():
        shutil.rmtree(target)
    for name in files:
        (target / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source / name, target / name)
    (target / "manifest.json").write_bytes(manifest_bytes(manifest))


def manifest_bytes(manifest: Manifest) -> bytes:
    return (json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


Target = tuple[str, str | None, Callable[[Manifest], Manifest]]


def targets(gecko_id: str = DEFAULT_FIREFOX_ID) -> list[Target]:
    """(archive, folder with the same files to load unpacked or None, its manifest)."""
    return [
        ("credit-guard-chromium.zip", "chromium", chromium_manifest),
        ("credit-guard-chrome-web-store.zip", None, chrome_web_store_manifest),
        (
            "credit-guard-firefox.xpi",
            "firefox",
            functools.partial(firefox_manifest, gecko_id=gecko_id),
        ),
    ]


def build(out: Path, source: Path = SOURCE, gecko_id: str = DEFAULT_FIREFOX_ID) -> list[Path]:
    """Builds every target into `out`; returns the paths written."""
    manifest = json.loads((source / "manifest.json").read_text(encoding="utf-8"))
    files = shipped_files(source)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for archive, folder, derive in targets(gecko_id):
        target_manifest = derive(manifest)
        write_zip(out / archive, source, files, target_manifest)
        written.append(out / archive)
        if folder is not None:
            write_folder(out / folder, source, files, target_manifest)
            written.append(out / folder)
    return written


def firefox_id(value: str) -> str:
    """argparse type: an add-on id Firefox accepts (name@domain or {GUID})."""
    try:
        return check_firefox_id(value)
    except ManifestError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "dist", help="output directory")
    parser.add_argument(
        "--gecko-id",
        type=firefox_id,
        default=DEFAULT_FIREFOX_ID,
        help="the Firefox add-on id (default: %(default)s)",
    )
    args = parser.parse_args(argv)
    for path in build(args.out, gecko_id=args.gecko_id):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
