"""native_host/cli_input.py: times, yes/no, reset times and numbers as people type them."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from native_host.cli_input import (
    InputError,
    read_bool,
    read_choice,
    read_instant,
    read_number,
    read_numbers,
    read_reset_time,
    show_reset_time,
    zone_label,
)
from native_host.i18n import CATALOGS

TOKYO = ZoneInfo("Asia/Tokyo")
NEW_YORK = ZoneInfo("America/New_York")
NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)  # 21:00 in Tokyo, 07:00 in New York


@pytest.fixture
def system_zone(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The process's local zone is Tokyo for the test (zone None reads the system's)."""
    monkeypatch.setenv("TZ", "Asia/Tokyo")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def refusal(call: object, *args: object) -> InputError:
    with pytest.raises(InputError) as raised:
        call(*args)  # type: ignore[operator]
    error = raised.value
    for words in CATALOGS.values():  # every refusal has its text, with its parameters
        words[error.key].format_map(error.params)
    return error


@pytest.mark.parametrize("word", ["yes", "Y", "on", "TRUE", "1", " true ", "ｙｅｓ"])
def test_yes_words(word: str) -> None:
    assert read_bool(word) is True


@pytest.mark.parametrize("word", ["no", "N", "off", "False", "0"])
def test_no_words(word: str) -> None:
    assert read_bool(word) is False


def test_neither_yes_nor_no() -> None:
    assert refusal(read_bool, "maybe").key == "input.bool"


def test_numbers() -> None:
    assert read_number("20", 0, 100) == 20
    assert read_number("2.5", 0, 100) == 2.5
    assert read_number("1,000", 0, 10_000) == 1000
    assert read_number("20%", 0, 100) == 20
    assert read_number("１５", 1, 31, whole=True) == 15  # typed with a Japanese input method
    assert refusal(read_number, "abc", 0, 100).key == "input.number"
    assert refusal(read_number, "101", 0, 100).params == {
        "value": "101",
        "minimum": "0",
        "maximum": "100",
    }
    assert refusal(read_number, "nan", 0, 100).key == "input.number_range"
    error = refusal(lambda: read_number("1.5", 1, 31, whole=True))
    assert error.key == "input.whole_range"


def test_lists_of_numbers() -> None:
    assert read_numbers("50,20,10", 1, 99, whole=True, most=10) == [50, 20, 10]
    assert read_numbers("[50, 20]", 1, 99, whole=True, most=10) == [50, 20]
    assert read_numbers("", 1, 99, whole=True, most=10) == []
    error = refusal(lambda: read_numbers("1,2,3", 1, 99, most=2))
    assert (error.key, error.params["most"]) == ("input.too_many", 2)
    assert refusal(lambda: read_numbers("50,x", 1, 99, most=2)).key == "input.number"


def test_choices() -> None:
    assert read_choice(" Plus ", ("free", "plus")) == "plus"
    error = refusal(read_choice, "platinum", ("free", "plus"))
    assert (error.key, error.params["choices"]) == ("input.choice", "free, plus")


@pytest.mark.parametrize("text", ["9:00", "09:00", "９：００", " 9:00 "])
def test_a_reset_time_in_local_time_is_kept_in_utc(text: str) -> None:
    assert read_reset_time(text, NOW, TOKYO) == "00:00"
    assert read_reset_time(text, NOW, NEW_YORK) == "14:00"  # EST in November


@pytest.mark.parametrize(
    ("text", "utc"), [("00:00 UTC", "00:00"), ("0:00Z", "00:00"), ("9:30+09:00", "00:30")]
)
def test_a_reset_time_may_name_its_zone(text: str, utc: str) -> None:
    assert read_reset_time(text, NOW, NEW_YORK) == utc


@pytest.mark.parametrize("text", ["25:00", "9", "9:60", "9:00:00", "noon", "", "9:00+25:00"])
def test_not_a_reset_time(text: str) -> None:
    assert refusal(read_reset_time, text, NOW, TOKYO).key == "input.reset_time"


def test_the_system_zone_is_read_when_none_is_given(system_zone: None) -> None:
    assert read_reset_time("9:00", NOW, None) == "00:00"
    shown = show_reset_time("00:00", NOW, None)
    assert f"{shown:%H:%M}" == "09:00" and zone_label(shown) == "JST, UTC+09:00"
    assert read_instant("2026-11-24 09:30", NOW, None) == datetime(2026, 11, 24, 0, 30, tzinfo=UTC)


def test_zone_labels() -> None:
    assert zone_label(NOW) == "UTC"
    assert zone_label(NOW.astimezone(NEW_YORK)) == "EST, UTC-05:00"
    assert zone_label(NOW.astimezone(timezone(timedelta(hours=5, minutes=30)))) == "UTC+05:30"


fixed_zones = st.integers(min_value=-12 * 4, max_value=14 * 4).map(
    lambda quarters: timezone(timedelta(minutes=15 * quarters))
)
instants = st.datetimes(
    min_value=datetime(2021, 1, 1), max_value=datetime(2099, 1, 1), timezones=st.just(UTC)
)
clocks = st.tuples(st.integers(0, 23), st.integers(0, 59)).map(lambda hm: f"{hm[0]}:{hm[1]:02d}")


@given(clock=clocks, now=instants, zone=fixed_zones)
def test_a_reset_time_entered_in_local_time_reads_the_same_when_shown(
    clock: str, now: datetime, zone: tzinfo
) -> None:
    utc = read_reset_time(clock, now, zone)
    shown = show_reset_time(utc, now, zone)
    assert f"{shown:%H:%M}" == f"{int(clock.split(':')[0]):02d}:{clock.split(':')[1]}"
    assert read_reset_time(f"{shown:%H:%M}", now, zone) == utc


@given(
    clock=clocks,
    now=instants,
    zone=st.sampled_from(
        [TOKYO, NEW_YORK, ZoneInfo("Europe/London"), ZoneInfo("Australia/Lord_Howe")]
    ),
)
def test_the_round_trip_holds_in_zones_with_daylight_saving_away_from_the_changes(
    clock: str, now: datetime, zone: tzinfo
) -> None:
    day = now.astimezone(zone).date()
    midnight = datetime(day.year, day.month, day.day, tzinfo=zone)
    assume(midnight.utcoffset() == (midnight + timedelta(days=1)).utcoffset())
    shown = show_reset_time(read_reset_time(clock, now, zone), now, zone)
    assert f"{shown:%H:%M}" == f"{int(clock.split(':')[0]):02d}:{clock.split(':')[1]}"


@given(utc=clocks.map(lambda c: f"{int(c.split(':')[0]):02d}:{c.split(':')[1]}"), now=instants)
def test_a_stored_utc_reset_time_shows_on_todays_local_date(utc: str, now: datetime) -> None:
    shown = show_reset_time(utc, now, TOKYO)
    assert shown.date() == now.astimezone(TOKYO).date()
    assert f"{shown.astimezone(UTC):%H:%M}" == utc


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-11-24 09:30", datetime(2026, 11, 24, 0, 30, tzinfo=UTC)),  # local: Tokyo
        ("2026-11-24T09:30", datetime(2026, 11, 24, 0, 30, tzinfo=UTC)),
        ("2026/11/24 9:30", datetime(2026, 11, 24, 0, 30, tzinfo=UTC)),
        ("２０２６－１１－２４　９：３０", datetime(2026, 11, 24, 0, 30, tzinfo=UTC)),
        ("2026-11-24T09:30:00+09:00", datetime(2026, 11, 24, 0, 30, tzinfo=UTC)),
        ("2026-11-24T01:30:15.5Z", datetime(2026, 11, 24, 1, 30, 15, 500_000, tzinfo=UTC)),
        ("2026-11-24 02:00 UTC", datetime(2026, 11, 24, 2, 0, tzinfo=UTC)),
        ("9:30", datetime(2026, 11, 24, 0, 30, tzinfo=UTC)),  # today, in Tokyo
        ("now", NOW),
    ],
)
def test_instants(text: str, expected: datetime) -> None:
    assert read_instant(text, NOW, TOKYO) == expected


@pytest.mark.parametrize(
    "text", ["yesterday", "2026-11-24", "2026-13-01 09:00", "2026-11-24 24:00", "", "9:30 JST"]
)
def test_not_an_instant(text: str) -> None:
    assert refusal(read_instant, text, NOW, TOKYO).key == "input.instant"


def test_a_future_instant_is_refused_with_when_it_is_and_when_now_is() -> None:
    error = refusal(read_instant, "22:00", NOW, TOKYO)  # 21:00 in Tokyo now
    assert error.key == "input.instant_future"
    assert error.params == {"value": "22:00", "when": "2026-11-24 22:00", "now": "2026-11-24 21:00"}
    assert read_instant("21:00", NOW, TOKYO) == NOW  # now itself is not the future


def test_an_instant_before_2020_is_refused() -> None:
    error = refusal(read_instant, "2019-12-31 23:00 UTC", NOW, TOKYO)
    assert (error.key, error.params["year"]) == ("input.instant_too_old", 2020)


@given(moment=instants, zone=fixed_zones)
def test_a_local_time_as_shown_reads_back_as_the_same_instant(
    moment: datetime, zone: tzinfo
) -> None:
    moment = moment.replace(microsecond=0)
    written = f"{moment.astimezone(zone):%Y-%m-%d %H:%M:%S}"
    assert read_instant(written, moment + timedelta(days=1), zone) == moment
