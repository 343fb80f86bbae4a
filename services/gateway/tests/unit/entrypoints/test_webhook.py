"""POST /telegram/webhook called directly as an ASGI app: 405, 401, 413, 503, malformed or
unknown → 200, stored → 200 (processed after), not stored → 500."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any

import pytest
from aiogram import Bot

from xrpbot.gateway.entrypoints.updates import UpdateProcessor
from xrpbot.gateway.entrypoints.webhook import MAX_BODY_BYTES, webhook_route
from xrpbot.gateway.handlers import build_dispatcher
from xrpbot.runtime.service import ASGIApp

SECRET = "s3cret_Token-1"
MakeUpdate = Callable[..., dict[str, Any]]


async def call(
    app: ASGIApp,
    *,
    method: str = "POST",
    headers: dict[str, str] | None = None,
    body: bytes | list[bytes] = b"",
    readable: bool = True,
) -> tuple[int, dict[bytes, bytes], bytes]:
    """One HTTP request through the ASGI app: (status, headers, body)."""
    chunks = body if isinstance(body, list) else [body]
    pending = [
        {"type": "http.request", "body": c, "more_body": i < len(chunks) - 1}
        for i, c in enumerate(chunks)
    ]
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        assert readable, "the body must not be read"
        return pending.pop(0) if pending else {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "method": method,
        "path": "/telegram/webhook",
        "headers": [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()],
    }
    await app(scope, receive, send)
    start, payload = sent[0], b"".join(m.get("body", b"") for m in sent[1:])
    return start["status"], dict(start["headers"]), payload


def _auth(**extra: str) -> dict[str, str]:
    return {"X-Telegram-Bot-Api-Secret-Token": SECRET, **extra}


@pytest.fixture
def ready() -> dict[str, bool]:
    return {"value": True}


class MemoryInbox:
    """`UpdateInbox` in memory: what the webhook stored, in order; `fail` makes it raise."""

    def __init__(self) -> None:
        self.stored: dict[int, dict[str, Any]] = {}
        self.fail: BaseException | None = None

    async def accept(self, update_id: int, raw: dict[str, Any]) -> bool:
        if self.fail is not None:
            raise self.fail
        if update_id in self.stored:
            return False
        self.stored[update_id] = raw
        return True


@pytest.fixture
def inbox() -> MemoryInbox:
    return MemoryInbox()


@pytest.fixture
def app(
    bot: Bot, new_uow: Any, show_after_commit: Any, ready: dict[str, bool], inbox: MemoryInbox
) -> ASGIApp:
    dp = build_dispatcher(new_uow, on_commit=show_after_commit)
    return webhook_route(
        secret=SECRET,
        processor=UpdateProcessor(dp, bot),
        updates=inbox,
        ready=lambda: ready["value"],
        update_types=dp.resolve_used_update_types(),
    )


@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE", "HEAD"])
async def test_anything_but_post_is_405(app: ASGIApp, method: str) -> None:
    status, headers, _ = await call(app, method=method, headers=_auth(), readable=False)
    assert status == 405
    assert headers[b"allow"] == b"POST"


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"X-Telegram-Bot-Api-Secret-Token": "wrong"},
        {"X-Telegram-Bot-Api-Secret-Token": SECRET + "x"},
        {"X-Telegram-Bot-Api-Secret-Token": ""},
    ],
)
async def test_missing_or_wrong_secret_is_401_and_nothing_is_processed(
    app: ASGIApp, headers: dict[str, str], inbox: MemoryInbox, telegram: Any
) -> None:
    status, _, _ = await call(app, headers=headers, readable=False)
    assert status == 401
    assert inbox.stored == {}
    assert telegram.calls == []


async def test_declared_oversized_body_is_413_unread(app: ASGIApp) -> None:
    headers = _auth(**{"Content-Length": str(MAX_BODY_BYTES + 1)})
    status, _, _ = await call(app, headers=headers, readable=False)
    assert status == 413


async def test_streamed_oversized_body_is_413(app: ASGIApp, inbox: MemoryInbox) -> None:
    chunk = b"x" * (256 * 1024)
    status, _, _ = await call(app, headers=_auth(), body=[chunk] * 5)
    assert status == 413
    assert inbox.stored == {}


async def test_a_body_of_exactly_one_mib_is_read(app: ASGIApp) -> None:
    body = b" " * (MAX_BODY_BYTES - 2) + b"{}"
    status, _, _ = await call(app, headers=_auth(), body=[body[:1000], body[1000:]])
    assert status == 200


async def test_not_started_yet_is_503(app: ASGIApp, ready: dict[str, bool]) -> None:
    ready["value"] = False
    status, headers, _ = await call(app, headers=_auth(), body=b"{}")
    assert status == 503
    assert b"retry-after" in headers


@pytest.mark.parametrize(
    "body", [b"{not json", b"\xff\xfe", b"[1,2,3]", b'"text"', b'{"update_id": "x"}', b"{}"]
)
async def test_malformed_body_is_200_ignored_and_logged(
    app: ASGIApp, body: bytes, inbox: MemoryInbox, telegram: Any, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING):
        status, _, _ = await call(app, headers=_auth(), body=body)
    assert status == 200
    assert inbox.stored == {}
    assert telegram.calls == []
    assert any("ignored" in r.getMessage() for r in caplog.records)


@pytest.mark.parametrize(
    "update",
    [
        {"update_id": 77, "message_reaction_count": {"chat": {"id": 1, "type": "group"}}},
        {"update_id": 78, "some_future_update": {"x": 1}},
        {"update_id": 79},
    ],
)
async def test_an_update_of_a_type_the_bot_does_not_handle_is_200_ignored_and_logged(
    app: ASGIApp, update: dict[str, Any], inbox: MemoryInbox, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING):
        status, _, _ = await call(app, headers=_auth(), body=json.dumps(update).encode())
    assert status == 200
    assert inbox.stored == {}
    assert any("ignored" in r.getMessage() for r in caplog.records)


async def test_an_update_is_stored_and_answered_before_any_processing(
    app: ASGIApp, inbox: MemoryInbox, store: Any, telegram: Any, message_update: MakeUpdate
) -> None:
    update = message_update(30, "/wallet")
    status, _, _ = await call(app, headers=_auth(), body=json.dumps(update).encode())
    assert status == 200
    assert inbox.stored == {30: update}
    assert telegram.calls == []  # no Telegram call before the 200: the worker answers later
    assert store.processed_updates == set()
    assert store.outbox == []


async def test_a_repeated_update_id_changes_nothing(
    app: ASGIApp, inbox: MemoryInbox, message_update: MakeUpdate
) -> None:
    first = message_update(32, "/balance")
    again = {**first, "message": {**first["message"], "text": "/wallet"}}
    for update in (first, again, first):
        assert (await call(app, headers=_auth(), body=json.dumps(update).encode()))[0] == 200
    assert inbox.stored == {32: first}


async def test_not_stored_is_500_and_the_retry_is_stored_once(
    app: ASGIApp, inbox: MemoryInbox, message_update: MakeUpdate
) -> None:
    body = json.dumps(message_update(31, "/balance")).encode()
    inbox.fail = ConnectionRefusedError("postgres is down")
    assert (await call(app, headers=_auth(), body=body))[0] == 500
    assert inbox.stored == {}
    inbox.fail = None
    for _ in range(3):  # Telegram retries, then retries again after a lost 200
        assert (await call(app, headers=_auth(), body=body))[0] == 200
    assert list(inbox.stored) == [31]


async def test_telegrams_documented_example_updates_never_break_the_webhook(
    app: ASGIApp, load_fixture: Callable[[str], Any]
) -> None:
    for name, update in load_fixture("telegram_docs_webhook_examples.json")["examples"].items():
        status, _, _ = await call(app, headers=_auth(), body=json.dumps(update).encode())
        assert status == 200, name
