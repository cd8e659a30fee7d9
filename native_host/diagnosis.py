"""Diagnosis: what the page showed → ordered troubleshooting steps {id, why, how} (pure).

Each rule below adds reasons to a step; a step appears once, with every reason that
applies to it, and steps come in STEP_ORDER: from the cheapest and least disruptive to
the most. When no rule finds a cause in the page's signals, DEFAULT_STEPS are suggested;
facts about this machine (VPN, proxy, clock, sync) are added either way.

Decisions (user-visible, so worth documenting):
- The page's texts reach the helper as the kinds the extension's site rules gave them
  (`signals.text_kinds`); the texts themselves, in every language, live only in
  extension/site/genspark.json, so this module knows no site text.
- Rate limits: a burst (HTTP 429, a "cf1" or "too quickly" text, or at least
  BURST_REQUESTS requests in the last minute) waits BURST_WAIT_SECONDS; the stricter
  "cf2" waits CF2_WAIT_SECONDS.
- Clock skew is computed here, from `signals.server_date` (a recent response's Date
  header) against `now`; over MAX_CLOCK_SKEW_SECONDS it is a reason on `relogin`,
  whose how starts with setting the clock to network time: sessions and security
  checks break on a wrong clock, and logging in again is what fixes them afterwards.
- "Truly exhausted" means the page's balance or the tally's remaining is under the
  cheapest operation's cost (or the page says so and there is no tally to disagree).
  The page saying "exhausted" while the tally says credits remain is a stale page or
  session: reload, clear the cache, log in again, then resync.
- Upgrading costs money, so it comes after waiting for the reset and alternatives.
- `last_good_balance_at` and site statuses other than -5 are not used yet.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Final

from native_host.i18n import catalog, credits, duration, format_reset
from native_host.ledger.tally import Tally
from native_host.messages import Signals

# The text kinds (messages.TextKind) each rule reads.
RATE_LIMIT_KINDS: Final = frozenset({"rate_limit_cf1", "rate_limit_cf2", "too_quickly"})
STRICT_RATE_LIMIT_KIND: Final = "rate_limit_cf2"
OVERLOADED_KINDS: Final = frozenset({"overloaded", "unavailable"})

# Every step id of the protocol, cheapest first. Waiting out a rate limit comes before
# anything that sends requests again.
STEP_ORDER: Final = (
    "wait_rate_limit",
    "reload",
    "check_status",
    "clear_cache",
    "relogin",
    "resync",
    "disable_vpn",
    "restart_app",
    "wait_reset",
    "use_alternative",
    "upgrade",
)
DEFAULT_STEPS: Final = ("reload", "check_status", "clear_cache", "relogin", "restart_app")

SIGNED_OUT_SITE_STATUS: Final = -5
SIGNED_OUT_HTTP: Final = (401, 403)
BURST_REQUESTS: Final = 30  # requests in the last minute that count as a burst
BURST_WAIT_SECONDS: Final = 60
CF2_WAIT_SECONDS: Final = 600
MAX_CLOCK_SKEW_SECONDS: Final = 300
CHEAPEST_COST: Final = 1.0  # credits: a remaining below this cannot pay for any operation
IMAGE_WINDOW: Final = timedelta(hours=5)  # the side window the site reports for images
MAX_NAMES_SHOWN: Final = 3


@dataclass(frozen=True, slots=True)
class MachineFacts:
    """What the OS probes found (probes.py); names only, never values."""

    vpn_interfaces: tuple[str, ...] = ()  # VPN or tunnel interfaces that are up
    proxy_vars: tuple[str, ...] = ()  # proxy environment variables that are set
    sync: str = "off"  # "off" | "ok" | "stale" | "error"


class _Steps:
    """Collects the reasons per step, each text once, and renders them in STEP_ORDER."""

    def __init__(self, language: str) -> None:
        self.language = language
        self.words = catalog(language)
        self.whys: dict[str, list[str]] = {}
        self.hows: dict[str, list[str]] = {}

    def add(self, step: str, why: str, *hows: str) -> None:
        """Add one reason for `step` and what to do about it; repeated texts are kept once."""
        _append(self.whys.setdefault(step, []), why)
        step_hows = self.hows.setdefault(step, [])
        for how in hows:
            _append(step_hows, how)

    def key(self, key: str, **params: object) -> str:
        return self.words[key].format_map(params)

    def __contains__(self, step: str) -> bool:
        return step in self.whys

    def render(self) -> list[dict[str, str]]:
        separator = self.words["sentence_separator"]
        steps = []
        for step in STEP_ORDER:
            if step not in self.whys:
                continue
            why = separator.join(self.whys[step])
            steps.append({"id": step, "why": why, "how": separator.join(self.hows[step])})
        return steps


def diagnose(
    signals: Signals,
    *,
    tally: Tally | None,
    machine: MachineFacts,
    language: str,
    now: datetime,
    cheapest_cost: float = CHEAPEST_COST,
) -> list[dict[str, str]]:
    """Ordered steps, each {"id", "why", "how"}, every id once, texts in `language`.

    `tally` is None when the account has no tally yet. `now` must be timezone-aware.
    `cheapest_cost` is the credits of the cheapest operation (the caller may pass a
    learned figure).
    """
    steps = _Steps(language)
    seen: set[str] = set(signals.text_kinds)
    http = set(signals.http_status)

    _machine_rules(steps, signals, machine, now)
    found = [
        _signed_out(steps, signals, http, seen),
        _rate_limited(steps, signals, http, seen),
        _site_trouble(steps, http, seen),
        _exhaustion(steps, signals, tally, seen, now, cheapest_cost),
    ]
    if not any(found):
        for step in DEFAULT_STEPS:
            steps.add(step, steps.key(f"diag.{step}.why.default"), steps.key(f"diag.{step}.how"))
    return steps.render()


def _machine_rules(steps: _Steps, signals: Signals, machine: MachineFacts, now: datetime) -> None:
    """Facts about this machine that break the site whatever the symptom."""
    if signals.server_date is not None:
        skew = (now - signals.server_date).total_seconds()
        if abs(skew) > MAX_CLOCK_SKEW_SECONDS:
            direction = "ahead" if skew > 0 else "behind"
            steps.add(
                "relogin",
                steps.key(
                    f"diag.relogin.why.clock_{direction}",
                    amount=duration(steps.language, abs(skew)),
                ),
                steps.key("diag.relogin.how.clock"),
                steps.key("diag.relogin.how"),
            )
    if machine.vpn_interfaces:
        steps.add(
            "disable_vpn",
            steps.key("diag.disable_vpn.why.vpn", names=_names(machine.vpn_interfaces)),
            steps.key("diag.disable_vpn.how"),
        )
    if machine.proxy_vars:
        steps.add(
            "disable_vpn",
            steps.key("diag.disable_vpn.why.proxy", names=_names(machine.proxy_vars)),
            steps.key("diag.disable_vpn.how"),
        )
    if machine.sync in ("stale", "error"):
        steps.add(
            "resync", steps.key(f"diag.resync.why.{machine.sync}"), steps.key("diag.resync.how")
        )


def _signed_out(steps: _Steps, signals: Signals, http: set[int], seen: set[str]) -> bool:
    evidence = (
        [f"status {SIGNED_OUT_SITE_STATUS}"]
        if SIGNED_OUT_SITE_STATUS in signals.site_status
        else []
    )
    evidence += [f"HTTP {code}" for code in SIGNED_OUT_HTTP if code in http]
    if "signed_out" in seen:
        evidence.append(steps.key("diag.evidence.signed_out_text"))
    if evidence:
        steps.add(
            "relogin",
            steps.key("diag.relogin.why.signed_out", seen=", ".join(evidence)),
            steps.key("diag.relogin.how"),
        )
    return bool(evidence)


def _rate_limited(steps: _Steps, signals: Signals, http: set[int], seen: set[str]) -> bool:
    wait = 0
    whys = []
    if 429 in http or seen & RATE_LIMIT_KINDS:
        wait = BURST_WAIT_SECONDS
        whys.append(steps.key("diag.wait_rate_limit.why.rate_limited"))
    if STRICT_RATE_LIMIT_KIND in seen:
        wait = CF2_WAIT_SECONDS
        whys.append(steps.key("diag.wait_rate_limit.why.rate_limited_strict"))
    count = signals.requests_last_minute
    if count is not None and count >= BURST_REQUESTS:
        wait = max(wait, BURST_WAIT_SECONDS)
        whys.append(steps.key("diag.wait_rate_limit.why.burst", count=count))
    if not wait:
        return False
    how = steps.key("diag.wait_rate_limit.how", wait=duration(steps.language, wait))
    for why in whys:
        steps.add("wait_rate_limit", why, how)
    return True


def _site_trouble(steps: _Steps, http: set[int], seen: set[str]) -> bool:
    """Outages and Cloudflare checks: nothing to fix locally but to look and wait."""
    server_errors = sorted(code for code in http if code >= 500)
    how = steps.key("diag.check_status.how")
    if server_errors:
        codes = ", ".join(str(code) for code in server_errors)
        steps.add("check_status", steps.key("diag.check_status.why.server_error", codes=codes), how)
    if seen & OVERLOADED_KINDS:
        steps.add("check_status", steps.key("diag.check_status.why.overloaded"), how)
    if "challenge" in seen:
        steps.add(
            "check_status",
            steps.key("diag.check_status.why.challenge"),
            steps.key("diag.check_status.how.challenge"),
            how,
        )
    return "check_status" in steps


def _exhaustion(
    steps: _Steps,
    signals: Signals,
    tally: Tally | None,
    seen: set[str],
    now: datetime,
    cheapest_cost: float,
) -> bool:
    """Out of credits for real, or only as far as a stale page or session can tell."""
    language = steps.language
    page_says = signals.exhausted_text_seen or "exhausted" in seen
    page_balance = signals.page_balance
    # The page's balance is ground truth; the tally speaks only when the page gave none.
    if page_balance is not None:
        left: float | None = page_balance
    else:
        left = tally.remaining if tally is not None else None
    why = None
    if page_balance is not None and page_balance < cheapest_cost:
        balance = credits(language, page_balance)
        why = steps.key("diag.wait_reset.why.page_zero", balance=balance)
    elif left is not None and left < cheapest_cost:
        remaining = credits(language, max(left, 0.0))
        why = steps.key("diag.wait_reset.why.tally_empty", remaining=remaining)
    elif page_says and left is None:
        why = steps.key("diag.wait_reset.why.page_says")

    if why is not None:
        how = (
            steps.key(
                "diag.wait_reset.how.credits", reset=format_reset(language, tally.reset_at, now)
            )
            if tally is not None and tally.reset_at > now
            else steps.key("diag.wait_reset.how.credits_unknown")
        )
        steps.add("wait_reset", why, how)
        _add_alternative(steps)
        steps.add("upgrade", steps.key("diag.upgrade.why"), steps.key("diag.upgrade.how"))
        if page_balance is not None and tally is not None and tally.remaining >= cheapest_cost:
            remaining = credits(language, tally.remaining)
            steps.add(
                "resync",
                steps.key("diag.resync.why.page_zero", remaining=remaining),
                steps.key("diag.resync.how"),
            )
    elif page_says and left is not None:
        steps.add(
            "reload",
            steps.key("diag.reload.why.mismatch", remaining=credits(language, left)),
            steps.key("diag.reload.how"),
        )
        steps.add(
            "clear_cache",
            steps.key("diag.clear_cache.why.mismatch"),
            steps.key("diag.clear_cache.how"),
        )
        steps.add("relogin", steps.key("diag.relogin.why.mismatch"), steps.key("diag.relogin.how"))
        if page_balance is None:
            steps.add(
                "resync", steps.key("diag.resync.why.other_devices"), steps.key("diag.resync.how")
            )

    window_limit = "window_limit" in seen
    if window_limit:
        window = steps.key("window.5h")
        reset_at = _window_reset(signals, tally, now)
        how = (
            steps.key(
                "diag.wait_reset.how.window",
                window=window,
                reset=format_reset(language, reset_at, now),
            )
            if reset_at is not None
            else steps.key(
                "diag.wait_reset.how.window_unknown",
                window=window,
                window_length=duration(language, IMAGE_WINDOW.total_seconds()),
            )
        )
        steps.add("wait_reset", steps.key("diag.wait_reset.why.window", window=window), how)
        _add_alternative(steps)
    return why is not None or page_says or window_limit


def _add_alternative(steps: _Steps) -> None:
    steps.add(
        "use_alternative",
        steps.key("diag.use_alternative.why"),
        steps.key("diag.use_alternative.how"),
    )


def _window_reset(signals: Signals, tally: Tally | None, now: datetime) -> datetime | None:
    """When the 5-hour image window lifts: from the tally, else from the site's message."""
    window = tally.windows.get("5h") if tally is not None else None
    if window is not None and window.reset_at is not None and window.reset_at > now:
        return window.reset_at
    reset_at = signals.window_reset_at
    if reset_at is not None and now < reset_at <= now + IMAGE_WINDOW:
        return reset_at
    return None


def _names(names: tuple[str, ...]) -> str:
    shown = ", ".join(names[:MAX_NAMES_SHOWN])
    return shown + (", …" if len(names) > MAX_NAMES_SHOWN else "")


def _append(texts: list[str], new: str) -> None:
    if new not in texts:
        texts.append(new)
