"""What a hub keeps, in one SQLite file: each group's handshake key and sealed events.

The hub reads none of it: payloads are sealed under a key it never has. One connection,
used from one thread at a time (the hub runs every call on its single store thread), in
WAL mode with FULL synchronous, so that what `add` returns is on disk before the hub says
`stored`.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from native_host.ledger.vectors import VersionVector, contiguous
from native_host.sync.transfer import SealedEvent

SCHEMA = """
CREATE TABLE IF NOT EXISTS groups (
    group_id BLOB PRIMARY KEY,
    handshake_key BLOB NOT NULL,
    stored_bytes INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS events (
    group_id BLOB NOT NULL,
    device TEXT NOT NULL,
    seq INTEGER NOT NULL,
    sealed BLOB NOT NULL,
    PRIMARY KEY (group_id, device, seq)
) WITHOUT ROWID;
"""


class GroupFull(Exception):
    """Keeping these events would take the group past its stored bytes."""


class HubStore:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode = WAL")
        self._db.execute("PRAGMA synchronous = FULL")
        self._db.executescript(SCHEMA)

    def close(self) -> None:
        self._db.close()

    def keys(self) -> dict[bytes, bytes]:
        """Every group's handshake key, by group id (the hub keeps them in memory)."""
        return dict(self._db.execute("SELECT group_id, handshake_key FROM groups"))

    def enroll(self, group_id: bytes, handshake_key: bytes, max_groups: int) -> bool:
        """Keep a group (again: nothing changes). False when the hub already keeps
        `max_groups` other groups."""
        with self._transaction() as db:
            if db.execute("SELECT 1 FROM groups WHERE group_id = ?", (group_id,)).fetchone():
                return True
            (count,) = db.execute("SELECT COUNT(*) FROM groups").fetchone()
            if count >= max_groups:
                return False
            db.execute(
                "INSERT INTO groups (group_id, handshake_key) VALUES (?, ?)",
                (group_id, handshake_key),
            )
            return True

    def add(
        self, group_id: bytes, items: Sequence[SealedEvent], max_bytes: int
    ) -> tuple[list[SealedEvent], dict[str, int]]:
        """Keep the positions the group does not hold yet, durably, in one transaction;
        a position already held keeps what it holds. Returns the new ones and the group's
        vector after. Raises GroupFull (keeping nothing) past `max_bytes` of payloads."""
        new: list[SealedEvent] = []
        with self._transaction() as db:
            for item in items:
                inserted = db.execute(
                    "INSERT OR IGNORE INTO events (group_id, device, seq, sealed)"
                    " VALUES (?, ?, ?, ?)",
                    (group_id, item.device, item.seq, item.sealed),
                ).rowcount
                if inserted:
                    new.append(item)
            added = sum(len(item.sealed) for item in new)
            (stored,) = db.execute(
                "UPDATE groups SET stored_bytes = stored_bytes + ? WHERE group_id = ?"
                " RETURNING stored_bytes",
                (added, group_id),
            ).fetchone()
            if stored > max_bytes:
                raise GroupFull(f"the group would hold {stored} bytes, more than {max_bytes}")
        return new, self.vector(group_id)

    def vector(self, group_id: bytes) -> dict[str, int]:
        """For each device, the highest seq the group holds with none missing below it."""
        vector: dict[str, int] = {}
        for device, high, count in self._db.execute(
            "SELECT device, MAX(seq), COUNT(*) FROM events WHERE group_id = ? GROUP BY device",
            (group_id,),
        ).fetchall():
            if high == count:
                vector[device] = high
            else:
                seqs = self._db.execute(
                    "SELECT seq FROM events WHERE group_id = ? AND device = ?",
                    (group_id, device),
                )
                vector[device] = contiguous(seq for (seq,) in seqs)
        return vector

    def after(self, group_id: bytes, vector: VersionVector, max_bytes: int) -> list[SealedEvent]:
        """Positions the group holds past `vector`, in (device, seq) order, as many as fit
        in `max_bytes` of payloads (at least one, if any). To page, raise the vector to
        the last position of each device returned."""
        found: list[SealedEvent] = []
        budget = max_bytes
        devices = self._db.execute(
            "SELECT DISTINCT device FROM events WHERE group_id = ? ORDER BY device", (group_id,)
        ).fetchall()
        for (device,) in devices:
            rows = self._db.execute(
                "SELECT seq, sealed FROM events WHERE group_id = ? AND device = ? AND seq > ?"
                " ORDER BY seq",
                (group_id, device, vector.get(device, 0)),
            )
            for seq, sealed in rows:
                if found and len(sealed) > budget:
                    return found
                found.append(SealedEvent(device, seq, sealed))
                budget -= len(sealed)
        return found

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE … COMMIT (durable on return), rolled back on any error."""
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield self._db
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")
