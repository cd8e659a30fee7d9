"""One source of site knowledge: the page's texts, in every language, are known only to
the extension's site rules (extension/site/genspark.json); the helper diagnoses from the
kinds the extension gives them (`signals.text_kinds`).

These tests run the extension's real classification (node: site/rules.js and the trouble
watch's signals) on every text in the data, then the helper's real diagnosis on exactly
what the extension would send, so English, Japanese, Korean and Chinese texts of one kind
lead to the same steps on both sides.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from native_host.diagnosis import MachineFacts, diagnose
from native_host.messages import TEXT_KINDS, Signals
from tests.factories import NOW
from tests.hostproc import HostProcess

REPO = Path(__file__).resolve().parents[1]
SITE = json.loads((REPO / "extension" / "site" / "genspark.json").read_text(encoding="utf-8"))
LANGUAGES = ("en", "ja", "ko", "zh")

# The step each kind leads with (no tally, no page balance: nothing else to go on).
LEADING_STEP = {
    "exhausted": "wait_reset",
    "window_limit": "wait_reset",
    "rate_limit_cf2": "wait_rate_limit",
    "rate_limit_cf1": "wait_rate_limit",
    "too_quickly": "wait_rate_limit",
    "overloaded": "check_status",
    "unavailable": "check_status",
    "challenge": "check_status",
    "signed_out": "relogin",
}

# The extension's side: each text through rules.classifyText and the trouble watch's
# snapshot, which is what content/features/trouble-watch.js sends with `diagnose`.
EXTENSION = """
import { readFileSync } from "node:fs";
import { createRules, TEXT_KINDS } from "./extension/site/rules.js";
import { createTroubleSignals } from "./extension/content/features/trouble-watch.js";

const rules = createRules(JSON.parse(readFileSync("extension/site/genspark.json", "utf8")));
const { texts, now } = JSON.parse(readFileSync(0, "utf8"));
const signals = texts.map((text) => {
  const watch = createTroubleSignals(rules);
  watch.noteText(text);
  return watch.snapshot(now, null);
});
console.log(JSON.stringify({ kinds: [...TEXT_KINDS], signals }));
"""


def site_texts() -> list[tuple[str, str, str]]:
    """(kind, language, text) for every needle in the data, bare and inside a sentence."""
    texts = []
    for entry in SITE["texts"]["kinds"]:
        for language, needles in entry["needles"].items():
            for needle in needles:
                texts.append((entry["kind"], language, needle))
                texts.append((entry["kind"], language, f"Genspark: {needle.upper()} (2)"))
    return texts


@cache
def extension_view(texts: tuple[str, ...]) -> tuple[frozenset[str], tuple[dict[str, Any], ...]]:
    """The extension's text kinds and the `diagnose` signals it would send for each text."""
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is needed to run the extension's site rules")
    run = subprocess.run(
        [node, "--input-type=module", "-e", EXTENSION],
        cwd=REPO,
        input=json.dumps({"texts": list(texts), "now": NOW.timestamp() * 1000}),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    answer = json.loads(run.stdout)
    return frozenset(answer["kinds"]), tuple(answer["signals"])


def step_ids(signals: dict[str, Any], language: str) -> list[str]:
    steps = diagnose(
        Signals.model_validate(signals),
        tally=None,
        machine=MachineFacts(),
        language=language,
        now=NOW,
    )
    return [step["id"] for step in steps]


def test_both_sides_know_the_same_text_kinds() -> None:
    kinds, _ = extension_view(())
    assert kinds == set(TEXT_KINDS), "rules.js TEXT_KINDS and messages.py TextKind differ"
    assert {entry["kind"] for entry in SITE["texts"]["kinds"]} == set(TEXT_KINDS)
    assert set(LEADING_STEP) == set(TEXT_KINDS)


def test_the_data_has_texts_in_every_language_for_the_kinds_people_read() -> None:
    """Kinds whose texts are the site's English codes (cf1, cf2, not login) excepted."""
    for entry in SITE["texts"]["kinds"]:
        if entry["kind"] in ("rate_limit_cf1", "rate_limit_cf2", "signed_out"):
            continue
        assert set(entry["needles"]) == set(LANGUAGES), entry["kind"]


@pytest.mark.parametrize("ui_language", ["en", "ja"])
def test_every_text_of_a_kind_leads_to_the_same_steps_in_every_language(
    ui_language: str,
) -> None:
    texts = site_texts()
    _, signals = extension_view(tuple(text for _, _, text in texts))
    steps_by_kind: dict[str, dict[tuple[str, ...], list[str]]] = {}
    for (kind, language, text), sent in zip(texts, signals, strict=True):
        assert sent["text_kinds"] == [kind], f"the extension read {text!r} as {sent}"
        assert "error_texts" not in sent, "the helper reads no site text"
        ids = tuple(step_ids(sent, ui_language))
        steps_by_kind.setdefault(kind, {}).setdefault(ids, []).append(f"{language}: {text}")
    for kind, outcomes in steps_by_kind.items():
        assert len(outcomes) == 1, f"{kind} gives different steps by language: {outcomes}"
        (ids,) = outcomes
        assert ids[0] == LEADING_STEP[kind], (kind, ids)


def test_the_japanese_rate_limit_text_is_diagnosed_like_the_english_one(tmp_path: Path) -> None:
    """The issue's case, over the real helper process: both lead with wait_rate_limit."""
    japanese = "リクエストが多すぎます。しばらくしてからもう一度お試しください"
    english = "Too many requests. Please try again later."
    _, (ja_signals, en_signals) = extension_view((japanese, english))
    helper = HostProcess(tmp_path)
    try:
        replies = [
            helper.request("diagnose", account="me@example.com", signals=signals, language=ui)
            for signals in (ja_signals, en_signals)
            for ui in ("en", "ja")
        ]
    finally:
        assert helper.close() == 0
    assert all(reply["ok"] for reply in replies), replies
    orders = {tuple(step["id"] for step in reply["steps"]) for reply in replies}
    assert orders == {("wait_rate_limit",)}, orders
