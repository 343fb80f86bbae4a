"""QR codes as PNG images (segno: pure Python, no image library needed; https://segno.readthedocs.io)."""

from __future__ import annotations

import io

import segno

__all__ = ["qr_png"]


def qr_png(data: str, *, scale: int = 10, border: int = 4) -> bytes:
    """`data` as a QR code PNG.

    Args:
        data: the text to encode (a payment link, ≤ a few hundred characters).
        scale: pixels per module (10: a ~450 px square for a payment link, sharp on phones).
        border: quiet zone in modules (4 is the QR standard's minimum for reliable scans).

    Returns:
        PNG bytes, black on white, error correction level M (15 % of the code may be damaged).
    """
    # micro=False: Micro QR codes are not read by most phone scanners
    code = segno.make(data, error="m", micro=False)
    out = io.BytesIO()
    code.save(out, kind="png", scale=scale, border=border)
    return out.getvalue()
