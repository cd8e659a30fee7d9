"""Firefox ESR: the extension (its Firefox build) loads, talks to the real helper, and the
popup renders; then a Genspark visit reaches the popup. The browser is driven by
tests/e2e/firefox_smoke.mjs (puppeteer-core over WebDriver BiDi), run once per module."""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from harness import firefox_path, node_with_puppeteer

from devkit.browsers import (
    ARTIFACTS,
    FORGE_HOOK_MESSAGES,
    FORGED_BALANCE,
    REPO,
    Helper,
    firefox_environment,
)
from devkit.fake_genspark import EXHAUSTED_TEXT, Certificate, FakeGenspark
from native_host.installer import DEFAULT_FIREFOX_ID

SCRIPT = Path(__file__).with_name("firefox_smoke.mjs")
BALANCE = 73
# puppeteer-core's debug channel for the WebDriver BiDi commands it sends (on stderr).
SENT_COMMANDS_CHANNEL = "puppeteer:webDriverBiDi:SEND*"
SENT_METHOD = re.compile(r'\\?"method\\?":\\?"([A-Za-z]+\.[A-Za-z]+)')


@pytest.fixture(scope="module")
def firefox_report(
    tmp_path_factory: pytest.TempPathFactory, certificate: Certificate
) -> Iterator[dict[str, Any]]:
    firefox = firefox_path()
    node = node_with_puppeteer()
    root = tmp_path_factory.mktemp("firefox")
    helper = Helper(root / "helper-home")
    fake = FakeGenspark(certificate).start()
    proxy = fake.start_proxy()
    fake.set(balance=BALANCE)
    env = {
        **firefox_environment(firefox, helper, proxy.port, root),
        "EXPECT_BALANCE": str(BALANCE),
        "STEP_TIMEOUT_MS": "15000",
        "DEBUG": SENT_COMMANDS_CHANNEL,
        "FORGE_HOOK_MESSAGES": FORGE_HOOK_MESSAGES,
        "FORGED_BALANCE": str(FORGED_BALANCE),
        "EXHAUSTED_TEXT": EXHAUSTED_TEXT,
    }
    try:
        run = subprocess.run(
            [node, str(SCRIPT)], cwd=REPO, env=env, capture_output=True, text=True, timeout=240
        )
        lines = [line for line in run.stdout.splitlines() if line.startswith("{")]
        assert lines, f"no report from {SCRIPT.name} (exit {run.returncode}):\n{run.stderr}"
        report: dict[str, Any] = json.loads(lines[-1])
        report["helper_log"] = helper.log_text()
        report["balances"] = sorted({float(e["body"]["balance"]) for e in helper.events("balance")})
        report["usage"] = [e["body"] for e in helper.events("usage")]
        report["site_requests"] = [r.path for r in fake.requests()]
        report["proxy_refused"] = list(proxy.refused)
        report["sent_methods"] = sorted(set(SENT_METHOD.findall(run.stderr)))
        report["stderr"] = run.stderr[-4000:]
        yield report
    finally:
        fake.stop()


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
