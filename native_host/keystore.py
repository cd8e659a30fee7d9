"""The sync group secret, kept in the OS keyring and nowhere else.

The secret never goes to a file, a log or a message: functions here return it only to
the caller that asked for it, and `probe` reports on the backend without ever reading
it out. `keyring` is imported inside each function, because loading it (and its
backends) would slow down the browser-launched host, which never needs it.
"""

from __future__ import annotations

import os
import secrets
from typing import Final

from native_host.i18n import text

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


def backend() -> tuple[str, bool]:
    """The keyring backend's dotted name, and False when it is keyring's stand-in for
    "no backend found" (every call to it fails), or when the backend named in
    PYTHON_KEYRING_BACKEND (or keyring's keyringrc.cfg) cannot load here: then the name
    says why (SecretService without D-Bus, a module that is not installed or bundled)."""
    import keyring
    from keyring.backends import fail

    try:
        chosen = keyring.get_keyring()
    except Exception as error:  # keyring raises what the named backend raised
        named = os.environ.get("PYTHON_KEYRING_BACKEND", "keyringrc.cfg")
        return f"{named}: {type(error).__name__}: {error}", False
    return f"{type(chosen).__module__}.{type(chosen).__qualname__}", not isinstance(
        chosen, fail.Keyring
    )


def probe(language: str = "en") -> tuple[bool, str]:
    """Check that a keyring backend can store, read back and delete a value.

    Writes a random throwaway value under `PROBE_USERNAME`, reads it back and deletes
    it. The detail names the backend and says whether a group secret is stored, never
    what it is.

    Returns:
        (ok, detail): detail, in `language`, says what to fix when ok is False.
    """
    import keyring

    name, usable = backend()
    if not usable:
        return False, text(language, "keyring.none", backend=name)
    token = secrets.token_hex(16)
    try:
        keyring.set_password(SERVICE, PROBE_USERNAME, token)
        read_back = keyring.get_password(SERVICE, PROBE_USERNAME)
        keyring.delete_password(SERVICE, PROBE_USERNAME)
        stored = keyring.get_password(SERVICE, USERNAME) is not None
    except Exception as exc:  # any backend failure is the answer, not a crash
        error = f"{type(exc).__name__}: {exc}"
        return False, text(language, "keyring.failed", backend=name, error=error)
    if read_back != token:
        return False, text(language, "keyring.forgets", backend=name)
    return True, text(language, "keyring.works_stored" if stored else "keyring.works", backend=name)
