"""Membership of a sync group: pair, join, leave, name this device, sync now, and the
sync status every `sync.*` reply carries (docs/PROTOCOL.md, "sync.status").

A device is in a group when both hold: the group secret is in the OS keyring
(keystore.py, as lowercase hex) and the settings are in `sync.json` (sync_settings.py).
Joining stores the secret first and the settings last, and takes the secret back if the
settings cannot be written: a refused code or a failed step leaves no half-member.
Leaving deletes the secret, then the settings and what this device knew of the group's
hub or folder; the ledger's events stay.

The status reads only the settings and the ledger (no keyring, no cryptography), so the
status and diagnosis can use it cheaply; the rest of the sync core (cryptography) is
imported by the steps that need the secret. Every failure is a HostError whose message
people read, in the request's language.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, get_args

from native_host import keystore, sync_settings
from native_host.errors import ErrorCode, HostError
from native_host.i18n import text
from native_host.ledger.tally import rfc3339
from native_host.messages import MAX_DEVICE_NAME
from native_host.sync.exceptions import TransportProblem
from native_host.sync_settings import SyncSettings

if TYPE_CHECKING:
    from native_host.ledger.store import Ledger, Peer
    from native_host.sync.seal import GroupKeys
    from native_host.sync.transfer import Exchanged

log = logging.getLogger(__name__)

STALE_AFTER = timedelta(minutes=15)  # no successful exchange for this long: "stale"
SHOWN_GROUP = 8  # hex digits of the group id shown to compare devices (the whole id is 32)
# Why an exchange failed: the transport said, or the keyring (the background sync).
REASONS = frozenset(get_args(TransportProblem)) | {"keyring"}
T = TypeVar("T")


# -- the status --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Heard:
    """What this ledger knows of the devices: names, and the newest event from each."""

    this_device: str
    names: dict[str, str]
    newest: dict[str, datetime]


def status(ledger: Ledger, language: str, now: datetime) -> dict[str, Any]:
    """The sync status object of docs/PROTOCOL.md."""
    settings = current_settings()
    peer = ledger.peer(settings.transport) if settings is not None else None
    heard = Heard(ledger.device_id, ledger.device_names(), ledger.newest_events())
    return status_of(settings, heard, peer, now, language)


def status_of(
    settings: SyncSettings | None,
    heard: Heard,
    peer: Peer | None,
    now: datetime,
    language: str,
) -> dict[str, Any]:
    """The status from what it is made of (pure: no file, no ledger)."""
    others = (set(heard.names) | set(heard.newest)) - {heard.this_device}
    devices = [
        {
            "id": device,
            "name": heard.names.get(device),
            "last_event_at": rfc3339(heard.newest[device]) if device in heard.newest else None,
        }
        for device in sorted(others, key=lambda d: ((heard.names.get(d) or "").casefold(), d))
    ]
    reply: dict[str, Any] = {
        "state": "off",
        "transport": None,
        "hub_url": None,
        "folder": None,
        "group": None,
        "this_device": {"id": heard.this_device, "name": heard.names.get(heard.this_device)},
        "devices": devices,
        "last_sync_at": None,
        "last_error": None,
    }
    if settings is None:
        return reply
    reply |= {
        "transport": settings.transport,
        "hub_url": settings.hub_url,
        "folder": settings.folder,
        "group": settings.group[:SHOWN_GROUP],
        "state": state_of(peer, now),
    }
    if peer is not None and peer.last_sync_at is not None:
        reply["last_sync_at"] = rfc3339(peer.last_sync_at)
    if peer is not None and peer.last_error is not None:
        reason = peer.last_error if peer.last_error in REASONS else "protocol"
        reply["last_error"] = {
            "reason": peer.last_error,
            "message": text(language, f"sync.problem.{reason}"),
        }
    return reply


def sync_state(ledger: Ledger, now: datetime) -> str:
    """The state alone (for `status` and the diagnosis); "error" when sync.json cannot be
    read, since sync then cannot run."""
    try:
        settings = current_settings()
    except HostError:
        return "error"
    if settings is None:
        return "off"
    return state_of(ledger.peer(settings.transport), now)


def state_of(peer: Peer | None, now: datetime) -> str:
    """ok: the last exchange succeeded within STALE_AFTER (a kept connection or a folder
    being watched records one at least every minute); error: the last attempt failed;
    stale: no success for STALE_AFTER (or never, yet)."""
    if peer is not None and peer.last_error is not None:
        return "error"
    if (
        peer is not None
        and peer.last_sync_at is not None
        and now - peer.last_sync_at <= STALE_AFTER
    ):
        return "ok"
    return "stale"


def current_settings() -> SyncSettings | None:
    """This device's sync settings, None when it is in no group.

    Raises HostError(STORAGE) when sync.json cannot be read (leave clears it anyway)."""
    try:
        return sync_settings.load()
    except (sync_settings.SettingsError, OSError) as error:
        path = str(sync_settings.settings_path())
        raise HostError.for_people(
            ErrorCode.STORAGE, "sync.settings_unreadable", path=path, reason=str(error)
        ) from None


# -- joining and leaving -----------------------------------------------------------------


def pair(hub_url: str | None, folder: str | None) -> tuple[SyncSettings, str]:
    """Create a group through a hub or a shared folder, or (neither given) give the
    current group's pairing code again; returns the settings and the pairing code."""
    from native_host.sync.pairing import Pairing, encode
    from native_host.sync.seal import derive_keys, new_group_secret

    settings = current_settings()
    if settings is not None:
        if hub_url is not None or folder is not None:
            raise HostError.for_people(ErrorCode.ALREADY_PAIRED, "sync.already_paired")
        return settings, encode(Pairing(group_secret(settings), settings.hub_url))
    if (hub_url is None) == (folder is None):
        raise _invalid("", "sync.pair.choose")
    secret = new_group_secret()
    try:
        code = encode(Pairing(secret, hub_url))
    except ValueError:  # not ws:// or wss://, a space in it, or too long for a code
        raise _invalid("hub_url", "sync.hub_url_invalid", hub_url=hub_url) from None
    settings = SyncSettings(
        "hub" if hub_url else "folder",
        hub_url,
        None if folder is None else shared_folder(folder),
        derive_keys(secret).group_id.hex(),
    )
    _become_member(secret, settings)
    log.info("created a sync group through the %s", settings.transport)
    return settings, code


def join(code: str, folder: str | None) -> SyncSettings:
    """Join the group a pairing code names (a shared folder's code needs `folder`, this
    device's path of that folder). All of it or nothing."""
    from native_host.sync.exceptions import PairingCodeError
    from native_host.sync.pairing import decode
    from native_host.sync.seal import derive_keys

    if current_settings() is not None:
        raise HostError.for_people(ErrorCode.ALREADY_PAIRED, "sync.already_paired")
    try:
        pairing = decode(code)
    except PairingCodeError as error:
        position = None if error.position is None else error.position + 1
        raise HostError.for_people(
            ErrorCode.PAIRING_CODE,
            f"sync.pairing.{error.reason}",
            reason=error.reason,
            position=position,
        ) from None
    if pairing.hub_url is None and folder is None:
        raise _invalid("folder", "sync.join.folder_needed")
    if pairing.hub_url is not None and folder is not None:
        raise _invalid("folder", "sync.join.hub_code")
    settings = SyncSettings(
        "hub" if pairing.hub_url else "folder",
        pairing.hub_url,
        None if folder is None else shared_folder(folder),
        derive_keys(pairing.secret).group_id.hex(),
    )
    _become_member(pairing.secret, settings)
    log.info("joined a sync group through the %s", settings.transport)
    return settings


def leave(ledger: Ledger) -> None:
    """Leave the group: the secret leaves the keyring, the settings are removed, and what
    this device knew of the group's hub or folder is dropped. Events stay."""
    settings_existed = sync_settings.settings_path().is_file()
    try:
        secret_existed = _keyring(keystore.delete_secret)
    except HostError:
        _, usable = keystore.backend()
        if usable:  # the secret may be there and cannot be deleted: change nothing
            raise
        secret_existed = False  # no keyring at all holds no secret
    if not (settings_existed or secret_existed):
        raise HostError.for_people(ErrorCode.NOT_PAIRED, "sync.not_paired")
    sync_settings.clear()
    forget_peers(ledger)
    log.info("left the sync group")


def forget_peers(ledger: Ledger) -> None:
    """Drop what this device knew of a group's hub or folder: on leaving, and again on
    joining or creating a group (a sync of the old group, in another process, may have
    recorded something after the leave)."""
    for transport in sync_settings.TRANSPORTS:
        ledger.forget_peer(transport)


def name_device(ledger: Ledger, name: str) -> None:
    """Call this device `name`, trimmed: 1 to MAX_DEVICE_NAME characters. The name syncs
    (a `device` event), so the group's other devices show it too."""
    name = name.strip()
    if not 1 <= len(name) <= MAX_DEVICE_NAME:
        raise _invalid("name", "sync.name_invalid", most=MAX_DEVICE_NAME)
    ledger.name_device(ledger.device_id, name)


def sync_now(ledger: Ledger) -> Exchanged:
    """One full exchange with the group's hub or shared folder.

    Raises HostError: not_paired, keyring, or sync_failed with the transport's reason."""
    from native_host.sync import exchange
    from native_host.sync.exceptions import TransportError

    settings = current_settings()
    if settings is None:
        raise HostError.for_people(ErrorCode.NOT_PAIRED, "sync.not_paired")
    keys = group_keys(settings)
    try:
        done = exchange.sync_once(ledger, settings, keys)
    except TransportError as error:
        # info: the transport logged it; a warning would reach the CLI's stderr in English
        log.info("sync through the %s failed: %s", settings.transport, error.detail)
        raise HostError.for_people(
            ErrorCode.SYNC_FAILED, f"sync.problem.{error.reason}", reason=error.reason
        ) from None
    log.info("synced: %d sent, %d received, %d refused", done.sent, done.received, done.refused)
    return done


# -- the secret --------------------------------------------------------------------------


def group_secret(settings: SyncSettings) -> bytes:
    """The group secret from the keyring, checked against the settings' group id.

    Raises HostError(KEYRING) when it is gone, or is another group's."""
    from native_host.sync.seal import SECRET_BYTES, derive_keys

    stored = _keyring(keystore.get_secret)
    try:
        secret = bytes.fromhex(stored or "")
    except ValueError:
        secret = b""
    if len(secret) != SECRET_BYTES or derive_keys(secret).group_id.hex() != settings.group:
        raise HostError.for_people(ErrorCode.KEYRING, "sync.keyring.lost")
    return secret


def group_keys(settings: SyncSettings) -> GroupKeys:
    from native_host.sync.seal import derive_keys

    return derive_keys(group_secret(settings))


def shared_folder(folder: str) -> str:
    """The shared folder's path as kept: absolute, and a folder that exists here."""
    path = Path(folder).expanduser()
    try:
        usable = path.is_absolute() and path.is_dir()
    except OSError:  # one the system will not let us see: as good as missing here
        usable = False
    if not usable:
        raise _invalid("folder", "sync.folder_missing", folder=folder)
    return str(path)


def _become_member(secret: bytes, settings: SyncSettings) -> None:
    """The secret into the keyring, then the settings; the secret is taken back when the
    settings cannot be written, so a failure leaves this device in no group."""
    _keyring(lambda: keystore.set_secret(secret.hex()))
    try:
        sync_settings.save(settings)
    except OSError as error:
        _keyring(keystore.delete_secret)
        from native_host.ledger.store import unusable_folder

        raise unusable_folder(sync_settings.settings_path().parent, str(error)) from None


def _keyring(call: Callable[[], T]) -> T:
    """`call` on the keyring; any failure of the backend is HostError(KEYRING) saying how
    to get a keyring that works. The secret is in no message: backends never echo it."""
    try:
        return call()
    except Exception as error:  # each backend fails in its own way (D-Bus, locked, none)
        name, usable = keystore.backend()
        if not usable:
            raise HostError.for_people(
                ErrorCode.KEYRING, "sync.keyring.none", backend=name
            ) from None
        raise HostError.for_people(
            ErrorCode.KEYRING,
            "sync.keyring.failed",
            backend=name,
            error=f"{type(error).__name__}: {error}",
        ) from None


def _invalid(field: str, key: str, **params: Any) -> HostError:
    """An `invalid` error on one field, its message for people (problems as dispatch's)."""
    error = HostError.for_people(ErrorCode.INVALID, key, **params)
    error.params = {**params, "problems": [{"field": field, "problem": error.message}]}
    return error
