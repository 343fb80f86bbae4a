"""Uploaded photos: their dimensions, type and the PhotoSize array Telegram reports."""

from __future__ import annotations

import base64
import secrets
import struct
from typing import Any


def image_size(data: bytes) -> tuple[int, int] | None:
    """Width and height of a PNG, JPEG, GIF or WebP image, or None if it is not one."""
    if data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) >= 24:
        width, height = struct.unpack(">II", data[16:24])
        return int(width), int(height)
    if data[:6] in (b"GIF87a", b"GIF89a") and len(data) >= 10:
        width, height = struct.unpack("<HH", data[6:10])
        return int(width), int(height)
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP" and len(data) >= 30:
        chunk = data[12:16]
        if chunk == b"VP8 ":
            width, height = struct.unpack("<HH", data[26:30])
            return int(width) & 0x3FFF, int(height) & 0x3FFF
        if chunk == b"VP8L":
            bits = int.from_bytes(data[21:25], "little")
            return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
        if chunk == b"VP8X":
            return int.from_bytes(data[24:27], "little") + 1, int.from_bytes(
                data[27:30], "little"
            ) + 1
    if data[:2] == b"\xff\xd8":
        i = 2
        while i + 9 < len(data):
            if data[i] != 0xFF:
                i += 1
                continue
            marker = data[i + 1]
            if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
                i += 2
                continue
            (length,) = struct.unpack(">H", data[i + 2 : i + 4])
            if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
                height, width = struct.unpack(">HH", data[i + 5 : i + 9])
                return int(width), int(height)
            i += 2 + length
    return None


def image_mime(data: bytes) -> str:
    """The MIME type of an image's bytes (PNG, JPEG, GIF, WebP), else application/octet-stream."""
    if data[:8] == b"\x89PNG\r\n\x1a\n":
        return "image/png"
    if data[:2] == b"\xff\xd8":
        return "image/jpeg"
    if data[:4] == b"GIF8":
        return "image/gif"
    if data[:4] == b"RIFF":
        return "image/webp"
    return "application/octet-stream"


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def photo_sizes(data: bytes, width: int, height: int) -> list[dict[str, Any]]:
    """The PhotoSize array Telegram returns: its 90/320/800/1280/2560-pixel boxes.

    Telegram keeps a thumbnail per box up to the one that holds the original, scaled to fit.
    Sizes of the smaller copies are estimated by area (Telegram re-encodes them as JPEG).
    """
    sizes: list[dict[str, Any]] = []
    previous = 0
    biggest = max(width, height)
    for box in (90, 320, 800, 1280, 2560):
        if biggest <= previous:
            break
        scale = min(1.0, box / biggest)
        w, h = max(1, round(width * scale)), max(1, round(height * scale))
        area = (w * h) / max(1, width * height)
        sizes.append(
            {
                "file_id": "AgACAgIAAxkDAA" + _b64(secrets.token_bytes(36)),
                "file_unique_id": "AQAD" + _b64(secrets.token_bytes(10)),
                "file_size": max(1, round(len(data) * area)),
                "width": w,
                "height": h,
            }
        )
        previous = box
    return sizes
