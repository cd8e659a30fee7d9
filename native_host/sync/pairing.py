"""The pairing code: the group secret and the transport, as text a person can type.

Format (version 1; docs/PROTOCOL.md, "Sync", is the reference):
- Crockford base32 symbols `0-9 A-Z` without I, L, O, U, shown in groups of five joined
  by `-`. Reading ignores case, spaces and `-`, and takes I and L for 1, O for 0.
- The first symbol is the format version (`1`). Then the content, 5 bits a symbol,
  big-endian, zero bits padding the last symbol: the 32-byte secret, then one transport
  byte, 0 for a shared folder (each device names its own path when it joins) or 1 for a
  hub, followed by the hub's `ws://` or `wss://` URL in UTF-8.
- Then four check symbols chosen so that the whole code, read as one base-32 number, is a
  multiple of the prime P = 2^20 − 3. Changing one symbol changes that number by d·32^k
  (0 < |d| < 32) and swapping two neighbours by (a − b)·31·32^k; a prime above 32 divides
  neither, so every single mistyped symbol and every swap of two neighbours is refused.
  Other mistakes pass only about once in a million.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from native_host.sync.exceptions import PairingCodeError
from native_host.sync.seal import SECRET_BYTES

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
READS_AS = {"I": "1", "L": "1", "O": "0"}
IGNORED = frozenset(" -\t\n")
VERSION = 1
CHECK_PRIME = 2**20 - 3
CHECK_SYMBOLS = 4
GROUP = 5
FOLDER, HUB = 0, 1
HUB_SCHEMES = ("ws://", "wss://")
MAX_URL_BYTES = 255
MAX_SYMBOLS = 1 + -(-(SECRET_BYTES + 1 + MAX_URL_BYTES) * 8 // 5) + CHECK_SYMBOLS


@dataclass(frozen=True)
class Pairing:
    """What a joining device needs: the secret (never shown by repr) and the transport,
    the hub's URL or None for a shared folder."""

    secret: bytes = field(repr=False)
    hub_url: str | None = None


def encode(pairing: Pairing) -> str:
    """The pairing code for `pairing`, e.g. `1ABCD-EFGHJ-…`. Raises ValueError for a
    secret of the wrong length or a hub URL the code cannot carry."""
    if len(pairing.secret) != SECRET_BYTES:
        raise ValueError(f"a group secret is {SECRET_BYTES} bytes")
    if pairing.hub_url is None:
        content = pairing.secret + bytes([FOLDER])
    else:
        _check_hub_url(pairing.hub_url)
        content = pairing.secret + bytes([HUB]) + pairing.hub_url.encode("utf-8")
    body = [VERSION, *_bytes_to_symbols(content)]
    number = _as_number(body) * 32**CHECK_SYMBOLS
    check = (-number) % CHECK_PRIME
    symbols = body + [(check >> (5 * i)) & 31 for i in reversed(range(CHECK_SYMBOLS))]
    text = "".join(ALPHABET[s] for s in symbols)
    return "-".join(text[i : i + GROUP] for i in range(0, len(text), GROUP))


def decode(code: str) -> Pairing:
    """The pairing a code carries, all of it or nothing.

    Raises PairingCodeError: its `reason` says what is wrong (see exceptions.py)."""
    symbols = _symbols(code)
    if not symbols:
        raise PairingCodeError("empty", "the pairing code is empty")
    if len(symbols) > MAX_SYMBOLS:
        raise PairingCodeError("content", f"a pairing code has at most {MAX_SYMBOLS} symbols")
    if len(symbols) <= 1 + CHECK_SYMBOLS or _as_number(symbols) % CHECK_PRIME:
        raise PairingCodeError("checksum", "the pairing code is mistyped (its check fails)")
    if symbols[0] != VERSION:
        raise PairingCodeError(
            "version", f"a version {ALPHABET[symbols[0]]} pairing code: update Credit Guard"
        )
    content = _symbols_to_bytes(symbols[1:-CHECK_SYMBOLS])
    return _pairing_of(content)


def _symbols(code: str) -> list[int]:
    symbols: list[int] = []
    for char in code.upper():
        if char in IGNORED:
            continue
        value = ALPHABET.find(READS_AS.get(char, char))
        if value < 0:
            raise PairingCodeError(
                "character",
                f"{char!r} is not a pairing code symbol (at symbol {len(symbols) + 1})",
                position=len(symbols),
            )
        symbols.append(value)
    return symbols


def _pairing_of(content: bytes | None) -> Pairing:
    if content is None or len(content) <= SECRET_BYTES:
        raise PairingCodeError("content", "the pairing code carries no valid pairing")
    secret, transport = content[:SECRET_BYTES], content[SECRET_BYTES]
    rest = content[SECRET_BYTES + 1 :]
    if transport == FOLDER and not rest:
        return Pairing(secret)
    if transport == HUB:
        try:
            url = rest.decode("utf-8")
            _check_hub_url(url)
        except ValueError:
            pass
        else:
            return Pairing(secret, url)
    raise PairingCodeError("content", "the pairing code carries no valid transport")


def _check_hub_url(url: str) -> None:
    if not url.startswith(HUB_SCHEMES) or len(url.encode("utf-8")) > MAX_URL_BYTES:
        raise ValueError(f"a hub URL is ws:// or wss://, at most {MAX_URL_BYTES} bytes")
    if any(char.isspace() or not char.isprintable() for char in url):
        raise ValueError("a hub URL has no spaces or control characters")


def _as_number(symbols: list[int]) -> int:
    number = 0
    for symbol in symbols:
        number = number * 32 + symbol
    return number


def _bytes_to_symbols(data: bytes) -> list[int]:
    bits = len(data) * 8
    count = -(-bits // 5)
    number = int.from_bytes(data, "big") << (count * 5 - bits)
    return [(number >> (5 * i)) & 31 for i in reversed(range(count))]


def _symbols_to_bytes(symbols: list[int]) -> bytes | None:
    """The bytes, or None when the padding is not canonical (fewer than 5 zero bits)."""
    bits = len(symbols) * 5
    padding = bits % 8
    number = _as_number(symbols)
    if padding >= 5 or number & ((1 << padding) - 1):
        return None
    return (number >> padding).to_bytes(bits // 8, "big")
