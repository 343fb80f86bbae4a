"""/send's words into parts (each part is read by `xrpbot.parsing`, tested in shared/parsing),
/receive's amount, and the payment keyboards' callback data."""

from __future__ import annotations

from uuid import uuid4

import pytest

from xrpbot.gateway.domain.parsing import SendParts, parse_receive_amount, parse_send_args
from xrpbot.gateway.render.keyboards import (
    NO_TAG,
    SEND_START,
    HistoryPage,
    QuoteAction,
    QuoteButton,
    history_keyboard,
    quote_keyboard,
)
from xrpbot.parsing import Refused
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
        ("5 usd @bob", SendParts(amount="5 usd", destination="@bob")),  # any case
        ("5 Eur @bob 7", SendParts(amount="5 Eur", destination="@bob", tag="7")),
        ("5 ABC @bob", SendParts(amount="5 ABC", destination="@bob")),
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
    ("args", "read"),
    [
        (None, None),
        ("  ", None),
        ("25", 25_000_000),
        ("0.5 XRP", 500_000),
        ("1e3", Refused(ErrorCode.AMOUNT_HAS_EXPONENT)),
        ("25 EUR", Refused(ErrorCode.UNSUPPORTED_CURRENCY)),
    ],
)
def test_receive_reads_its_amount_with_the_shared_parser(
    args: str | None, read: int | Refused | None
) -> None:
    assert parse_receive_amount(args) == read


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
