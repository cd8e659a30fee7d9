"""Version vectors, the pure rules (native_host/ledger/vectors.py)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from native_host.ledger.vectors import contiguous, preferred

DEVICES = st.sampled_from(["a", "b", "c"])


def test_contiguous_stops_at_the_first_gap() -> None:
    assert contiguous([]) == 0
    assert contiguous([2, 3]) == 0
    assert contiguous([3, 1, 2]) == 3
    assert contiguous([1, 2, 4, 5]) == 2


@given(st.sets(st.integers(1, 30)))
def test_contiguous_is_the_longest_gap_free_start(seqs: set[int]) -> None:
    high = contiguous(seqs)
    assert set(range(1, high + 1)) <= seqs
    assert high + 1 not in seqs


@given(st.lists(st.tuples(DEVICES, st.integers(1, 9)), min_size=1, max_size=6), st.randoms())
def test_the_preferred_position_does_not_depend_on_the_order_heard(
    positions: list[tuple[str, int]], order: object
) -> None:
    first = positions[0]
    for position in positions[1:]:
        first = preferred(first, position)
    shuffled = list(positions)
    order.shuffle(shuffled)  # type: ignore[attr-defined]
    second = shuffled[0]
    for position in shuffled[1:]:
        second = preferred(second, position)
    assert first == second == min(positions)
