"""Keystore: the group secret goes through keyring only, and probe never reveals it.

Every test uses an in-memory keyring backend (the `memory_keyring` fixture of
tests/conftest.py): nothing is written to a real keychain.
"""

from __future__ import annotations

import subprocess
import sys

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import fail, null
from keyring.errors import PasswordSetError

from native_host import keystore
from tests.fakes import MemoryKeyring

SECRET = "correct horse battery staple 7f3a"


class BrokenKeyring(MemoryKeyring):
    """A locked keychain: every write fails."""

    def set_password(self, service: str, username: str, password: str) -> None:
        raise PasswordSetError("the keychain is locked")


def use(backend: KeyringBackend) -> None:
    keyring.set_keyring(backend)


def test_set_get_delete_round_trip(memory_keyring: MemoryKeyring) -> None:
    assert keystore.get_secret() is None
    keystore.set_secret(SECRET)
    assert memory_keyring.store == {("credit-guard", "group-secret"): SECRET}
    assert keystore.get_secret() == SECRET
    assert keystore.delete_secret() is True
    assert keystore.get_secret() is None
    assert keystore.delete_secret() is False


def test_empty_secret_is_refused(memory_keyring: MemoryKeyring) -> None:
    with pytest.raises(ValueError, match="empty"):
        keystore.set_secret("")
    assert memory_keyring.store == {}


def test_probe_reports_a_working_backend_without_the_secret(memory_keyring: MemoryKeyring) -> None:
    ok, detail = keystore.probe()
    assert ok is True
    assert "MemoryKeyring works" in detail and "no group secret stored yet" in detail
    keystore.set_secret(SECRET)
    ok, detail = keystore.probe()
    assert ok is True and "a group secret is stored" in detail
    assert SECRET not in detail
    assert memory_keyring.store == {("credit-guard", "group-secret"): SECRET}  # probe left nothing


def test_probe_reports_the_fail_backend_clearly(memory_keyring: MemoryKeyring) -> None:
    use(fail.Keyring())
    ok, detail = keystore.probe()
    assert ok is False
    assert "no usable keyring backend" in detail
    assert "keyring.backends.fail.Keyring" in detail
    assert "PYTHON_KEYRING_BACKEND" in detail


def test_a_named_backend_that_cannot_load_is_reported_not_raised(
    memory_keyring: MemoryKeyring, monkeypatch: pytest.MonkeyPatch
) -> None:
    """keyring raises from every call when the backend PYTHON_KEYRING_BACKEND names cannot
    load (a module missing, or missing from a frozen build; SecretService without D-Bus):
    doctor and sync say which and why instead of crashing."""
    import keyring.core

    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "no_such_keyring_module.Keyring")
    monkeypatch.setattr(keyring.core, "_keyring_backend", None)  # detect again
    name, usable = keystore.backend()
    assert usable is False
    assert name == (
        "no_such_keyring_module.Keyring: ModuleNotFoundError:"
        " No module named 'no_such_keyring_module'"
    )
    ok, detail = keystore.probe()
    assert ok is False
    assert "no usable keyring backend" in detail and f"({name})" in detail


def test_probe_reports_a_failing_write(memory_keyring: MemoryKeyring) -> None:
    use(BrokenKeyring())
    ok, detail = keystore.probe()
    assert ok is False
    assert "PasswordSetError" in detail and "locked" in detail


def test_probe_reports_a_backend_that_keeps_nothing(memory_keyring: MemoryKeyring) -> None:
    use(null.Keyring())
    ok, detail = keystore.probe()
    assert ok is False and "does not keep" in detail


def test_importing_keystore_does_not_load_keyring() -> None:
    code = "import sys, native_host.keystore; print('keyring' in sys.modules)"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "False"
