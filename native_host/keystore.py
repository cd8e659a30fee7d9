"""The sync group secret, kept in the OS keyring and nowhere else.

The secret never goes to a file, a log or a message: functions here return it only to
the caller that asked for it, and `probe` reports on the backend without ever reading
it out. `keyring` is imported inside each function, because loading it (and its
backends) would slow down the browser-launched host, which never needs it.
"""

from __future__ import annotations

import secrets
from typing import Final

SERVICE: Final = "credit-guard"
USERNAME: Final = "group-secret"
PROBE_USERNAME: Final = "doctor-probe"  # a throwaway entry; never the real secret


def get_secret() -> str | None:
    """The stored group secret, or None when this device has not joined a group."""
    import keyring

    value: str | None = keyring.get_password(SERVICE, USERNAME)
    return value


def set_secret(secret: str) -> None:
    """Store (or replace) the group secret."""
    import keyring

    if not secret:
        raise ValueError("the group secret must not be empty")
    keyring.set_password(SERVICE, USERNAME, secret)


def delete_secret() -> bool:
    """Forget the group secret; False when there was none."""
    import keyring
    from keyring.errors import PasswordDeleteError

    if keyring.get_password(SERVICE, USERNAME) is None:
        return False
    try:
        keyring.delete_password(SERVICE, USERNAME)
    except PasswordDeleteError:
        return False
    return True


def probe() -> tuple[bool, str]:
    """Check that a keyring backend can store, read back and delete a value.

    Writes a random throwaway value under `PROBE_USERNAME`, reads it back and deletes
    it. The detail names the backend and says whether a group secret is stored, never
    what it is.

    Returns:
        (ok, detail): detail says what to fix when ok is False.
    """
    import keyring
    from keyring.backends import fail

    backend = keyring.get_keyring()
    name = f"{type(backend).__module__}.{type(backend).__qualname__}"
    if isinstance(backend, fail.Keyring):
        return False, (
            f"no usable keyring backend ({name}); install and unlock one (GNOME Keyring or "
            "KWallet on Linux; macOS Keychain and Windows Credential Locker work out of "
            "the box) or choose one with PYTHON_KEYRING_BACKEND"
        )
    token = secrets.token_hex(16)
    try:
        keyring.set_password(SERVICE, PROBE_USERNAME, token)
        read_back = keyring.get_password(SERVICE, PROBE_USERNAME)
        keyring.delete_password(SERVICE, PROBE_USERNAME)
        stored = keyring.get_password(SERVICE, USERNAME) is not None
    except Exception as exc:  # any backend failure is the answer, not a crash
        return False, f"keyring backend {name} failed: {type(exc).__name__}: {exc}"
    if read_back != token:
        return False, f"keyring backend {name} does not keep what is stored in it"
    state = "a group secret is stored" if stored else "no group secret stored yet"
    return True, f"keyring backend {name} works; {state}"
