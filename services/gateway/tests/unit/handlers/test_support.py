"""/support, the Support button of the menu and the support line of /help, with and without a
contact configured (SUPPORT_URL or SUPPORT_USERNAME)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from aiogram import Bot, Dispatcher

from xrpbot.gateway.domain.support import SupportContact
from xrpbot.gateway.handlers import build_dispatcher
from xrpbot.gateway.render.texts import common as common_texts
from xrpbot.gateway.render.texts import support as support_texts

MakeUpdate = Callable[..., dict[str, Any]]
BY_USERNAME = SupportContact("https://t.me/xrpbot_help", "xrpbot_help")
BY_URL = SupportContact("https://help.example.com/xrpbot?a=1&b=2")


@pytest.fixture
def dp_with(new_uow: Any, show_after_commit: Any) -> Callable[[SupportContact | None], Dispatcher]:
    return lambda contact: build_dispatcher(
        new_uow, support_contact=contact, on_commit=show_after_commit
    )


@pytest.mark.parametrize(
    ("contact", "words"),
    [
        (BY_USERNAME, "write to @xrpbot_help."),
        (BY_URL, "write to https://help.example.com/xrpbot?a=1&amp;b=2."),
    ],
)
async def test_support_names_the_contact(
    dp_with: Any,
    bot: Bot,
    telegram: Any,
    message_update: MakeUpdate,
    contact: SupportContact,
    words: str,
) -> None:
    await dp_with(contact).feed_raw_update(bot, message_update(80, "/support"))
    [sent] = telegram.sent("sendMessage")
    assert sent.text == support_texts.support_contact(contact.shown)
    assert words in sent.text


async def test_support_without_a_contact_says_so_plainly(
    dp: Dispatcher, bot: Bot, telegram: Any, store: Any, message_update: MakeUpdate
) -> None:
    await dp.feed_raw_update(bot, message_update(81, "/support"))
    [sent] = telegram.sent("sendMessage")
    assert sent.text == support_texts.no_support()
    assert sent.text == (
        "This bot has no support contact configured. Send /help to see what I can do."
    )
    assert store.outbox == []


@pytest.mark.parametrize("text", ["/start", "/menu"])
async def test_the_menu_has_a_support_button_with_the_contacts_url(
    dp_with: Any, bot: Bot, telegram: Any, message_update: MakeUpdate, text: str
) -> None:
    await dp_with(BY_USERNAME).feed_raw_update(bot, message_update(82, text))
    [sent] = telegram.sent("sendMessage")
    last_row = sent.reply_markup.inline_keyboard[-1]
    assert [(b.text, b.url) for b in last_row] == [("🆘 Support", "https://t.me/xrpbot_help")]


@pytest.mark.parametrize("text", ["/start", "/menu"])
async def test_without_a_contact_the_menu_has_no_support_button(
    dp: Dispatcher, bot: Bot, telegram: Any, message_update: MakeUpdate, text: str
) -> None:
    await dp.feed_raw_update(bot, message_update(83, text))
    [sent] = telegram.sent("sendMessage")
    buttons = [b for row in sent.reply_markup.inline_keyboard for b in row]
    assert all(b.url is None for b in buttons)


async def test_help_ends_with_the_support_line(
    dp_with: Any, bot: Bot, telegram: Any, message_update: MakeUpdate
) -> None:
    await dp_with(BY_USERNAME).feed_raw_update(bot, message_update(84, "/help"))
    [sent] = telegram.sent("sendMessage")
    assert sent.text == common_texts.help_text(support_texts.help_line("@xrpbot_help"))
    assert sent.text.endswith("🆘 Support: @xrpbot_help (or send /support)")


async def test_help_without_a_contact_has_no_support_line(
    dp: Dispatcher, bot: Bot, telegram: Any, message_update: MakeUpdate
) -> None:
    await dp.feed_raw_update(bot, message_update(85, "/help"))
    [sent] = telegram.sent("sendMessage")
    assert sent.text == common_texts.help_text()
    assert "🆘 Support:" not in sent.text
