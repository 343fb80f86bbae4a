"""Hostile or careless /send input through the real Dispatcher with fakes: every part read by the
shared parser on every path (one line, step by step, fiat), refused at once in its own words, or
queued as plain text the transfer service reads back to the same drops."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest
from aiogram import Bot, Dispatcher
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from xrpl.core.addresscodec import classic_address_to_xaddress

from xrpbot.gateway.domain.fiat import FiatQuote
from xrpbot.gateway.render.texts import send as send_texts
from xrpbot.gateway.render.texts.errors import error_text
from xrpbot.parsing import Refused, parse_destination, parse_tag, parse_xrp_amount
from xrpbot.schemas import ErrorCode, FiatAmount, RequestTransfer

BOT_ID = 123456789
USER = 4242
ADDRESS = "rPEPPER7kfTD9w2To4CQk6UCfuHM9c6GDY"
FSM_KEY = f"fsm:{BOT_ID}:{USER}:{USER}:default"
NOW = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
MakeUpdate = Callable[..., dict[str, Any]]

REFUSED_AMOUNTS = [
    ("1e999999999", ErrorCode.AMOUNT_HAS_EXPONENT),
    ("1e30 USD", ErrorCode.AMOUNT_HAS_EXPONENT),
    ("1e3", ErrorCode.AMOUNT_HAS_EXPONENT),
    ("\u0661\u0660", ErrorCode.DIGITS_NOT_ASCII),  # Arabic-Indic 10
    ("\uff15", ErrorCode.DIGITS_NOT_ASCII),  # full-width 5
    ("100000000000000", ErrorCode.AMOUNT_TOO_LARGE),
    ("1,000", ErrorCode.AMOUNT_HAS_COMMA),
    ("12.505 USD", ErrorCode.FIAT_TOO_MANY_DECIMALS),
]


@pytest.fixture
def rates(store: Any) -> None:
    store.fiat_rates["usd"] = FiatQuote("usd", Decimal("2.5"), NOW)


@pytest.mark.parametrize(("amount", "code"), REFUSED_AMOUNTS)
@pytest.mark.usefixtures("rates")
async def test_one_line_send_refuses_the_amount_at_once_in_its_words(
    dp: Dispatcher,
    bot: Bot,
    telegram: Any,
    store: Any,
    message_update: MakeUpdate,
    amount: str,
    code: ErrorCode,
) -> None:
    await dp.feed_raw_update(bot, message_update(10, f"/send {amount} @bobby"))
    [answer] = telegram.sent("sendMessage")
    assert answer.text == error_text(code)
    assert store.outbox == []
    assert 10 in store.processed_updates, "answered and done: never retried"


@pytest.mark.parametrize(("amount", "code"), REFUSED_AMOUNTS)
@pytest.mark.usefixtures("rates")
async def test_the_flow_refuses_the_same_amounts_with_the_same_words(
    dp: Dispatcher,
    bot: Bot,
    telegram: Any,
    store: Any,
    message_update: MakeUpdate,
    amount: str,
    code: ErrorCode,
) -> None:
    await dp.feed_raw_update(bot, message_update(20, "/send"))
    await dp.feed_raw_update(bot, message_update(21, amount))
    assert (
        telegram.sent("sendMessage")[-1].text == f"{error_text(code)}\n\n{send_texts.ask_amount()}"
    )
    assert store.fsm[FSM_KEY][0] == "SendFlow:amount", "asked again"
    assert store.outbox == []


async def test_a_tag_with_a_superscript_is_refused_in_words_on_both_paths(
    dp: Dispatcher, bot: Bot, telegram: Any, store: Any, message_update: MakeUpdate
) -> None:
    words = error_text(ErrorCode.DIGITS_NOT_ASCII)
    await dp.feed_raw_update(bot, message_update(30, f"/send 1 {ADDRESS} ²"))
    assert telegram.sent("sendMessage")[-1].text == words

    await dp.feed_raw_update(bot, message_update(31, "/send 1"))
    await dp.feed_raw_update(bot, message_update(32, ADDRESS))
    await dp.feed_raw_update(bot, message_update(33, "²"))
    assert telegram.sent("sendMessage")[-1].text == f"{words}\n\n{send_texts.ask_tag()}"
    assert store.fsm[FSM_KEY][0] == "SendFlow:tag"
    assert store.outbox == []


@pytest.mark.usefixtures("rates")
@pytest.mark.parametrize(
    ("typed", "amount", "value"),
    [("5 usd", "2", "5.00"), ("5 Usd", "2", "5.00"), ("5000 USD", "2000", "5000.00")],
)
async def test_a_fiat_amount_in_any_case_is_converted_to_plain_drops_text(
    dp: Dispatcher,
    bot: Bot,
    store: Any,
    message_update: MakeUpdate,
    typed: str,
    amount: str,
    value: str,
) -> None:
    await dp.feed_raw_update(bot, message_update(40, f"/send {typed} @bobby"))
    [command] = store.outbox
    assert isinstance(command, RequestTransfer)
    assert (command.amount, command.destination) == (amount, "@bobby")
    assert parse_xrp_amount(command.amount) == int(amount) * 1_000_000, "transfer reads it back"
    assert command.fiat == FiatAmount(
        currency="USD", amount=Decimal(value), rate=Decimal("2.5"), as_of=NOW
    )


async def test_a_fiat_amount_without_a_rate_asks_nothing(
    dp: Dispatcher, bot: Bot, telegram: Any, store: Any, message_update: MakeUpdate
) -> None:
    await dp.feed_raw_update(bot, message_update(45, "/send 5 usd @bobby"))
    assert telegram.sent("sendMessage")[-1].text == send_texts.fiat_rate_unknown("USD")
    assert store.outbox == []


async def test_a_fiat_amount_worth_more_than_all_xrp_is_refused(
    dp: Dispatcher, bot: Bot, telegram: Any, store: Any, message_update: MakeUpdate
) -> None:
    store.fiat_rates["usd"] = FiatQuote("usd", Decimal("0.0001"), NOW)
    await dp.feed_raw_update(bot, message_update(46, "/send 99999999999999 USD @bobby"))
    assert telegram.sent("sendMessage")[-1].text == error_text(ErrorCode.AMOUNT_TOO_LARGE)
    assert store.outbox == []


async def test_a_black_hole_is_refused_in_the_flow_and_asked_again(
    dp: Dispatcher, bot: Bot, telegram: Any, store: Any, message_update: MakeUpdate
) -> None:
    await dp.feed_raw_update(bot, message_update(50, "/send 1"))
    await dp.feed_raw_update(bot, message_update(51, "rrrrrrrrrrrrrrrrrrrrrhoLvTp"))
    assert telegram.sent("sendMessage")[-1].text == (
        f"{error_text(ErrorCode.DESTINATION_BLACK_HOLE)}\n\n{send_texts.ask_destination('1 XRP')}"
    )
    assert store.fsm[FSM_KEY][0] == "SendFlow:destination"
    await dp.feed_raw_update(bot, message_update(52, "not an address"))
    assert telegram.sent("sendMessage")[-1].text.startswith(error_text(ErrorCode.INVALID_ADDRESS))
    assert store.outbox == []


async def test_an_x_address_carries_its_tag_so_the_flow_asks_none(
    dp: Dispatcher, bot: Bot, store: Any, message_update: MakeUpdate
) -> None:
    x_address = classic_address_to_xaddress(ADDRESS, 7, is_test_network=True)
    await dp.feed_raw_update(bot, message_update(60, "/send 1"))
    await dp.feed_raw_update(bot, message_update(61, x_address))
    [command] = store.outbox
    assert isinstance(command, RequestTransfer)
    assert (command.destination, command.destination_tag) == (x_address, None)


_NEAR = "0123456789.,eE+- xXrRpPuUsSdDtag:=@_\u0661\u0660\uff15²"
_SEEN = itertools.count(1_000)


@settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    args=st.one_of(
        st.text(max_size=200),
        st.text(alphabet=_NEAR, max_size=60),
        st.from_regex(
            r"\A[0-9.eE,+-]{1,15}( ?(XRP|usd|USD|Eur|ABC))? (@bobby|rPEPPER7kfTD9w2To4CQk6UCfuHM9c6GDY)( [0-9²]{1,12})?\Z"
        ),
    )
)
@pytest.mark.usefixtures("rates")
async def test_any_send_is_answered_once_and_queues_only_what_transfer_reads_the_same(
    dp: Dispatcher, bot: Bot, telegram: Any, store: Any, message_update: MakeUpdate, args: str
) -> None:
    """Fuzzed `/send <anything>`: no exception, exactly one answer, and a queued command only
    with parts the transfer service's parser reads (no refusal there for its form)."""
    n = next(_SEEN)
    sent, queued = len(telegram.sent("sendMessage")), len(store.outbox)
    # one user per example: the throttle must not answer instead of /send
    await dp.feed_raw_update(bot, message_update(n, f"/send {args}", user_id=n))
    assert len(telegram.sent("sendMessage")) == sent + 1
    assert n in store.processed_updates
    new = store.outbox[queued:]
    assert len(new) <= 1
    event("queued" if new else "answered without a command")
    for command in new:
        assert isinstance(command, RequestTransfer)
        drops = parse_xrp_amount(command.amount)
        assert isinstance(drops, int), command.amount
        tag = None if command.destination_tag is None else parse_tag(command.destination_tag)
        assert not isinstance(tag, Refused)
        assert not isinstance(parse_destination(command.destination, tag), Refused)
