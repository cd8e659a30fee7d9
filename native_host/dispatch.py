"""One request in, one reply out: decode, check, validate, route, encode.

`handle_body` never raises: every failure becomes the protocol's error envelope, so
the stdio loop can answer and keep serving. Handler modules are imported on first use
(the advisor and diagnosis are not needed to answer `hello`).
"""

from __future__ import annotations

import importlib
import json
import logging
import re
from typing import Any

from pydantic import ValidationError

from native_host import PROTOCOL_VERSION
from native_host.context import Context, system_language
from native_host.errors import ErrorCode, HostError
from native_host.framing import MAX_REPLY, well_formed
from native_host.messages import REQUEST_MODELS

log = logging.getLogger(__name__)

# type → module in native_host.handlers whose `handle(request, ctx)` answers it
HANDLERS: dict[str, str] = {
    "hello": "hello",
    "usage": "usage",
    "balance": "balance",
    "preflight": "preflight",
    "status": "status",
    "diagnose": "diagnose",
    "config.get": "config",
    "config.set": "config",
    "undo": "undo",
    "forget": "forget",
    "sync.status": "sync",
    "sync.pair": "sync",
    "sync.join": "sync",
    "sync.leave": "sync",
    "sync.now": "sync",
    "sync.name": "sync",
}
MAX_ID = 128
MAX_FIELD = 100  # field paths in `invalid` errors are cut here (an extra field may be huge)
# A lone UTF-16 surrogate reaches a UTF-8 body only as an escape, \uD800 to \uDFFF.
SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89abcdefABCDEF]")


def encode(message: dict[str, Any]) -> bytes:
    """The frame body of `message`; a lone surrogate anywhere in it (a path read from a
    file system that is not UTF-8, say) is sent as U+FFFD rather than failing the reply."""
    text = json.dumps(message, ensure_ascii=False, separators=(",", ":"))
    try:
        return text.encode()
    except UnicodeEncodeError:
        return well_formed(text).encode()


def error_reply(request_id: str | None, error: HostError, language: str = "en") -> dict[str, Any]:
    return {
        "v": PROTOCOL_VERSION,
        "id": request_id,
        "ok": False,
        "error": error.to_error(language),
    }


def handle_batch(bodies: list[bytes], ctx: Context) -> list[bytes]:
    """The replies to frames that arrived together, committed as one transaction.

    The ledger is (re)opened first (Context.open); if it cannot be, each request is
    refused with that error. Nothing is answered before the commit; if it fails, every
    request in the batch is refused with the storage error (none of them was stored)
    and the cache is dropped.
    """
    try:
        ctx.open()
    except HostError as error:
        return [refusal(body, error) for body in bodies]
    if len(bodies) == 1:
        return [handle_body(bodies[0], ctx)]
    try:
        with ctx.batch():
            return [handle_body(body, ctx) for body in bodies]
    except HostError as error:
        ctx.forget()
        return [refusal(body, error) for body in bodies]


def refusal(body: bytes, error: HostError) -> bytes:
    """The reply to a request that cannot be served now: its own fault if it has one (not
    JSON, a bad envelope), else `error`; with its id whenever one is readable."""
    message: dict[str, Any] = {}
    try:
        _open_envelope(body, message)
    except HostError as own:
        error = own
    return encode(error_reply(_valid_id(message), error, _language(message)))


def _valid_id(message: dict[str, Any]) -> str | None:
    raw_id = message.get("id")
    return raw_id if isinstance(raw_id, str) and 0 < len(raw_id) <= MAX_ID else None


def handle_body(body: bytes, ctx: Context) -> bytes:
    """The encoded reply to one frame body."""
    message: dict[str, Any] = {}
    request_id: str | None = None
    try:
        kind = _open_envelope(body, message)
        request_id = _valid_id(message)
        ctx.refresh()  # see what other processes committed since the last request
        reply = {"v": PROTOCOL_VERSION, "id": request_id, "ok": True, "type": kind}
        reply.update(_route(kind, message, ctx))
        encoded = encode(reply)
    except HostError as error:
        request_id = _valid_id(message)
        encoded = encode(error_reply(request_id, error, _language(message)))
    except Exception:
        log.exception("request %r failed", request_id)
        failure = HostError(ErrorCode.INTERNAL, "the helper failed on this request; see its log")
        encoded = encode(error_reply(request_id, failure))
    if len(encoded) >= MAX_REPLY:
        dropped = HostError(
            ErrorCode.REPLY_TOO_LARGE, f"the reply of {len(encoded)} bytes was dropped"
        )
        encoded = encode(error_reply(request_id, dropped))
    return encoded


def brief(value: object, limit: int = 80) -> str:
    """A value for an error message: echoed input never makes a reply large."""
    text = repr(value)
    return text if len(text) <= limit else f"{text[: limit - 1]}…"


def _open_envelope(body: bytes, message: dict[str, Any]) -> str:
    """Read the request into `message` and check its envelope; returns its type.

    `message` holds the request as soon as it is read, so the caller can answer with its
    id and language even when this raises."""
    _parse(body, message)
    return _check_envelope(message)


def _parse(body: bytes, into: dict[str, Any]) -> None:
    """Read the request object into `into`; lone surrogates in its text are read as
    U+FFFD (see well_formed). A number too long for Python to read (past
    sys.get_int_max_str_digits) is bad_json, raised after the rest was read into `into`."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as error:
        raise HostError(ErrorCode.BAD_JSON, f"the frame is not UTF-8: {error.reason}") from None
    too_long: ValueError | None = None
    try:
        try:
            message = json.loads(text)
        except json.JSONDecodeError:
            raise  # not JSON at all: answered below
        except ValueError as error:  # an integer past the digit limit: read the rest for its id
            too_long = error
            message = json.loads(text, parse_int=lambda digits: 0)
        if SURROGATE_ESCAPE.search(body):
            message = json.loads(well_formed(json.dumps(message, ensure_ascii=False)))
    except (json.JSONDecodeError, RecursionError) as error:
        raise HostError(ErrorCode.BAD_JSON, f"the frame is not JSON: {error}") from None
    if not isinstance(message, dict):
        raise HostError(ErrorCode.BAD_JSON, "a request must be a JSON object")
    into.update(message)
    if too_long is not None:
        raise HostError(ErrorCode.BAD_JSON, f"the frame holds a number too long: {too_long}")


def _language(message: dict[str, Any]) -> str:
    """The language of an error text people read: the request's, else the system's."""
    requested = message.get("language")
    return requested if isinstance(requested, str) else system_language()


def _check_envelope(message: dict[str, Any]) -> str:
    version = message.get("v")
    if "v" not in message:
        raise HostError(ErrorCode.INVALID, "missing field v (the protocol version)", field="v")
    if version != PROTOCOL_VERSION or isinstance(version, bool):
        raise HostError(
            ErrorCode.UNSUPPORTED_VERSION,
            f"protocol version {brief(version)} is not supported; this helper speaks"
            f" {PROTOCOL_VERSION}",
            supported=[PROTOCOL_VERSION],
        )
    kind = message.get("type")
    if not isinstance(kind, str) or kind not in REQUEST_MODELS:
        raise HostError(
            ErrorCode.UNKNOWN_TYPE,
            f"unknown request type {brief(kind)}",
            known=sorted(REQUEST_MODELS),
        )
    return kind


def _route(kind: str, message: dict[str, Any], ctx: Context) -> dict[str, Any]:
    try:
        request = REQUEST_MODELS[kind].model_validate(message)
    except ValidationError as error:
        problems = [
            {
                "field": ".".join(str(part) for part in problem["loc"])[:MAX_FIELD],
                "problem": problem["msg"].removeprefix("Value error, "),
            }
            for problem in error.errors(include_url=False, include_input=False)[:20]
        ]
        summary = "; ".join(
            f"{p['field']}: {p['problem']}" if p["field"] else p["problem"] for p in problems[:3]
        )
        raise HostError(
            ErrorCode.INVALID, f"invalid {kind} request: {summary}", problems=problems
        ) from None
    module = importlib.import_module(f"native_host.handlers.{HANDLERS[kind]}")
    reply: dict[str, Any] = module.handle(request, ctx)
    return reply
