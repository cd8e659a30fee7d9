"""Native-messaging host manifests: render them from the templates and check them.

A manifest tells a browser which executable to start for `HOST_NAME` and which
extensions may start it. Chromium-family browsers allow exact origins
(`chrome-extension://<id>/`), Firefox exact add-on ids; neither ever gets a wildcard,
since any extension listed could read and change the user's tally.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Any, Final, Literal

from native_host import HOST_NAME
from native_host.i18n import text
from native_host.installer import HOST_DESCRIPTION

Family = Literal["chromium", "firefox"]

CHROMIUM_ID: Final = re.compile(r"[a-p]{32}")
# Mozilla's own rule for add-on ids: an email-like id or a GUID in braces.
FIREFOX_ID: Final = re.compile(
    r"[A-Za-z0-9._-]*@[A-Za-z0-9._-]+"
    r"|\{[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}\}"
)
HOST_NAME_RULE: Final = re.compile(r"[a-z0-9_]+(\.[a-z0-9_]+)*")
ORIGIN: Final = re.compile(r"chrome-extension://([a-p]{32})/")
PLACEHOLDER: Final = re.compile(r"@[A-Z_]+@")


class ManifestError(ValueError):
    """An id, name or path that must not go into a manifest."""


def check_extension_id(extension_id: str) -> str:
    """Return a Chromium extension id unchanged, or raise ManifestError."""
    if not CHROMIUM_ID.fullmatch(extension_id):
        raise ManifestError(
            f"invalid Chromium extension id {extension_id!r}: "
            "expected 32 letters a–p (see chrome://extensions with Developer mode on)"
        )
    return extension_id


def check_firefox_id(firefox_id: str) -> str:
    """Return a Firefox add-on id unchanged, or raise ManifestError."""
    if not FIREFOX_ID.fullmatch(firefox_id):
        raise ManifestError(
            f"invalid Firefox add-on id {firefox_id!r}: expected name@domain or {{GUID}}"
        )
    return firefox_id


def check_host_path(host_path: Path) -> Path:
    """Browsers resolve relative paths against the manifest's folder: insist on absolute."""
    if not host_path.is_absolute():
        raise ManifestError(f"host path {str(host_path)!r} is not absolute")
    return host_path


def render(
    family: Family,
    *,
    host_path: Path,
    extension_id: str,
    firefox_id: str,
    name: str = HOST_NAME,
) -> dict[str, Any]:
    """Fill the family's template; every value is validated first.

    Placeholders are replaced in the parsed JSON, not in its text, so a Windows path's
    backslashes are escaped by `json.dumps` and never break the document.
    """
    if not HOST_NAME_RULE.fullmatch(name):
        raise ManifestError(f"invalid host name {name!r}")
    values = {
        "@HOST_NAME@": name,
        "@DESCRIPTION@": HOST_DESCRIPTION,
        "@HOST_PATH@": str(check_host_path(host_path)),
    }
    if family == "chromium":
        values["@EXTENSION_ID@"] = check_extension_id(extension_id)
    else:
        values["@FIREFOX_ID@"] = check_firefox_id(firefox_id)
    template = resources.files("native_host.installer").joinpath("templates", f"{family}.json")
    filled = _fill(json.loads(template.read_text(encoding="utf-8")), values)
    if not isinstance(filled, dict):
        raise ManifestError(f"template {family}.json is not a JSON object")
    return filled


def dumps(manifest: Mapping[str, Any]) -> str:
    """The exact text written to disk; stable, so installing twice changes nothing."""
    return json.dumps(manifest, indent=2, ensure_ascii=False) + "\n"


def problems(
    manifest: object, family: Family, name: str = HOST_NAME, language: str = "en"
) -> list[str]:
    """What is wrong with a manifest read back from disk, in `language`; empty when it is
    usable.

    Only the document is checked here; whether `path` exists is the caller's business.
    """

    def say(problem: str, **params: object) -> str:
        return text(language, f"manifest.{problem}", **params)

    if not isinstance(manifest, dict):
        return [say("not_object")]
    found: list[str] = []
    if manifest.get("name") != name:
        found.append(say("wrong_name", found=repr(manifest.get("name")), expected=repr(name)))
    if manifest.get("type") != "stdio":
        found.append(say("wrong_type", found=repr(manifest.get("type"))))
    path = manifest.get("path")
    if not isinstance(path, str) or not Path(path).is_absolute():
        found.append(say("path_not_absolute", path=repr(path)))
    key = "allowed_origins" if family == "chromium" else "allowed_extensions"
    allowed = manifest.get(key)
    if not isinstance(allowed, list) or not allowed:
        found.append(say("none_allowed", field=key))
        return found
    for entry in allowed:
        if not isinstance(entry, str) or "*" in entry:
            found.append(say("wildcard", field=key, entry=repr(entry)))
        elif family == "chromium" and not ORIGIN.fullmatch(entry):
            found.append(say("not_origin", field=key, entry=repr(entry)))
        elif family == "firefox" and not FIREFOX_ID.fullmatch(entry):
            found.append(say("not_firefox_id", field=key, entry=repr(entry)))
    return found


def allowed_ids(manifest: Mapping[str, Any], family: Family) -> list[str]:
    """The extension ids a manifest lets in (origins reduced to their ids)."""
    if family == "firefox":
        return [e for e in manifest.get("allowed_extensions", []) if isinstance(e, str)]
    origins = manifest.get("allowed_origins", [])
    return [m.group(1) for e in origins if isinstance(e, str) and (m := ORIGIN.fullmatch(e))]


def _fill(node: object, values: Mapping[str, str]) -> object:
    if isinstance(node, str):
        return PLACEHOLDER.sub(lambda m: _value(m.group(), values), node)
    if isinstance(node, list):
        return [_fill(item, values) for item in node]
    if isinstance(node, dict):
        return {key: _fill(value, values) for key, value in node.items()}
    return node


def _value(placeholder: str, values: Mapping[str, str]) -> str:
    if placeholder not in values:
        raise ManifestError(f"template placeholder {placeholder} has no value")
    return values[placeholder]
