"""Request models of protocol version 1 (docs/PROTOCOL.md is the contract).

Every request kind is a pydantic model with `extra="forbid"`; `REQUEST_ADAPTER` is the
discriminated union on `type`, used for the JSON Schema. Models are built lazily
(`defer_build`) and dispatch validates with the one model its `type` names, so the
browser-launched host builds only the schemas it actually receives (cold start).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any, Literal, get_args

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    TypeAdapter,
    model_validator,
)

from native_host.accounts import normalize_account

Operation = Literal[
    "chat", "search", "image", "video", "audio", "analysis", "slides", "sheets", "agent", "other"
]
OPERATIONS: tuple[str, ...] = get_args(Operation)
HEAVY_OPERATIONS = frozenset({"image", "video", "analysis"})
Language = Literal["en", "ja"]
PlanName = Literal["free", "plus", "pro", "team", "custom"]
# What a text on the page said, as the extension's site rules classify it (the texts
# themselves, in every language, live only in extension/site/genspark.json).
TextKind = Literal[
    "exhausted",
    "rate_limit_cf1",
    "rate_limit_cf2",
    "too_quickly",
    "overloaded",
    "unavailable",
    "challenge",
    "window_limit",
    "signed_out",
]
TEXT_KINDS: tuple[str, ...] = get_args(TextKind)

MAX_CREDITS = 1_000_000  # one operation never costs more; larger numbers are input errors
MAX_BALANCE = 1_000_000_000
MAX_DURATION = timedelta(days=1)  # no operation runs longer; a later end is an input error

# C0 and C1 controls and the Unicode line separators: nothing that can forge a log line.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def _printable(value: str) -> str:
    if _CONTROL.search(value):
        raise ValueError("must not contain control characters")
    return value


def _plausible_time(value: datetime) -> datetime:
    if not 2020 <= value.astimezone(UTC).year <= 2100:
        raise ValueError("must be between the years 2020 and 2100")
    return value


Text = Annotated[str, Field(min_length=1, max_length=200), AfterValidator(_printable)]


def _account(value: str) -> str:
    """Lookalike spellings are one account (see accounts.py), and a name must remain."""
    account = normalize_account(value)
    if not account:
        raise ValueError("must name an account (nothing visible is left once trimmed)")
    return account


Account = Annotated[
    str, Field(min_length=1, max_length=320), AfterValidator(_account), AfterValidator(_printable)
]


def _rfc3339_text(value: object) -> object:
    """Text (from the wire) or a datetime (from Python callers), never a number."""
    if not isinstance(value, str | datetime):
        raise ValueError("must be an RFC 3339 string such as 2026-11-24T09:30:00+09:00")
    return value


# Models are strict (no "5" for 5, no true for 1); times come as text, so they are the one
# field parsed from a string, and never from a number.
Timestamp = Annotated[
    AwareDatetime,
    Field(strict=False),
    BeforeValidator(_rfc3339_text),
    AfterValidator(_plausible_time),
]
Credits = Annotated[float, Field(ge=0, le=MAX_CREDITS, allow_inf_nan=False)]
Balance = Annotated[float, Field(ge=0, le=MAX_BALANCE, allow_inf_nan=False)]
RequestId = Annotated[str, Field(min_length=1, max_length=128)]
EventId = Annotated[str, Field(pattern=r"^[0-9a-fA-F]{8}-?([0-9a-fA-F]{4}-?){3}[0-9a-fA-F]{12}$")]
HttpStatus = Annotated[int, Field(ge=100, le=599)]
SiteStatus = Annotated[int, Field(ge=-1000, le=1000)]
ResetTime = Annotated[str, Field(pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$")]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, defer_build=True)


class _Request(_Strict):
    v: Literal[1]
    id: RequestId


class Hello(_Request):
    type: Literal["hello"]
    extension_version: Annotated[str, Field(max_length=64), AfterValidator(_printable)] = ""
    browser: Annotated[str, Field(max_length=64), AfterValidator(_printable)] = ""


class Usage(_Request):
    """One operation the user started at `at` (and saw finish at `ended_at`); `credits`
    when the page knew its cost."""

    type: Literal["usage"]
    event_id: EventId
    account: Account
    operation: Operation
    at: Timestamp
    ended_at: Timestamp | None = None
    credits: Credits | None = None
    model: Text | None = None
    source: Text | None = None

    @model_validator(mode="after")
    def _ends_after_it_starts(self) -> Usage:
        if self.ended_at is not None and self.ended_at < self.at:
            raise ValueError("ended_at must not be before at")
        if self.ended_at is not None and self.ended_at - self.at > MAX_DURATION:
            raise ValueError("ended_at must be within a day of at")
        return self


class BalanceReport(_Request):
    """A balance read from the site: the ground truth the tally is anchored to."""

    type: Literal["balance"]
    account: Account
    balance: Balance
    at: Timestamp
    window: Literal["day", "month", "5h", "7d", "total"] | None = None
    reset_at: Timestamp | None = None


class Preflight(_Request):
    type: Literal["preflight"]
    account: Account
    operation: Operation
    model: Text | None = None
    prompt_chars: Annotated[int, Field(ge=0, le=10_000_000)] | None = None
    language: Language | None = None


class Status(_Request):
    type: Literal["status"]
    account: Account | None = None


class Signals(_Strict):
    """What the extension saw on the page; every field is optional."""

    http_status: Annotated[list[HttpStatus], Field(max_length=100)] = []
    site_status: Annotated[list[SiteStatus], Field(max_length=100)] = []
    # Accepted from extensions of before text_kinds, and not read (docs/DECISIONS.md).
    error_texts: Annotated[list[Annotated[str, Field(max_length=2000)]], Field(max_length=50)] = []
    text_kinds: Annotated[list[TextKind], Field(max_length=50)] = []
    window_reset_at: Timestamp | None = None
    exhausted_text_seen: bool = False
    page_balance: Balance | None = None
    requests_last_minute: Annotated[int, Field(ge=0, le=1_000_000)] | None = None
    last_good_balance_at: Timestamp | None = None
    server_date: Timestamp | None = None


class Diagnose(_Request):
    type: Literal["diagnose"]
    account: Account
    signals: Signals = Field(default_factory=Signals)  # not built at import (cold start)
    language: Language | None = None


class Alternative(_Strict):
    name: Text
    url: Annotated[str, Field(max_length=300, pattern=r"^https://[^\s]+$")]


ACCOUNT_SETTINGS = frozenset(
    {"plan", "allowance", "period", "reset_time", "billing_day", "reserve"}
)
CLEARABLE_SETTINGS = frozenset({"allowance", "period"})  # null: back to the plan's figure
GLOBAL_SETTINGS = frozenset(
    {
        "language",
        "confirm_before_heavy",
        "notifications",
        "notify_thresholds",
        "alternatives",
        "reset_nudge",
    }
)


class ConfigGet(_Request):
    type: Literal["config.get"]
    account: Account | None = None


class ConfigSet(_Request):
    """Per-account settings need `account`; global settings must come without it."""

    type: Literal["config.set"]
    account: Account | None = None
    plan: PlanName | None = None
    allowance: Annotated[float, Field(gt=0, le=MAX_BALANCE, allow_inf_nan=False)] | None = None
    period: Literal["day", "month"] | None = None
    reset_time: ResetTime | None = None
    billing_day: Annotated[int, Field(ge=1, le=31)] | None = None
    reserve: Annotated[float, Field(ge=0, le=100, allow_inf_nan=False)] | None = None
    language: Literal["auto", "en", "ja"] | None = None
    confirm_before_heavy: bool | None = None
    notifications: bool | None = None
    notify_thresholds: (
        Annotated[list[Annotated[int, Field(ge=1, le=99)]], Field(max_length=10)] | None
    ) = None
    alternatives: Annotated[list[Alternative], Field(max_length=10)] | None = None
    reset_nudge: bool | None = None

    @model_validator(mode="after")
    def _scope(self) -> ConfigSet:
        given = self.settings()
        cleared = sorted(name for name, value in given.items() if value is None)
        if set(cleared) - CLEARABLE_SETTINGS:
            raise ValueError(f"{', '.join(cleared)}: cannot be null (only allowance, period)")
        if self.account is None and given.keys() & ACCOUNT_SETTINGS:
            names = ", ".join(sorted(given.keys() & ACCOUNT_SETTINGS))
            raise ValueError(f"{names}: per-account settings, give the account")
        if self.account is not None and given.keys() & GLOBAL_SETTINGS:
            names = ", ".join(sorted(given.keys() & GLOBAL_SETTINGS))
            raise ValueError(f"{names}: global settings, omit the account")
        return self

    def settings(self) -> dict[str, Any]:
        """The settings this request changes, as JSON-ready values; None (sent as null)
        clears a clearable setting back to the plan's own figure."""
        data = self.model_dump(mode="json", include=self.model_fields_set)
        return {k: v for k, v in data.items() if k in ACCOUNT_SETTINGS | GLOBAL_SETTINGS}


class Undo(_Request):
    """Take back a usage event (a mistyped `log`, a manual entry made in error): recorded
    as a compensating event that syncs like any other."""

    type: Literal["undo"]
    event_id: EventId


class Forget(_Request):
    """Hide an account and everything recorded for it so far, on every device."""

    type: Literal["forget"]
    account: Account


# Checked again by the handler (membership.py), which says what is wrong in the
# request's language: a hub's address form, a device name's length once trimmed.
HubUrl = Annotated[str, Field(min_length=1, max_length=2000), AfterValidator(_printable)]
FolderPath = Annotated[str, Field(min_length=1, max_length=4096), AfterValidator(_printable)]
DeviceName = Annotated[str, Field(max_length=200), AfterValidator(_printable)]
MAX_DEVICE_NAME = 40  # characters once trimmed (membership.name_device checks it)
PairingCodeText = Annotated[str, Field(min_length=1, max_length=2000)]  # spaces, - and \n allowed


class SyncStatus(_Request):
    """This device's sync state: its group, transport, the devices heard of."""

    type: Literal["sync.status"]
    language: Language | None = None


class SyncPair(_Request):
    """Create a group (through a hub or a shared folder), or show this group's code again."""

    type: Literal["sync.pair"]
    hub_url: HubUrl | None = None
    folder: FolderPath | None = None
    language: Language | None = None

    @model_validator(mode="after")
    def _one_transport(self) -> SyncPair:
        if self.hub_url is not None and self.folder is not None:
            raise ValueError("give hub_url or folder, not both")
        return self


class SyncJoin(_Request):
    """Join a group with its pairing code; a shared folder's code needs this device's path."""

    type: Literal["sync.join"]
    code: PairingCodeText
    folder: FolderPath | None = None
    language: Language | None = None


class SyncLeave(_Request):
    type: Literal["sync.leave"]
    language: Language | None = None


class SyncNow(_Request):
    """One full exchange with the hub or the shared folder, answered when it is done."""

    type: Literal["sync.now"]
    language: Language | None = None


class SyncName(_Request):
    type: Literal["sync.name"]
    name: DeviceName
    language: Language | None = None


Request = Annotated[
    Hello
    | Usage
    | BalanceReport
    | Preflight
    | Status
    | Diagnose
    | ConfigGet
    | ConfigSet
    | Undo
    | Forget
    | SyncStatus
    | SyncPair
    | SyncJoin
    | SyncLeave
    | SyncNow
    | SyncName,
    Field(discriminator="type"),
]
REQUEST_MODELS: dict[str, type[_Request]] = {
    "hello": Hello,
    "usage": Usage,
    "balance": BalanceReport,
    "preflight": Preflight,
    "status": Status,
    "diagnose": Diagnose,
    "config.get": ConfigGet,
    "config.set": ConfigSet,
    "undo": Undo,
    "forget": Forget,
    "sync.status": SyncStatus,
    "sync.pair": SyncPair,
    "sync.join": SyncJoin,
    "sync.leave": SyncLeave,
    "sync.now": SyncNow,
    "sync.name": SyncName,
}
REQUEST_ADAPTER: TypeAdapter[Any] = TypeAdapter(Request, config=ConfigDict(defer_build=True))


def json_schema() -> dict[str, Any]:
    """The JSON Schema of every request, printed by `credit-guard schema`."""
    schema = REQUEST_ADAPTER.json_schema()
    schema["title"] = "Credit Guard native-messaging request (protocol 1)"
    return schema


def readable(kind: str, account: str, at: datetime, body: dict[str, Any]) -> bool:
    """True unless `kind` is one this version records and `body` is not what its request
    would have recorded: the tally reads those bodies without checking them again, so an
    event synced from a broken (or differently made) peer is kept but not counted.
    Unknown kinds are readable: the tally reads only the kinds it knows."""
    fields: dict[str, Any] = {"v": 1, "id": "sync", "account": account, "at": at}
    if kind == "usage":
        fields |= {"type": "usage", "event_id": "0" * 32}
        allowed = {"operation", "ended_at", "credits", "model", "source"}
    elif kind == "balance":
        fields |= {"type": "balance"}
        allowed = {"balance", "window", "reset_at"}
    elif kind == "undo":
        fields = {"v": 1, "id": "sync", "type": "undo"}
        body = {"event_id": body.get("undoes")} if set(body) == {"undoes"} else {"": None}
        allowed = {"event_id"}
    elif kind == "config":
        settings = body.get("set")
        if set(body) - {"set", "learned"} or not isinstance(settings, dict) or not settings:
            return False
        if not isinstance(body.get("learned", False), bool):
            return False
        fields = {"v": 1, "id": "sync", "type": "config.set", "account": account or None}
        body, allowed = settings, set(settings) & (ACCOUNT_SETTINGS | GLOBAL_SETTINGS)
    elif kind == "forget":
        fields = {"v": 1, "id": "sync", "type": "forget", "account": account}
        allowed = set()
    elif kind == "device":  # what sync.name records: the name trimmed, under no account
        name = body.get("name")
        if account or not isinstance(name, str) or name != name.strip():
            return False
        if not 1 <= len(name) <= MAX_DEVICE_NAME:
            return False
        fields = {"v": 1, "id": "sync", "type": "sync.name"}
        allowed = {"name"}
    else:
        return True
    if set(body) - allowed:
        return False
    try:
        REQUEST_MODELS[fields["type"]].model_validate({**body, **fields})
    except ValueError:  # pydantic's ValidationError is one
        return False
    return True
