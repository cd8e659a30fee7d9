"""Version vectors: which events of each device a ledger holds (pure; rules in PROTOCOL.md).

Each device numbers what it records 1, 2, 3, ... A ledger holds *positions* (device,
seq), each naming one event; one event may sit at several positions when two devices
recorded the same operation under one id. A vector maps each device to the highest seq
up to which the ledger holds every position with no gap: what a peer lacks is every
position past the peer's vector (Ledger.events_after; as ranges on the wire,
sync.protocol.missing), and after an exchange in both directions the two vectors are
equal. A position held past a gap does not advance the vector; it is simply sent again
(ingest is idempotent) until the gap is filled.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

VersionVector = Mapping[str, int]
"""For each device, the highest sequence number held with none missing below it."""


def contiguous(seqs: Iterable[int]) -> int:
    """The highest n such that 1..n are all in `seqs` (0 when 1 is missing)."""
    held = set(seqs)
    high = 0
    while high + 1 in held:
        high += 1
    return high


def preferred(a: tuple[str, int], b: tuple[str, int]) -> tuple[str, int]:
    """Of two positions of one event, the one whose record (device, time, body) every
    ledger keeps: the smaller. A function of the set of positions, so devices that heard
    of them in different orders keep the same record and count it to the same device."""
    return min(a, b)
