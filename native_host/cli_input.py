"""Read what people type on the command line: times, yes/no, reset times, numbers.

Pure: the current instant and the local zone come from the caller (zone None means the
system's own, read through `datetime.astimezone`, which knows its daylight saving).
Text is NFKC-normalized first, so full-width digits and colons typed with a Japanese
input method read like ASCII. A refusal is an InputError naming a catalog text
(native_host/i18n.py, keys "input.*") that gives the accepted form and an example, so
the command can say it in the user's language.
"""

from __future__ import annotations

import math
import re
import unicodedata
from datetime import UTC, datetime, time, timedelta, timezone, tzinfo

from native_host.i18n import number

EARLIEST_YEAR = 2020  # the protocol refuses instants before (messages._plausible_time)

_TRUE = frozenset({"yes", "y", "on", "true", "1"})
_FALSE = frozenset({"no", "n", "off", "false", "0"})
_ZONE = r"(?P<zone>Z|UTC|[+-]\d{2}:?\d{2})?"
_CLOCK = r"(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2})(?:\.(?P<fraction>\d{1,6}))?)?"
_CLOCK_ONLY = re.compile(rf"{_CLOCK}\s*{_ZONE}", re.IGNORECASE)
_DATE_TIME = re.compile(
    rf"(?P<year>\d{{4}})[-/](?P<month>\d{{1,2}})[-/](?P<day>\d{{1,2}})(?:[T\s]+{_CLOCK})?\s*{_ZONE}",
    re.IGNORECASE,
)


class InputError(ValueError):
    """Input that cannot be read: `key` is its catalog text, `params` fill it in."""

    def __init__(self, key: str, **params: object) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


def _normal(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip()


def read_bool(text: str) -> bool:
    word = _normal(text).lower()
    if word in _TRUE:
        return True
    if word in _FALSE:
        return False
    raise InputError("input.bool", value=text)


def read_number(text: str, minimum: float, maximum: float, *, whole: bool = False) -> float:
    """A number from `minimum` to `maximum` ("1,000" and "20%" read as 1000 and 20)."""
    cleaned = _normal(text).replace(",", "").removesuffix("%").strip()
    try:
        value = float(cleaned)
    except ValueError:
        raise InputError("input.number", value=text) from None
    if not math.isfinite(value) or not minimum <= value <= maximum or (whole and value % 1):
        key = "input.whole_range" if whole else "input.number_range"
        raise InputError(key, value=text, minimum=number(minimum), maximum=number(maximum))
    return int(value) if whole else value


def read_numbers(
    text: str, minimum: float, maximum: float, *, whole: bool = False, most: int
) -> list[float]:
    """Up to `most` numbers separated by commas ("50,20,10", "[50, 20, 10]", or none)."""
    parts = [part for part in _normal(text).strip("[]").split(",") if part.strip()]
    if len(parts) > most:
        raise InputError("input.too_many", value=text, most=most)
    return [read_number(part, minimum, maximum, whole=whole) for part in parts]


def read_choice(text: str, choices: tuple[str, ...]) -> str:
    """One of `choices`, in any case."""
    word = _normal(text).lower()
    if word not in choices:
        raise InputError("input.choice", value=text, choices=", ".join(choices))
    return word


def _offset(zone: str) -> tzinfo:
    if zone.upper() in ("Z", "UTC"):
        return UTC
    sign = -1 if zone[0] == "-" else 1
    digits = zone[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:])
    if hours > 23 or minutes > 59:
        raise ValueError(zone)
    return timezone(sign * timedelta(hours=hours, minutes=minutes))


def _zone(match: re.Match[str], local_zone: tzinfo | None) -> tzinfo | None:
    """The zone the text names, else `local_zone`; ValueError for an offset past 23:59."""
    return local_zone if match["zone"] is None else _offset(match["zone"])


def _clock(match: re.Match[str]) -> time:
    """The time of day a match of _CLOCK holds; ValueError when out of range."""
    fraction = (match["fraction"] or "").ljust(6, "0")
    return time(
        int(match["hour"]), int(match["minute"]), int(match["second"] or 0), int(fraction or 0)
    )


def _place(naive: datetime, zone: tzinfo | None) -> datetime:
    """A wall-clock time in `zone` (None: the system's local zone) as an aware instant."""
    return naive.astimezone() if zone is None else naive.replace(tzinfo=zone)


def local(moment: datetime, zone: tzinfo | None) -> datetime:
    """An instant as the wall clock of `zone` shows it (None: the system's local zone)."""
    return moment.astimezone(zone)


def zone_label(moment: datetime) -> str:
    """The zone of an aware local time for people: "JST, UTC+09:00", or just "UTC"."""
    offset = moment.utcoffset() or timedelta(0)
    if not offset:
        return "UTC"
    minutes = int(offset.total_seconds()) // 60
    utc = f"UTC{'-' if minutes < 0 else '+'}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
    name = moment.tzname() or ""
    return f"{name}, {utc}" if name.isalpha() and name.upper() != "UTC" else utc


def read_instant(text: str, now: datetime, zone: tzinfo | None) -> datetime:
    """When something happened: "2026-11-24 09:30" (local), with "Z" or "+09:00" for
    another zone, "09:30" for today, or "now". Refuses a time after `now`."""
    cleaned = _normal(text)
    if cleaned.lower() == "now":
        return now
    try:
        if match := _CLOCK_ONLY.fullmatch(cleaned):
            where = _zone(match, zone)
            day = local(now, where).date()
        elif (match := _DATE_TIME.fullmatch(cleaned)) and match["hour"] is not None:
            where = _zone(match, zone)
            day = datetime(int(match["year"]), int(match["month"]), int(match["day"])).date()
        else:
            raise ValueError(text)
        moment = _place(datetime.combine(day, _clock(match)), where)
    except (ValueError, OverflowError):
        raise InputError("input.instant", value=text) from None
    if moment.year < EARLIEST_YEAR:
        raise InputError("input.instant_too_old", value=text, year=EARLIEST_YEAR)
    if moment > now:
        shown = local(moment, zone)
        raise InputError(
            "input.instant_future",
            value=text,
            when=f"{shown:%Y-%m-%d %H:%M}",
            now=f"{local(now, zone):%Y-%m-%d %H:%M}",
        )
    return moment


def read_reset_time(text: str, now: datetime, zone: tzinfo | None) -> str:
    """The UTC "HH:MM" of a reset entered as a local time of day ("9:00", "09:00"), or
    with its zone ("00:00 UTC", "0:00Z", "9:00+09:00"); local times read as on today."""
    match = _CLOCK_ONLY.fullmatch(_normal(text))
    try:
        if match is None or match["second"] is not None:
            raise ValueError(text)
        where = _zone(match, zone)
        moment = _place(datetime.combine(local(now, where).date(), _clock(match)), where)
    except ValueError:
        raise InputError("input.reset_time", value=text) from None
    return f"{moment.astimezone(UTC):%H:%M}"


def show_reset_time(utc_clock: str, now: datetime, zone: tzinfo | None) -> datetime:
    """Today's reset at the UTC "HH:MM" `utc_clock`, as a local time: the one instant at
    that UTC clock that falls on today's local date (so `read_reset_time` of its
    "%H:%M" gives `utc_clock` back)."""
    hour, minute = (int(part) for part in utc_clock.split(":"))
    today = local(now, zone).date()
    anchor = datetime.combine(today, time(hour, minute), tzinfo=UTC)
    candidates = [local(anchor + timedelta(days=shift), zone) for shift in (-1, 0, 1)]
    return next((c for c in candidates if c.date() == today), candidates[1])
