"""Account names: one spelling per account, the same on both sides (see accounts.py)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from native_host.accounts import is_email, normalize_account

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
