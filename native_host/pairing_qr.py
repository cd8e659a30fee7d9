"""The pairing code as a QR code: SVG text for the popup, block characters for a terminal.

The code's symbols (Crockford base32 and `-`) are all in QR's alphanumeric mode, so the
QR carries the code as it is written. segno is imported here, on use only.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from segno import QRCode


def _qr(code: str) -> QRCode:
    import segno

    return segno.make_qr(code, error="m")


def svg(code: str) -> str:
    """An inline <svg> element, dark on white whatever the page's colours (a scanner
    needs the contrast)."""
    return _qr(code).svg_inline(scale=4, border=2, dark="#000", light="#fff")


def terminal(code: str) -> str:
    """The QR code in block characters, two rows of modules a line (compact)."""
    out = io.StringIO()
    _qr(code).terminal(out=out, border=2, compact=True)
    return out.getvalue().rstrip("\n")
