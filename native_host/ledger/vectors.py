"""Version vectors: which events of each device a ledger holds (pure; rules in PROTOCOL.md).

Each device numbers what it records 1, 2, 3, ... A ledger holds *positions* (device,
seq), each naming one event; one event may sit at several positions when two devices
recorded the same operation under one id. A vector maps each device to the highest seq
up to which the ledger holds every position with no gap: what a peer lacks is every
position past the peer's vector, and after an exchange in both directions the two
vectors are equal. A position held past a gap does not advance the vector; it is simply
sent again (ingest is idempotent) until the gap is filled.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

VersionVector = Mapping[str, int]  # device id → highest contiguous seq held


def contiguous(seqs: Iterable[int]) -> int:
    """The highest n such that 1..n are all in `seqs` (0 when 1 is missing)."""
    held = set(seqs)
    high = 0
    while high + 1 in held:
        high += 1
    return high


def lacking(mine: VersionVector, theirs: VersionVector) -> dict[str, int]:
    """For each device of which `mine` holds more than `theirs`, the seq after which the
    peer with `theirs` lacks positions (what to send it: every held position past it)."""
    return {
        device: theirs.get(device, 0)
        for device, high in mine.items()
        if high > theirs.get(device, 0)
    }


def covers(mine: VersionVector, theirs: VersionVector) -> bool:
    """True when `mine` holds everything `theirs` does (nothing to fetch from that peer)."""
    return all(mine.get(device, 0) >= high for device, high in theirs.items())


def preferred(a: tuple[str, int], b: tuple[str, int]) -> tuple[str, int]:
    """Of two positions of one event, the one whose record (device, time, body) every
    ledger keeps: the smaller. A function of the set of positions, so devices that heard
    of them in different orders keep the same record and count it to the same device."""
    return min(a, b)
