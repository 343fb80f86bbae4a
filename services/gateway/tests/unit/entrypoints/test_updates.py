"""Recorded real Telegram updates and Telegram's documented examples parse and route as expected.

Fixtures (tests/fixtures/): `recorded_updates.json` holds updates real bots received, as their
developers published them; `telegram_docs_webhook_examples.json` holds the examples from
https://core.telegram.org/bots/webhooks#testing-your-bot-with-updates, which predate fields
today's Bot API always sends. Whatever does not parse must be ignored, never crash.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from aiogram import Bot
from aiogram.types import Update

from xrpbot.gateway.entrypoints.updates import UpdateProcessor
from xrpbot.gateway.handlers import build_dispatcher
from xrpbot.gateway.middlewares.actor import actor_from
from xrpbot.gateway.render.texts import common as common_texts

Load = Callable[[str], Any]


@pytest.fixture
def processor(bot: Bot, new_uow: Any, show_after_commit: Any) -> UpdateProcessor:
    return UpdateProcessor(build_dispatcher(new_uow, on_commit=show_after_commit), bot)


def _recorded(load: Load) -> list[dict[str, Any]]:
    updates: list[dict[str, Any]] = load("recorded_updates.json")["updates"]
    return updates


async def test_recorded_updates_parse_and_route(
    processor: UpdateProcessor, telegram: Any, load_fixture: Load
) -> None:
    for item in _recorded(load_fixture):
        update = processor.parse(item["update"])
        if item["expect"] == "rejected":
            assert update is None, item["name"]
            continue
        assert update is not None, item["name"]
        before = len(telegram.sent("sendMessage"))
        outcome = await processor.process(update)
        if item["expect"] == "unhandled":
            assert outcome == "unhandled", item["name"]
            assert len(telegram.sent("sendMessage")) == before, item["name"]
        else:
            assert outcome == "handled", item["name"]
            assert telegram.sent("sendMessage")[-1].text == common_texts.not_understood()


def test_recorded_private_message_becomes_the_right_actor(load_fixture: Load) -> None:
    raw = next(u for u in _recorded(load_fixture) if u["name"] == "private_text_message")
    update = Update.model_validate(raw["update"])
    assert update.message is not None
    assert update.message.from_user is not None
    actor = actor_from(update.message.from_user)
    assert (actor.telegram_id, actor.username, actor.first_name, actor.language_code) == (
        234140659,
        "zhmurko",
        "Dmitry",
        "en",
    )


def _with_is_bot(value: Any) -> Any:
    """Add `is_bot: false` to every `from` (Bot API 3.0 made it part of every User)."""
    if isinstance(value, dict):
        patched = {k: _with_is_bot(v) for k, v in value.items()}
        if isinstance(patched.get("from"), dict):
            patched["from"].setdefault("is_bot", False)
        return patched
    if isinstance(value, list):
        return [_with_is_bot(v) for v in value]
    return value


DOCS_EXPECTATIONS = {
    # example name: what happens once `from.is_bot` is added
    "message_with_text_minimal": "rejected",  # no chat.type (required since Bot API 2.0)
    "message_with_text": "welcome",
    "forwarded_message": "rejected",  # forward_from without is_bot
    "forwarded_channel_message": "rejected",
    "message_with_a_reply": "welcome",
    "edited_message": "unhandled",
    "message_with_entities": "hint",
    "message_with_audio": "rejected",  # no file_unique_id (required since Bot API 4.5)
    "voice_message": "rejected",
    "message_with_a_document": "rejected",
    "inline_query": "rejected",  # numeric id: Telegram sends a string
    "chosen_inline_query": "unhandled",
    "callback_query": "rejected",  # no chat_instance
}


def test_docs_examples_as_published_are_all_ignored(
    processor: UpdateProcessor, load_fixture: Load
) -> None:
    examples = load_fixture("telegram_docs_webhook_examples.json")["examples"]
    assert set(examples) == set(DOCS_EXPECTATIONS)
    for name, update in examples.items():
        assert processor.parse(update) is None, name


async def test_docs_examples_with_todays_required_fields_route(
    processor: UpdateProcessor, telegram: Any, store: Any, load_fixture: Load
) -> None:
    examples = load_fixture("telegram_docs_webhook_examples.json")["examples"]
    for update_id, (name, raw) in enumerate(examples.items(), start=1):
        raw = {**_with_is_bot(raw), "update_id": update_id}  # the docs reuse one update_id
        update = processor.parse(raw)
        expected = DOCS_EXPECTATIONS[name]
        if expected == "rejected":
            assert update is None, name
            continue
        assert update is not None, name
        before = len(telegram.sent("sendMessage"))
        outcome = await processor.process(update)
        sent = telegram.sent("sendMessage")[before:]
        if expected == "unhandled":
            assert (outcome, sent) == ("unhandled", []), name
        else:
            assert outcome == "handled", name
            want = (
                common_texts.start("Test Firstname")
                if expected == "welcome"
                else common_texts.not_understood()
            )
            assert [m.text for m in sent] == [want], name
    assert store.outbox == []
