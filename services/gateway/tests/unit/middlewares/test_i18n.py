"""Each update in its user's language, through the real Dispatcher with fake ports."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from aiogram import Bot, Dispatcher

from xrpbot.gateway.handlers import build_dispatcher
from xrpbot.gateway.render.i18n import CatalogI18n
from xrpbot.gateway.render.keyboards import SettingsButton

MakeUpdate = Callable[..., dict[str, Any]]


@pytest.fixture(scope="module")
def i18n() -> CatalogI18n:
    return CatalogI18n()


@pytest.fixture
def dp(new_uow: Callable[..., Any], i18n: CatalogI18n, show_after_commit: Any) -> Dispatcher:
    return build_dispatcher(new_uow, i18n=i18n, admin_ids={9001}, on_commit=show_after_commit)


# ---- updates ---------------------------------------------------------------------------------


async def test_a_spanish_speaker_gets_the_welcome_and_the_menu_in_spanish(
    dp: Dispatcher,
    bot: Bot,
    telegram: Any,
    message_update: MakeUpdate,
    labels: Callable[[Any], list[str]],
) -> None:
    await dp.feed_raw_update(bot, message_update(1, "/start", language_code="es"))
    [welcome] = telegram.sent("sendMessage")
    assert welcome.text.startswith("👋 ¡Hola, Ada!")
    assert "Soy una billetera del XRP Ledger" in welcome.text
    assert "/balance — tu saldo, la reserva y lo que puedes gastar" in welcome.text
    assert labels(welcome.reply_markup) == [
        "💰 Saldo",
        "📤 Enviar",
        "📥 Recibir",
        "🧾 Historial",
        "📈 Precios",
        "⚙️ Ajustes",
        "❓ Ayuda",
    ]


async def test_an_english_or_unknown_language_gets_english(
    dp: Dispatcher, bot: Bot, telegram: Any, message_update: MakeUpdate
) -> None:
    await dp.feed_raw_update(bot, message_update(1, "/menu", language_code="pt-br"))
    await dp.feed_raw_update(bot, message_update(2, "/menu", user_id=77, language_code=None))
    assert [m.text for m in telegram.sent("sendMessage")] == ["What would you like to do?"] * 2


async def test_a_russian_speaker_gets_a_refusal_in_the_send_flow_in_russian(
    dp: Dispatcher, bot: Bot, telegram: Any, message_update: MakeUpdate
) -> None:
    await dp.feed_raw_update(bot, message_update(1, "/send", language_code="ru"))
    await dp.feed_raw_update(bot, message_update(2, "ten", language_code="ru"))
    asked, refused = telegram.sent("sendMessage")
    assert asked.text.startswith("Сколько XRP вы хотите отправить?")
    assert refused.text.startswith("Это не сумма в XRP.")
    assert "Сколько XRP вы хотите отправить?" in refused.text


async def test_the_choice_in_settings_wins_over_telegrams_language(
    dp: Dispatcher,
    bot: Bot,
    telegram: Any,
    message_update: MakeUpdate,
    store: Any,
    wallet: Any,
    press: Callable[..., dict[str, Any]],
    labels: Callable[[Any], list[str]],
) -> None:
    # Telegram says Spanish; the user picks Русский: the screen, its toast and every later
    # answer are Russian
    i18n = CatalogI18n()
    await dp.feed_raw_update(bot, message_update(1, "/settings", language_code="es"))
    assert telegram.sent("sendMessage")[0].text == "⚙️ Abriendo tus ajustes…"
    [screen] = await wallet.answer(i18n)
    assert "🌐 Idioma: Español" in screen.text
    await dp.feed_raw_update(
        bot, press(2, SettingsButton(what="lang", value="ru").pack(), language_code="es")
    )
    assert store.languages == {4242: "ru"}
    [toast] = [a for a in telegram.sent("answerCallbackQuery") if a.text]
    assert toast.text == "Сохранено."
    [edited] = await wallet.answer(i18n)
    assert "🌐 Язык: Русский" in edited.text
    assert "Дневной лимит отправки: 10,000 XRP (по умолчанию)" in edited.text
    assert labels(edited.keyboard)[0] == "🌐 Язык: Русский"
    await dp.feed_raw_update(bot, message_update(3, "/menu", language_code="es"))
    assert telegram.sent("sendMessage")[-1].text == "Что вы хотите сделать?"


async def test_choosing_english_overrides_a_spanish_telegram(
    dp: Dispatcher, bot: Bot, telegram: Any, message_update: MakeUpdate, store: Any
) -> None:
    store.languages[4242] = "en"
    await dp.feed_raw_update(bot, message_update(1, "/menu", language_code="es"))
    assert telegram.sent("sendMessage")[0].text == "What would you like to do?"


async def test_a_private_command_in_a_group_is_pointed_away_in_spanish(
    dp: Dispatcher,
    bot: Bot,
    telegram: Any,
    message_update: MakeUpdate,
    labels: Callable[[Any], list[str]],
) -> None:
    update = message_update(1, "/balance", chat_type="group", chat_id=-100, language_code="es")
    await dp.feed_raw_update(bot, update)
    [pointer] = telegram.sent("sendMessage")
    assert pointer.text.startswith("🔒 Las billeteras son privadas")
    assert labels(pointer.reply_markup) == ["🔒 Continuar en un chat privado"]
