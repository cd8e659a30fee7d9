"""The catalogs agree with each other, and numbers, durations and instants read right."""

from __future__ import annotations

import re
import string
from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from native_host import i18n
from native_host.i18n import (
    CATALOGS,
    EN,
    JA,
    credits,
    duration,
    format_reset,
    number,
    plain_number,
    text,
)

NOW = datetime(2026, 3, 1, 20, 40, tzinfo=UTC)
JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
# Keys whose Japanese text may legitimately carry no Japanese characters.
LANGUAGE_NEUTRAL = {"sentence_separator", "time.clock"}


def placeholders(template: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(template) if field is not None}


def test_both_catalogs_have_the_same_keys() -> None:
    assert set(EN) == set(JA)
    assert set(CATALOGS) == {"en", "ja"}


@pytest.mark.parametrize("key", sorted(EN))
def test_placeholders_match_between_languages(key: str) -> None:
    assert placeholders(EN[key]) == placeholders(JA[key]), key


@pytest.mark.parametrize("key", sorted(EN))
def test_every_template_formats_with_its_own_placeholders(key: str) -> None:
    for language in CATALOGS:
        params = dict.fromkeys(placeholders(CATALOGS[language][key]), "X")
        rendered = text(language, key, **params)
        assert "{" not in rendered and "}" not in rendered


@pytest.mark.parametrize("key", sorted(set(EN) - LANGUAGE_NEUTRAL))
def test_japanese_texts_are_japanese_and_english_texts_are_not(key: str) -> None:
    assert JAPANESE.search(JA[key]), key
    assert not JAPANESE.search(EN[key]), key


# Keys whose Japanese may read exactly as the English: numbers, names and clock formats.
SAME_IN_BOTH = {"time.clock"}


@pytest.mark.parametrize("key", sorted(set(EN) - SAME_IN_BOTH))
def test_no_japanese_text_is_a_copy_of_the_english(key: str) -> None:
    assert JA[key] != EN[key], key


def test_texts_are_not_empty_and_have_no_stray_whitespace() -> None:
    for language, words in CATALOGS.items():
        for key, value in words.items():
            if key == "sentence_separator":
                continue
            assert value and value == value.strip(), (language, key)
            assert "  " not in value, (language, key)


def test_japanese_uses_the_agreed_vocabulary() -> None:
    joined = "".join(JA.values())
    for word in ("クレジット", "リセット", "再読み込み"):
        assert word in joined


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "AI chat"),
        ("ja", "AIチャット"),
        ("ja-JP", "AIチャット"),
        ("ja_JP", "AIチャット"),
        ("JA", "AIチャット"),
        ("en-GB", "AI chat"),
        ("fr", "AI chat"),
        ("", "AI chat"),
        ("auto", "AI chat"),
        ("-", "AI chat"),
    ],
)
def test_unknown_languages_fall_back_to_english(language: str, expected: str) -> None:
    assert text(language, "op.chat") == expected


def test_text_fills_parameters() -> None:
    assert text("en", "time.hours_minutes", h=3, m=20) == "3 h 20 min"
    assert text("ja", "time.hours_minutes", h=3, m=20) == "3時間20分"


def test_parameter_values_are_not_reinterpreted() -> None:
    assert text("en", "time.clock", time="{m} {0}") == "{m} {0} UTC"


def test_unknown_key_and_missing_parameter_are_programming_errors() -> None:
    with pytest.raises(KeyError):
        text("en", "no.such.key")
    with pytest.raises(KeyError):
        text("ja", "time.minutes")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (0, "0"),
        (1, "1"),
        (1.0, "1"),
        (2.5, "2.5"),
        (2.46, "2.5"),
        (0.04, "0"),
        (-0.04, "0"),
        (-3, "-3"),
        (10_000, "10,000"),
        (1234.56, "1,234.6"),
        (float("inf"), "inf"),
    ],
)
def test_number(value: float, expected: str) -> None:
    assert number(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [(20.0, "20"), (0.0, "0"), (10_000.0, "10000"), (12.35, "12.35"), (-3.0, "-3")],
)
def test_plain_number_drops_only_a_zero_fraction(value: float, expected: str) -> None:
    assert plain_number(value) == expected


def test_credits_agree_in_number() -> None:
    assert credits("en", 1) == "1 credit"
    assert credits("en", 1.04) == "1 credit"
    assert credits("en", 0) == "0 credits"
    assert credits("en", 2.5) == "2.5 credits"
    assert credits("ja", 1) == "1クレジット"
    assert credits("ja", 10_000) == "10,000クレジット"


@pytest.mark.parametrize(
    ("seconds", "en", "ja"),
    [
        (-5, "0 s", "0秒"),
        (0, "0 s", "0秒"),
        (45, "45 s", "45秒"),
        (59.5, "1 min", "1分"),
        (60, "1 min", "1分"),
        (61, "2 min", "2分"),
        (600, "10 min", "10分"),
        (3600, "1 h", "1時間"),
        (3 * 3600 + 20 * 60, "3 h 20 min", "3時間20分"),
        (3 * 3600 + 19 * 60 + 1, "3 h 20 min", "3時間20分"),
        (86_400, "1 d", "1日"),
        (86_400 + 2 * 3600, "1 d 2 h", "1日2時間"),
        (30 * 86_400, "30 d", "30日"),
    ],
)
def test_duration(seconds: float, en: str, ja: str) -> None:
    assert duration("en", seconds) == en
    assert duration("ja", seconds) == ja


def test_format_reset_relative_and_utc_clock() -> None:
    reset = NOW + timedelta(hours=3, minutes=20)  # next 00:00 UTC
    assert format_reset("en", reset, NOW) == "in 3 h 20 min (00:00 UTC)"
    assert format_reset("ja", reset, NOW) == "3時間20分後（00:00 UTC）"


def test_format_reset_shows_utc_whatever_the_zone_given() -> None:
    jst = timezone(timedelta(hours=9))
    reset = datetime(2026, 3, 2, 9, 0, tzinfo=jst)  # 00:00 UTC
    assert format_reset("en", reset, NOW) == "in 3 h 20 min (00:00 UTC)"


def test_format_reset_adds_the_date_a_day_or_more_ahead() -> None:
    reset = datetime(2026, 3, 15, 0, 0, tzinfo=UTC)
    assert format_reset("en", reset, NOW) == "in 13 d 4 h (2026-03-15 00:00 UTC)"
    assert format_reset("ja", reset, NOW) == "13日4時間後（2026-03-15 00:00 UTC）"


@pytest.mark.parametrize("offset", [timedelta(0), timedelta(seconds=30), -timedelta(hours=2)])
def test_format_reset_imminent_or_past(offset: timedelta) -> None:
    reset = NOW + offset
    clock = f"{reset.hour:02d}:{reset.minute:02d} UTC"
    assert format_reset("en", reset, NOW) == f"within a minute ({clock})"
    assert format_reset("ja", reset, NOW) == f"1分以内（{clock}）"


@given(seconds=st.floats(min_value=-1e9, max_value=1e9, allow_nan=False))
def test_duration_never_fails_and_never_reads_zero_minutes(seconds: float) -> None:
    for language in CATALOGS:
        shown = duration(language, seconds)
        assert shown
        assert not shown.startswith(("0 min", "0分"))


@given(
    reset=st.datetimes(
        min_value=datetime(2020, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC)
    ),
    now=st.datetimes(
        min_value=datetime(2020, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC)
    ),
)
def test_format_reset_always_names_the_utc_clock(reset: datetime, now: datetime) -> None:
    for language in CATALOGS:
        assert f"{reset.hour:02d}:{reset.minute:02d} UTC" in format_reset(language, reset, now)


def test_languages_constant_lists_the_catalogs() -> None:
    assert i18n.LANGUAGES == ("en", "ja")
