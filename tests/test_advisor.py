"""Preflight advice: each level rule, its reasons, tips, alternatives, in both languages."""

from __future__ import annotations

import json
import time
from datetime import datetime, timedelta
from functools import partial
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from native_host.advisor import SHORT_PROMPT_CHARS, advise
from native_host.config import AccountConfig, GlobalConfig
from native_host.ledger.costs import CostEstimate, EstimateSource
from native_host.ledger.tally import Tally, Window
from native_host.messages import HEAVY_OPERATIONS, OPERATIONS, Alternative
from tests.factories import MIDNIGHT, NOW, make_tally

JAPANESE_CHARS = ("ク", "リ", "の", "す")


_tally = partial(make_tally, remaining=80.0, operation="chat")


def run(
    operation: str = "chat",
    *,
    cost: float = 1.0,
    source: EstimateSource = "default",
    samples: int = 0,
    tally: Tally | None = None,
    prompt_chars: int | None = None,
    reserve: float = 20.0,
    global_config: GlobalConfig | None = None,
    language: str = "en",
    now: datetime = NOW,
) -> dict[str, Any]:
    return advise(
        operation=operation,
        model=None,
        prompt_chars=prompt_chars,
        tally=tally if tally is not None else _tally(),
        estimate=CostEstimate(credits=cost, source=source, samples=samples),
        account_config=AccountConfig(reserve=reserve),
        global_config=global_config or GlobalConfig(),
        language=language,
        now=now,
    )


def ids(items: list[dict[str, str]]) -> list[str]:
    return [item["id"] for item in items]


def five_hour_window(
    balance: float = 0.0, reset_in: timedelta | None = timedelta(hours=2)
) -> Window:
    return Window(
        name="5h",
        balance=balance,
        at=NOW - timedelta(minutes=5),
        reset_at=NOW + reset_in if reset_in is not None else None,
    )


# --- ok ---------------------------------------------------------------------------------


def test_light_operation_with_plenty_left_is_ok() -> None:
    reply = run("chat", cost=2, source="learned", samples=7, tally=_tally(remaining=80))
    assert reply == {
        "level": "ok",
        "estimated_cost": 2,
        "estimate_source": "learned",
        "estimate_samples": 7,
        "remaining": 80,
        "remaining_after": 78,
        "reset_at": "2026-03-02T00:00:00.000Z",
        "reasons": [],
        "tips": [],
        "alternatives": [],
        "message": "This AI chat costs about 2 credits; you will have 78 credits left.",
    }


def test_free_operation_says_so() -> None:
    reply = run("chat", cost=0, source="plan", tally=_tally(remaining=3))
    assert reply["level"] == "ok"
    assert reply["reasons"] == [] and reply["alternatives"] == []
    assert reply["message"] == "This AI chat uses no credits on your plan."
    assert run("chat", cost=0, source="plan", language="ja")["message"] == (
        "ご利用のプランでは、このAIチャットにクレジットはかかりません。"
    )


def test_reply_is_plain_json() -> None:
    reply = run("video", cost=500, tally=_tally(remaining=10), prompt_chars=3)
    assert json.loads(json.dumps(reply)) == reply


# --- stop -------------------------------------------------------------------------------


def test_stop_when_the_estimate_exceeds_what_remains() -> None:
    reply = run("video", cost=50, tally=_tally(remaining=30))
    assert reply["level"] == "stop"
    assert ids(reply["reasons"]) == ["exceeds_remaining"]
    assert reply["remaining_after"] == -20
    assert reply["reasons"][0]["text"] == (
        "This video generation is estimated at 50 credits, but you have 30 credits left."
    )
    assert reply["message"] == (
        "Not enough credits: this video generation needs about 50 credits and you have"
        " 30 credits left; credits reset in 3 h 20 min (00:00 UTC)."
    )


def test_stop_in_japanese() -> None:
    reply = run("video", cost=50, tally=_tally(remaining=30), language="ja")
    assert reply["reasons"][0]["text"] == (
        "この動画生成には約50クレジットが必要ですが、残りは30クレジットです。"
    )
    assert reply["message"] == (
        "クレジットが足りません。この動画生成には約50クレジットが必要ですが、"
        "残りは30クレジットです。リセットは3時間20分後（00:00 UTC）です。"
    )


def test_spending_exactly_what_remains_is_not_a_stop() -> None:
    reply = run("chat", cost=30, tally=_tally(remaining=30), reserve=0)
    assert reply["level"] == "ok"
    assert reply["remaining_after"] == 0


def test_stop_does_not_bury_itself_under_warnings() -> None:
    reply = run("image", cost=50, tally=_tally(remaining=10))
    assert reply["level"] == "stop"
    assert ids(reply["reasons"]) == ["exceeds_remaining"]


def test_overdrawn_tally_shows_zero_left_not_a_negative() -> None:
    reply = run("chat", cost=1, tally=_tally(remaining=-4))
    assert reply["level"] == "stop"
    assert reply["remaining"] == -4
    assert "you have 0 credits left" in reply["reasons"][0]["text"]


def test_stop_offers_the_configured_alternatives() -> None:
    config = GlobalConfig(alternatives=(Alternative(name="Felo", url="https://felo.ai/"),))
    reply = run("video", cost=50, tally=_tally(remaining=30), global_config=config)
    assert reply["alternatives"] == [{"name": "Felo", "url": "https://felo.ai/"}]
    assert run("video", cost=50, tally=_tally(remaining=30))["alternatives"] == [
        {"name": "Perplexity", "url": "https://www.perplexity.ai/"},
        {"name": "Felo", "url": "https://felo.ai/"},
    ]
    empty = GlobalConfig(alternatives=())
    assert (
        run("video", cost=50, tally=_tally(remaining=30), global_config=empty)["alternatives"] == []
    )


# --- the 5-hour image window -------------------------------------------------------------


def test_used_up_image_window_stops_images() -> None:
    tally = _tally(remaining=80, windows={"5h": five_hour_window()})
    reply = run("image", cost=10, tally=tally)
    assert reply["level"] == "stop"
    assert ids(reply["reasons"]) == ["window_exhausted"]
    assert reply["reasons"][0]["text"] == (
        "The 5-hour image generation limit has been reached; it resets in 2 h (22:40 UTC)."
    )
    assert reply["message"] == (
        "The 5-hour image generation limit has been reached; it resets in 2 h (22:40 UTC)."
    )
    assert reply["alternatives"]
    assert reply["reset_at"] == "2026-03-02T00:00:00.000Z"  # the credits' reset, unchanged
    japanese = run("image", cost=10, tally=tally, language="ja")
    assert japanese["reasons"][0]["text"] == (
        "画像生成の5時間制限に達しました。2時間後（22:40 UTC）にリセットされます。"
    )
    assert japanese["message"] == (
        "画像生成の5時間制限に達しています。リセットは2時間後（22:40 UTC）です。"
    )


@pytest.mark.parametrize(
    "window",
    [
        five_hour_window(balance=3),
        five_hour_window(reset_in=-timedelta(minutes=1)),
        five_hour_window(reset_in=timedelta(0)),
        five_hour_window(reset_in=None),
    ],
    ids=["balance left", "reset passed", "resets now", "reset unknown"],
)
def test_image_window_that_does_not_bind(window: Window) -> None:
    reply = run("image", cost=10, tally=_tally(remaining=80, windows={"5h": window}))
    assert reply["level"] == "warn"
    assert "window_exhausted" not in ids(reply["reasons"])


@pytest.mark.parametrize("operation", ["video", "chat", "analysis"])
def test_image_window_does_not_stop_other_operations(operation: str) -> None:
    tally = _tally(remaining=80, windows={"5h": five_hour_window()})
    assert run(operation, cost=1, tally=tally)["level"] != "stop"


def test_the_window_that_lifts_last_is_reported() -> None:
    week = Window(name="7d", balance=0, at=NOW, reset_at=NOW + timedelta(days=2))
    tally = _tally(windows={"5h": five_hour_window(), "7d": week})
    reply = run("image", cost=10, tally=tally)
    assert "7-day" in reply["reasons"][0]["text"]
    assert "2026-03-03 20:40 UTC" in reply["message"]


def test_day_and_month_windows_are_not_side_windows() -> None:
    day = Window(name="day", balance=0, at=NOW, reset_at=MIDNIGHT)
    reply = run("image", cost=10, tally=_tally(remaining=80, windows={"day": day}))
    assert reply["level"] == "warn"


def test_credits_and_window_both_short() -> None:
    tally = _tally(remaining=5, windows={"5h": five_hour_window()})
    reply = run("image", cost=10, tally=tally)
    assert ids(reply["reasons"]) == ["exceeds_remaining", "window_exhausted"]
    assert reply["message"].startswith("Not enough credits")


# --- warn -------------------------------------------------------------------------------


@pytest.mark.parametrize("operation", sorted(HEAVY_OPERATIONS))
def test_heavy_operations_warn(operation: str) -> None:
    reply = run(operation, cost=10, tally=_tally(remaining=80))
    assert reply["level"] == "warn"
    assert ids(reply["reasons"]) == ["heavy"]
    assert reply["alternatives"] == []


@pytest.mark.parametrize("operation", sorted(set(OPERATIONS) - HEAVY_OPERATIONS))
def test_light_operations_do_not_warn(operation: str) -> None:
    assert run(operation, cost=10, tally=_tally(remaining=80))["level"] == "ok"


def test_heavy_warning_texts() -> None:
    reply = run("image", cost=10, tally=_tally(remaining=80))
    assert (
        reply["reasons"][0]["text"]
        == "This image generation is a heavy operation: about 10 credits."
    )
    assert reply["message"] == "This image generation will use about 10 credits of your 80 credits."
    japanese = run("image", cost=10, tally=_tally(remaining=80), language="ja")
    assert (
        japanese["reasons"][0]["text"]
        == "画像生成はクレジットを多く消費する操作です（約10クレジット）。"
    )
    assert japanese["message"] == "この画像生成は残り80クレジットのうち約10クレジットを消費します。"


def test_confirm_before_heavy_off_silences_only_the_heavy_warning() -> None:
    quiet = GlobalConfig(confirm_before_heavy=False)
    assert run("video", cost=10, tally=_tally(remaining=80), global_config=quiet)["level"] == "ok"
    low = run("video", cost=10, tally=_tally(remaining=25), global_config=quiet)
    assert low["level"] == "warn" and ids(low["reasons"]) == ["below_reserve"]
    stop = run("video", cost=50, tally=_tally(remaining=25), global_config=quiet)
    assert stop["level"] == "stop"


def test_free_heavy_operation_does_not_warn() -> None:
    assert run("image", cost=0, source="plan")["level"] == "ok"


@pytest.mark.parametrize(
    ("remaining", "cost", "level"),
    [(30, 10, "ok"), (30, 10.5, "warn"), (21, 1, "ok"), (20.5, 1, "warn"), (20, 0, "ok")],
)
def test_reserve_boundary(remaining: float, cost: float, level: str) -> None:
    # Reserve 20 % of 100 = 20 credits: warn only when strictly under it afterwards.
    assert run("chat", cost=cost, tally=_tally(remaining=remaining))["level"] == level


def test_reserve_scales_with_the_allowance() -> None:
    tally = _tally(remaining=1500, allowance=10_000)  # reserve 2,000
    reply = run("chat", cost=1, tally=tally)
    assert reply["level"] == "warn"
    assert reply["reasons"][0]["text"] == (
        "Afterwards you would have about 1,499 credits left, below your reserve of"
        " 2,000 credits (20% of 10,000 credits)."
    )
    assert reply["message"] == (
        "This AI chat would leave you about 1,499 credits, below your reserve of 2,000 credits."
    )
    japanese = run("chat", cost=1, tally=tally, language="ja")
    assert japanese["reasons"][0]["text"] == (
        "実行後の残りは約1,499クレジットとなり、予備として残す2,000クレジット"
        "（10,000クレジットの20%）を下回ります。"
    )


def test_zero_reserve_never_warns_about_the_reserve() -> None:
    assert run("chat", cost=1, tally=_tally(remaining=1), reserve=0)["level"] == "ok"


def test_low_remaining_offers_alternatives_and_both_warnings() -> None:
    reply = run("image", cost=10, tally=_tally(remaining=25))
    assert reply["level"] == "warn"
    assert ids(reply["reasons"]) == ["heavy", "below_reserve"]
    assert reply["message"].startswith("This image generation would leave you about 15 credits")
    assert [alt["name"] for alt in reply["alternatives"]] == ["Perplexity", "Felo"]


# --- tips -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("operation", "prompt_chars", "tipped"),
    [
        ("image", 0, True),
        ("image", SHORT_PROMPT_CHARS - 1, True),
        ("image", SHORT_PROMPT_CHARS, False),
        ("image", None, False),
        ("video", 12, True),
        ("analysis", 5, True),
        ("chat", 5, False),
        ("slides", 5, False),
    ],
)
def test_short_prompt_tip(operation: str, prompt_chars: int | None, tipped: bool) -> None:
    reply = run(operation, cost=10, prompt_chars=prompt_chars)
    assert ids(reply["tips"]) == (["specific_prompt"] if tipped else [])


def test_short_prompt_tip_texts() -> None:
    english = run("image", cost=10, prompt_chars=8)["tips"][0]["text"]
    japanese = run("image", cost=10, prompt_chars=8, language="ja")["tips"][0]["text"]
    assert "regenerations" in english
    assert "具体的" in japanese and "クレジット" in japanese


def test_short_prompt_tip_survives_a_stop() -> None:
    reply = run("video", cost=50, tally=_tally(remaining=5), prompt_chars=4)
    assert reply["level"] == "stop" and ids(reply["tips"]) == ["specific_prompt"]


# --- languages and odd input -------------------------------------------------------------


@pytest.mark.parametrize("language", ["ja", "ja-JP"])
def test_japanese_everywhere(language: str) -> None:
    reply = run("image", cost=10, tally=_tally(remaining=25), prompt_chars=3, language=language)
    for text in [reply["message"], *(r["text"] for r in reply["reasons"] + reply["tips"])]:
        assert any(char in text for char in JAPANESE_CHARS), text


@pytest.mark.parametrize("language", ["fr", "auto", ""])
def test_unknown_language_is_english(language: str) -> None:
    assert run(language=language)["message"] == run()["message"]


def test_unknown_operation_reads_as_an_operation() -> None:
    reply = run("teleport", cost=2)
    assert reply["level"] == "ok"
    assert (
        reply["message"] == "This operation costs about 2 credits; you will have 78 credits left."
    )


def test_fractional_costs_are_rounded_for_people_only() -> None:
    reply = run("chat", cost=1.25, tally=_tally(remaining=80))
    assert reply["estimated_cost"] == 1.25
    assert reply["remaining_after"] == 78.75
    assert reply["message"].startswith("This AI chat costs about 1.2 credits;")


@given(
    operation=st.sampled_from([*OPERATIONS, "unknown"]),
    cost=st.floats(min_value=0, max_value=1_000_000),
    remaining=st.floats(min_value=-1_000, max_value=1_000_000_000),
    allowance=st.floats(min_value=0, max_value=1_000_000_000),
    reserve=st.floats(min_value=0, max_value=100),
    prompt_chars=st.none() | st.integers(min_value=0, max_value=10_000_000),
    window_balance=st.none() | st.floats(min_value=0, max_value=10),
    confirm=st.booleans(),
    language=st.sampled_from(["en", "ja", "xx"]),
)
def test_levels_follow_the_rules(
    operation: str,
    cost: float,
    remaining: float,
    allowance: float,
    reserve: float,
    prompt_chars: int | None,
    window_balance: float | None,
    confirm: bool,
    language: str,
) -> None:
    windows = {} if window_balance is None else {"5h": five_hour_window(balance=window_balance)}
    reply = run(
        operation,
        cost=cost,
        tally=_tally(remaining=remaining, allowance=allowance, windows=windows),
        reserve=reserve,
        prompt_chars=prompt_chars,
        global_config=GlobalConfig(confirm_before_heavy=confirm),
        language=language,
    )
    window_binds = operation == "image" and window_balance is not None and window_balance <= 0
    low = cost > 0 and remaining - cost < reserve * allowance / 100
    heavy = confirm and cost > 0 and operation in HEAVY_OPERATIONS
    if cost > remaining or window_binds:
        assert reply["level"] == "stop"
    elif low or heavy:
        assert reply["level"] == "warn"
    else:
        assert reply["level"] == "ok"
    assert (reply["level"] == "ok") == (reply["reasons"] == [])
    assert len(set(ids(reply["reasons"]))) == len(reply["reasons"])
    assert bool(reply["alternatives"]) == (reply["level"] == "stop" or low)
    assert reply["message"]
    assert "{" not in reply["message"]
    json.dumps(reply)


# --- speed and purity ---------------------------------------------------------------------


def test_advise_is_fast() -> None:
    tally = _tally(remaining=25, windows={"5h": five_hour_window()})
    config, account = GlobalConfig(), AccountConfig()
    estimate = CostEstimate(credits=10, source="learned", samples=3)
    rounds = 2_000
    start = time.perf_counter()
    for _ in range(rounds):
        advise(
            operation="image",
            model="flux",
            prompt_chars=12,
            tally=tally,
            estimate=estimate,
            account_config=account,
            global_config=config,
            language="ja",
            now=NOW,
        )
    per_call = (time.perf_counter() - start) / rounds
    assert per_call < 200e-6  # typically ~10 µs; generous for slow CI machines
