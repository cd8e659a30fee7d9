"""Diagnosis: each rule, the step order, both languages, and odd or hostile signals."""

from __future__ import annotations

import dataclasses
import re
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from native_host.diagnosis import (
    BURST_REQUESTS,
    DEFAULT_STEPS,
    STEP_ORDER,
    MachineFacts,
    diagnose,
)
from native_host.i18n import CATALOGS
from native_host.ledger.tally import Tally, Window
from native_host.messages import TEXT_KINDS, Signals
from tests.factories import NOW, PROTOCOL_STEP_IDS, make_tally

JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
NO_MACHINE = MachineFacts()


_tally = partial(make_tally, remaining=60.0)


def run(
    signals: Signals | None = None,
    *,
    tally: Tally | None = None,
    machine: MachineFacts = NO_MACHINE,
    language: str = "en",
    **kwargs: Any,
) -> list[dict[str, str]]:
    return diagnose(
        signals or Signals(), tally=tally, machine=machine, language=language, now=NOW, **kwargs
    )


def ids(steps: list[dict[str, str]]) -> list[str]:
    return [step["id"] for step in steps]


def step(steps: list[dict[str, str]], step_id: str) -> dict[str, str]:
    return next(s for s in steps if s["id"] == step_id)


# --- the tables -----------------------------------------------------------------------------


def test_step_order_covers_exactly_the_protocol_ids() -> None:
    assert set(STEP_ORDER) == PROTOCOL_STEP_IDS
    assert len(STEP_ORDER) == len(PROTOCOL_STEP_IDS)


def test_cheap_steps_come_before_disruptive_ones() -> None:
    position = STEP_ORDER.index
    assert position("wait_rate_limit") < position("reload") < position("clear_cache")
    assert position("clear_cache") < position("relogin") < position("resync")
    assert position("wait_reset") < position("use_alternative") < position("upgrade")


def test_every_step_has_texts_in_both_languages() -> None:
    for words in CATALOGS.values():
        for step_id in STEP_ORDER:
            assert any(key.startswith(f"diag.{step_id}.how") for key in words), step_id
        for step_id in DEFAULT_STEPS:
            assert f"diag.{step_id}.why.default" in words


# --- no signals -----------------------------------------------------------------------------


def test_no_signals_gives_the_default_list() -> None:
    steps = run()
    assert ids(steps) == ["reload", "check_status", "clear_cache", "relogin", "restart_app"]
    assert step(steps, "reload")["why"] == "Reloading fixes most temporary glitches."


def test_no_signals_in_japanese() -> None:
    steps = run(language="ja")
    assert step(steps, "reload") == {
        "id": "reload",
        "why": "一時的な不具合の多くは再読み込みで直ります。",
        "how": "Genspark のタブを再読み込み（F5、Mac では ⌘R）して、もう一度お試しください。",
    }


def test_signals_no_rule_knows_also_give_the_default_list() -> None:
    signals = Signals(http_status=[200, 304], site_status=[0, 7], error_texts=["Something odd"])
    assert ids(run(signals, tally=_tally())) == list(DEFAULT_STEPS)


def test_the_page_texts_themselves_are_not_read() -> None:
    """Only the extension's site rules know the site's texts: it sends their kinds."""
    signals = Signals(error_texts=["Too many requests", "クレジットを使い切りました", "not login"])
    assert ids(run(signals)) == list(DEFAULT_STEPS)


# --- signed out ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("signals", "evidence"),
    [
        (Signals(site_status=[-5]), "status -5"),
        (Signals(http_status=[401]), "HTTP 401"),
        (Signals(http_status=[403]), "HTTP 403"),
        (Signals(text_kinds=["signed_out"]), "a signed-out message on the page"),
        (Signals(site_status=[-5, -5], http_status=[401, 403]), "status -5, HTTP 401, HTTP 403"),
    ],
)
def test_signed_out_means_relogin(signals: Signals, evidence: str) -> None:
    steps = run(signals)
    assert ids(steps) == ["relogin"]
    assert step(steps, "relogin") == {
        "id": "relogin",
        "why": f"Genspark answered as if you were signed out ({evidence}).",
        "how": "Log out of Genspark, then log in again.",
    }


# --- rate limits -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "signals",
    [
        Signals(http_status=[429]),
        Signals(text_kinds=["rate_limit_cf1"]),
        Signals(text_kinds=["too_quickly"]),
        Signals(requests_last_minute=BURST_REQUESTS),
    ],
    ids=["429", "cf1", "too quickly", "burst"],
)
def test_bursts_wait_a_minute(signals: Signals) -> None:
    steps = run(signals)
    assert ids(steps) == ["wait_rate_limit"]
    assert step(steps, "wait_rate_limit")["how"] == (
        "Wait 1 min without sending anything, try once, then send requests more slowly."
    )


def test_cf2_waits_longer() -> None:
    steps = run(Signals(text_kinds=["rate_limit_cf2"], http_status=[429]))
    wait = step(steps, "wait_rate_limit")
    assert wait["how"].startswith("Wait 10 min ")
    assert "cf2" in wait["why"]
    assert step(run(Signals(text_kinds=["rate_limit_cf2"]), language="ja"), "wait_rate_limit")[
        "how"
    ].startswith("何も送信せずに10分待って")


def test_request_count_under_the_threshold_is_no_burst() -> None:
    assert "wait_rate_limit" not in ids(run(Signals(requests_last_minute=BURST_REQUESTS - 1)))


def test_burst_names_the_count() -> None:
    why = step(run(Signals(requests_last_minute=75, http_status=[429])), "wait_rate_limit")["why"]
    assert "75 requests in the last minute" in why
    assert why.startswith("Genspark is rate-limiting this browser")


def test_rate_limit_comes_before_everything_that_sends_requests() -> None:
    signals = Signals(http_status=[429, 503], exhausted_text_seen=True, site_status=[-5])
    steps = run(signals, tally=_tally(remaining=60))
    assert ids(steps)[0] == "wait_rate_limit"


# --- outages and Cloudflare ----------------------------------------------------------------------


def test_server_errors_point_to_the_status_page() -> None:
    steps = run(Signals(http_status=[503, 500, 503]))
    assert ids(steps) == ["check_status"]
    assert step(steps, "check_status")["why"] == (
        "Genspark answered with a server error (HTTP 500, 503)."
    )
    assert "status page" in step(steps, "check_status")["how"]


@pytest.mark.parametrize("kind", ["overloaded", "unavailable", "challenge"])
def test_site_trouble_texts(kind: str) -> None:
    assert ids(run(Signals(text_kinds=[kind]))) == ["check_status"]


def test_cloudflare_challenge_says_to_answer_it_in_the_tab() -> None:
    how = step(run(Signals(text_kinds=["challenge"])), "check_status")["how"]
    assert how.startswith("If the tab asks you to confirm you are human")
    assert "status page" in how


# --- exhausted, or only looking exhausted ------------------------------------------------------


@pytest.mark.parametrize(
    "signals",
    [Signals(text_kinds=["exhausted"]), Signals(exhausted_text_seen=True)],
    ids=["text", "flag"],
)
def test_page_says_exhausted_but_the_tally_has_credits(signals: Signals) -> None:
    steps = run(signals, tally=_tally(remaining=60))
    assert ids(steps) == ["reload", "clear_cache", "relogin", "resync"]
    assert step(steps, "reload")["why"] == (
        "The page says your credits are used up, but 60 credits should be left:"
        " the page may be showing an old state."
    )


def test_exhausted_flag_with_tally_credits_in_japanese() -> None:
    steps = run(Signals(exhausted_text_seen=True), tally=_tally(remaining=60), language="ja")
    assert step(steps, "reload")["why"].startswith(
        "ページにはクレジットを使い切ったと表示されていますが、まだ60クレジット残っているはずです。"
    )


def test_page_says_exhausted_but_shows_a_balance() -> None:
    steps = run(Signals(exhausted_text_seen=True, page_balance=40), tally=_tally(remaining=0))
    assert ids(steps) == ["reload", "clear_cache", "relogin"]
    assert "40 credits should be left" in step(steps, "reload")["why"]


def test_truly_exhausted_by_the_tally() -> None:
    steps = run(Signals(), tally=_tally(remaining=0))
    assert ids(steps) == ["wait_reset", "use_alternative", "upgrade"]
    assert step(steps, "wait_reset") == {
        "id": "wait_reset",
        "why": "The tally shows 0 credits left, less than the cheapest operation costs.",
        "how": "Your credits reset in 3 h 20 min (00:00 UTC).",
    }
    japanese = run(Signals(), tally=_tally(remaining=0), language="ja")
    assert step(japanese, "wait_reset")["how"] == (
        "クレジットは3時間20分後（00:00 UTC）にリセットされます。"
    )


def test_truly_exhausted_with_the_page_agreeing() -> None:
    signals = Signals(exhausted_text_seen=True, page_balance=0)
    steps = run(signals, tally=_tally(remaining=0.5))
    assert ids(steps) == ["wait_reset", "use_alternative", "upgrade"]
    assert step(steps, "wait_reset")["why"] == "Genspark shows a balance of 0 credits."


def test_page_balance_zero_while_the_tally_has_credits_needs_a_resync() -> None:
    steps = run(Signals(page_balance=0), tally=_tally(remaining=60))
    assert ids(steps) == ["resync", "wait_reset", "use_alternative", "upgrade"]
    assert "60 credits" in step(steps, "resync")["why"]


def test_page_balance_wins_over_an_empty_tally() -> None:
    steps = run(Signals(page_balance=50), tally=_tally(remaining=0))
    assert ids(steps) == list(DEFAULT_STEPS)


def test_page_says_exhausted_without_a_tally() -> None:
    steps = run(Signals(exhausted_text_seen=True))
    assert ids(steps) == ["wait_reset", "use_alternative", "upgrade"]
    assert step(steps, "wait_reset")["how"] == (
        "Free credits reset once a day, usually at 00:00 UTC (09:00 in Japan)."
    )
    assert (
        "日本時間 9:00"
        in step(run(Signals(exhausted_text_seen=True), language="ja"), "wait_reset")["how"]
    )


def test_reset_already_past_is_not_promised() -> None:
    stale = dataclasses.replace(_tally(remaining=0), period_end=NOW - timedelta(minutes=1))
    steps = run(Signals(), tally=stale)
    assert step(steps, "wait_reset")["how"].startswith("Free credits reset once a day")


@pytest.mark.parametrize(
    ("remaining", "cheapest", "exhausted"), [(0.5, 1.0, True), (0.5, 0.1, False), (1.0, 1.0, False)]
)
def test_cheapest_cost_sets_the_exhaustion_line(
    remaining: float, cheapest: float, exhausted: bool
) -> None:
    steps = run(Signals(), tally=_tally(remaining=remaining), cheapest_cost=cheapest)
    assert ("wait_reset" in ids(steps)) is exhausted


def test_overdrawn_tally_shows_zero() -> None:
    why = step(run(Signals(), tally=_tally(remaining=-7)), "wait_reset")["why"]
    assert why.startswith("The tally shows 0 credits left")


# --- the 5-hour image window -----------------------------------------------------------------


def test_window_limit_with_the_reset_in_the_text() -> None:
    signals = Signals(text_kinds=["window_limit"], window_reset_at=NOW + timedelta(hours=2))
    steps = run(signals, tally=_tally(remaining=60))
    assert ids(steps) == ["wait_reset", "use_alternative"]
    assert step(steps, "wait_reset") == {
        "id": "wait_reset",
        "why": "The 5-hour image generation limit has been reached.",
        "how": "The 5-hour limit resets in 2 h (22:40 UTC).",
    }
    japanese = run(signals, language="ja")
    assert (
        step(japanese, "wait_reset")["how"] == "5時間制限は2時間後（22:40 UTC）にリセットされます。"
    )


def test_window_limit_prefers_the_tally_window() -> None:
    window = Window(name="5h", balance=0, at=NOW, reset_at=NOW + timedelta(minutes=30))
    steps = run(
        Signals(text_kinds=["window_limit"], window_reset_at=NOW + timedelta(hours=1)),
        tally=_tally(windows={"5h": window}),
    )
    assert step(steps, "wait_reset")["how"] == "The 5-hour limit resets in 30 min (21:10 UTC)."


@pytest.mark.parametrize(
    "reset_at",
    [None, NOW - timedelta(minutes=1), NOW + timedelta(hours=5, seconds=1)],
    ids=["none", "past", "past the window"],
)
def test_window_limit_without_a_usable_reset(reset_at: datetime | None) -> None:
    how = step(run(Signals(text_kinds=["window_limit"], window_reset_at=reset_at)), "wait_reset")[
        "how"
    ]
    assert how == "The 5-hour limit resets within 5 h."


def test_window_limit_and_exhausted_credits_share_one_wait_step() -> None:
    signals = Signals(text_kinds=["window_limit"], page_balance=0)
    steps = run(signals, tally=_tally(remaining=0))
    assert ids(steps) == ["wait_reset", "use_alternative", "upgrade"]
    wait = step(steps, "wait_reset")
    assert "balance of 0 credits" in wait["why"] and "5-hour" in wait["why"]
    assert "Your credits reset" in wait["how"] and "5-hour limit resets" in wait["how"]


# --- this machine -----------------------------------------------------------------------------


def test_vpn_names_the_interface() -> None:
    steps = run(machine=MachineFacts(vpn_interfaces=("wg0",)))
    assert ids(steps) == [
        "reload",
        "check_status",
        "clear_cache",
        "relogin",
        "disable_vpn",
        "restart_app",
    ]
    assert step(steps, "disable_vpn")["why"].startswith("A VPN or tunnel is active (wg0)")


def test_proxy_names_the_variables_and_many_names_are_shortened() -> None:
    machine = MachineFacts(
        vpn_interfaces=("tun0", "tun1", "tun2", "wg0"), proxy_vars=("HTTPS_PROXY", "http_proxy")
    )
    why = step(run(Signals(http_status=[403]), machine=machine), "disable_vpn")["why"]
    assert "(tun0, tun1, tun2, …)" in why
    assert "(HTTPS_PROXY, http_proxy)" in why


def test_vpn_in_japanese() -> None:
    steps = run(machine=MachineFacts(vpn_interfaces=("nordlynx",)), language="ja")
    assert step(steps, "disable_vpn")["why"].startswith(
        "VPN またはトンネルが有効です（nordlynx）。"
    )


@pytest.mark.parametrize(
    ("sync", "listed"), [("off", False), ("ok", False), ("stale", True), ("error", True)]
)
def test_sync_trouble_means_resync(sync: str, listed: bool) -> None:
    steps = run(Signals(http_status=[401]), machine=MachineFacts(sync=sync))
    assert ("resync" in ids(steps)) is listed


def test_sync_error_text() -> None:
    why = step(run(machine=MachineFacts(sync="error")), "resync")["why"]
    assert why == "Sync with your other devices is failing, so the tally may miss their usage."


@pytest.mark.parametrize(
    ("offset", "word"),
    [
        (timedelta(minutes=-17), "ahead of"),
        (timedelta(minutes=10), "behind"),
        (timedelta(days=-2), "ahead of"),
    ],
)
def test_clock_skew_asks_to_fix_the_clock_then_log_in_again(offset: timedelta, word: str) -> None:
    steps = run(Signals(server_date=NOW + offset, http_status=[500]))
    assert ids(steps) == ["check_status", "relogin"]
    relogin = step(steps, "relogin")
    assert f" {word} Genspark's server" in relogin["why"]
    assert relogin["how"] == (
        "First set the clock to update automatically (network time) in the system settings."
        " Log out of Genspark, then log in again."
    )


def test_clock_skew_amount() -> None:
    steps = run(Signals(server_date=NOW - timedelta(minutes=17)), language="ja")
    assert "17分進んでいます" in step(steps, "relogin")["why"]


def test_small_clock_skew_is_ignored() -> None:
    steps = run(Signals(server_date=NOW - timedelta(minutes=4), http_status=[500]))
    assert ids(steps) == ["check_status"]


def test_clock_skew_and_signed_out_share_one_relogin_step() -> None:
    steps = run(Signals(server_date=NOW - timedelta(hours=1), site_status=[-5]))
    assert ids(steps) == ["relogin"]
    relogin = step(steps, "relogin")
    assert "1 h ahead" in relogin["why"] and "signed out (status -5)" in relogin["why"]
    assert relogin["how"].count("Log out of Genspark") == 1


# --- everything at once, both languages ----------------------------------------------------------


EVERYTHING = Signals(
    http_status=[401, 429, 503],
    site_status=[-5],
    text_kinds=["rate_limit_cf2", "overloaded", "challenge", "exhausted"],
    exhausted_text_seen=True,
    page_balance=0,
    requests_last_minute=500,
    server_date=NOW - timedelta(hours=3),
)
EVERYTHING_MACHINE = MachineFacts(vpn_interfaces=("tun0",), proxy_vars=("ALL_PROXY",), sync="error")


@pytest.mark.parametrize("language", ["en", "ja"])
def test_everything_at_once(language: str) -> None:
    steps = run(
        EVERYTHING, tally=_tally(remaining=60), machine=EVERYTHING_MACHINE, language=language
    )
    assert ids(steps) == [
        "wait_rate_limit",
        "check_status",
        "relogin",
        "resync",
        "disable_vpn",
        "wait_reset",
        "use_alternative",
        "upgrade",
    ]
    for s in steps:
        assert s["why"] and s["how"]
        assert bool(JAPANESE.search(s["why"] + s["how"])) is (language == "ja")


@pytest.mark.parametrize("language", ["fr", "ja-JP", ""])
def test_language_tags(language: str) -> None:
    expected = "ja" if language.startswith("ja") else "en"
    assert run(EVERYTHING, language=language) == run(EVERYTHING, language=expected)


def test_error_texts_are_never_formatted_or_echoed() -> None:
    hostile = ["{remaining}{0}{__class__}", "%s%n", "\u202e\u0000" * 10, "x" * 2000]
    steps = run(Signals(error_texts=hostile))
    assert ids(steps) == list(DEFAULT_STEPS)
    for s in steps:
        assert "__class__" not in s["why"] + s["how"]


# --- properties ---------------------------------------------------------------------------------


SIGNALS = st.builds(
    Signals,
    http_status=st.lists(st.integers(min_value=100, max_value=599), max_size=8),
    site_status=st.lists(st.integers(min_value=-1000, max_value=1000), max_size=8),
    error_texts=st.lists(st.text(max_size=60), max_size=3),
    text_kinds=st.lists(st.sampled_from(TEXT_KINDS), max_size=6),
    window_reset_at=st.none()
    | st.datetimes(
        min_value=datetime(2020, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC)
    ),
    exhausted_text_seen=st.booleans(),
    page_balance=st.none() | st.floats(min_value=0, max_value=1e9),
    requests_last_minute=st.none() | st.integers(min_value=0, max_value=1_000_000),
    server_date=st.none()
    | st.datetimes(
        min_value=datetime(2020, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC)
    ),
)
MACHINES = st.builds(
    MachineFacts,
    vpn_interfaces=st.lists(st.text(min_size=1, max_size=15), max_size=5).map(tuple),
    proxy_vars=st.lists(
        st.sampled_from(["HTTP_PROXY", "https_proxy", "ALL_PROXY"]), max_size=3
    ).map(tuple),
    sync=st.sampled_from(["off", "ok", "stale", "error", "weird"]),
)
TALLIES = st.none() | st.builds(
    _tally,
    remaining=st.floats(min_value=-1e6, max_value=1e9),
    windows=st.none()
    | st.just({"5h": Window(name="5h", balance=0, at=NOW, reset_at=NOW + timedelta(hours=1))}),
)


@settings(max_examples=300)
@given(
    signals=SIGNALS, tally=TALLIES, machine=MACHINES, language=st.sampled_from(["en", "ja", "zz"])
)
def test_diagnose_always_returns_valid_unique_ordered_steps(
    signals: Signals, tally: Tally | None, machine: MachineFacts, language: str
) -> None:
    steps = diagnose(signals, tally=tally, machine=machine, language=language, now=NOW)
    found = ids(steps)
    assert found, "there is always something to try"
    assert len(found) == len(set(found))
    assert set(found) <= PROTOCOL_STEP_IDS
    assert found == sorted(found, key=STEP_ORDER.index)
    for s in steps:
        assert set(s) == {"id", "why", "how"}
        assert s["why"].strip() and s["how"].strip()
        assert "{" not in s["why"] + s["how"] or "{" in "".join(machine.vpn_interfaces)
