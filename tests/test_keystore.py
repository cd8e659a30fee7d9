"""Keystore: the group secret goes through keyring only, and probe never reveals it.

Every test uses an in-memory keyring backend: nothing is written to a real keychain.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import fail, null
from keyring.errors import PasswordDeleteError, PasswordSetError

from native_host import keystore

SECRET = "correct horse battery staple 7f3a"


class MemoryKeyring(KeyringBackend):
    """Keeps passwords in a dict for the life of the test."""

    priority = 1

    def __init__(self) -> None:
        super().__init__()
        self.store: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.store.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.store[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if self.store.pop((service, username), None) is None:
            raise PasswordDeleteError(username)


class BrokenKeyring(MemoryKeyring):
    """A locked keychain: every write fails."""

    def set_password(self, service: str, username: str, password: str) -> None:
        raise PasswordSetError("the keychain is locked")


@pytest.fixture
def memory() -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


def use(backend: KeyringBackend) -> None:
    keyring.set_keyring(backend)


def test_set_get_delete_round_trip(memory: MemoryKeyring) -> None:
    assert keystore.get_secret() is None
    keystore.set_secret(SECRET)
    assert memory.store == {("credit-guard", "group-secret"): SECRET}
    assert keystore.get_secret() == SECRET
    assert keystore.delete_secret() is True
    assert keystore.get_secret() is None
    assert keystore.delete_secret() is False


def test_empty_secret_is_refused(memory: MemoryKeyring) -> None:
    with pytest.raises(ValueError, match="empty"):
        keystore.set_secret("")
    assert memory.store == {}


def test_probe_reports_a_working_backend_without_the_secret(memory: MemoryKeyring) -> None:
    ok, detail = keystore.probe()
    assert ok is True
    assert "MemoryKeyring works" in detail and "no group secret stored yet" in detail
    keystore.set_secret(SECRET)
    ok, detail = keystore.probe()
    assert ok is True and "a group secret is stored" in detail
    assert SECRET not in detail
    assert memory.store == {("credit-guard", "group-secret"): SECRET}  # probe left nothing


def test_probe_reports_the_fail_backend_clearly(memory: MemoryKeyring) -> None:
    use(fail.Keyring())
    ok, detail = keystore.probe()
    assert ok is False
    assert "no usable keyring backend" in detail
    assert "keyring.backends.fail.Keyring" in detail
    assert "PYTHON_KEYRING_BACKEND" in detail


def test_probe_reports_a_failing_write(memory: MemoryKeyring) -> None:
    use(BrokenKeyring())
    ok, detail = keystore.probe()
    assert ok is False
    assert "PasswordSetError" in detail and "locked" in detail


def test_probe_reports_a_backend_that_keeps_nothing(memory: MemoryKeyring) -> None:
    use(null.Keyring())
    ok, detail = keystore.probe()
    assert ok is False and "does not keep" in detail


def test_importing_keystore_does_not_load_keyring() -> None:
    code = "import sys, native_host.keystore; print('keyring' in sys.modules)"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "False"
