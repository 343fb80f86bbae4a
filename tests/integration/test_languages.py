"""End to end: languages. A user whose Telegram speaks Russian is answered in Russian
(by the gateway at once, and by the replies another service caused); after choosing Español in
/settings, everything is Spanish, whatever Telegram says; the command list is registered in
every language. Users act through the Telegram stand-in."""

# ruff: noqa: RUF001  the Russian words here are Cyrillic on purpose, not look-alike Latin

from __future__ import annotations

from typing import Any

import pytest

from xrpbot.sandbox.tools.telegram_control import TelegramSandbox

pytestmark = pytest.mark.integration


def test_russian_from_telegram_then_spanish_from_settings(
    telegram: TelegramSandbox, new_user: Any, db: Any
) -> None:
    tg, user = telegram, new_user("Ivan", language_code="ru")

    welcome = tg.ask(user, "/start", "Привет, Ivan!")
    assert "Я кошелёк для XRP Ledger" in welcome.text
    for label in ("Баланс", "Отправить", "Получить", "История", "Курс", "Настройки", "Помощь"):
        welcome.button(label)
    # a reply of the wallet service, rendered by the gateway's replies consumer
    tg.ask(user, "/balance", "У вас ещё нет кошелька")

    screen = tg.ask(user, "/settings", "Язык: Русский")
    tg.press(user, screen.message_id, screen.button("Язык"))
    choice = tg.wait_message(user, screen.message_id, lambda m: "Выберите язык" in m.text)
    tg.press(user, choice.message_id, choice.button("Español"))
    screen = tg.wait_message(user, screen.message_id, lambda m: "Idioma: Español" in m.text)
    assert "Notificaciones de pagos: activadas" in screen.text
    assert (
        db.val("SELECT language FROM gateway.user_settings WHERE telegram_id = %s", user.user_id)
        == "es"
    )

    # Telegram still says "ru": the choice wins, for the gateway's own answers and for replies
    menu = tg.ask(user, "/menu", "¿Qué quieres hacer?")
    menu.button("Saldo")
    tg.ask(user, "/balance", "Aún no tienes billetera")


def test_the_command_list_is_registered_in_every_language(telegram: TelegramSandbox) -> None:
    stored = telegram.client.get(f"{telegram.base_url}/sandbox/commands").json()["commands"]
    balance: dict[str | None, str] = {}
    for entry in stored:
        if entry["scope"].get("type") == "all_private_chats":
            [command] = [c for c in entry["commands"] if c["command"] == "balance"]
            balance[entry["language_code"] or None] = command["description"]
    assert balance == {
        None: "Your balance and what you can spend",
        "es": "Tu saldo y lo que puedes gastar",
        "ru": "Баланс и сколько можно потратить",
    }
