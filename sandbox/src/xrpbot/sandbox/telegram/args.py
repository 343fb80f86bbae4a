"""Bot API request parameters: how tdlib's HttpReader reads them and Client converts them."""

from __future__ import annotations

import contextlib
import email.policy
import json
import re
from dataclasses import dataclass
from email.message import EmailMessage
from email.parser import BytesParser
from typing import Any

from aiohttp import web

from .errors import bad_request


@dataclass
class Upload:
    """A file sent in a multipart body: its filename and bytes."""

    filename: str
    data: bytes


@dataclass
class Args:
    """One call's parameters: `args(name)` is the value, or "" when absent (as tdlib reads them)."""

    values: dict[str, str]
    files: dict[str, Upload]

    def __call__(self, name: str) -> str:
        return self.values.get(name, "")


async def read_args(request: web.Request) -> Args:
    """Parameters from the query string and the body, as tdlib's HttpReader reads them.

    "We support GET and POST HTTP methods. We support four ways of passing parameters in Bot API
    requests: URL query string, application/x-www-form-urlencoded, application/json (except for
    uploading files), multipart/form-data (use to upload files)" (Making requests). In a JSON
    body, non-string values are passed on as their JSON text; malformed JSON is ignored.
    """
    values: dict[str, str] = {}
    files: dict[str, Upload] = {}
    for key, value in request.query.items():
        values.setdefault(key, value)
    if request.body_exists:
        ctype = request.content_type
        if ctype == "application/json":
            values.update(json_values(await request.read()))
        elif ctype in {"application/x-www-form-urlencoded", "multipart/form-data"}:
            form = await request.post()
            for key, item in form.items():
                if isinstance(item, web.FileField):
                    files[key] = Upload(item.filename, item.file.read())
                elif isinstance(item, str):
                    values[key] = item
                else:
                    values[key] = bytes(item).decode("utf-8", "replace")
    return Args(values, files)


def json_values(raw: bytes) -> dict[str, str]:
    """A JSON object body as parameters: non-string values become their JSON text.

    Malformed JSON, or JSON that is not an object, gives no parameters (tdlib ignores it).
    """
    values: dict[str, str] = {}
    with contextlib.suppress(ValueError):
        body = json.loads(raw)
        if isinstance(body, dict):
            for key, item in body.items():
                values[str(key)] = (
                    item
                    if isinstance(item, str)
                    else json.dumps(item, ensure_ascii=False, separators=(",", ":"))
                )
    return values


def parse_multipart(content: bytes, content_type: str) -> tuple[dict[str, str], dict[str, Upload]]:
    """Read a multipart/form-data body (aiogram answers webhooks this way)."""
    message = BytesParser(policy=email.policy.HTTP).parsebytes(
        b"Content-Type: " + content_type.encode("latin-1") + b"\r\n\r\n" + content
    )
    values: dict[str, str] = {}
    files: dict[str, Upload] = {}
    if not isinstance(message, EmailMessage):
        return values, files
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if not isinstance(name, str):
            continue
        payload = part.get_payload(decode=True)
        data = payload if isinstance(payload, bytes) else b""
        filename = part.get_filename()
        if filename:
            files[name] = Upload(filename, data)
        else:
            values[name] = data.decode("utf-8", "replace")
    return values, files


def json_arg(raw: str, error: str) -> Any:
    """A JSON-valued parameter decoded; raises a 400 `ApiError` with `error` if it is not JSON."""
    try:
        return json.loads(raw)
    except ValueError:
        raise bad_request(error) from None


def to_int(raw: str) -> int:
    """td::to_integer: the leading integer of the string, 0 if there is none."""
    m = re.match(r"\s*([+-]?\d+)", raw)
    return int(m.group(1)) if m else 0


def to_bool(raw: str) -> bool:
    """Client::to_bool: "true", "yes" or "1", case-insensitive."""
    return raw.strip().lower() in {"true", "yes", "1"}


def clamped_int(raw: str, default: int, low: int, high: int) -> int:
    """Client::get_integer_arg."""
    value = default if raw == "" else to_int(raw)
    return max(low, min(high, value))
