"""Draw the extension's toolbar icons (a credit gauge on a shield-blue disc) as PNGs.

No image library needed: pixels are computed and written with zlib. Run it again after
changing the design; the PNGs are committed.
"""

from __future__ import annotations

import math
import struct
import zlib
from pathlib import Path

ICONS = Path(__file__).resolve().parent.parent / "extension" / "icons"
BLUE = (37, 99, 235)
GREEN = (34, 197, 94)
WHITE = (255, 255, 255)


def pixel(x: float, y: float, size: int) -> tuple[int, int, int, int]:
    """Colour of one pixel: a disc, a white ring, and a green arc for credits left."""
    c = size / 2
    dx, dy = x - c, y - c
    r = math.hypot(dx, dy) / c
    if r > 1:
        return (0, 0, 0, 0)
    angle = (math.degrees(math.atan2(dx, -dy)) + 360) % 360  # 0 at the top, clockwise
    if 0.52 <= r <= 0.78:
        return (*(GREEN if angle <= 250 else WHITE), 255)
    if r <= 0.22:
        return (*WHITE, 255)
    return (*BLUE, 255)


def png(size: int) -> bytes:
    samples = 4  # supersampling per axis, for smooth edges
    rows = bytearray()
    for y in range(size):
        rows.append(0)
        for x in range(size):
            acc = [0, 0, 0, 0]
            for sy in range(samples):
                for sx in range(samples):
                    px = pixel(x + (sx + 0.5) / samples, y + (sy + 0.5) / samples, size)
                    for i in range(3):
                        acc[i] += px[i] * px[3]
                    acc[3] += px[3]
            alpha = acc[3] / samples**2
            colour = [round(acc[i] / acc[3]) if acc[3] else 0 for i in range(3)]
            rows += bytes([*colour, round(alpha)])

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(bytes(rows), 9))
        + chunk(b"IEND", b"")
    )


def main() -> None:
    ICONS.mkdir(parents=True, exist_ok=True)
    for size in (16, 32, 48, 128):
        (ICONS / f"icon{size}.png").write_bytes(png(size))


if __name__ == "__main__":
    main()
