"""Watch the helper do its job on a simulated Genspark day, no account needed.

Starts the real helper over real pipes with a throw-away data directory (your own
tally is not touched), feeds it what the extension would see, and prints its answers:
the tally, usage from "other devices", a warning before a video, and a diagnosis, in
your language (the `language` setting, or --lang).

With --browser it plays the extension's own story in Chromium instead, against a local
fake of Genspark: the balance read, a video held and let through, the diagnosis when
credits run out, the popup. It saves screenshots of them (or, with --headed, leaves the
browser open for you). It runs from a copy of the source, with Chromium and Playwright
installed (bash build_scripts/demo_browser.sh installs Playwright once).

Examples:
  credit-guard demo
  credit-guard demo --lang ja
  credit-guard demo --browser --lang ja
  credit-guard demo --browser --headed
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import tempfile
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import ModuleType
from typing import Any

from native_host.commands.status import print_tally
from native_host.i18n import credits, text
from native_host.local import cli_language
from native_host.paths import ENV_HOME
from native_host.pipe_client import HostPipe

ACCOUNT = "demo@example.com"
# The source checkout this package runs from, if it does: where devkit/ (the browser demo)
# lives. pip installs only native_host and the frozen build has no devkit.
CHECKOUT = Path(__file__).resolve().parents[2]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--browser",
        action="store_true",
        help="play the extension's story in Chromium (needs the source and Playwright)",
    )
    parser.add_argument(
        "--headed",
        action="store_true",
        help="with --browser: show the browser window and leave it to you to click",
    )
    parser.add_argument(
        "--out",
        type=Path,
        metavar="DIR",
        help="with --browser: where to save the screenshots (default: demo-output/ in the source)",
    )


def host_command() -> list[str]:
    """The helper as the browser would start it (the frozen binary, or this Python)."""
    if getattr(sys, "frozen", False):
        return [sys.executable]
    return [sys.executable, "-m", "native_host"]


def run(args: argparse.Namespace) -> int:
    if args.browser:
        return run_browser(cli_language(), headed=args.headed, out=args.out)
    with tempfile.TemporaryDirectory(prefix="credit-guard-demo-") as home:
        env = {**os.environ, ENV_HOME: home}
        with HostPipe([*host_command(), "chrome-extension://demo/"], env) as host:
            play(host, cli_language())
    return 0


def run_browser(lang: str, *, headed: bool, out: Path | None) -> int:
    """The browser story, or (exit status 2) what to install or where to run it from."""
    story = browser_story()
    if isinstance(story, str):
        print(text(lang, story), file=sys.stderr)
        return 2
    code: int = story.play(lang, headed=headed, out=out or story.SHOTS)
    return code


def browser_story() -> ModuleType | str:
    """devkit.browser_demo, imported only now (it needs Playwright and the checkout), or
    the catalog key that says what is missing."""
    if (CHECKOUT / "devkit" / "browser_demo.py").is_file() and str(CHECKOUT) not in sys.path:
        sys.path.insert(0, str(CHECKOUT))
    try:
        return importlib.import_module("devkit.browser_demo")
    except ModuleNotFoundError as error:
        missing = (error.name or "").split(".")[0]
        if missing == "playwright":
            return "demo.browser.no_playwright"
        if missing == "devkit":
            return "demo.browser.no_checkout"
        raise


def play(host: HostPipe, lang: str) -> None:
    now = datetime.now(UTC)
    clock = iter(now - timedelta(seconds=60 - 5 * step) for step in range(12))

    def at() -> str:
        return next(clock).isoformat()

    def usage(operation: str, model: str | None = None) -> None:
        fields: dict[str, Any] = {"model": model} if model else {}
        host.request(
            "usage",
            event_id=str(uuid.uuid4()),
            account=ACCOUNT,
            operation=operation,
            at=at(),
            source="demo",
            **fields,
        )

    def balance(value: float) -> dict[str, Any]:
        return host.request("balance", account=ACCOUNT, balance=value, at=at())

    def say(key: str, indent: str = "", **params: object) -> None:
        print(indent + text(lang, key, **params))

    hello = host.request("hello", extension_version="demo", browser="demo")
    say("demo.hello", version=hello["host_version"], device=hello["device_name"])
    print()

    say("demo.step.image")
    balance(100)
    usage("image", "nano-banana-pro")
    balance(60)
    say("demo.step.phone")
    tally = balance(45)["tally"]
    devices = host.request("status")["devices"]
    print_tally(tally, devices, lang)

    say("demo.step.video")
    advice = host.request(
        "preflight",
        account=ACCOUNT,
        operation="video",
        model="veo3.1",
        prompt_chars=12,
        language=lang,
    )
    say(
        "demo.verdict",
        "   ",
        level=text(lang, f"advice.level.{advice['level']}"),
        cost=credits(lang, advice["estimated_cost"]),
        source=text(lang, f"advice.source.{advice['estimate_source']}"),
        remaining=credits(lang, advice["remaining"]),
    )
    print(f"   {advice['message']}")
    for item in advice["reasons"] + advice["tips"]:
        print(f"   - {item['text']}")
    if advice["alternatives"]:
        names = ", ".join(a["name"] for a in advice["alternatives"])
        say("demo.alternatives", "   ", names=names)
    print()

    say("demo.step.diagnose")
    steps = host.request(
        "diagnose",
        account=ACCOUNT,
        language=lang,
        signals={"exhausted_text_seen": True, "page_balance": 45},
    )["steps"]
    for place, step in enumerate(steps, 1):
        print(f"   {place}. {step['why']}\n      → {step['how']}")
    print()
    say("demo.done")
