"""/send's words into parts, the flow's light checks, and the payment keyboards' callback data."""

from __future__ import annotations

from uuid import uuid4

import pytest

from xrpbot.gateway.domain.parsing import (
    SendParts,
    amount_problem,
    asks_for_tag,
    parse_send_args,
    tag_problem,
)
from xrpbot.gateway.render.keyboards import (
    NO_TAG,
    SEND_START,
    HistoryPage,
    QuoteAction,
    QuoteButton,
    history_keyboard,
    quote_keyboard,
)
from xrpbot.schemas import ErrorCode

ADDRESS = "rPEPPER7kfTD9w2To4CQk6UCfuHM9c6GDY"
X_ADDRESS = "T7YChPFWifjCAXLEtg5N74c7fSAYsvPKxzQAET8tbZ8q3SC"


@pytest.mark.parametrize(
    ("args", "parts"),
    [
        (None, SendParts()),
        ("", SendParts()),
        ("10", SendParts(amount="10")),
        ("10 XRP", SendParts(amount="10 XRP")),
        ("0.5 xrp", SendParts(amount="0.5 xrp")),
        ("10 @bob", SendParts(amount="10", destination="@bob")),
        ("10 XRP @bob", SendParts(amount="10 XRP", destination="@bob")),
        ("5 USD @bob", SendParts(amount="5 USD", destination="@bob")),
        ("10 bob", SendParts(amount="10", destination="bob")),
        (f"10 {ADDRESS} 12345", SendParts(amount="10", destination=ADDRESS, tag="12345")),
        (f"10 XRP {ADDRESS} tag 7", SendParts(amount="10 XRP", destination=ADDRESS, tag="7")),
        (f"1 {ADDRESS} tag:7", SendParts(amount="1", destination=ADDRESS, tag="7")),
        (f"1 {ADDRESS} dt=7", SendParts(amount="1", destination=ADDRESS, tag="7")),
        (f"  1   {X_ADDRESS}  ", SendParts(amount="1", destination=X_ADDRESS)),
        ("1 @bob 2 3", SendParts(amount="1", destination="@bob", extra=True)),
    ],
)
def test_send_words_split_into_amount_destination_and_tag(
    args: str | None, parts: SendParts
) -> None:
    assert parse_send_args(args) == parts


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("10", None),
        ("0.5", None),
        ("10 XRP", None),
        ("10xrp", None),
        (".5", None),
        ("0.000001", None),
        ("100000000000", None),  # too much to own is the transfer service's business
        ("abc", ErrorCode.INVALID_AMOUNT),
        ("1.2.3", ErrorCode.INVALID_AMOUNT),
        ("ten", ErrorCode.INVALID_AMOUNT),
        ("NaN", ErrorCode.INVALID_AMOUNT),
        ("", ErrorCode.INVALID_AMOUNT),
        ("0", ErrorCode.AMOUNT_NOT_POSITIVE),
        ("-5", ErrorCode.AMOUNT_NOT_POSITIVE),
        ("0.0000001", ErrorCode.TOO_MANY_DECIMALS),
        ("1.1234567", ErrorCode.TOO_MANY_DECIMALS),
        ("1.1234560", None),  # a trailing zero is not a seventh decimal
        ("5 ABC", ErrorCode.UNSUPPORTED_CURRENCY),
    ],
)
def test_the_flow_catches_amounts_that_cannot_be_right(
    text: str, problem: ErrorCode | None
) -> None:
    assert amount_problem(text) == problem


@pytest.mark.parametrize(
    ("text", "ok"),
    [
        ("0", True),
        ("4294967295", True),
        (" 12 ", True),
        ("4294967296", False),
        ("-1", False),
        ("1.5", False),
        ("abc", False),
        ("", False),
        ("١٢", False),
    ],
)
def test_a_tag_is_a_uint32(text: str, ok: bool) -> None:
    assert (tag_problem(text) is None) is ok


def test_only_a_classic_address_gets_the_tag_question() -> None:
    assert asks_for_tag(ADDRESS)
    assert not asks_for_tag(X_ADDRESS)
    assert not asks_for_tag("@bob")
    assert not asks_for_tag("rshort")


def test_quote_buttons_carry_the_transfer_id_within_64_bytes() -> None:
    transfer_id = uuid4()
    [[confirm, cancel]] = quote_keyboard(transfer_id).inline_keyboard
    for button, action in ((confirm, QuoteAction.CONFIRM), (cancel, QuoteAction.CANCEL)):
        assert button.callback_data is not None
        assert len(button.callback_data.encode()) <= 64
        parsed = QuoteButton.unpack(button.callback_data)
        assert parsed.transfer_id == transfer_id
        assert parsed.action is action
    assert len(SEND_START.encode()) <= 64
    assert len(NO_TAG.encode()) <= 64


@pytest.mark.parametrize(
    ("page", "pages", "targets"),
    [(0, 1, None), (0, 3, [1]), (1, 3, [0, 2]), (2, 3, [1])],
)
def test_history_buttons_point_to_the_neighbouring_pages(
    page: int, pages: int, targets: list[int] | None
) -> None:
    keyboard = history_keyboard(page, pages)
    if targets is None:
        assert keyboard is None
        return
    assert keyboard is not None
    [row] = keyboard.inline_keyboard
    assert [HistoryPage.unpack(b.callback_data or "").page for b in row] == targets


def test_fiat_amounts_are_recognised_and_converted_down_to_a_drop() -> None:
    from decimal import Decimal

    from xrpbot.gateway.domain.fiat import xrp_for_fiat
    from xrpbot.gateway.domain.parsing import amount_problem, fiat_amount

    assert fiat_amount("5 USD") == (Decimal(5), "usd")
    assert fiat_amount("12.50 EUR") == (Decimal("12.50"), "eur")
    assert fiat_amount("5 XRP") is None
    assert fiat_amount("5 ABC") is None
    assert amount_problem("5 USD") is None
    assert amount_problem("5 ABC") is not None
    assert xrp_for_fiat(Decimal(5), Decimal("2.5")) == Decimal("2.000000")
    assert xrp_for_fiat(Decimal(1), Decimal(3)) == Decimal("0.333333")  # never more than asked
