"""Watch the helper do its job on a simulated Genspark day, no account needed.

Starts the real helper over real pipes with a throw-away data directory (your own
tally is not touched), feeds it what the extension would see, and prints its answers:
the tally, usage from "other devices", a warning before a video, and a diagnosis, in
your language (the `language` setting, or --lang).

Example:
  credit-guard demo
  credit-guard demo --lang ja
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from native_host.commands.status import print_tally
from native_host.i18n import credits, text
from native_host.local import cli_language
from native_host.paths import ENV_HOME
from native_host.pipe_client import HostPipe

ACCOUNT = "demo@example.com"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    del parser  # no options of its own; the language is the CLI's (--lang, the setting)


def host_command() -> list[str]:
    """The helper as the browser would start it (the frozen binary, or this Python)."""
    if getattr(sys, "frozen", False):
        return [sys.executable]
    return [sys.executable, "-m", "native_host"]


def run(args: argparse.Namespace) -> int:
    with tempfile.TemporaryDirectory(prefix="credit-guard-demo-") as home:
        env = {**os.environ, ENV_HOME: home}
        with HostPipe([*host_command(), "chrome-extension://demo/"], env) as host:
            play(host, cli_language())
    return 0


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
