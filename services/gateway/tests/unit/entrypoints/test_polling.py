"""Polling: deleteWebhook first, offsets, per-update parsing, retries of transient failures."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import pytest
from aiogram import Bot

from xrpbot.gateway.entrypoints.polling import Poller, retry_forever
from xrpbot.gateway.entrypoints.updates import UpdateProcessor
from xrpbot.gateway.handlers import build_dispatcher
from xrpbot.gateway.render.texts import common as common_texts
from xrpbot.gateway.render.texts import wallet as wallet_texts

MakeUpdate = Callable[..., dict[str, Any]]


def _batch(*updates: dict[str, Any]) -> dict[str, Any]:
    return {"ok": True, "result": list(updates)}


@pytest.fixture
def poller(bot: Bot, new_uow: Any, show_after_commit: Any) -> Poller:
    processor = UpdateProcessor(build_dispatcher(new_uow, on_commit=show_after_commit), bot)
    return Poller(bot, processor, allowed_updates=["message"], timeout_s=25, backoff_first_s=0.001)


async def _run_until(poller: Poller, done: Callable[[], bool]) -> None:
    """Run the poller until `done()` holds (polled: the poller has no event to wait on)."""
    poller.start()
    try:
        async with asyncio.timeout(5):
            while not done():  # noqa: ASYNC110
                await asyncio.sleep(0.01)
    finally:
        await poller.stop()


async def test_polling_deletes_the_webhook_then_feeds_updates_in_order(
    poller: Poller, telegram: Any, store: Any, message_update: MakeUpdate
) -> None:
    telegram.script(
        "getUpdates", 200, _batch(message_update(5, "/start"), message_update(6, "/wallet"))
    )
    await _run_until(poller, lambda: len(telegram.sent("getUpdates")) >= 2)
    assert telegram.calls[0].__api_method__ == "deleteWebhook"
    assert telegram.calls[0].drop_pending_updates is False
    first, second = telegram.sent("getUpdates")[:2]
    assert (first.offset, first.timeout, first.allowed_updates) == (None, 25, ["message"])
    assert second.offset == 7  # confirms both updates
    texts_sent = [m.text for m in telegram.sent("sendMessage")]
    assert texts_sent == [common_texts.start("Ada"), wallet_texts.creating_wallet()]
    assert len(store.outbox) == 1


async def test_an_update_that_does_not_parse_is_skipped_not_stuck(
    poller: Poller, telegram: Any, store: Any, message_update: MakeUpdate, load_fixture: Any
) -> None:
    recorded = load_fixture("recorded_updates.json")["updates"]
    unparseable = next(u["update"] for u in recorded if u["expect"] == "rejected")
    unparseable = {**unparseable, "update_id": 8}
    telegram.script("getUpdates", 200, _batch(unparseable, message_update(9, "/help")))
    await _run_until(poller, lambda: len(telegram.sent("getUpdates")) >= 2)
    assert telegram.sent("getUpdates")[1].offset == 10
    assert store.processed_updates == {9}


async def test_get_updates_failures_back_off_and_recover(
    poller: Poller, telegram: Any, store: Any, message_update: MakeUpdate
) -> None:
    telegram.fail("deleteWebhook", 502, "Bad Gateway")
    telegram.fail("getUpdates", 409, "Conflict: terminated by other getUpdates request")
    telegram.fail("getUpdates", 502, "Bad Gateway")
    telegram.script("getUpdates", 200, _batch(message_update(11, "/help")))
    await _run_until(poller, lambda: store.processed_updates == {11})
    assert len(telegram.sent("deleteWebhook")) == 2


async def test_a_transient_failure_retries_the_same_update_until_it_succeeds(
    poller: Poller,
    telegram: Any,
    store: Any,
    message_update: MakeUpdate,
    monkeypatch: pytest.MonkeyPatch,
    fake_types: Any,
) -> None:
    real_see, failures = fake_types.chats.see, [ConnectionResetError("the database went away")] * 2

    async def see(self: Any, chat_id: int, language_code: str | None) -> None:
        if failures:
            raise failures.pop()  # transient: the update rolls back and is retried
        await real_see(self, chat_id, language_code)

    monkeypatch.setattr(fake_types.chats, "see", see)
    telegram.script("getUpdates", 200, _batch(message_update(12, "/balance")))
    await _run_until(poller, lambda: len(store.outbox) == 1)
    assert failures == [], "tried three times"
    assert len(telegram.sent("sendMessage")) == 1, (
        "one placeholder: the rolled-back ones never left"
    )
    assert store.processed_updates == {12}


async def test_a_non_transient_failure_is_logged_once_and_skipped_not_retried(
    poller: Poller,
    telegram: Any,
    message_update: MakeUpdate,
    monkeypatch: Any,
    logged: list[Any],
) -> None:
    calls: list[int] = []

    async def broken(update: Any) -> str:
        calls.append(update.update_id)
        raise ValueError("a bug")

    monkeypatch.setattr(poller.processor, "process", broken)
    telegram.script(
        "getUpdates", 200, _batch(message_update(13, "/help"), message_update(14, "/help"))
    )
    await _run_until(poller, lambda: len(telegram.sent("getUpdates")) >= 2)
    assert calls == [13, 14]
    assert telegram.sent("getUpdates")[1].offset == 15
    assert [r.traceback for r in logged if "failed" in r.message] == [True, True]


async def test_retry_forever_retries_until_success() -> None:
    attempts: list[int] = []

    async def flaky() -> None:
        attempts.append(1)
        if len(attempts) < 3:
            raise ConnectionError("down")

    await retry_forever("flaky", flaky, first_s=0.001)
    assert len(attempts) == 3
