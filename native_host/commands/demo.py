"""Watch the helper do its job on a simulated Genspark day, no account needed.

Starts the real helper over real pipes with a throw-away data directory (your own
tally is not touched), feeds it what the extension would see, and prints its answers:
the tally, usage from "other devices", a warning before a video, and a diagnosis.

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

    hello = host.request("hello", extension_version="demo", browser="demo")
    print(f"Helper {hello['host_version']} answering (device {hello['device_name']}).\n")

    print("1. The page shows 100 credits; you generate an image, the page shows 60.")
    balance(100)
    usage("image", "nano-banana-pro")
    balance(60)
    print("2. Your phone uses 15 credits the extension never saw; the page now shows 45.")
    tally = balance(45)["tally"]
    devices = host.request("status")["devices"]
    print_tally(tally, devices)

    print("3. You ask for a video. Before anything is sent, the page asks the helper:")
    advice = host.request(
        "preflight",
        account=ACCOUNT,
        operation="video",
        model="veo3.1",
        prompt_chars=12,
        language=lang,
    )
    print(
        f"   level: {advice['level'].upper()}  estimated cost: {advice['estimated_cost']}"
        f" ({advice['estimate_source']}), remaining {advice['remaining']}"
    )
    print(f"   {advice['message']}")
    for item in advice["reasons"] + advice["tips"]:
        print(f"   - {item['text']}")
    if advice["alternatives"]:
        print("   alternatives: " + ", ".join(a["name"] for a in advice["alternatives"]))
    print()

    print("4. The page says credits are used up, though the tally says 45 remain:")
    steps = host.request(
        "diagnose",
        account=ACCOUNT,
        language=lang,
        signals={"exhausted_text_seen": True, "page_balance": 45},
    )["steps"]
    for number, step in enumerate(steps, 1):
        print(f"   {number}. [{step['id']}] {step['why']}\n      → {step['how']}")
    print("\nNothing was written to your own data: the demo used a temporary directory.")
