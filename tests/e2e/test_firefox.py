"""Firefox ESR: the extension (its Firefox build) loads, talks to the real helper, and the
popup renders; then a Genspark visit reaches the popup (tests/e2e/firefox_smoke.mjs). Then
the guard's main scenarios as in Chromium: a held video, cancel and go on, chat, the trouble
panel, Japanese (tests/e2e/firefox_scenarios.mjs). Each script drives Firefox with
puppeteer-core over WebDriver BiDi and runs once per module."""

from __future__ import annotations

import contextlib
import json
import re
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from harness import firefox_path, node_with_puppeteer

from devkit.browsers import (
    ACCOUNT,
    ARTIFACTS,
    FORGE_HOOK_MESSAGES,
    FORGED_BALANCE,
    REPO,
    Helper,
    firefox_environment,
    japanese,
)
from devkit.fake_genspark import EXHAUSTED_TEXT, Certificate, FakeGenspark, Recorded
from native_host.i18n import text
from native_host.installer import DEFAULT_FIREFOX_ID

SCRIPT = Path(__file__).with_name("firefox_smoke.mjs")
SCENARIOS_SCRIPT = Path(__file__).with_name("firefox_scenarios.mjs")
JA_MESSAGES = json.loads(
    (REPO / "extension" / "_locales" / "ja" / "messages.json").read_text(encoding="utf-8")
)
VIDEO_PROMPT = "a slow pan over a misty pine forest at dawn, cinematic, 35 mm"
CHAT_PROMPT = "what is the capital of Japan?"
SCENARIO_BALANCE = 1000
BALANCE = 73
# puppeteer-core's debug channel for the WebDriver BiDi commands it sends (on stderr).
SENT_COMMANDS_CHANNEL = "puppeteer:webDriverBiDi:SEND*"
SENT_METHOD = re.compile(r'\\?"method\\?":\\?"([A-Za-z]+\.[A-Za-z]+)')


@dataclass
class FirefoxWorld:
    """What one scenario script runs against: a helper, the fake site behind its proxy
    (the balance set), and the environment devkit/firefox.mjs reads."""

    helper: Helper
    fake: FakeGenspark
    proxy: Any
    env: dict[str, str]


@contextlib.contextmanager
def firefox_world(
    factory: pytest.TempPathFactory, certificate: Certificate, name: str, balance: int
) -> Iterator[FirefoxWorld]:
    firefox = firefox_path()
    root = factory.mktemp(name)
    helper = Helper(root / "helper-home")
    fake = FakeGenspark(certificate).start()
    try:
        proxy = fake.start_proxy()
        fake.set(balance=balance)
        env = {
            **firefox_environment(firefox, helper, proxy.port, root),
            "EXPECT_BALANCE": str(balance),
            "STEP_TIMEOUT_MS": "15000",
            "EXHAUSTED_TEXT": EXHAUSTED_TEXT,
        }
        yield FirefoxWorld(helper, fake, proxy, env)
    finally:
        fake.stop()


@pytest.fixture(scope="module")
def firefox_report(
    tmp_path_factory: pytest.TempPathFactory, certificate: Certificate
) -> Iterator[dict[str, Any]]:
    with firefox_world(tmp_path_factory, certificate, "firefox", BALANCE) as world:
        world.env |= {
            "DEBUG": SENT_COMMANDS_CHANNEL,
            "FORGE_HOOK_MESSAGES": FORGE_HOOK_MESSAGES,
            "FORGED_BALANCE": str(FORGED_BALANCE),
        }
        report, run = run_script(SCRIPT, world.env)
        helper = world.helper
        report["helper_log"] = helper.log_text()
        report["balances"] = sorted({float(e["body"]["balance"]) for e in helper.events("balance")})
        report["usage"] = [e["body"] for e in helper.events("usage")]
        report["site_requests"] = [r.path for r in world.fake.requests()]
        report["proxy_refused"] = list(world.proxy.refused)
        report["sent_methods"] = sorted(set(SENT_METHOD.findall(run.stderr)))
        yield report


def run_script(
    script: Path, env: dict[str, str]
) -> tuple[dict[str, Any], subprocess.CompletedProcess[str]]:
    """Run one Firefox scenario script; its report is the JSON on its last such line."""
    run = subprocess.run(
        [node_with_puppeteer(), str(script)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
    )
    lines = [line for line in run.stdout.splitlines() if line.startswith("{")]
    assert lines, f"no report from {script.name} (exit {run.returncode}):\n{run.stderr}"
    report: dict[str, Any] = json.loads(lines[-1])
    report["stderr"] = run.stderr[-4000:]
    return report, run


def steps(report: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {s["name"]: s for s in report["steps"]}


def explain(report: dict[str, Any]) -> str:
    return json.dumps({k: report.get(k) for k in ("steps", "error", "stderr")}, indent=1)


def test_firefox_loads_the_extension_and_reaches_the_helper(firefox_report: dict[str, Any]) -> None:
    done = steps(firefox_report)
    assert "helper_connected" in done, explain(firefox_report)
    assert done["installed"]["id"] == DEFAULT_FIREFOX_ID
    assert done["popup_opened"]["title"], "the popup rendered its localized title"
    assert done["status"]["ok"] is True, explain(firefox_report)
    assert done["status"]["helper"]["state"] == "connected"
    assert firefox_report["helper_log"], "the helper registered under HOME ran"
    assert firefox_report["ok"] is True
    assert (ARTIFACTS / "firefox-popup-en.png").exists()


def test_firefox_genspark_balance_reaches_the_popup(firefox_report: dict[str, Any]) -> None:
    done = steps(firefox_report)
    assert "site_loaded" in done, explain(firefox_report)
    # Firefox's own services (settings, telemetry) are refused by the proxy; what matters
    # is that every genspark.ai request reached the fake.
    refused = sorted({line.split()[1] for line in firefox_report["proxy_refused"] if " " in line})
    assert not [host for host in refused if "genspark" in host], refused
    assert "balance_in_popup" in done, explain(firefox_report)
    assert str(BALANCE) in done["balance_in_popup"]["remaining"]


def test_firefox_page_cannot_forge_the_hooks_messages(firefox_report: dict[str, Any]) -> None:
    """The hook's private channel in Firefox: forged messages on window or through a forged
    handshake reach neither the helper nor the page, while the real balance does."""
    done = steps(firefox_report)
    assert "forged" in done, explain(firefox_report)
    assert done["forged"]["taken"] is False, "nobody took the page's port"
    assert done["forged"]["panel"] is False, "no trouble panel for a forged exhaustion"
    assert firefox_report["balances"] == [BALANCE], firefox_report["balances"]
    assert firefox_report["usage"] == []


def test_firefox_run_uses_no_viewport_emulation(firefox_report: dict[str, Any]) -> None:
    """Emulation commands are not the product's: one Firefox does not know (ESR 140 lacks
    emulation.setScreenOrientationOverride) must not be able to fail this test file."""
    sent = firefox_report["sent_methods"]
    assert "browsingContext.navigate" in sent, f"the command log was not captured: {sent}"
    emulation = [m for m in sent if m.startswith("emulation.") or m.endswith(".setViewport")]
    assert emulation == [], sent


# -- the guard's scenarios, as in Chromium -------------------------------------------------
@dataclass
class ScenarioRun:
    """firefox_scenarios.mjs's report and the fake site that served it (its request log)."""

    report: dict[str, Any]
    fake: FakeGenspark

    def result(self, name: str) -> dict[str, Any]:
        found: dict[str, Any] | None = self.report.get("scenarios", {}).get(name)
        assert found is not None, f"{name} never ran: {explain(self.report)}"
        assert found["ok"] is True, found.get("error")
        return found

    def sent(self, result: dict[str, Any], start: str, end: str = "end") -> list[Recorded]:
        """The generation requests the fake site received between two of its marks."""
        since, until = result["marks"][start], result["marks"][end]
        return [r for r in self.fake.generation_requests() if since <= r.at <= until]


@pytest.fixture(scope="module")
def scenario_run(
    tmp_path_factory: pytest.TempPathFactory, certificate: Certificate
) -> Iterator[ScenarioRun]:
    with firefox_world(
        tmp_path_factory, certificate, "firefox-scenarios", SCENARIO_BALANCE
    ) as world:
        world.env |= {"ACCOUNT": ACCOUNT, "VIDEO_PROMPT": VIDEO_PROMPT, "CHAT_PROMPT": CHAT_PROMPT}
        report, _ = run_script(SCENARIOS_SCRIPT, world.env)
        yield ScenarioRun(report, world.fake)


def check_held(run: ScenarioRun, name: str) -> None:
    """test_guard: held while the dialog is open, cancel sends nothing, go on sends one."""
    held = run.result(name)
    assert held["marks"]["start"] < held["marks"]["dialog"] < held["marks"]["cancelled"]
    assert run.sent(held, "start", "cancelled") == [], "held, then cancelled: nothing sent"
    assert run.sent(held, "cancelled", "go") == [], "nothing before go on"
    sent = run.sent(held, "start")
    assert len(sent) == 1, f"'cancel' sent nothing and 'go on' sent once, got {len(sent)}"
    assert sent[0].at >= held["marks"]["go"]
    assert sent[0].body["type"] == "video_generation_agent"
    assert sent[0].body["messages"][0]["content"] == VIDEO_PROMPT, "the user's action, replayed"
    assert not japanese(held["dialog_text"]), held["dialog_text"]


def check_chat(run: ScenarioRun) -> None:
    """A chat message is light: no dialog, sent exactly once."""
    chat = run.result("chat")
    assert chat["dialog"] is False, "no dialog for a chat message"
    sent = run.sent(chat, "start")
    assert [(r.body["type"], r.body["messages"][0]["content"]) for r in sent] == [
        ("ai_chat", CHAT_PROMPT)
    ]


def check_trouble(run: ScenarioRun) -> None:
    """test_trouble: the site says used up while the tally has credits left."""
    trouble = run.result("trouble")
    ids = [step_id for step_id, _ in trouble["steps"]]
    assert "reload" in ids, ids
    assert text("en", "diag.reload.how") in " ".join(t for _, t in trouble["steps"])
    assert len(run.sent(trouble, "exhausted")) == 1, "the extension retried nothing on its own"


def check_japanese(run: ScenarioRun) -> None:
    """test_japanese: the language setting ja makes the dialog Japanese; cancel still holds."""
    ja = run.result("japanese")
    assert ja["language"] == "ja"
    assert japanese(ja["dialog_text"]), f"the dialog is not in Japanese: {ja['dialog_text']!r}"
    outlooks = [JA_MESSAGES[key]["message"] for key in ("pace_lasts", "pace_early")]
    assert any(ja["pace"].startswith(outlook) for outlook in outlooks), ja["pace"]
    assert japanese(ja["buttons"]["cancel"]) and japanese(ja["buttons"]["go"]), ja["buttons"]
    assert run.sent(ja, "start") == [], "cancel sends nothing"


SCENARIO_CHECKS: dict[str, Callable[[ScenarioRun], None]] = {
    "held_cancel_then_go_on": partial(check_held, name="held"),
    "held_by_enter_cancel_then_go_on": partial(check_held, name="held_enter"),
    "chat_passes": check_chat,
    "trouble_panel": check_trouble,
    "japanese_dialog": check_japanese,
}


@pytest.mark.parametrize("scenario", SCENARIO_CHECKS)
def test_firefox_guard_scenario(scenario_run: ScenarioRun, scenario: str) -> None:
    SCENARIO_CHECKS[scenario](scenario_run)
