"""The pairing code (native_host/sync/pairing.py): round trips, and every single mistyped
symbol and every swap of two neighbours is refused as a whole."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from native_host.sync import pairing
from native_host.sync.exceptions import PairingCodeError
from native_host.sync.pairing import ALPHABET, Pairing

SECRET = bytes(range(32))
secrets_ = st.binary(min_size=32, max_size=32)
hub_urls = st.builds(
    lambda scheme, rest: scheme + rest,
    st.sampled_from(["ws://", "wss://"]),
    st.text(st.characters(categories=("L", "N", "P", "S")), max_size=60),
)
pairings = st.builds(Pairing, secrets_, st.none() | hub_urls)


def symbols(code: str) -> str:
    return code.replace("-", "")


def test_folder_and_hub_vectors() -> None:
    """The codes docs/PROTOCOL.md shows (secret 00 01 … 1f)."""
    folder = "1000G-40R40-M30E2-09185-GR38E-1W812-4GK2G-AHC5R-R34D1-P70X3-RFG02-XT9"
    hub = (
        "1000G-40R40-M30E2-09185-GR38E-1W812-4GK2G-AHC5R-R34D1-P70X3-RFG2X-VKECX-2YBV8"
        "-ENH2W-SBRC5-PQ0V3-55SQQ-4SST7-0VKCD-88YF3"
    )
    assert pairing.encode(Pairing(SECRET)) == folder
    assert pairing.encode(Pairing(SECRET, "wss://hub.example.org:8765")) == hub
    assert pairing.decode(folder) == Pairing(SECRET)
    assert pairing.decode(hub) == Pairing(SECRET, "wss://hub.example.org:8765")


@given(pairings)
def test_encode_then_decode_round_trips(original: Pairing) -> None:
    code = pairing.encode(original)
    assert re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{1,5}(-[0-9A-HJKMNP-TV-Z]{1,5})*", code)
    assert code.startswith("1")
    assert pairing.decode(code) == original


@given(pairings, st.data())
def test_case_spacing_and_lookalike_letters_do_not_matter(
    original: Pairing, data: st.DataObject
) -> None:
    code = symbols(pairing.encode(original))
    retyped = ""
    for char in code:
        lookalikes = {"1": "1IiLl", "0": "0Oo"}.get(char, char + char.lower())
        retyped += data.draw(st.sampled_from(lookalikes))
        retyped += data.draw(st.sampled_from(["", "", " ", "-"]))
    assert pairing.decode(retyped) == original


@given(pairings, st.data())
def test_every_single_substitution_is_refused(original: Pairing, data: st.DataObject) -> None:
    code = symbols(pairing.encode(original))
    index = data.draw(st.integers(0, len(code) - 1))
    other = data.draw(st.sampled_from(ALPHABET.replace(code[index], "")))
    with pytest.raises(PairingCodeError) as refused:
        pairing.decode(code[:index] + other + code[index + 1 :])
    assert refused.value.reason == "checksum"


@given(pairings, st.data())
def test_every_swap_of_two_neighbours_is_refused(original: Pairing, data: st.DataObject) -> None:
    code = symbols(pairing.encode(original))
    index = data.draw(st.integers(0, len(code) - 2))
    if code[index] != code[index + 1]:
        swapped = code[:index] + code[index + 1] + code[index] + code[index + 2 :]
        with pytest.raises(PairingCodeError) as refused:
            pairing.decode(swapped)
        assert refused.value.reason == "checksum"


def test_every_substitution_and_swap_of_one_code_exhaustively() -> None:
    code = symbols(pairing.encode(Pairing(SECRET, "ws://127.0.0.1:8765")))
    refused = 0
    for index, char in enumerate(code):
        for other in ALPHABET.replace(char, ""):
            with pytest.raises(PairingCodeError, match="mistyped"):
                pairing.decode(code[:index] + other + code[index + 1 :])
            refused += 1
        if index + 1 < len(code) and code[index] != code[index + 1]:
            with pytest.raises(PairingCodeError, match="mistyped"):
                pairing.decode(code[:index] + code[index + 1] + char + code[index + 2 :])
            refused += 1
    assert refused > 31 * len(code)


@pytest.mark.parametrize(
    ("code", "reason", "position"),
    [
        ("", "empty", None),
        (" - -", "empty", None),
        ("1000G-40R4U", "character", 9),
        ("1000G-4!R40", "character", 6),
        ("1000G-40R40", "checksum", None),
        ("1", "checksum", None),
        ("1" * 467, "content", None),
    ],
)
def test_refusals_say_why(code: str, reason: str, position: int | None) -> None:
    with pytest.raises(PairingCodeError) as refused:
        pairing.decode(code)
    assert (refused.value.reason, refused.value.position) == (reason, position)
    assert isinstance(refused.value, ValueError)


def with_check(symbol_values: list[int]) -> str:
    """A code with a valid checksum over any symbols: what a newer version, or a bug on
    the other side, could produce."""
    number = 0
    for value in symbol_values:
        number = number * 32 + value
    check = (-(number * 32**4)) % pairing.CHECK_PRIME
    values = symbol_values + [(check >> (5 * i)) & 31 for i in (3, 2, 1, 0)]
    return "".join(ALPHABET[value] for value in values)


def test_a_newer_version_is_refused_as_such() -> None:
    body = symbols(pairing.encode(Pairing(SECRET)))[1:-4]
    with pytest.raises(PairingCodeError) as refused:
        pairing.decode(with_check([2, *(ALPHABET.index(char) for char in body)]))
    assert refused.value.reason == "version" and "update Credit Guard" in str(refused.value)


@pytest.mark.parametrize(
    "content",
    [
        SECRET,  # no transport
        SECRET[:20] + b"\0",  # a short secret
        SECRET + b"\0extra",  # a folder with something after it
        SECRET + b"\2",  # an unknown transport
        SECRET + b"\1https://hub.example.org",  # not a websocket URL
        SECRET + b"\1ws://a b",  # a space
        SECRET + b"\1ws://\xff",  # not UTF-8
    ],
)
def test_well_checked_codes_that_carry_no_pairing_are_refused(content: bytes) -> None:
    code = with_check([1, *pairing._bytes_to_symbols(content)])
    with pytest.raises(PairingCodeError) as refused:
        pairing.decode(code)
    assert refused.value.reason == "content"


def test_non_canonical_padding_is_refused() -> None:
    """33 bytes take 53 symbols with one spare bit: it must be zero."""
    values = pairing._bytes_to_symbols(SECRET + b"\0")
    values[-1] |= 1
    with pytest.raises(PairingCodeError) as refused:
        pairing.decode(with_check([1, *values]))
    assert refused.value.reason == "content"


def test_the_longest_hub_url_fits_the_longest_code() -> None:
    code = pairing.encode(Pairing(SECRET, "wss://" + "h" * 249))
    assert len(symbols(code)) == pairing.MAX_SYMBOLS == 466
    assert pairing.decode(code).hub_url == "wss://" + "h" * 249


@pytest.mark.parametrize("url", ["http://hub", "ws://" + "a" * 251, "ws://a\nb", "hub:8765"])
def test_encode_refuses_what_a_code_cannot_carry(url: str) -> None:
    with pytest.raises(ValueError, match="hub URL"):
        pairing.encode(Pairing(SECRET, url))
    with pytest.raises(ValueError, match="32 bytes"):
        pairing.encode(Pairing(SECRET[:16]))


def test_the_secret_never_shows_in_repr() -> None:
    assert str(SECRET) not in repr(Pairing(SECRET, "ws://h")) + str(Pairing(SECRET))


def test_the_codes_in_protocol_md_are_the_vectors() -> None:
    doc = Path(__file__).resolve().parent.parent / "docs" / "PROTOCOL.md"
    sync = doc.read_text(encoding="utf-8").split("\n## Sync\n", 1)[1]
    block = re.search(r"^```text\n(.*?)^```", sync, flags=re.MULTILINE | re.DOTALL)
    assert block is not None
    folder, hub = block.group(1).split()
    assert pairing.decode(folder) == Pairing(SECRET)
    assert pairing.decode(hub) == Pairing(SECRET, "wss://hub.example.org:8765")
