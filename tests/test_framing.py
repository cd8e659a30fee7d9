"""The framing codec on raw bytes: 4-byte native-order length, body, caps, truncation."""

from __future__ import annotations

import struct

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from native_host.framing import (
    DEFAULT_MAX_FRAME,
    HEADER,
    NEED_DATA,
    FrameDecoder,
    FrameTooLarge,
    TruncatedFrame,
    encode_frame,
)

Item = bytes | FrameTooLarge


def drain(decoder: FrameDecoder) -> list[Item]:
    """Every frame body (or oversize report) the decoder can produce now."""
    items: list[Item] = []
    while True:
        try:
            body = decoder.next_frame()
        except FrameTooLarge as error:
            items.append(error)
            continue
        if body is NEED_DATA:
            return items
        assert isinstance(body, bytes)
        items.append(body)


def assert_eof_reports_truncation_once(decoder: FrameDecoder) -> None:
    """After EOF in the middle of a frame: TruncatedFrame once, then a clean end."""
    decoder.feed_eof()
    assert not decoder.at_clean_end
    with pytest.raises(TruncatedFrame):
        decoder.next_frame()
    assert decoder.at_clean_end
    assert decoder.next_frame() is NEED_DATA


def decode_in_chunks(stream: bytes, cuts: list[int], max_frame: int) -> list[Item]:
    """Feed `stream` split at `cuts`, draining after every chunk as the host does."""
    decoder = FrameDecoder(max_frame)
    items: list[Item] = []
    start = 0
    for cut in [*sorted(set(cuts)), len(stream)]:
        decoder.feed(stream[start:cut])
        start = cut
        items += drain(decoder)
        # Between reads the decoder holds at most one incomplete frame of cap size.
        assert len(decoder._buffer) < HEADER.size + max_frame
    decoder.feed_eof()
    items += drain(decoder)
    assert decoder.at_clean_end
    return items


def summary(items: list[Item]) -> list[bytes | tuple[str, int]]:
    return [("too_large", i.declared) if isinstance(i, FrameTooLarge) else i for i in items]


def test_header_is_four_bytes_native_order() -> None:
    assert encode_frame(b'{"a":1}') == struct.pack("=I", 7) + b'{"a":1}'
    assert HEADER.size == 4


def test_round_trip() -> None:
    bodies = [b'{"v":1}', '{"t":"日本語"}'.encode(), b"x" * 70_000]
    decoder = FrameDecoder()
    decoder.feed(b"".join(encode_frame(body) for body in bodies))
    assert drain(decoder) == bodies


def test_zero_length_frame_is_an_empty_body() -> None:
    decoder = FrameDecoder()
    decoder.feed(encode_frame(b"") + encode_frame(b"{}"))
    assert drain(decoder) == [b"", b"{}"]
    decoder.feed_eof()
    assert decoder.next_frame() is NEED_DATA
    assert decoder.at_clean_end


def test_frame_exactly_at_the_cap_is_accepted() -> None:
    decoder = FrameDecoder(max_frame=10)
    decoder.feed(encode_frame(b"0123456789") + encode_frame(b"01234567890"))
    items = drain(decoder)
    assert items[0] == b"0123456789"
    assert isinstance(items[1], FrameTooLarge)
    assert (items[1].declared, items[1].limit) == (11, 10)


def test_default_cap_is_one_mebibyte() -> None:
    assert FrameDecoder().max_frame == DEFAULT_MAX_FRAME == 1024 * 1024


bodies_strategy = st.lists(st.binary(max_size=32), max_size=12)  # all within a 32-byte cap


@settings(max_examples=300)
@given(bodies=bodies_strategy, data=st.data())
def test_any_split_decodes_to_the_same_bodies(bodies: list[bytes], data: st.DataObject) -> None:
    stream = b"".join(encode_frame(body) for body in bodies)
    cuts = data.draw(st.lists(st.integers(0, len(stream)), max_size=len(stream) + 1))
    assert decode_in_chunks(stream, cuts, max_frame=32) == bodies


@settings(max_examples=300)
@given(
    before=bodies_strategy,
    oversize=st.integers(33, 500),
    after=bodies_strategy,
    data=st.data(),
)
def test_oversize_frame_is_skipped_across_any_split(
    before: list[bytes], oversize: int, after: list[bytes], data: st.DataObject
) -> None:
    big = bytes(range(256)) * 2
    stream = b"".join(
        [*map(encode_frame, before), encode_frame(big[:oversize]), *map(encode_frame, after)]
    )
    cuts = data.draw(st.lists(st.integers(0, len(stream)), max_size=40))
    items = decode_in_chunks(stream, cuts, max_frame=32)
    expected: list[bytes | tuple[str, int]] = [*before, ("too_large", oversize), *after]
    assert summary(items) == expected


def test_huge_oversize_frame_in_chunks_is_never_buffered() -> None:
    max_frame = 1024
    decoder = FrameDecoder(max_frame)
    declared = 50 * 1024 * 1024
    decoder.feed(HEADER.pack(declared))
    with pytest.raises(FrameTooLarge) as raised:
        decoder.next_frame()
    assert raised.value.declared == declared
    chunk = b"\xff" * 65536
    largest = 0
    for _ in range(declared // len(chunk)):
        decoder.feed(chunk)
        assert decoder.next_frame() is NEED_DATA
        largest = max(largest, len(decoder._buffer))
    assert largest <= max_frame + HEADER.size
    assert largest == 0  # skipped bytes are dropped on arrival
    decoder.feed(encode_frame(b'{"next":true}'))
    assert drain(decoder) == [b'{"next":true}']
    decoder.feed_eof()
    assert decoder.at_clean_end


def test_oversize_header_and_part_of_body_in_one_chunk() -> None:
    decoder = FrameDecoder(max_frame=8)
    decoder.feed(encode_frame(b"A" * 20)[:15])  # header + 11 of 20 body bytes
    with pytest.raises(FrameTooLarge):
        decoder.next_frame()
    assert len(decoder._buffer) == 0
    decoder.feed(b"A" * 9 + encode_frame(b"ok"))
    assert drain(decoder) == [b"ok"]


@pytest.mark.parametrize(
    "tail",
    [b"\x05", b"\x05\x00\x00", encode_frame(b"hello")[:-1], encode_frame(b"hello")[:4]],
    ids=["1-byte header", "3-byte header", "body short by one", "header only"],
)
def test_truncated_stream_raises_once_then_is_clean(tail: bytes) -> None:
    decoder = FrameDecoder()
    decoder.feed(encode_frame(b"{}") + tail)
    assert drain(decoder) == [b"{}"]
    assert not decoder.at_clean_end
    assert_eof_reports_truncation_once(decoder)


def test_truncated_oversize_frame_reports_too_large_then_truncated() -> None:
    decoder = FrameDecoder(max_frame=8)
    decoder.feed(encode_frame(b"B" * 100)[:50])
    with pytest.raises(FrameTooLarge):
        decoder.next_frame()
    assert_eof_reports_truncation_once(decoder)


def test_at_clean_end_needs_eof_and_an_empty_buffer() -> None:
    decoder = FrameDecoder()
    assert not decoder.at_clean_end  # no EOF yet
    decoder.feed(encode_frame(b"{}"))
    decoder.feed_eof()
    assert not decoder.at_clean_end  # a whole frame is still unread
    assert decoder.next_frame() == b"{}"
    assert decoder.at_clean_end
    assert decoder.next_frame() is NEED_DATA


def test_eof_on_an_empty_stream_is_clean() -> None:
    decoder = FrameDecoder()
    decoder.feed_eof()
    assert decoder.at_clean_end
    assert decoder.next_frame() is NEED_DATA


def test_need_data_repr() -> None:
    assert repr(NEED_DATA) == "NEED_DATA"
