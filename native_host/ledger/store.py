"""The ledger's SQLite shell: append events, read them back, nothing else.

WAL mode with synchronous=FULL: an `append` returns only after its transaction is
durable, so a reply sent after it never acknowledges something a crash can take back.
Writers take the lock up front (BEGIN IMMEDIATE), so two helpers on one device (two
browsers) serialize cleanly and number their events without gaps or clashes.

A connection keeps writing to its file after the file is deleted or replaced (a user
removing or restoring the data folder), and such writes vanish at the next start. So
every commit is checked against the file now at the path (`moved`) before anyone is told
it succeeded; the host reopens the ledger before the next request (context.Context.open).
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
import time
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from native_host import paths
from native_host.accounts import normalize_account
from native_host.errors import ErrorCode, HostError
from native_host.framing import well_formed
from native_host.ledger.events import (
    DEVICE_KIND,
    Event,
    NewEvent,
    forgotten,
    normalize_event_id,
    sort_key,
)
from native_host.ledger.vectors import VersionVector, contiguous, preferred

# Named, ordered migrations; user_version is the number applied. Append only.
MIGRATIONS: tuple[tuple[str, str], ...] = (
    (
        "create events and meta",
        """
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE devices (device_id TEXT PRIMARY KEY, name TEXT NOT NULL);
        CREATE TABLE events (
            device_id TEXT NOT NULL,
            seq INTEGER NOT NULL,
            event_id TEXT NOT NULL UNIQUE,
            account TEXT NOT NULL,
            kind TEXT NOT NULL,
            at TEXT NOT NULL,
            body TEXT NOT NULL,
            recorded_at TEXT NOT NULL,
            PRIMARY KEY (device_id, seq)
        );
        CREATE INDEX events_by_account ON events (account, kind, at);
        """,
    ),
    (
        # Ledgers from before accounts were normalized may hold " Me@Example.com " beside
        # "me@example.com": one account, so one spelling (normalize_account, registered
        # on the connection). Balance ids derived from the old spelling stay as they are; a
        # name with nothing visible left stays too, rather than join the global settings.
        "normalize account names",
        "UPDATE events SET account = normalize_account(account)"
        " WHERE account != normalize_account(account) AND normalize_account(account) != ''",
    ),
    (
        # Sync (docs/PROTOCOL.md, "Sync"): every (device, seq) a ledger holds, even when two
        # devices recorded one operation under the same event id and the event is stored
        # once; events synced with a body this version cannot read (kept, passed on, not
        # counted: messages.readable); what this device knows of each peer. A trigger
        # gives every event appended its position, also when a helper from before this
        # migration (still running in another browser) appends it.
        "positions and peers for sync",
        """
        CREATE TABLE positions (
            device_id TEXT NOT NULL,
            seq INTEGER NOT NULL,
            event_id TEXT NOT NULL,
            PRIMARY KEY (device_id, seq)
        );
        INSERT INTO positions (device_id, seq, event_id)
            SELECT device_id, seq, event_id FROM events;
        CREATE TRIGGER events_have_positions AFTER INSERT ON events BEGIN
            INSERT OR IGNORE INTO positions (device_id, seq, event_id)
                VALUES (NEW.device_id, NEW.seq, NEW.event_id);
        END;
        ALTER TABLE events ADD COLUMN readable INTEGER NOT NULL DEFAULT 1;
        CREATE TABLE peers (
            peer_id TEXT PRIMARY KEY,
            vector TEXT NOT NULL DEFAULT '{}',
            last_sync_at TEXT,
            last_error TEXT
        );
        """,
    ),
)

BUSY_TIMEOUT_MS = 10_000
log = logging.getLogger(__name__)


def db_time(moment: datetime) -> str:
    """A fixed-width UTC spelling, so text order is time order in SQL."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _from_db_time(text: str) -> datetime:
    """db_time's text back, aware in UTC: fromisoformat is C code, about 40 times as fast
    as strptime (which also imports _strptime), and every event read passes here."""
    return datetime.fromisoformat(text)


class Ledger:
    """One connection to the ledger file; the device's identity lives in it."""

    def __init__(self, path: Path, *, device_name: str | None = None) -> None:
        self.path = path
        self._batch_depth = 0
        # Two browsers may start their helpers at once on a new ledger; switching it to
        # WAL and migrating can then meet a lock SQLite reports without waiting. Opening
        # is idempotent, so it is simply tried again for as long as a busy write may wait.
        deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
        delay = 0.01
        while True:
            try:
                self._open(device_name)
                return
            except (sqlite3.Error, HostError) as error:
                cause = error.__cause__ if isinstance(error, HostError) else error
                contended = isinstance(cause, sqlite3.OperationalError) and any(
                    word in str(cause) for word in ("locked", "busy")
                )
                if hasattr(self, "_db"):
                    self._db.close()
                if not contended or time.monotonic() + delay > deadline:
                    if isinstance(error, HostError):
                        raise
                    message = f"cannot open the ledger at {path}: {error}"
                    raise HostError(ErrorCode.STORAGE, message) from error
                log.info("ledger busy while opening (%s); trying again", cause)
                time.sleep(delay)
                delay = min(delay * 2, 0.25)

    def _open(self, device_name: str | None) -> None:
        self._db = sqlite3.connect(
            self.path, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False
        )
        self._db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        self._db.execute("PRAGMA journal_mode = WAL")  # creates the file if it is new
        self._file = self._file_on_disk()
        self._db.execute("PRAGMA synchronous = FULL")
        self._db.create_function("normalize_account", 1, normalize_account, deterministic=True)
        self._migrate()
        self.device_id, self.device_name = self._identity(device_name)

    def close(self) -> None:
        self._db.close()

    def _file_on_disk(self) -> tuple[int, int] | None:
        """The identity (device, inode) of the file now at `path`; None if there is none."""
        try:
            found = os.stat(self.path)
        except OSError:
            return None
        return found.st_dev, found.st_ino

    def moved(self) -> bool:
        """True when the file at `path` is no longer the one this connection writes to:
        it was deleted, or replaced by another file."""
        return self._file is None or self._file_on_disk() != self._file

    @contextmanager
    def batch(self) -> Iterator[None]:
        """Group the writes inside into one durable commit.

        The host answers pipelined requests this way: one fsync for all of them, each
        reply sent only after the batch commits. Each write inside is a savepoint, so a
        failed one undoes only itself. Raises HostError(STORAGE) if the commit fails, in
        which case nothing inside was stored.
        """
        with self._writing():
            self._batch_depth += 1
            try:
                yield
            finally:
                self._batch_depth -= 1

    @contextmanager
    def _writing(self) -> Iterator[sqlite3.Connection]:
        """One IMMEDIATE transaction (a savepoint inside a batch): committed on leaving,
        rolled back on any error; a commit into a file no longer at `path` (see `moved`)
        raises HostError(STORAGE), so it is never acknowledged."""
        begin, commit = "BEGIN IMMEDIATE", ["COMMIT"]
        rollback = ["ROLLBACK"]
        outermost = not self._batch_depth
        if not outermost:
            begin, commit = "SAVEPOINT write", ["RELEASE write"]
            rollback = ["ROLLBACK TO write", "RELEASE write"]
        try:
            self._db.execute(begin)
            try:
                yield self._db
            except BaseException:
                for statement in rollback:
                    self._db.execute(statement)
                raise
            for statement in commit:
                self._db.execute(statement)
        except sqlite3.Error as error:
            # The user can fix this one: say how. (No errorname when the module raised it.)
            if getattr(error, "sqlite_errorname", None) == "SQLITE_READONLY":
                raise unusable_folder(self.path.parent, str(error)) from error
            raise HostError(ErrorCode.STORAGE, f"the ledger could not commit: {error}") from error
        if outermost and self.moved():
            raise HostError(
                ErrorCode.STORAGE,
                f"the ledger file {self.path} was removed or replaced while the helper was"
                " running: nothing was recorded; send it again",
            )

    def _migrate(self) -> None:
        (applied,) = self._db.execute("PRAGMA user_version").fetchone()
        if applied >= len(MIGRATIONS):
            return
        with self._writing() as db:
            (applied,) = db.execute(
                "PRAGMA user_version"
            ).fetchone()  # another process may have won
            for _name, script in MIGRATIONS[applied:]:
                statement = ""
                for piece in script.split(";"):  # a trigger's body holds ";" too
                    statement += piece + ";"
                    if sqlite3.complete_statement(statement):
                        if statement.strip(" \n;"):
                            db.execute(statement)
                        statement = ""
            db.execute(f"PRAGMA user_version = {len(MIGRATIONS)}")

    def _identity(self, device_name: str | None) -> tuple[str, str]:
        """This device's id (created once) and name (the host name unless told).

        Read first: the usual start writes nothing, which keeps cold start cheap."""
        known = self._read(
            "SELECT meta.value, devices.name FROM meta JOIN devices"
            " ON devices.device_id = meta.value WHERE meta.key = 'device_id'",
            [],
        )
        if known and (not device_name or known[0][1] == device_name):
            return str(known[0][0]), str(known[0][1])
        with self._writing() as db:
            db.execute(
                "INSERT OR IGNORE INTO meta (key, value) VALUES ('device_id', ?)",
                (str(uuid.uuid4()),),
            )
            (device_id,) = db.execute("SELECT value FROM meta WHERE key = 'device_id'").fetchone()
            row = db.execute(
                "SELECT name FROM devices WHERE device_id = ?", (device_id,)
            ).fetchone()
            if row is None or (device_name and row[0] != device_name):
                import socket  # only on the first start of a ledger: its import is not free

                name = device_name or socket.gethostname() or "this device"
                db.execute(
                    "INSERT OR REPLACE INTO devices (device_id, name) VALUES (?, ?)",
                    (device_id, name),
                )
            else:
                name = row[0]
        return str(device_id), str(name)

    def append(self, events: Sequence[NewEvent]) -> list[Event | None]:
        """Append in one durable transaction; None in the result marks an event id seen
        before (the event is counted once, however often it is sent)."""
        stored: list[Event | None] = []
        recorded_at = db_time(datetime.now(UTC))
        with self._writing() as db:
            # Positions, not events: an event of ours may be kept under another device's
            # position (vectors.preferred), and its number must never be given out again.
            (seq,) = db.execute(
                "SELECT COALESCE(MAX(seq), 0) FROM positions WHERE device_id = ?",
                (self.device_id,),
            ).fetchone()
            for new in events:
                cursor = db.execute(
                    "INSERT INTO events (device_id, seq, event_id, account, kind, at, body,"
                    " recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
                    " ON CONFLICT (event_id) DO NOTHING",
                    (
                        self.device_id,
                        seq + 1,
                        new.event_id,
                        new.account,
                        new.kind,
                        db_time(new.at),
                        json.dumps(new.body, separators=(",", ":")),
                        recorded_at,
                    ),
                )
                if cursor.rowcount == 1:  # its position: the trigger events_have_positions
                    seq += 1
                    stored.append(
                        Event(
                            new.event_id,
                            new.account,
                            new.kind,
                            new.at,
                            new.body,
                            self.device_id,
                            seq,
                        )
                    )
                else:
                    stored.append(None)
        return stored

    def events(
        self, account: str, *, since: datetime | None = None, kinds: Sequence[str] = ()
    ) -> list[Event]:
        """The account's events at or after `since`, in fold order (sort_key)."""
        query = "SELECT event_id, account, kind, at, body, device_id, seq FROM events"
        query += " WHERE account = ? AND readable"
        params: list[Any] = [account]
        if since is not None:
            query += " AND at >= ?"
            params.append(db_time(since))
        if kinds:
            query += f" AND kind IN ({','.join('?' * len(kinds))})"
            params.extend(kinds)
        events = self._events(self._read(query, params))
        events.sort(key=sort_key)
        return events

    @staticmethod
    def _events(rows: Sequence[Any]) -> list[Event]:
        return [
            Event(event_id, acct, kind, _from_db_time(at), json.loads(body), device, seq)
            for event_id, acct, kind, at, body, device, seq in rows
        ]

    def accounts(self) -> list[str]:
        """Accounts with an event after their last forget, if any (the global settings'
        "" excluded)."""
        rows = self._read(
            "SELECT account, MAX(CASE WHEN kind = 'forget' THEN at END),"
            " MAX(CASE WHEN kind IN ('usage', 'balance', 'config') THEN at END)"
            " FROM events WHERE account != '' AND readable GROUP BY account ORDER BY account",
            [],
        )
        return [
            account
            for account, forgotten_at, last_at in rows
            if last_at is not None
            and not forgotten(
                _from_db_time(last_at), _from_db_time(forgotten_at) if forgotten_at else None
            )
        ]

    def event(self, event_id: str) -> Event | None:
        """The event recorded under `event_id` (normalized), if any."""
        rows = self._read(
            "SELECT event_id, account, kind, at, body, device_id, seq FROM events"
            " WHERE event_id = ?",
            [event_id],
        )
        return next(iter(self._events(rows)), None)

    def device_names(self) -> dict[str, str]:
        """What each device is called: the name in the newest (highest seq) readable
        `device` event it recorded itself, else the name this ledger holds for it (this
        device's from its creation, a peer's given here). A function of the set of
        events, so ledgers holding the same events show the same names, whatever order
        they arrived in. Bodies are checked here again: a helper that predates the kind
        kept them unchecked."""
        from native_host.messages import readable  # pydantic: not on the usual start

        names: dict[str, str] = dict(self._read("SELECT device_id, name FROM devices", []))
        named: set[str] = set()
        for device, at, body in self._read(
            "SELECT device_id, at, body FROM events WHERE account = '' AND kind = ?"
            " ORDER BY device_id, seq DESC",
            [DEVICE_KIND],
        ):
            if device in named:
                continue
            naming = json.loads(body)
            if readable(DEVICE_KIND, "", _from_db_time(at), naming):
                names[device] = naming["name"]
                named.add(device)
        return names

    def name_device(self, device_id: str, name: str) -> None:
        """Remember what a device is called, durably. This device's name is also recorded
        as a `device` event (account "", a new id), so it syncs and every device of the
        group shows it; a peer's name given here stays here, below the peer's own."""
        device_id, name = well_formed(device_id), well_formed(name)
        with self.batch():
            with self._writing() as db:
                db.execute(
                    "INSERT OR REPLACE INTO devices (device_id, name) VALUES (?, ?)",
                    (device_id, name),
                )
            if device_id == self.device_id:
                naming = NewEvent(
                    str(uuid.uuid4()), "", DEVICE_KIND, datetime.now(UTC), {"name": name}
                )
                self.append([naming])
        if device_id == self.device_id:
            self.device_name = name

    def ingest(self, events: Sequence[Event]) -> Ingested:
        """Take other devices' events at their own (device, seq) positions, in one durable
        transaction; the same events again change nothing.

        An event id already held under another position adds the position only (both
        devices' vectors advance); the record kept is the one at the preferred position
        (vectors.preferred), so every ledger keeps the same one. A position already held
        by another event id is a conflict: the first stays (see docs/PROTOCOL.md, "Sync").
        Kinds this version does not know are kept (a newer peer's), and so are events of
        known kinds with a body it cannot read; the tally reads neither. Raises
        HostError(INVALID) before writing anything if an event is malformed.
        """
        from native_host.messages import readable  # pydantic: not on the usual start

        arriving = [checked_arrival(event) for event in events]
        held = kept = 0
        conflicts: list[tuple[str, int]] = []
        with self._writing() as db:
            for event in arriving:
                position = (event.device_id, event.seq)
                row = db.execute(
                    "SELECT event_id FROM positions WHERE device_id = ? AND seq = ?", position
                ).fetchone()
                if row is not None:
                    if row[0] != event.event_id:
                        conflicts.append(position)
                    continue
                db.execute(
                    "INSERT INTO positions (device_id, seq, event_id) VALUES (?, ?, ?)",
                    (*position, event.event_id),
                )
                held += 1
                row = db.execute(
                    "SELECT device_id, seq FROM events WHERE event_id = ?", (event.event_id,)
                ).fetchone()
                if row is not None and preferred(position, (row[0], row[1])) != position:
                    continue
                db.execute("DELETE FROM events WHERE event_id = ?", (event.event_id,))
                db.execute(
                    "INSERT INTO events (device_id, seq, event_id, account, kind, at, body,"
                    " recorded_at, readable) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        *position,
                        event.event_id,
                        event.account,
                        event.kind,
                        db_time(event.at),
                        json.dumps(event.body, separators=(",", ":")),
                        db_time(datetime.now(UTC)),
                        readable(event.kind, event.account, event.at, event.body),
                    ),
                )
                kept += 1
        return Ingested(held, kept, tuple(conflicts))

    def vector(self) -> dict[str, int]:
        """What this ledger holds of each device: its highest seq with no gap below."""
        vector: dict[str, int] = {}
        for device, high, count in self._read(
            "SELECT device_id, MAX(seq), COUNT(*) FROM positions GROUP BY device_id", []
        ):
            if high == count:  # seqs are distinct and positive: 1..high, no gap
                vector[device] = high
            else:
                seqs = self._read("SELECT seq FROM positions WHERE device_id = ?", [device])
                vector[device] = contiguous(seq for (seq,) in seqs)
        return vector

    def events_after(self, vector: VersionVector) -> list[Event]:
        """Every position this ledger holds past `vector` (what a peer with that vector
        lacks), each with the event kept there, in (device, seq) order."""
        found: list[Event] = []
        for (device,) in self._read("SELECT DISTINCT device_id FROM positions", []):
            found += self._events(
                self._read(
                    "SELECT e.event_id, e.account, e.kind, e.at, e.body, p.device_id, p.seq"
                    " FROM positions p JOIN events e ON e.event_id = p.event_id"
                    " WHERE p.device_id = ? AND p.seq > ? ORDER BY p.seq",
                    [device, vector.get(device, 0)],
                )
            )
        return sorted(found, key=lambda event: (event.device_id, event.seq))

    def peer(self, peer_id: str) -> Peer | None:
        """What this device knows of a peer it syncs with, if it ever did."""
        rows = self._read(
            "SELECT peer_id, vector, last_sync_at, last_error FROM peers WHERE peer_id = ?",
            [peer_id],
        )
        return next((_peer(*row) for row in rows), None)

    def peers(self) -> list[Peer]:
        rows = self._read(
            "SELECT peer_id, vector, last_sync_at, last_error FROM peers ORDER BY peer_id", []
        )
        return [_peer(*row) for row in rows]

    def record_sync(
        self, peer_id: str, vector: VersionVector, at: datetime, error: str | None = None
    ) -> None:
        """Note an exchange with a peer: the vector it last said it holds; `at` is kept as
        the last successful sync unless `error` says why this one failed."""
        with self._writing() as db:
            db.execute(
                "INSERT INTO peers (peer_id, vector, last_sync_at, last_error)"
                " VALUES (?, ?, ?, ?) ON CONFLICT (peer_id) DO UPDATE SET"
                " vector = excluded.vector, last_error = excluded.last_error,"
                " last_sync_at = COALESCE(excluded.last_sync_at, peers.last_sync_at)",
                (
                    peer_id,
                    json.dumps(dict(vector), sort_keys=True),
                    None if error else db_time(at),
                    error,
                ),
            )

    def forget_peer(self, peer_id: str) -> None:
        """Drop what this device knew of a peer (leaving a group: its hub or folder)."""
        with self._writing() as db:
            db.execute("DELETE FROM peers WHERE peer_id = ?", (peer_id,))

    def newest_events(self) -> dict[str, datetime]:
        """Each device this ledger holds positions of, with the instant of the newest event
        held from it: when it was last heard of doing something."""
        rows = self._read(
            "SELECT p.device_id, MAX(e.at) FROM positions p"
            " JOIN events e ON e.event_id = p.event_id GROUP BY p.device_id",
            [],
        )
        return {device: _from_db_time(at) for device, at in rows}

    def data_version(self) -> int:
        """Changes when another connection commits (not this one): the cache key."""
        (version,) = self._read("PRAGMA data_version", [])[0]
        return int(version)

    def _read(self, query: str, params: Sequence[Any]) -> list[Any]:
        try:
            return self._db.execute(query, params).fetchall()
        except sqlite3.Error as error:
            raise HostError(ErrorCode.STORAGE, f"the ledger could not be read: {error}") from error


@dataclass(frozen=True, slots=True)
class Ingested:
    """What an `ingest` changed: positions newly held, event records stored or replaced,
    and the positions that arrived naming another event than the one held there."""

    held: int
    kept: int
    conflicts: tuple[tuple[str, int], ...]


@dataclass(frozen=True, slots=True)
class Peer:
    peer_id: str
    vector: dict[str, int]
    last_sync_at: datetime | None
    last_error: str | None


def _peer(peer_id: str, vector: str, last_sync_at: str | None, last_error: str | None) -> Peer:
    synced = _from_db_time(last_sync_at) if last_sync_at else None
    return Peer(peer_id, json.loads(vector), synced, last_error)


def checked_arrival(event: Event) -> Event:
    """An event from another device as this ledger keeps it: ids in one spelling, the
    account normalized, lone surrogates made well-formed; HostError(INVALID) if it is
    not an event at a position."""
    if not (isinstance(event.device_id, str) and event.device_id):
        raise HostError(ErrorCode.INVALID, "an event from another device needs its device id")
    if isinstance(event.seq, bool) or not isinstance(event.seq, int) or event.seq < 1:
        raise HostError(ErrorCode.INVALID, f"sequence numbers start at 1, not {event.seq!r}")
    if not (isinstance(event.kind, str) and event.kind):
        raise HostError(ErrorCode.INVALID, "an event from another device needs its kind")
    if not isinstance(event.at, datetime) or event.at.tzinfo is None:
        raise HostError(ErrorCode.INVALID, "an event's time must carry its offset")
    try:
        at = event.at.astimezone(UTC)  # a year-1 time with an offset east of UTC cannot
    except OverflowError:
        raise HostError(ErrorCode.INVALID, f"an event's time out of range: {event.at}") from None
    if not (isinstance(event.account, str) and isinstance(event.body, dict)):
        raise HostError(ErrorCode.INVALID, "an event needs an account and a body object")
    try:
        event_id = normalize_event_id(event.event_id)
    except (TypeError, ValueError, AttributeError):
        raise HostError(ErrorCode.INVALID, f"not an event id: {event.event_id!r}") from None
    try:
        body = json.loads(well_formed(json.dumps(event.body, ensure_ascii=False)))
    except (TypeError, ValueError, RecursionError):
        raise HostError(ErrorCode.INVALID, "an event's body must be JSON") from None
    return Event(
        event_id,
        normalize_account(well_formed(event.account)),
        well_formed(event.kind),  # type: ignore[arg-type]  # kept even if unknown here
        at,
        body,
        well_formed(event.device_id),
        event.seq,
    )


def open_ledger() -> Ledger:
    """The ledger in the data folder, both created on first use.

    Raises HostError(STORAGE) naming the folder, the reason and what to do (in the
    user's language, see HostError.for_people) when the folder cannot be created or the
    ledger cannot be opened in it: a read-only place, a file in the way, a broken disk.
    """
    try:
        return Ledger(paths.ledger_path())
    except OSError as error:
        reason = error.strerror or str(error)
    except HostError as error:
        reason = str(error.__cause__ or error.message)
    raise unusable_folder(paths.data_folder(), reason)


def unusable_folder(folder: Path, reason: str) -> HostError:
    """The storage error for a data folder the ledger cannot be kept in (or written to)."""
    return HostError.for_people(
        ErrorCode.STORAGE, "storage.folder_unusable", folder=str(folder), reason=reason
    )
