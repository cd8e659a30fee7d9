"""Account names: one spelling per account, the same on both sides (see accounts.py)."""

from __future__ import annotations

import json
import random
import shutil
import sqlite3
import subprocess
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from native_host.accounts import is_email, normalize_account
from native_host.ledger.store import MIGRATIONS, Ledger, db_time
from native_host.tallies import Tallies
from tests.hostproc import HostProcess

TABLE: list[dict[str, Any]] = json.loads(
    (Path(__file__).parent / "fixtures" / "account-names.json").read_text(encoding="utf-8")
)["cases"]


@pytest.mark.parametrize("row", TABLE, ids=[row["case"] for row in TABLE])
def test_the_shared_table(row: dict[str, Any]) -> None:
    """tests/extension/shared-account.test.js checks the extension against the same rows."""
    assert normalize_account(row["input"]) == row["account"]
    assert is_email(row["account"]) is row["email"]


@given(st.text())
def test_normalizing_is_idempotent(name: str) -> None:
    once = normalize_account(name)
    assert normalize_account(once) == once


@given(st.text(alphabet=st.sampled_from(" \u200b\u200e\u202e\u2066\ufeff\u3000\t")))
def test_a_name_of_spaces_and_invisible_characters_is_empty(name: str) -> None:
    assert normalize_account(name) == ""


# -- the helper: every account that arrives is normalized ---------------------------------


def test_lookalike_accounts_are_one_account_over_real_pipes(tmp_path: Path) -> None:
    """The spellings the issue measured as three accounts are one, with one tally."""
    helper = HostProcess(tmp_path)
    try:
        at = datetime.now(UTC).isoformat()
        for n, name in enumerate([" me@example.com ", "ME@Example.com", "me\u200b@example.com"]):
            fields = {"account": name, "operation": "image", "at": at, "credits": 5}
            reply = helper.request("usage", event_id=str(uuid.uuid4()), **fields)
            assert reply["tally"]["account"] == "me@example.com"
            assert reply["tally"]["used"]["total"] == 5 * (n + 1)
        reply = helper.request("balance", account="\u202eME@example.com", balance=80, at=at)
        assert reply["tally"]["observed_balance"] == 80
        status = helper.request("status")
        assert [t["account"] for t in status["accounts"]] == ["me@example.com"]
        config = helper.request("config.set", account="\ufeffMe@Example.COM", plan="plus")
        assert config["account"]["account"] == "me@example.com"
        assert helper.request("status", account="me@example.com")["accounts"][0]["plan"] == "plus"
        error = helper.request("status", account="\u200b \u200e")["error"]
        assert error["code"] == "invalid" and error["params"]["problems"][0]["field"] == "account"
    finally:
        assert helper.close() == 0


def test_a_ledger_from_before_normalization_is_folded_into_one_account(tmp_path: Path) -> None:
    """A real SQLite file as the previous version left it (first migration only, three
    spellings of one account) is migrated once when the helper opens it."""
    path = tmp_path / "ledger.sqlite3"
    db = sqlite3.connect(path)
    db.executescript(MIGRATIONS[0][1])
    db.execute("PRAGMA user_version = 1")
    now = datetime.now(UTC)
    spellings = [" me@example.com ", "ME@Example.com", "me\u200b@example.com", "\u200b"]
    for seq, name in enumerate(spellings, start=1):
        body = json.dumps({"operation": "image", "credits": 5})
        db.execute(
            "INSERT INTO events VALUES ('old-device', ?, ?, ?, 'usage', ?, ?, ?)",
            (seq, str(uuid.uuid4()), name, db_time(now), body, db_time(now)),
        )
    db.commit()
    db.close()

    ledger = Ledger(path, device_name="laptop")
    try:
        assert ledger.accounts() == ["me@example.com", "\u200b"]  # nothing visible: left as is
        assert Tallies(ledger).tally("me@example.com", now).used_total == 15
    finally:
        ledger.close()
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA user_version").fetchone() == (len(MIGRATIONS),)
    db.close()
    Ledger(path).close()  # opening again changes nothing


# Letters in both cases, accents composed and not, final sigma, dotted I, fullwidth forms,
# astral letters, every kind of space and invisible character the rule knows, and some it
# does not (U+2065, U+FFF9), so the two sides are compared beyond the table.
TRICKY = (
    "aZé\u0301É\u00dfΣσς\u0130\u0131\u212b\uff2d\uff4d\U00010400\U0001d400@@..  "
    "\t\n\u00a0\u1680\u2000\u200a\u2028\u3000\u0085"
    "\u00ad\u061c\u180e\u200b\u200c\u200d\u200e\u200f\u202a\u202e\u2060\u2064\u2066\u2069\ufeff"
    "\u2065\ufff9"
)


def test_the_extension_agrees_on_random_names() -> None:
    """Thousands of random names through extension/shared/account.js in node, compared
    with the helper's answers (the table above covers the cases we thought of)."""
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed")
    rng = random.Random(7)
    names = ["".join(rng.choices(TRICKY, k=rng.randint(0, 12))) for _ in range(3000)]
    module = (Path(__file__).parent.parent / "extension" / "shared" / "account.js").as_uri()
    script = (
        f'import {{ normalizeAccount, isEmailAccount }} from "{module}";'
        'import { readFileSync } from "node:fs";'
        'const names = JSON.parse(readFileSync(0, "utf8"));'
        "const out = names.map((n) => [normalizeAccount(n), isEmailAccount(normalizeAccount(n))]);"
        "process.stdout.write(JSON.stringify(out));"
    )
    done = subprocess.run(
        [node, "--input-type=module", "-e", script],
        input=json.dumps(names),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    theirs = json.loads(done.stdout)
    ours = [[normalize_account(n), is_email(normalize_account(n))] for n in names]
    differing = [(n, o, t) for n, o, t in zip(names, ours, theirs, strict=True) if o != t]
    assert differing == []
