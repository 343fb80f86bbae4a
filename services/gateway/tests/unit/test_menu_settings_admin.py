"""Issue 5 through the real Dispatcher with fake ports: the menu, /receive and its QR code,
/settings, throttling, groups, admin commands, notifications off."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any
from uuid import uuid4

import pytest
import zxingcpp
from aiogram import Bot, Dispatcher
from PIL import Image

from xrpbot.gateway import texts, use_cases
from xrpbot.gateway.adapters.qr import qr_png
from xrpbot.gateway.handlers import build_dispatcher
from xrpbot.gateway.ids import correlation_id_for
from xrpbot.gateway.keyboards import MenuAction, MenuButton, SettingsButton
from xrpbot.gateway.ports import ReplyView, Verdict
from xrpbot.gateway.views import payment_link, render_view
from xrpbot.schemas import (
    Actor,
    BalanceReported,
    Counterparty,
    GetBalance,
    GetHistory,
    GetPrices,
    GetStats,
    PaymentReceived,
    StatsReported,
)

BOT_ID = 123456789
ADMIN = 9001
ADDRESS = "rPEPPER7kfTD9w2To4CQk6UCfuHM9c6GDY"
MakeUpdate = Callable[..., dict[str, Any]]


class FakeDepths:
    async def depths(self, queues: Any) -> dict[str, int | None]:
        return {"gateway.replies": 3, "transfer.dead-letter": None}


@pytest.fixture
def dp(new_uow: Callable[..., Any]) -> Dispatcher:
    return build_dispatcher(new_uow, admin_ids={ADMIN}, queue_depths=FakeDepths())


def press(
    update_id: int,
    data: str,
    *,
    user_id: int = 4242,
    chat_id: int | None = None,
    chat_type: str = "private",
) -> dict[str, Any]:
    """A callback query update: `user_id` presses `data` under bot message 50."""
    chat: dict[str, Any] = {"id": chat_id or user_id, "type": chat_type}
    if chat_type != "private":
        chat["title"] = "A group"
    return {
        "update_id": update_id,
        "callback_query": {
            "id": f"q{update_id}",
            "from": {"id": user_id, "is_bot": False, "first_name": "Ada", "language_code": "en"},
            "chat_instance": "1",
            "data": data,
            "message": {
                "message_id": 50,
                "from": {"id": BOT_ID, "is_bot": True, "first_name": "xrpbot"},
                "chat": chat,
                "date": 1_700_000_000,
                "text": "What would you like to do?",
            },
        },
    }


def labels(markup: Any) -> list[str]:
    return [b.text for row in markup.inline_keyboard for b in row]


def _balance(correlation_id: Any) -> BalanceReported:
    return BalanceReported(
        correlation_id=correlation_id,
        user=Actor(telegram_id=4242),
        chat_id=4242,
        address=ADDRESS,
        balance_drops=50_000_000,
        reserve_base_drops=1_000_000,
        reserve_owner_drops=200_000,
        owner_count=0,
        reserve_drops=1_000_000,
        ledger_index=100,
    )


# ---- the menu --------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["/start", "/menu"])
async def test_start_and_menu_show_the_menu_buttons(
    dp: Dispatcher, bot: Bot, telegram: Any, message_update: MakeUpdate, text: str
) -> None:
    await dp.feed_raw_update(bot, message_update(1, text))
    [sent] = telegram.sent("sendMessage")
    assert labels(sent.reply_markup) == [
        texts.menu_balance_button(),
        texts.menu_send_button(),
        texts.menu_receive_button(),
        texts.menu_history_button(),
        texts.menu_prices_button(),
        texts.menu_settings_button(),
        texts.menu_help_button(),
    ]


@pytest.mark.parametrize(
    ("action", "command_type", "placeholder"),
    [
        (MenuAction.BALANCE, GetBalance, texts.checking_balance()),
        (MenuAction.RECEIVE, GetBalance, texts.getting_address()),
        (MenuAction.HISTORY, GetHistory, texts.loading_history()),
        (MenuAction.PRICES, GetPrices, texts.fetching_prices()),
    ],
)
async def test_menu_buttons_do_what_their_commands_do(
    dp: Dispatcher,
    bot: Bot,
    telegram: Any,
    store: Any,
    action: MenuAction,
    command_type: type,
    placeholder: str,
) -> None:
    await dp.feed_raw_update(bot, press(2, MenuButton(action=action).pack()))
    assert len(telegram.sent("answerCallbackQuery")) == 1
    [sent] = telegram.sent("sendMessage")
    assert (sent.chat_id, sent.text) == (4242, placeholder)
    [command] = store.outbox
    assert isinstance(command, command_type)
    assert command.correlation_id == correlation_id_for(BOT_ID, 2)
    assert list(store.pending) == [command.correlation_id]
    expected_view = ReplyView("receive", {"amount_drops": None})
    assert store.views.get(command.correlation_id) == (
        expected_view if action is MenuAction.RECEIVE else None
    )


async def test_menu_send_starts_the_flow_and_help_and_settings_answer_at_once(
    dp: Dispatcher, bot: Bot, telegram: Any, store: Any
) -> None:
    await dp.feed_raw_update(bot, press(3, MenuButton(action=MenuAction.SEND).pack()))
    await dp.feed_raw_update(bot, press(4, MenuButton(action=MenuAction.HELP).pack()))
    await dp.feed_raw_update(bot, press(5, MenuButton(action=MenuAction.SETTINGS).pack()))
    sent = [m.text for m in telegram.sent("sendMessage")]
    assert sent[0] == texts.ask_amount()
    assert sent[1] == texts.help_text()
    assert sent[2].startswith("⚙️")
    assert "Currency: USD" in sent[2]
    assert [state for state, _ in store.fsm.values()] == ["SendFlow:amount"]
    assert store.outbox == []


# ---- /receive --------------------------------------------------------------------------------


async def test_receive_with_an_amount_queues_get_balance_shown_as_the_receive_view(
    dp: Dispatcher, bot: Bot, telegram: Any, store: Any, message_update: MakeUpdate
) -> None:
    await dp.feed_raw_update(bot, message_update(6, "/receive 25"))
    assert telegram.sent("sendMessage")[0].text == texts.getting_address()
    [command] = store.outbox
    assert isinstance(command, GetBalance)
    assert store.views[command.correlation_id] == ReplyView(
        "receive", {"amount_drops": 25_000_000}
    )


@pytest.mark.parametrize("args", ["abc", "0", "-5", "1.0000001", "25 EUR"])
async def test_receive_with_words_that_are_no_amount_explains(
    dp: Dispatcher, bot: Bot, telegram: Any, store: Any, message_update: MakeUpdate, args: str
) -> None:
    await dp.feed_raw_update(bot, message_update(7, f"/receive {args}"))
    assert telegram.sent("sendMessage")[0].text == texts.receive_usage()
    assert store.outbox == []


@pytest.mark.parametrize(
    ("amount_drops", "link"),
    [
        (None, f"https://xaman.app/detect/request:{ADDRESS}"),
        (25_000_000, f"https://xaman.app/detect/request:{ADDRESS}?amount=25"),
        (1_500_000_000_001, f"https://xaman.app/detect/request:{ADDRESS}?amount=1500000.000001"),
    ],
)
def test_the_receive_qr_code_decodes_to_the_payment_link(
    amount_drops: int | None, link: str
) -> None:
    rendered = render_view(_balance(uuid4()), ReplyView("receive", {"amount_drops": amount_drops}))
    assert rendered is not None
    assert rendered.qr == link == payment_link(ADDRESS, amount_drops)
    assert ADDRESS in rendered.text
    assert "No destination tag is needed" in rendered.text
    png = qr_png(rendered.qr)
    assert png.startswith(b"\x89PNG")
    [decoded] = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))
    assert decoded.format == zxingcpp.BarcodeFormat.QRCode
    assert decoded.text == link


# ---- /settings and notifications -------------------------------------------------------------


async def test_settings_buttons_store_language_currency_and_notifications(
    dp: Dispatcher, bot: Bot, telegram: Any, store: Any, message_update: MakeUpdate
) -> None:
    await dp.feed_raw_update(bot, message_update(8, "/settings"))
    [shown] = telegram.sent("sendMessage")
    assert "Language: English" in shown.text
    assert "notifications: on" in shown.text
    await dp.feed_raw_update(bot, press(9, SettingsButton(what="lang").pack()))
    [choice] = telegram.sent("editMessageText")
    assert labels(choice.reply_markup)[:3] == ["✓ English", "Español", "Русский"]
    await dp.feed_raw_update(bot, press(10, SettingsButton(what="lang", value="es").pack()))
    await dp.feed_raw_update(bot, press(11, SettingsButton(what="fiat", value="eur").pack()))
    await dp.feed_raw_update(bot, press(12, SettingsButton(what="notif", value="0").pack()))
    assert store.languages == {4242: "es"}
    assert store.fiat_currency == {4242: "eur"}
    assert store.notifications == {4242: False}
    # the choice takes effect at once: from the language press on, the answers are Spanish
    last = telegram.sent("editMessageText")[-1]
    assert "Idioma: Español" in last.text
    assert "Moneda: EUR" in last.text
    assert "Notificaciones de pagos: desactivadas" in last.text
    assert "🔔 Activar notificaciones" in labels(last.reply_markup)
    toasts = [q.text for q in telegram.sent("answerCallbackQuery")]
    assert toasts[-3:] == ["Guardado."] * 3


async def test_a_made_up_setting_value_changes_nothing(
    dp: Dispatcher, bot: Bot, store: Any
) -> None:
    await dp.feed_raw_update(bot, press(13, SettingsButton(what="lang", value="xx").pack()))
    await dp.feed_raw_update(bot, press(14, SettingsButton(what="fiat", value="zzz").pack()))
    assert store.languages == {}
    assert store.fiat_currency == {}


def _payment_received() -> PaymentReceived:
    return PaymentReceived(
        correlation_id=uuid4(),
        user=Actor(telegram_id=4242),
        chat_id=4242,
        tx_hash="AB" * 32,
        delivered_drops=5_000_000,
        source=Counterparty(address=ADDRESS),
        ledger_index=10,
    )


@pytest.mark.parametrize("notifications", [True, False])
async def test_payment_alerts_follow_the_notifications_setting(
    new_uow: Callable[..., Any], store: Any, messenger: Any, notifications: bool
) -> None:
    store.notifications[4242] = notifications
    outcome = await use_cases.deliver_reply(
        _payment_received(), uow=new_uow("gateway.replies"), messenger=messenger
    )
    assert outcome is (use_cases.Delivery.SENT if notifications else use_cases.Delivery.SKIPPED)
    assert len(messenger.sent) == (1 if notifications else 0)
    assert len(store.inbox) == 1  # claimed either way: a redelivery changes nothing


async def test_a_receive_reply_goes_out_with_its_qr_code(
    new_uow: Callable[..., Any], store: Any, messenger: Any
) -> None:
    reply = _balance(uuid4())
    store.views[reply.correlation_id] = ReplyView("receive", {"amount_drops": 1_000_000})
    await use_cases.deliver_reply(reply, uow=new_uow("gateway.replies"), messenger=messenger)
    [(chat_id, message)] = messenger.sent
    assert chat_id == 4242
    assert message.qr == payment_link(ADDRESS, 1_000_000)


# ---- throttling ------------------------------------------------------------------------------


async def test_a_throttled_user_gets_one_notice_and_no_command_while_others_are_served(
    dp: Dispatcher, bot: Bot, telegram: Any, store: Any, message_update: MakeUpdate
) -> None:
    store.verdicts[4242] = [Verdict.NOTICE, Verdict.DROP]
    await dp.feed_raw_update(bot, message_update(20, "/balance"))
    await dp.feed_raw_update(bot, message_update(21, "/balance"))
    await dp.feed_raw_update(bot, message_update(22, "/balance", user_id=77))
    texts_sent = [(m.chat_id, m.text) for m in telegram.sent("sendMessage")]
    assert texts_sent == [(4242, texts.slow_down()), (77, texts.checking_balance())]
    assert [c.user.telegram_id for c in store.outbox] == [77]
    assert store.processed_updates == {20, 21, 22}  # claimed: Telegram will not re-send them
    assert store.throttled == [4242, 4242, 77]


async def test_a_throttled_button_press_is_answered_without_a_command(
    dp: Dispatcher, bot: Bot, telegram: Any, store: Any
) -> None:
    store.verdicts[4242] = [Verdict.NOTICE, Verdict.DROP]
    await dp.feed_raw_update(bot, press(23, MenuButton(action=MenuAction.BALANCE).pack()))
    await dp.feed_raw_update(bot, press(24, MenuButton(action=MenuAction.BALANCE).pack()))
    answers = [q.text for q in telegram.sent("answerCallbackQuery")]
    assert answers == [texts.slow_down(), None]
    assert telegram.sent("sendMessage") == []
    assert store.outbox == []


# ---- groups ----------------------------------------------------------------------------------

PRIVATE_COMMANDS = [
    "/start",
    "/menu",
    "/wallet",
    "/balance",
    "/send 1 @bob",
    "/receive 5",
    "/history",
    "/settings",
    "/cancel",
    "/stats",
    "/broadcast hi",
    "/balance@xrpbot",
]


@pytest.mark.parametrize("text", PRIVATE_COMMANDS)
async def test_private_commands_in_a_group_point_to_the_private_chat(
    dp: Dispatcher, bot: Bot, telegram: Any, store: Any, message_update: MakeUpdate, text: str
) -> None:
    update = message_update(30, text, chat_type="supergroup", chat_id=-100, user_id=ADMIN)
    await dp.feed_raw_update(bot, update)
    [sent] = telegram.sent("sendMessage")
    assert sent.chat_id == -100
    assert sent.text == texts.private_chat_only()
    [[button]] = sent.reply_markup.inline_keyboard
    assert button.url == "https://t.me/xrpbot?start=menu"
    assert store.outbox == []
    assert store.views == {}
    assert store.throttled == []  # group commands never reach the throttle or a handler


@pytest.mark.parametrize("text", ["/balance@OtherBot", "/help@other_bot", "hello all", "/"])
async def test_other_bots_commands_and_chatter_in_a_group_get_no_answer(
    dp: Dispatcher, bot: Bot, telegram: Any, store: Any, message_update: MakeUpdate, text: str
) -> None:
    await dp.feed_raw_update(bot, message_update(31, text, chat_type="group", chat_id=-100))
    assert telegram.sent("sendMessage") == []
    assert store.outbox == []
    assert store.processed_updates == {31}


@pytest.mark.parametrize("text", ["/help", "/help@xrpbot", "/prices"])
async def test_public_commands_work_in_a_group(
    dp: Dispatcher, bot: Bot, telegram: Any, message_update: MakeUpdate, text: str
) -> None:
    await dp.feed_raw_update(bot, message_update(32, text, chat_type="group", chat_id=-100))
    [sent] = telegram.sent("sendMessage")
    assert sent.chat_id == -100
    assert sent.text in {texts.help_text(), texts.fetching_prices()}


@pytest.mark.parametrize(
    "data",
    [
        MenuButton(action=MenuAction.BALANCE).pack(),
        SettingsButton(what="notif", value="0").pack(),
        "send",
        "h:0",
        f"q:c:{uuid4()}",
    ],
)
async def test_private_buttons_pressed_in_a_group_do_nothing_but_say_so(
    dp: Dispatcher, bot: Bot, telegram: Any, store: Any, data: str
) -> None:
    await dp.feed_raw_update(bot, press(33, data, chat_id=-100, chat_type="group"))
    [answer] = telegram.sent("answerCallbackQuery")
    assert answer.text == texts.group_private_only_toast()
    assert answer.show_alert is True
    assert telegram.sent("sendMessage") == []
    assert store.outbox == []
    assert store.notifications == {}


async def test_a_prices_button_still_works_in_a_group(
    dp: Dispatcher, bot: Bot, telegram: Any, store: Any
) -> None:
    await dp.feed_raw_update(bot, press(34, "px:eur:7d", chat_id=-100, chat_type="group"))
    [command] = store.outbox
    assert isinstance(command, GetPrices)
    assert command.chat_id == -100


# ---- admins ----------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["/stats", "/broadcast Hello everyone"])
async def test_admin_commands_are_refused_to_others(
    dp: Dispatcher, bot: Bot, telegram: Any, store: Any, message_update: MakeUpdate, text: str
) -> None:
    await dp.feed_raw_update(bot, message_update(40, text))
    [sent] = telegram.sent("sendMessage")
    assert sent.text == texts.admin_only()
    assert store.outbox == []
    assert store.broadcasts == []
    assert store.views == {}


async def test_stats_queues_get_stats_with_the_gateways_numbers(
    dp: Dispatcher, bot: Bot, telegram: Any, store: Any, message_update: MakeUpdate
) -> None:
    store.chats.update({11: "en", 12: "en", -5: None})
    store.inactive.add(12)
    await dp.feed_raw_update(bot, message_update(41, "/stats", user_id=ADMIN))
    assert telegram.sent("sendMessage")[0].text == texts.collecting_stats()
    [command] = store.outbox
    assert isinstance(command, GetStats)
    view = store.views[command.correlation_id]
    assert view.view == "stats"
    assert (view.args["users"], view.args["inactive"]) == (3, 1)  # 11, 12 and the admin
    assert view.args["queues"] == {"gateway.replies": 3, "transfer.dead-letter": None}


def test_stats_render_every_number() -> None:
    reply = StatsReported(
        correlation_id=uuid4(),
        user=Actor(telegram_id=ADMIN),
        chat_id=ADMIN,
        since=datetime(2026, 11, 21, tzinfo=UTC),
        wallets=1234,
        wallets_today=7,
        payments_today=42,
        volume_today_drops=1_250_500_000,
        failed_today=2,
        incoming_today=5,
        incoming_volume_today_drops=3_000_000,
    )
    view = ReplyView(
        "stats",
        {
            "users": 2000,
            "active_today": 150,
            "inactive": 9,
            "queues": {"gateway.replies": 3, "transfer.dead-letter": None},
        },
    )
    rendered = render_view(reply, view)
    assert rendered is not None
    text = rendered.text
    for part in (
        "2026-11-21",
        "Users: 2000",
        "active today: 150",
        "blocked the bot: 9",
        "Wallets: 1,234",
        "new today: 7",
        "Payments sent today: 42 · 1,250.5 XRP · failed: 2",
        "Payments received today: 5 · 3 XRP",
        "<code>gateway.replies</code>: 3",
        "<code>transfer.dead-letter</code>: ?",
    ):
        assert part in text


async def test_broadcast_is_queued_escaped_for_active_chats(
    dp: Dispatcher, bot: Bot, telegram: Any, store: Any, message_update: MakeUpdate
) -> None:
    store.chats.update({11: "en", 12: "en"})
    store.inactive.add(12)
    await dp.feed_raw_update(
        bot, message_update(42, "/broadcast Down <soon> & back", user_id=ADMIN)
    )
    [(_, created_by, text)] = store.broadcasts
    assert (created_by, text) == (ADMIN, "Down &lt;soon&gt; &amp; back")
    assert telegram.sent("sendMessage")[0].text == texts.broadcast_queued(2)


async def test_broadcast_without_text_explains(
    dp: Dispatcher, bot: Bot, telegram: Any, store: Any, message_update: MakeUpdate
) -> None:
    await dp.feed_raw_update(bot, message_update(43, "/broadcast", user_id=ADMIN))
    assert telegram.sent("sendMessage")[0].text == texts.broadcast_usage()
    assert store.broadcasts == []
