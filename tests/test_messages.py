"""Request models (bounds, scope, schema) and dispatch.handle_body's error paths."""

from __future__ import annotations

import json
import sqlite3
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from native_host import PROTOCOL_VERSION
from native_host.context import Context
from native_host.dispatch import handle_body
from native_host.errors import ErrorCode, HostError
from native_host.framing import MAX_REPLY
from native_host.handlers import hello as hello_handler
from native_host.ledger import store
from native_host.ledger.store import Ledger
from native_host.messages import (
    ACCOUNT_SETTINGS,
    GLOBAL_SETTINGS,
    MAX_BALANCE,
    MAX_CREDITS,
    REQUEST_ADAPTER,
    REQUEST_MODELS,
    ConfigSet,
    json_schema,
)
from native_host.tallies import Tallies
from tests.fakes import MemoryKeyring
from tests.sync_loopback import install

AT = "2026-03-01T12:00:00Z"
NOW = datetime(2026, 3, 1, 13, 0, tzinfo=UTC)  # the handlers' clock: AT is in its period
EVENT_ID = "3f2b8c1e-5d4a-4f6b-9c7d-1e2f3a4b5c6d"

# A good request of every kind, with every field it may carry.
GOOD: dict[str, dict[str, Any]] = {
    "hello": {"extension_version": "0.1.0", "browser": "chrome"},
    "usage": {
        "event_id": EVENT_ID,
        "account": "me@example.com",
        "operation": "image",
        "at": AT,
        "credits": 40,
        "model": "flux",
        "source": "content-script",
    },
    "balance": {
        "account": "me@example.com",
        "balance": 95.5,
        "at": AT,
        "window": "5h",
        "reset_at": "2026-03-01T17:00:00+09:00",
    },
    "preflight": {
        "account": "me@example.com",
        "operation": "video",
        "model": "veo",
        "prompt_chars": 120,
        "language": "ja",
    },
    "status": {"account": "me@example.com"},
    "diagnose": {
        "account": "me@example.com",
        "signals": {
            "http_status": [429, 503],
            "site_status": [-5],
            "error_texts": ["Too many requests\nplease wait"],
            "text_kinds": ["too_quickly", "exhausted"],
            "window_reset_at": AT,
            "exhausted_text_seen": True,
            "page_balance": 0,
            "requests_last_minute": 40,
            "last_good_balance_at": AT,
            "server_date": AT,
        },
        "language": "en",
    },
    "config.get": {"account": "me@example.com"},
    "config.set": {
        "account": "me@example.com",
        "plan": "plus",
        "allowance": 10_000,
        "period": "month",
        "reset_time": "09:30",
        "billing_day": 31,
        "reserve": 12.5,
    },
    "undo": {"event_id": EVENT_ID},
    "forget": {"account": "me@example.com"},
    "sync.status": {"language": "ja"},
    "sync.pair": {"hub_url": "wss://hub.example.org:8765", "language": "en"},
    "sync.join": {"code": "1000G-40R40", "folder": "/home/me/Dropbox", "language": "ja"},
    "sync.leave": {"language": "en"},
    "sync.now": {"language": "en"},
    "sync.name": {"name": "Laptop", "language": "ja"},
}

# The least a request of each kind may carry.
MINIMAL: dict[str, dict[str, Any]] = {
    "hello": {},
    "usage": {"event_id": EVENT_ID, "account": "a", "operation": "chat", "at": AT},
    "balance": {"account": "a", "balance": 0, "at": AT},
    "preflight": {"account": "a", "operation": "chat"},
    "status": {},
    "diagnose": {"account": "a"},
    "config.get": {},
    "config.set": {},
    "undo": {"event_id": EVENT_ID},
    "forget": {"account": "a"},
    "sync.status": {},
    "sync.pair": {},
    "sync.join": {"code": "1"},
    "sync.leave": {},
    "sync.now": {},
    "sync.name": {"name": "x"},
}


def request(kind: str, **fields: Any) -> dict[str, Any]:
    return {"v": 1, "id": "req-1", "type": kind, **fields}


def sample(kind: str, **changes: Any) -> dict[str, Any]:
    """GOOD[kind] with `changes` applied; a value of ... removes the field."""
    fields = {**GOOD[kind], **changes}
    return request(kind, **{k: v for k, v in fields.items() if v is not ...})


def rejected_fields(message: dict[str, Any]) -> set[str]:
    """The dotted locations pydantic rejects in `message` (empty set: accepted)."""
    try:
        REQUEST_MODELS[message["type"]].model_validate(message)
    except ValidationError as error:
        return {".".join(str(part) for part in problem["loc"]) for problem in error.errors()}
    return set()


# -- models ---------------------------------------------------------------------------------


def test_samples_cover_every_kind() -> None:
    assert set(GOOD) == set(MINIMAL) == set(REQUEST_MODELS)


@pytest.mark.parametrize("kind", sorted(REQUEST_MODELS))
def test_good_sample_validates_through_the_union(kind: str) -> None:
    parsed = REQUEST_ADAPTER.validate_python(sample(kind))
    assert type(parsed) is REQUEST_MODELS[kind]
    assert getattr(parsed, "type") == kind  # noqa: B009 (the base model declares no `type`)
    dumped = parsed.model_dump(mode="json", exclude_none=True)
    assert set(GOOD[kind]) <= set(dumped)


@pytest.mark.parametrize("kind", sorted(REQUEST_MODELS))
def test_minimal_request_validates(kind: str) -> None:
    assert rejected_fields(request(kind, **MINIMAL[kind])) == set()


@pytest.mark.parametrize("kind", sorted(REQUEST_MODELS))
def test_extra_field_is_rejected(kind: str) -> None:
    assert rejected_fields(sample(kind, surprise=1)) == {"surprise"}


@pytest.mark.parametrize("kind", sorted(kind for kind in REQUEST_MODELS if MINIMAL[kind]))
def test_each_required_field_is_required(kind: str) -> None:
    for name in MINIMAL[kind]:
        fields = {k: v for k, v in MINIMAL[kind].items() if k != name}
        assert name in rejected_fields(request(kind, **fields)), name


def test_union_rejects_an_unknown_type() -> None:
    with pytest.raises(ValidationError):
        REQUEST_ADAPTER.validate_python(request("refund"))


@pytest.mark.parametrize(
    ("kind", "changes", "field"),
    [
        # envelope
        ("hello", {"v": 2}, "v"),
        ("hello", {"id": ""}, "id"),
        ("hello", {"id": "x" * 129}, "id"),
        ("hello", {"browser": "b" * 65}, "browser"),
        # credits
        ("usage", {"credits": -0.01}, "credits"),
        ("usage", {"credits": MAX_CREDITS + 1}, "credits"),
        ("usage", {"credits": float("nan")}, "credits"),
        ("usage", {"credits": float("inf")}, "credits"),
        ("usage", {"credits": float("-inf")}, "credits"),
        # balance
        ("balance", {"balance": -1}, "balance"),
        ("balance", {"balance": MAX_BALANCE + 1}, "balance"),
        ("balance", {"balance": float("nan")}, "balance"),
        ("balance", {"balance": float("inf")}, "balance"),
        ("balance", {"window": "week"}, "window"),
        ("diagnose", {"signals": {"page_balance": -1}}, "signals.page_balance"),
        ("config.set", {"allowance": 0}, "allowance"),
        ("config.set", {"allowance": float("inf")}, "allowance"),
        ("config.set", {"reserve": 100.5}, "reserve"),
        # timestamps
        ("usage", {"at": "2026-03-01T12:00:00"}, "at"),
        ("usage", {"at": "2019-12-31T23:59:59Z"}, "at"),
        ("usage", {"at": "2101-01-01T00:00:00Z"}, "at"),
        ("usage", {"at": "yesterday"}, "at"),
        ("usage", {"at": "2100-12-31T20:00:00-12:00"}, "at"),  # 2101 in UTC
        ("usage", {"ended_at": "2026-03-01T11:59:59Z"}, ""),  # before `at`
        ("usage", {"ended_at": "2026-03-02T12:00:01Z"}, ""),  # a day and a second after it
        ("balance", {"reset_at": "2026-03-01 17:00"}, "reset_at"),
        ("diagnose", {"signals": {"server_date": "2026-03-01T12:00:00"}}, "signals.server_date"),
        ("diagnose", {"signals": {"last_good_balance_at": "1999-01-01T00:00:00Z"}}, "signals"),
        # event ids
        ("usage", {"event_id": "not-a-uuid"}, "event_id"),
        ("usage", {"event_id": EVENT_ID[:-1]}, "event_id"),
        ("usage", {"event_id": "g" * 32}, "event_id"),
        ("usage", {"event_id": f"{{{EVENT_ID}}}"}, "event_id"),
        # control characters and lengths
        ("usage", {"account": "me\x00@example.com"}, "account"),
        ("usage", {"account": "me\n@example.com"}, "account"),
        ("usage", {"account": "me\x7f@example.com"}, "account"),
        ("usage", {"model": "flux\tpro"}, "model"),
        ("usage", {"source": "a\rb"}, "source"),
        ("status", {"account": "a\x1b[31m"}, "account"),
        ("usage", {"account": ""}, "account"),
        ("usage", {"account": "a" * 321}, "account"),
        ("usage", {"model": "m" * 201}, "model"),
        (
            "config.set",
            {"alternatives": [{"name": "x\ny", "url": "https://x.ai/"}]},
            "alternatives",
        ),
        # enumerations and integer bounds
        ("usage", {"operation": "dance"}, "operation"),
        ("preflight", {"language": "fr"}, "language"),
        ("preflight", {"prompt_chars": -1}, "prompt_chars"),
        ("preflight", {"prompt_chars": 10_000_001}, "prompt_chars"),
        ("diagnose", {"signals": {"http_status": [99]}}, "signals.http_status.0"),
        ("diagnose", {"signals": {"http_status": [600]}}, "signals.http_status.0"),
        ("diagnose", {"signals": {"site_status": [-1001]}}, "signals.site_status.0"),
        ("diagnose", {"signals": {"requests_last_minute": -1}}, "signals.requests_last_minute"),
        ("diagnose", {"signals": {"text_kinds": ["too quickly"]}}, "signals.text_kinds.0"),
        ("diagnose", {"signals": {"window_reset_at": "2200-01-01T00:00:00Z"}}, "signals.window"),
        ("config.set", {"plan": "gold"}, "plan"),
        ("config.set", {"reset_time": "24:00"}, "reset_time"),
        ("config.set", {"reset_time": "9:30"}, "reset_time"),
        ("config.set", {"billing_day": 0}, "billing_day"),
        ("config.set", {"billing_day": 32}, "billing_day"),
        # oversized lists and items
        ("diagnose", {"signals": {"http_status": [500] * 101}}, "signals.http_status"),
        ("diagnose", {"signals": {"site_status": [-5] * 101}}, "signals.site_status"),
        ("diagnose", {"signals": {"error_texts": ["e"] * 51}}, "signals.error_texts"),
        ("diagnose", {"signals": {"error_texts": ["e" * 2001]}}, "signals.error_texts.0"),
        ("diagnose", {"signals": {"text_kinds": ["exhausted"] * 51}}, "signals.text_kinds"),
        # extra fields inside nested objects
        ("diagnose", {"signals": {"cookies": "x"}}, "signals.cookies"),
    ],
)
def test_bound_is_rejected(kind: str, changes: dict[str, Any], field: str) -> None:
    problems = rejected_fields(sample(kind, **changes))
    assert any(problem.startswith(field) for problem in problems), problems


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"notify_thresholds": [50] * 11}, "notify_thresholds"),
        ({"notify_thresholds": [0]}, "notify_thresholds.0"),
        ({"notify_thresholds": [100]}, "notify_thresholds.0"),
        ({"alternatives": [{"name": "A", "url": "https://a.ai/"}] * 11}, "alternatives"),
        ({"alternatives": [{"name": "A", "url": "http://a.ai/"}]}, "alternatives.0.url"),
        ({"alternatives": [{"name": "A", "url": "https://a b/"}]}, "alternatives.0.url"),
        ({"alternatives": [{"name": "A", "url": "https://a.ai/", "x": 1}]}, "alternatives.0.x"),
        ({"language": "de"}, "language"),
    ],
)
def test_global_setting_bound_is_rejected(changes: dict[str, Any], field: str) -> None:
    assert field in rejected_fields(request("config.set", **changes))


@pytest.mark.parametrize(
    ("kind", "changes"),
    [
        ("usage", {"credits": 0}),
        ("usage", {"credits": MAX_CREDITS}),
        ("usage", {"event_id": EVENT_ID.replace("-", "").upper()}),
        ("usage", {"at": "2020-01-01T00:00:00Z"}),
        ("usage", {"at": "2100-12-31T23:59:59.999+09:00"}),
        ("usage", {"account": "名前@example.jp"}),
        ("balance", {"balance": MAX_BALANCE}),
        ("balance", {"window": ..., "reset_at": ...}),
        ("preflight", {"prompt_chars": 0}),
        ("diagnose", {"signals": {"http_status": [100, 599] * 50, "site_status": [-1000, 1000]}}),
        ("config.set", {"reserve": 0, "billing_day": 1, "reset_time": "23:59"}),
    ],
)
def test_value_at_the_bound_is_accepted(kind: str, changes: dict[str, Any]) -> None:
    assert rejected_fields(sample(kind, **changes)) == set()


@pytest.mark.parametrize(
    "changes",
    [{"at": 1_772_366_400}, {"credits": "40"}, {"credits": True}],
    ids=["at as a unix number", "credits as a string", "credits as a boolean"],
)
def test_wire_types_are_strict(changes: dict[str, Any]) -> None:
    assert rejected_fields(sample("usage", **changes)) != set()


def test_hello_strings_reject_control_characters() -> None:
    assert "browser" in rejected_fields(sample("hello", browser="chrome\nINFO forged log line"))


# -- config.set scope ---------------------------------------------------------------------


def test_account_settings_need_an_account() -> None:
    for name in ACCOUNT_SETTINGS:
        value = GOOD["config.set"][name]
        with pytest.raises(ValidationError, match=f"{name}: per-account settings"):
            ConfigSet.model_validate(request("config.set", **{name: value}))


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("language", "ja"),
        ("confirm_before_heavy", False),
        ("notifications", False),
        ("notify_thresholds", [30]),
        ("alternatives", [{"name": "Felo", "url": "https://felo.ai/"}]),
        ("reset_nudge", False),
    ],
)
def test_global_settings_must_omit_the_account(name: str, value: Any) -> None:
    assert name in GLOBAL_SETTINGS
    with pytest.raises(ValidationError, match=f"{name}: global settings"):
        ConfigSet.model_validate(request("config.set", account="a", **{name: value}))
    parsed = ConfigSet.model_validate(request("config.set", **{name: value}))
    assert parsed.settings() == {name: value}


def test_mixing_scopes_is_rejected() -> None:
    with pytest.raises(ValidationError):
        ConfigSet.model_validate(request("config.set", account="a", plan="pro", language="en"))


def test_settings_are_only_the_given_settings() -> None:
    parsed = ConfigSet.model_validate(sample("config.set"))
    expected = {k: v for k, v in GOOD["config.set"].items() if k != "account"}
    assert parsed.settings() == expected
    assert ConfigSet.model_validate(request("config.set", account="a")).settings() == {}


def test_setting_scopes_cover_every_config_set_field() -> None:
    fields = set(ConfigSet.model_fields) - {"v", "id", "type", "account"}
    assert fields == ACCOUNT_SETTINGS | GLOBAL_SETTINGS
    assert not ACCOUNT_SETTINGS & GLOBAL_SETTINGS


# -- JSON Schema (what `credit-guard schema` prints) -------------------------------------


def test_json_schema_is_a_discriminated_union_of_every_kind() -> None:
    schema = json_schema()
    assert json.loads(json.dumps(schema)) == schema
    assert schema["title"].endswith("(protocol 1)")
    assert schema["discriminator"]["propertyName"] == "type"
    mapping = schema["discriminator"]["mapping"]
    assert set(mapping) == set(REQUEST_MODELS)
    refs = [option["$ref"] for option in schema["oneOf"]]
    assert sorted(refs) == sorted(mapping.values())
    assert len(refs) == len(REQUEST_MODELS) == 16
    for kind, ref in mapping.items():
        assert ref.startswith("#/$defs/")
        definition = schema["$defs"][ref.removeprefix("#/$defs/")]
        assert definition["type"] == "object"
        assert definition["additionalProperties"] is False
        assert definition["properties"]["type"]["const"] == kind
        assert definition["properties"]["v"]["const"] == PROTOCOL_VERSION
        assert {"v", "id", "type"} <= set(definition["required"])
        assert set(definition["properties"]) == set(REQUEST_MODELS[kind].model_fields)


def test_json_schema_refs_all_resolve() -> None:
    schema = json_schema()
    text = json.dumps(schema)
    for name in schema["$defs"]:
        assert f'"#/$defs/{name}"' in text or name in schema["discriminator"]["mapping"].values()

    def refs(node: Any) -> Iterator[str]:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "$ref":
                    yield value
                else:
                    yield from refs(value)
        elif isinstance(node, list):
            for item in node:
                yield from refs(item)

    for ref in refs(schema):
        assert ref.removeprefix("#/$defs/") in schema["$defs"], ref


def test_json_schema_carries_the_bounds() -> None:
    defs = json_schema()["$defs"]
    credits = defs["Usage"]["properties"]["credits"]["anyOf"][0]
    assert (credits["minimum"], credits["maximum"]) == (0, MAX_CREDITS)
    assert defs["Usage"]["properties"]["at"]["format"] == "date-time"
    assert defs["Signals"]["additionalProperties"] is False


# -- dispatch.handle_body -----------------------------------------------------------------


@pytest.fixture
def ledger(tmp_path: Path) -> Iterator[Ledger]:
    opened = Ledger(tmp_path / "ledger.sqlite3", device_name="test-device")
    yield opened
    opened.close()


@pytest.fixture
def ctx(
    ledger: Ledger, home: Path, memory_keyring: MemoryKeyring, monkeypatch: pytest.MonkeyPatch
) -> Context:
    """The sync.* kinds write in the test's data folder and keyring, and `sync.now`
    goes through the loopback stand-in at the transport seam (to this same ledger)."""
    install(monkeypatch, ledger)
    return Context(Tallies(ledger), clock=lambda: NOW)


def call(ctx: Context, body: bytes | dict[str, Any]) -> dict[str, Any]:
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    reply = handle_body(raw, ctx)
    assert len(reply) < MAX_REPLY
    decoded: dict[str, Any] = json.loads(reply)
    return decoded


def error_of(reply: dict[str, Any]) -> dict[str, Any]:
    assert reply["ok"] is False, reply
    assert reply["v"] == PROTOCOL_VERSION
    assert set(reply) == {"v", "id", "ok", "error"}
    error: dict[str, Any] = reply["error"]
    assert isinstance(error["message"], str) and error["message"]
    assert error["code"] in {code.value for code in ErrorCode}
    return error


def test_ok_reply_envelope(ctx: Context) -> None:
    reply = call(ctx, sample("hello"))
    assert reply["ok"] is True
    assert (reply["v"], reply["id"], reply["type"]) == (1, "req-1", "hello")
    assert reply["protocol"] == PROTOCOL_VERSION
    assert reply["device_name"] == "test-device"


@pytest.mark.parametrize(
    "body",
    [b"", b"\xff\xfe{}", b"{not json", b"[1, 2]", b'"hello"', b"null", b"[" * 100_000],
    ids=["empty", "not utf-8", "not json", "array", "string", "null", "deeply nested"],
)
def test_bad_json(ctx: Context, body: bytes) -> None:
    reply = call(ctx, body)
    assert error_of(reply)["code"] == "bad_json"
    assert reply["id"] is None


def test_invalid_lists_the_problems(ctx: Context) -> None:
    reply = call(ctx, sample("usage", credits=-5, operation="dance", account=...))
    error = error_of(reply)
    assert error["code"] == "invalid"
    assert reply["id"] == "req-1"
    fields = {problem["field"] for problem in error["params"]["problems"]}
    assert fields == {"credits", "operation", "account"}
    assert all(problem["problem"] for problem in error["params"]["problems"])


def test_invalid_nan_from_the_wire(ctx: Context) -> None:
    body = json.dumps(sample("usage")).replace('"credits": 40', '"credits": NaN').encode()
    assert b"NaN" in body
    error = error_of(call(ctx, body))
    assert error["code"] == "invalid"
    assert [p["field"] for p in error["params"]["problems"]] == ["credits"]


def test_invalid_caps_the_problem_list(ctx: Context) -> None:
    extras = {f"extra_{n}": n for n in range(50)}
    error = error_of(call(ctx, request("status", **extras)))
    assert error["code"] == "invalid"
    assert len(error["params"]["problems"]) == 20


def test_invalid_config_scope(ctx: Context) -> None:
    error = error_of(call(ctx, request("config.set", plan="pro")))
    assert error["code"] == "invalid"
    (problem,) = error["params"]["problems"]
    assert problem["field"] == ""  # the request as a whole
    assert "plan" in problem["problem"] and "account" in problem["problem"]


def test_missing_version_is_invalid(ctx: Context) -> None:
    message = sample("hello")
    del message["v"]
    error = error_of(call(ctx, message))
    assert error["code"] == "invalid"
    assert error["params"] == {"field": "v"}


@pytest.mark.parametrize("version", [0, 2, "1", True, None, [1]])
def test_unsupported_version(ctx: Context, version: Any) -> None:
    reply = call(ctx, sample("hello", v=version))
    error = error_of(reply)
    assert error["code"] == "unsupported_version"
    assert error["params"] == {"supported": [PROTOCOL_VERSION]}
    assert reply["id"] == "req-1"


@pytest.mark.parametrize("kind", ["refund", "", None, 7, "HELLO", "tally.changed"])
def test_unknown_type(ctx: Context, kind: Any) -> None:
    error = error_of(call(ctx, {"v": 1, "id": "req-1", "type": kind}))
    assert error["code"] == "unknown_type"
    assert error["params"] == {"known": sorted(REQUEST_MODELS)}


def test_unknown_type_when_type_is_missing(ctx: Context) -> None:
    assert error_of(call(ctx, {"v": 1, "id": "req-1"}))["code"] == "unknown_type"


@pytest.mark.parametrize(
    ("request_id", "echoed"),
    [("abc", "abc"), ("x" * 128, "x" * 128), ("x" * 129, None), ("", None), (5, None)],
)
def test_error_reply_echoes_only_a_valid_id(ctx: Context, request_id: Any, echoed: Any) -> None:
    reply = call(ctx, {"v": 1, "id": request_id, "type": "refund"})
    assert reply["id"] == echoed


def test_internal_when_a_handler_raises(ctx: Context, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(request: Any, ctx: Context) -> dict[str, Any]:
        raise RuntimeError("secret detail")

    monkeypatch.setattr(hello_handler, "handle", broken)
    reply = call(ctx, sample("hello"))
    error = error_of(reply)
    assert error["code"] == "internal"
    assert reply["id"] == "req-1"
    assert "secret detail" not in error["message"]  # details go to the log only
    assert "params" not in error


def test_storage_when_the_ledger_cannot_commit(
    ctx: Context, ledger: Ledger, monkeypatch: pytest.MonkeyPatch
) -> None:
    def failing(self: Ledger, events: Any) -> Any:
        raise HostError(ErrorCode.STORAGE, "the ledger could not commit: disk I/O error")

    monkeypatch.setattr(Ledger, "append", failing)
    reply = call(ctx, sample("usage"))
    assert error_of(reply)["code"] == "storage"
    assert reply["id"] == "req-1"
    monkeypatch.undo()
    assert ledger.events("me@example.com") == []


def test_storage_when_the_ledger_is_locked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A real SQLite failure: another writer holds the lock past the busy timeout."""
    monkeypatch.setattr(store, "BUSY_TIMEOUT_MS", 50)
    path = tmp_path / "ledger.sqlite3"
    ledger = Ledger(path)
    ctx = Context(Tallies(ledger), clock=lambda: NOW)
    blocker = sqlite3.connect(path, isolation_level=None)
    try:
        blocker.execute("BEGIN IMMEDIATE")
        reply = call(ctx, sample("usage"))
        assert error_of(reply)["code"] == "storage"
        blocker.execute("ROLLBACK")
        # Nothing was recorded: the retry is the first time the event is stored.
        retry = call(ctx, sample("usage"))
        assert retry["ok"] is True, retry
        assert retry["duplicate"] is False
        assert retry["tally"]["used"]["total"] == 40.0
        assert len(ledger.events("me@example.com")) == 1
    finally:
        blocker.close()
        ledger.close()


def test_usage_is_committed_before_the_reply(ctx: Context, ledger: Ledger) -> None:
    reply = call(ctx, sample("usage"))
    assert reply["ok"] is True and reply["duplicate"] is False
    other = Ledger(ledger.path)  # a second connection sees it: it is committed
    try:
        assert [e.event_id for e in other.events("me@example.com")] == [EVENT_ID]
    finally:
        other.close()
    again = call(ctx, sample("usage", event_id=EVENT_ID.replace("-", "").upper()))
    assert again["duplicate"] is True
    assert again["tally"]["used"]["total"] == 40.0


def test_reply_too_large(ctx: Context, monkeypatch: pytest.MonkeyPatch) -> None:
    def huge(request: Any, ctx: Context) -> dict[str, Any]:
        return {"blob": "x" * MAX_REPLY}

    monkeypatch.setattr(hello_handler, "handle", huge)
    reply = call(ctx, sample("hello"))
    assert error_of(reply)["code"] == "reply_too_large"
    assert reply["id"] == "req-1"


def test_reply_just_under_the_cap_is_sent(ctx: Context, monkeypatch: pytest.MonkeyPatch) -> None:
    envelope = len(b'{"v":1,"id":"req-1","ok":true,"type":"hello","blob":""}')
    size = {"blob": MAX_REPLY - 1 - envelope}

    def sized(request: Any, ctx: Context) -> dict[str, Any]:
        return {"blob": "x" * size["blob"]}

    monkeypatch.setattr(hello_handler, "handle", sized)
    reply = handle_body(json.dumps(sample("hello")).encode(), ctx)
    assert len(reply) == MAX_REPLY - 1
    assert json.loads(reply)["ok"] is True
    size["blob"] += 1
    over = json.loads(handle_body(json.dumps(sample("hello")).encode(), ctx))
    assert error_of(over)["code"] == "reply_too_large"


def test_error_reply_stays_under_the_cap_for_a_huge_unknown_field(ctx: Context) -> None:
    message = request("hello", **{"k" * 600_000: 1})
    body = json.dumps(message).encode()
    assert len(body) < 1024 * 1024  # a frame the host accepts
    assert len(handle_body(body, ctx)) < MAX_REPLY


def test_a_batch_whose_commit_fails_answers_every_request_with_the_storage_error_or_its_own(
    ctx: Context, monkeypatch: pytest.MonkeyPatch
) -> None:
    from contextlib import contextmanager

    from native_host.dispatch import handle_batch

    real_batch = ctx.tallies.ledger.batch

    @contextmanager
    def failing_batch():  # type: ignore[no-untyped-def]
        with real_batch():
            yield
            raise HostError(ErrorCode.STORAGE, "the disk is full")

    monkeypatch.setattr(ctx.tallies.ledger, "batch", failing_batch)
    bodies = [
        json.dumps(sample("usage", id=f"r{n}", event_id=str(uuid.uuid4()))).encode()
        for n in range(3)
    ] + [b"not json"]
    replies = [json.loads(reply) for reply in handle_batch(bodies, ctx)]
    assert [r["id"] for r in replies] == ["r0", "r1", "r2", None]
    assert [error_of(r)["code"] for r in replies] == ["storage"] * 3 + ["bad_json"]
    monkeypatch.undo()
    status = call(ctx, sample("status", id="s", account=...))
    assert status["accounts"] == []  # nothing stored, and the cache does not pretend it was


# -- no input breaks handle_body ----------------------------------------------------------

# Text of any code points, lone surrogates included (json.dumps sends them as \ud800 escapes).
ANY_TEXT = st.text(st.characters(exclude_categories=()), max_size=12)
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | ANY_TEXT,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(ANY_TEXT, inner, max_size=3),
    max_leaves=8,
)


@st.composite
def hostile_bodies(draw: st.DrawFn) -> bytes:
    """A good request of some kind with fields replaced, added or removed at random, and
    sometimes an integer too long for Python to read."""
    kind = draw(st.sampled_from(sorted(GOOD)))
    message: dict[str, Any] = (
        sample(kind, event_id=str(uuid.uuid4())) if kind == "usage" else (sample(kind))
    )
    names = sorted({*message, "language", "account", "id", "v", "type", "signals"})
    changes = draw(st.dictionaries(st.sampled_from(names) | ANY_TEXT, JSON_VALUES, max_size=3))
    message.update(changes)
    for name in draw(st.lists(st.sampled_from(sorted(message)), max_size=2)):
        message.pop(name, None)
    body = json.dumps(message)
    if draw(st.booleans()) and body.endswith("}") and len(body) > 2:
        body = body[:-1] + ', "n": ' + "9" * draw(st.sampled_from([4300, 4301, 5000])) + "}"
    return body.encode()


@settings(
    max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(body=hostile_bodies())
def test_any_request_gets_a_well_formed_reply_and_never_internal(ctx: Context, body: bytes) -> None:
    reply = json.loads(handle_body(body, ctx).decode("utf-8"))  # strict UTF-8: no surrogate
    assert reply["v"] == PROTOCOL_VERSION and isinstance(reply["ok"], bool)
    assert reply["id"] is None or isinstance(reply["id"], str)
    if not reply["ok"]:
        assert reply["error"]["code"] in {code.value for code in ErrorCode}
        assert reply["error"]["code"] != "internal", (body[:300], reply)
