"""The shared-folder transport: a folder that a sync tool (Syncthing, Dropbox, OneDrive,
iCloud Drive, Google Drive) already carries between the user's machines stands in for the
hub (docs/PROTOCOL.md, "Shared folder").

Under the folder the user names, `credit-guard-<group id>/` holds one file per device,
`<device id>.cgsync`, written only by that device, atomically (a temporary file in the
same folder, fsync, rename), so a sync tool never has two writers for one file and a
reader never sees half a write of ours. A file holds sealed events at their positions
(transfer.seal_event): the device's own, and those of any device whose own file is gone
from the folder (a device that left and whose file was deleted), so that every event
held by a device in the group stays in the folder for a device that joins late.

Each round: list the folder (one stat a file), read the files that changed since the
last round, publish this device's file if what it should hold changed, then take in
(transfer.take) what lies past this device's vector. Conflict copies that sync tools
make are read like any other file: taking an event twice changes nothing. A file that is
garbage, truncated, another group's or of a newer format is skipped and logged, never
the round. Only trouble with the folder itself (missing, unreadable, unwritable) fails
a round, with TransportError("folder"), before anything is taken in.

The file format (`encode_file`, `parse_file`) is pure; the rest is the shell around it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import secrets
import stat
import struct
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from native_host.errors import HostError
from native_host.ledger.vectors import contiguous
from native_host.sync.exceptions import MessageError, SealError, TransportError
from native_host.sync.protocol import DEVICE_ID, MAX_MESSAGE_BYTES
from native_host.sync.seal import GROUP_ID_BYTES, MAX_SEQUENCE, GroupKeys
from native_host.sync.transfer import Exchanged, SealedEvent, open_event, seal_event, take
from native_host.sync.waiting import pause

if TYPE_CHECKING:
    from native_host.ledger.events import Event
    from native_host.ledger.store import Ledger

log = logging.getLogger(__name__)

PEER = "folder"  # the peer id under which the ledger records this transport's exchanges
MAGIC = b"CGSYNC"
FORMAT_VERSION = 1
SUFFIX = ".cgsync"
GROUP_FOLDER_PREFIX = "credit-guard-"
MAX_FILE_BYTES = 256 * 1024 * 1024  # about a million events; anything larger is not ours
MAX_SEALED_BYTES = MAX_MESSAGE_BYTES  # one event could not travel through a hub either
POLL_SECONDS = 1.0
HEARTBEAT_SECONDS = 60.0  # an idle folder is still recorded as synced this often

_HEADER = struct.Struct(f">{len(MAGIC)}sB{GROUP_ID_BYTES}s")
_SEQ_AND_LENGTH = struct.Struct(">QI")
_COUNT = struct.Struct(">I")

Stamp = tuple[int, int, int]
"""What a stat says of a file (size, mtime in ns, inode): a file replaced or changed has
another stamp, since a rename brings a new inode."""


# ---------------------------------------------------------------- the file format (pure)


@dataclass(frozen=True, slots=True)
class FolderFile:
    """A device's file as read: who wrote it, and the sealed events it holds."""

    writer: str
    items: tuple[SealedEvent, ...]


def group_folder_name(group_id: bytes) -> str:
    return GROUP_FOLDER_PREFIX + group_id.hex()


def own_file_name(device_id: str) -> str:
    return device_id + SUFFIX


def is_device_file(name: str) -> bool:
    """A file this transport reads: `*.cgsync` (conflict copies keep the suffix), not
    hidden (our temporary files, and those of most sync tools, start with a dot)."""
    return name.endswith(SUFFIX) and not name.startswith(".")


def encode_file(group_id: bytes, writer: str, items: Sequence[SealedEvent]) -> bytes:
    """A device's file: header (magic, format version, group id, writer, count), then each
    item as device, seq, sealed payload. Lengths and numbers are big-endian."""
    parts = [_HEADER.pack(MAGIC, FORMAT_VERSION, group_id), _device(writer)]
    parts.append(_COUNT.pack(len(items)))
    for item in items:
        parts += [_device(item.device), _SEQ_AND_LENGTH.pack(item.seq, len(item.sealed))]
        parts.append(item.sealed)
    return b"".join(parts)


def parse_file(data: bytes, group_id: bytes) -> FolderFile:
    """A device's file, checked whole. Raises MessageError saying why it is not one this
    device can read: not such a file, a newer format, another group's, truncated, or
    malformed. The payloads are not opened here."""
    if len(data) < _HEADER.size or not data.startswith(MAGIC):
        raise MessageError("not a Credit Guard folder file")
    _, version, group = _HEADER.unpack_from(data)
    if version != FORMAT_VERSION:
        raise MessageError(f"format {version}, newer than this version reads ({FORMAT_VERSION})")
    if group != group_id:
        raise MessageError(f"a file of another group ({group.hex()})")
    reader = _Reader(data, _HEADER.size)
    writer = reader.device()
    (count,) = reader.unpack(_COUNT)
    items = []
    for _ in range(count):
        device = reader.device()
        seq, length = reader.unpack(_SEQ_AND_LENGTH)
        if not 1 <= seq <= MAX_SEQUENCE or length > MAX_SEALED_BYTES:
            raise MessageError(f"a malformed item at byte {reader.offset}")
        items.append(SealedEvent(device, seq, reader.take(length)))
    if reader.offset != len(data):
        raise MessageError(f"{len(data) - reader.offset} bytes after the last item")
    return FolderFile(writer, tuple(items))


def _device(device_id: str) -> bytes:
    encoded = device_id.encode("ascii")
    return bytes([len(encoded)]) + encoded


class _Reader:
    """Reads a file's fields in order; running out of bytes means it was cut short."""

    def __init__(self, data: bytes, offset: int) -> None:
        self.data, self.offset = data, offset

    def take(self, size: int) -> bytes:
        if self.offset + size > len(self.data):
            raise MessageError("truncated: the file ends inside an item (still syncing?)")
        self.offset += size
        return self.data[self.offset - size : self.offset]

    def unpack(self, shape: struct.Struct) -> tuple[int, ...]:
        return shape.unpack(self.take(shape.size))

    def device(self) -> str:
        (length,) = self.take(1)
        device = self.take(length).decode("ascii", errors="replace")
        if not DEVICE_ID.fullmatch(device):
            raise MessageError(f"not a device id at byte {self.offset - length}")
        return device


def folder_vector(files: Iterable[FolderFile]) -> dict[str, int]:
    """What the folder holds of each device, as a version vector."""
    seqs: dict[str, set[int]] = {}
    for file in files:
        for item in file.items:
            seqs.setdefault(item.device, set()).add(item.seq)
    return {device: contiguous(held) for device, held in sorted(seqs.items())}


# ---------------------------------------------------------------- the shell


@dataclass(slots=True)
class _Read:
    """A file read this round, to be remembered once what it holds is taken in."""

    name: str
    stamp: Stamp
    file: FolderFile | None  # None: skipped (the reason is logged)
    again: bool = False  # could not be read now: read it next round even if unchanged


class FolderSync:
    """One device's rounds with one shared folder, within a process: it remembers the
    files it has read (by stamp) so an unchanged file is not read again, and the sealed
    bytes of what it published, so that unchanged events keep their bytes (a sync tool
    that sends changed blocks only then sends little more than the new events)."""

    def __init__(self, ledger: Ledger, keys: GroupKeys, folder: Path) -> None:
        self.ledger, self.keys, self.folder = ledger, keys, folder
        self.group_folder = folder / group_folder_name(keys.group_id)
        self.own_name = own_file_name(ledger.device_id)
        self._seen: dict[str, Stamp] = {}
        self._unreadable: dict[str, Stamp] = {}  # files that could not be read, as logged
        self._files: dict[str, FolderFile] = {}  # the good files last read, by name
        self._sealed: dict[tuple[str, int], tuple[Event, SealedEvent]] = {}
        self._published: tuple[SealedEvent, ...] | None = None  # what the own file holds
        # What the own file's content was last worked out from: the vector of the devices
        # it carries, and the file's stamp.
        self._plan: tuple[tuple[tuple[str, int], ...], Stamp | None] | None = None

    # -- the steps of a round; `round` runs them in order

    def scan(self) -> dict[str, Stamp]:
        """The device files in the group's folder and their stamps; creates the group's
        folder inside the user's one (never the user's folder: a missing one is more
        likely a drive or a sync tool not there yet than a folder to make)."""
        try:  # is_dir raises for a folder the system will not let us see (EACCES, EIO)
            if not self.folder.is_dir():
                raise TransportError("folder", f"the shared folder {self.folder} is not there")
            self.group_folder.mkdir(exist_ok=True)
            with os.scandir(self.group_folder) as entries:
                found = [entry for entry in entries if is_device_file(entry.name)]
        except OSError as error:
            raise _folder_error(f"cannot list {self.group_folder}", error) from error
        listing = {}
        for entry in found:
            # os.stat, not entry.stat: on Windows the latter has no inode, and the stamp
            # must match the one taken after writing the own file.
            with contextlib.suppress(OSError):  # gone since listed: it is not there
                found_stat = os.stat(entry.path)
                if stat.S_ISREG(found_stat.st_mode):
                    listing[entry.name] = _stamp(found_stat)
        return listing

    def read_changed(self, listing: dict[str, Stamp]) -> list[_Read]:
        """Read and check every file whose stamp changed since it was last read."""
        for gone in set(self._seen) - set(listing):
            del self._seen[gone]
            self._files.pop(gone, None)
        for gone in set(self._unreadable) - set(listing):
            del self._unreadable[gone]
        read = []
        for name, stamp in listing.items():
            if self._seen.get(name) != stamp:
                read.append(self._read_one(name, stamp))
        return read

    def _read_one(self, name: str, stamp: Stamp) -> _Read:
        if stamp[0] > MAX_FILE_BYTES:
            log.warning("skipped %s: %d bytes, more than a device file holds", name, stamp[0])
            return _Read(name, stamp, None)
        try:
            data = (self.group_folder / name).read_bytes()
        except OSError as error:
            # Replaced or removed under us, locked, or not yet downloaded by the sync tool:
            # tried again next round (and logged once for this version of the file).
            if self._unreadable.get(name) != stamp:
                log.warning("skipped %s for now: %s", name, error.strerror or error)
                self._unreadable[name] = stamp
            return _Read(name, stamp, None, again=True)
        try:
            return _Read(name, stamp, parse_file(data, self.keys.group_id))
        except MessageError as error:
            log.warning("skipped %s: %s", name, error)
            return _Read(name, stamp, None)

    def publish(self, listing: dict[str, Stamp], read: list[_Read]) -> int:
        """Write this device's file if what it should hold is not what it holds; the
        number of positions it holds now that it did not before."""
        own = next((done for done in read if done.name == self.own_name), None)
        if own is not None:  # first round, or changed by another helper of this device
            self._published = own.file.items if own.file else None
            if own.file is not None:
                self._remember_sealed(own.file)
        elif self.own_name not in listing:
            self._published = None  # never written, or removed: write it again
        held = self.ledger.vector()
        carried = {self.ledger.device_id} | {
            device for device in held if own_file_name(device) not in listing
        }
        positions = tuple(sorted((device, held.get(device, 0)) for device in carried))
        if self._published is not None and (positions, listing.get(self.own_name)) == self._plan:
            return 0  # nothing new to carry, and the file is as last read or written
        wanted = self._wanted(held, carried)
        self._plan = positions, listing.get(self.own_name)
        if wanted == self._published:
            return 0
        before = {(item.device, item.seq) for item in self._published or ()}
        data = encode_file(self.keys.group_id, self.ledger.device_id, wanted)
        try:
            stamp = write_atomically(self.group_folder, self.own_name, data)
        except OSError as error:
            self._plan = None
            raise _folder_error(f"cannot write {self.own_name}", error) from error
        self._published = wanted
        self._plan = positions, stamp
        self._seen[self.own_name] = stamp
        self._files[self.own_name] = FolderFile(self.ledger.device_id, wanted)
        return sum((item.device, item.seq) not in before for item in wanted)

    def _wanted(self, held: dict[str, int], carried: set[str]) -> tuple[SealedEvent, ...]:
        """What this device's file should hold: the events at the positions of the devices
        it carries, sealed (an event sealed before keeps its bytes), its own first."""
        mine = self.ledger.device_id
        events = self.ledger.events_after(
            {device: MAX_SEQUENCE for device in held if device not in carried}
        )
        items = [self._sealed_for(event) for event in events]
        items.sort(key=lambda item: (item.device != mine, item.device, item.seq))
        return tuple(items)

    def _sealed_for(self, event: Event) -> SealedEvent:
        position = event.device_id, event.seq
        known = self._sealed.get(position)
        if known is not None and known[0] == event:
            return known[1]
        item = seal_event(self.keys, event)
        self._sealed[position] = event, item
        return item

    def _remember_sealed(self, own: FolderFile) -> None:
        """Keep the bytes of the own file's events (written by this device earlier, or by
        another of its helpers): an event still the same is then not sealed again."""
        for item in own.items:
            try:
                self._sealed[item.device, item.seq] = open_event(self.keys, item), item
            except (SealError, MessageError):
                continue  # not ours after all: it is sealed afresh

    def take_in(self, read: list[_Read]) -> tuple[int, int]:
        """Ingest what the files read hold past this device's vector, in one transaction;
        remember them as read. (positions newly held, payloads refused)"""
        if not read:
            return 0, 0
        vector = self.ledger.vector()
        good = [(done.name, done.file) for done in read if done.file is not None]
        # Each device's own file first, then the rest (conflict copies) by name, so which
        # of two events claiming one position arrives first (and stays) does not depend
        # on how a sync tool names its copies.
        good.sort(key=lambda pair: (pair[0] != own_file_name(pair[1].writer), pair[0]))
        wanted: dict[tuple[str, int, bytes], SealedEvent] = {}
        for _, file in good:
            for item in file.items:
                if item.seq > vector.get(item.device, 0):
                    wanted.setdefault((item.device, item.seq, item.sealed), item)
        taken = take(self.ledger, self.keys, wanted.values()) if wanted else None
        for done in read:
            if not done.again:
                self._seen[done.name] = done.stamp
            if done.file is not None:
                self._files[done.name] = done.file
        if taken is None:
            return 0, 0
        return (taken.ingested.held if taken.ingested else 0), taken.refused

    def round(self) -> Exchanged:
        """One exchange with the folder. Raises TransportError("folder") when the folder
        cannot be listed or this device's file cannot be written (nothing is taken in
        then), and HostError(STORAGE) when the ledger cannot commit."""
        listing = self.scan()
        read = self.read_changed(listing)
        sent = self.publish(listing, read)
        received, refused = self.take_in(read)
        return Exchanged(sent, received, refused)

    def vector(self) -> dict[str, int]:
        """What the folder held at the last round, as far as this device has read it."""
        return folder_vector(self._files.values())


def _stamp(found: os.stat_result) -> Stamp:
    return found.st_size, found.st_mtime_ns, found.st_ino


def _folder_error(doing: str, error: OSError) -> TransportError:
    return TransportError("folder", f"{doing}: {error.strerror or error}")


def write_atomically(folder: Path, name: str, data: bytes) -> Stamp:
    """Replace `folder/name` with `data` as one step, durably: a reader (or a sync tool)
    sees the old file or the new one, never part of one. The temporary file is hidden
    and ends in .tmp, which sync tools ignore or at worst carry harmlessly (this transport
    reads only `*.cgsync`). Returns the new file's stamp."""
    temp = folder / f".~{name}.{secrets.token_hex(4)}.tmp"
    try:
        with open(temp, "xb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, folder / name)
        stamp = _stamp(os.stat(folder / name))
    except BaseException:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise
    if os.name == "posix":  # the rename itself durable; Windows cannot open a folder
        with contextlib.suppress(OSError):
            descriptor = os.open(folder, os.O_RDONLY)
            try:
                os.fsync(descriptor)
            finally:
                os.close(descriptor)
    return stamp


# ---------------------------------------------------------------- the API


def exchange_folder(ledger: Ledger, keys: GroupKeys, folder: Path) -> Exchanged:
    """One full exchange with the shared folder (`sync now`), recorded under the peer
    "folder". Raises TransportError("folder") when the folder cannot be read or written,
    after recording it."""
    sync = FolderSync(ledger, keys, folder)
    try:
        exchanged = sync.round()
    except TransportError as error:
        _record(ledger, sync, error)
        raise
    _record(ledger, sync, None)
    return exchanged


async def stay_in_folder(
    ledger: Ledger,
    keys: GroupKeys,
    folder: Path,
    *,
    stop: asyncio.Event,
    on_change: Callable[[Exchanged], None] | None = None,
    poll: float = POLL_SECONDS,
) -> None:
    """Exchange with the shared folder every `poll` seconds until `stop` is set. A round
    with nothing new costs a listing of the folder and one vector query; it is recorded
    when it did something, when it failed for another reason than the last one, and at
    least every HEARTBEAT_SECONDS (failures are logged as often). Never raises on folder
    trouble (recorded) nor on a ledger that cannot commit (logged; tried next round)."""
    sync = FolderSync(ledger, keys, folder)
    recorded: tuple[str | None, float] | None = None  # (error reason, monotonic time)
    while not stop.is_set():
        error: TransportError | None = None
        exchanged = Exchanged()
        try:
            exchanged = sync.round()
        except TransportError as problem:
            error = problem
        except HostError as problem:  # the ledger's trouble, not the folder's: say nothing
            log.warning("folder sync could not use the ledger: %s", problem.message)
            await pause(stop, poll)
            continue
        if on_change is not None and (exchanged.sent or exchanged.received):
            on_change(exchanged)
        now = time.monotonic()
        outcome = error.reason if error else None
        if (
            recorded is None
            or recorded[0] != outcome
            or exchanged != Exchanged()
            or now - recorded[1] >= HEARTBEAT_SECONDS
        ):
            if error is not None:  # logged as recorded: not every second while it lasts
                log.warning("folder sync failed (%s): %s", error.reason, error.detail)
            try:
                _record(ledger, sync, error)
                recorded = outcome, now
            except HostError as problem:
                log.warning("folder sync could not record its state: %s", problem.message)
        await pause(stop, poll)


def _record(ledger: Ledger, sync: FolderSync, error: TransportError | None) -> None:
    if error is None:
        vector = sync.vector()
    else:
        known = ledger.peer(PEER)
        vector = known.vector if known else {}
    ledger.record_sync(PEER, vector, datetime.now(UTC), error.reason if error else None)
