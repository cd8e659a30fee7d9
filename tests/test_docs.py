"""docs/PROTOCOL.md agrees with the code: error codes, request kinds, their fields, samples."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from native_host.cli import COMMANDS, command_module, command_parser
from native_host.errors import ErrorCode
from native_host.messages import REQUEST_MODELS

PROTOCOL = Path(__file__).resolve().parent.parent / "docs" / "PROTOCOL.md"
ENVELOPE_FIELDS = {"v", "id", "type"}  # documented once, under "Envelopes"


def protocol_text() -> str:
    return PROTOCOL.read_text(encoding="utf-8")


def section(text: str, heading: str) -> str:
    """The body under the exact `heading` line, up to the next heading of its level or above."""
    level = len(heading) - len(heading.lstrip("#"))
    lines = text.splitlines()
    try:
        start = lines.index(heading)
    except ValueError:
        pytest.fail(f"PROTOCOL.md has no heading {heading!r}")
    body: list[str] = []
    in_code = False
    for line in lines[start + 1 :]:
        in_code ^= line.startswith("```")
        match = re.match(r"^(#+) ", line)
        if not in_code and match and len(match.group(1)) <= level:
            break
        body.append(line)
    return "\n".join(body)


def kind_section(kind: str) -> str:
    return section(section(protocol_text(), "## Requests"), f"### `{kind}`")


def documented_error_codes() -> list[str]:
    table = section(protocol_text(), "## Error codes")
    return re.findall(r"^\| `([a-z_]+)` \|", table, flags=re.MULTILINE)


def json_blocks(text: str) -> list[dict[str, Any]]:
    blocks = re.findall(r"^```json\n(.*?)^```", text, flags=re.MULTILINE | re.DOTALL)
    return [json.loads(block) for block in blocks]


def field_names(model: type[BaseModel], prefix: str = "") -> list[str]:
    """Every field of `model`, nested models' fields as dotted paths."""
    names: list[str] = []
    for name, info in model.model_fields.items():
        names.append(prefix + name)
        annotation = info.annotation
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            names += field_names(annotation, f"{prefix}{name}.")
    return names


def test_error_table_lists_exactly_the_codes_in_order() -> None:
    assert documented_error_codes() == [code.value for code in ErrorCode]


def test_every_request_kind_has_a_section() -> None:
    requests = section(protocol_text(), "## Requests")
    headings = re.findall(r"^### `([a-z.]+)`$", requests, flags=re.MULTILINE)
    assert headings == list(REQUEST_MODELS)


@pytest.mark.parametrize("kind", list(REQUEST_MODELS))
def test_every_request_field_is_in_its_section(kind: str) -> None:
    text = kind_section(kind)
    missing = [
        name
        for name in field_names(REQUEST_MODELS[kind])
        if name not in ENVELOPE_FIELDS and f"`{name}`" not in text
    ]
    assert missing == [], f"PROTOCOL.md's `{kind}` section does not name {missing}"


def test_envelope_fields_are_documented() -> None:
    envelopes = section(protocol_text(), "## Envelopes")
    for name in sorted(ENVELOPE_FIELDS | {"ok", "error", "code", "message", "params"}):
        assert f"`{name}`" in envelopes, name


@pytest.mark.parametrize("kind", list(REQUEST_MODELS))
def test_section_has_a_valid_sample_request_and_an_ok_reply(kind: str) -> None:
    samples = json_blocks(kind_section(kind))
    requests = [s for s in samples if "ok" not in s]
    replies = [s for s in samples if s.get("ok") is True]
    assert requests, f"no sample request for {kind}"
    assert replies, f"no sample reply for {kind}"
    for sample in requests:
        assert sample["type"] == kind
        REQUEST_MODELS[kind].model_validate(sample)  # raises if the sample is invalid
    for reply in replies:
        assert (reply["v"], reply["type"]) == (1, kind)
        assert reply["id"] in {s["id"] for s in requests}


def test_every_json_sample_parses_and_replies_use_utc_z_with_milliseconds() -> None:
    samples = json_blocks(protocol_text())
    assert len(samples) >= 2 * len(REQUEST_MODELS)
    instant = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d")
    for sample in samples:
        if "ok" not in sample and sample.get("type") != "tally.changed":
            continue  # requests may use any offset

        def strings(node: Any) -> list[str]:
            if isinstance(node, dict):
                return [s for value in node.values() for s in strings(value)]
            if isinstance(node, list):
                return [s for item in node for s in strings(item)]
            return [node] if isinstance(node, str) else []

        for value in strings(sample):
            if instant.match(value):
                assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", value), value


def test_error_samples_use_documented_codes() -> None:
    codes = {code.value for code in ErrorCode}
    errors = [s for s in json_blocks(protocol_text()) if s.get("ok") is False]
    assert errors
    for sample in errors:
        assert sample["error"]["code"] in codes


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_has_help_with_an_example(name: str) -> None:
    """A command's docstring is its --help (sqlite-utils' way): it must say what the
    command does and show it at work."""
    text = command_parser(name).format_help()
    summary = (command_module(name).__doc__ or "").strip().splitlines()[0]
    assert summary and summary in text
    assert re.search(r"^Examples?:\n +credit-guard " + re.escape(name), text, re.MULTILINE), name
