"""/receive through the real Dispatcher with fake ports: the receive view and its QR code."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any
from uuid import uuid4

import pytest
import zxingcpp
from aiogram import Bot, Dispatcher
from PIL import Image

from xrpbot.gateway.adapters.qr import qr_png
from xrpbot.gateway.domain.delivery import ReplyView
from xrpbot.gateway.render.receive import payment_link
from xrpbot.gateway.render.replies import render_reply
from xrpbot.gateway.render.texts import receive as receive_texts
from xrpbot.gateway.render.texts.errors import error_text
from xrpbot.gateway.use_cases import replies as use_cases
from xrpbot.schemas import (
    Actor,
    BalanceReported,
    ErrorCode,
    GetBalance,
)

ADMIN = 9001
ADDRESS = "rPEPPER7kfTD9w2To4CQk6UCfuHM9c6GDY"
MakeUpdate = Callable[..., dict[str, Any]]


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


# ---- /receive --------------------------------------------------------------------------------


async def test_receive_with_an_amount_queues_get_balance_shown_as_the_receive_view(
    dp: Dispatcher, bot: Bot, telegram: Any, store: Any, message_update: MakeUpdate
) -> None:
    await dp.feed_raw_update(bot, message_update(6, "/receive 25"))
    assert telegram.sent("sendMessage")[0].text == receive_texts.getting_address()
    [command] = store.outbox
    assert isinstance(command, GetBalance)
    assert store.views[command.correlation_id] == ReplyView(
        "receive", {"amount_drops": 25_000_000}
    )


@pytest.mark.parametrize("args", ["abc", "25 EUR"])
async def test_receive_with_words_that_are_no_amount_explains(
    dp: Dispatcher, bot: Bot, telegram: Any, store: Any, message_update: MakeUpdate, args: str
) -> None:
    await dp.feed_raw_update(bot, message_update(7, f"/receive {args}"))
    assert telegram.sent("sendMessage")[0].text == receive_texts.receive_usage()
    assert store.outbox == []


@pytest.mark.parametrize(
    ("args", "code"),
    [
        ("0", ErrorCode.AMOUNT_NOT_POSITIVE),
        ("-5", ErrorCode.AMOUNT_NOT_POSITIVE),
        ("1.0000001", ErrorCode.TOO_MANY_DECIMALS),
        ("1e3", ErrorCode.AMOUNT_HAS_EXPONENT),
        ("1,5", ErrorCode.AMOUNT_HAS_COMMA),
        ("\u0661\u0660", ErrorCode.DIGITS_NOT_ASCII),  # Arabic-Indic 10
        ("\uff15", ErrorCode.DIGITS_NOT_ASCII),  # full-width 5
        ("100000000000000", ErrorCode.AMOUNT_TOO_LARGE),
    ],
)
async def test_receive_with_an_amount_that_cannot_be_says_why(
    dp: Dispatcher,
    bot: Bot,
    telegram: Any,
    store: Any,
    message_update: MakeUpdate,
    args: str,
    code: ErrorCode,
) -> None:
    await dp.feed_raw_update(bot, message_update(8, f"/receive {args}"))
    [answer] = telegram.sent("sendMessage")
    assert answer.text == f"{error_text(code)}\n\n{receive_texts.receive_usage()}"
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
    rendered = render_reply(
        _balance(uuid4()), view=ReplyView("receive", {"amount_drops": amount_drops})
    )
    assert rendered is not None
    assert rendered.qr == link == payment_link(ADDRESS, amount_drops)
    assert ADDRESS in rendered.text
    assert "No destination tag is needed" in rendered.text
    png = qr_png(rendered.qr)
    assert png.startswith(b"\x89PNG")
    [decoded] = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))
    assert decoded.format == zxingcpp.BarcodeFormat.QRCode
    assert decoded.text == link


async def test_a_receive_reply_goes_out_with_its_qr_code(
    new_uow: Callable[..., Any], store: Any, messenger: Any
) -> None:
    reply = _balance(uuid4())
    store.views[reply.correlation_id] = ReplyView("receive", {"amount_drops": 1_000_000})
    await use_cases.deliver_reply(reply, uow=new_uow("gateway.replies"), messenger=messenger)
    [(chat_id, message)] = messenger.sent
    assert chat_id == 4242
    assert message.qr == payment_link(ADDRESS, 1_000_000)
