"""Alerts in each admin's language, and the command list registered in every language."""

from __future__ import annotations

from typing import Any

import pytest
from aiogram import Bot

from xrpbot.gateway.domain.admin import AlertSummary
from xrpbot.gateway.entrypoints.background import register_all_commands
from xrpbot.gateway.render.admin import alert_text
from xrpbot.gateway.render.i18n import CatalogI18n
from xrpbot.gateway.use_cases import admin


@pytest.fixture(scope="module")
def i18n() -> CatalogI18n:
    return CatalogI18n()


# ---- admins and the command list ------------------------------------------------------------


async def test_alerts_go_to_each_admin_in_their_language(
    new_uow: Any, messenger: Any, store: Any, i18n: CatalogI18n
) -> None:
    store.languages[1] = "es"
    store.chats[2] = "ru"
    summary = AlertSummary("payment_failed", 3, {"transfer_expired": 3})
    async with new_uow() as uow:
        locales = await admin.admin_locales(uow, {1, 2, 3})
    await admin.notify_admins(
        messenger, {1, 2, 3}, lambda: alert_text(summary), i18n=i18n, locales=locales
    )
    texts_by_admin = {chat_id: message.text for chat_id, message in messenger.sent}
    assert texts_by_admin[1].startswith("⚠️ <b>3 pagos fallidos</b>")
    assert texts_by_admin[2].startswith("⚠️ <b>3 платежа не прошли</b>")
    assert texts_by_admin[3].startswith("⚠️ <b>3 payments failed</b>")


async def test_the_command_list_is_registered_in_every_language(
    bot: Bot, telegram: Any, i18n: CatalogI18n
) -> None:
    await register_all_commands(bot, i18n)
    calls = telegram.sent("setMyCommands")
    by_language: dict[str | None, dict[str, str]] = {}
    for call in calls:
        if call.scope.type == "all_private_chats":
            by_language[call.language_code] = {c.command: c.description for c in call.commands}
    assert set(by_language) == {None, "es", "ru"}
    assert by_language[None]["balance"] == "Your balance and what you can spend"
    assert by_language["es"]["balance"] == "Tu saldo y lo que puedes gastar"
    assert by_language["ru"]["balance"] == "Баланс и сколько можно потратить"
    assert list(by_language["es"]) == list(by_language[None])  # same commands, same order
    assert len(calls) == 9  # default, private and group scopes, three times
