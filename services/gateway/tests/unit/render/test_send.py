"""Payment replies become words: quotes, refusals by code, outcomes, incoming payments, history."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from typing import Any
from uuid import uuid4

import pytest

from xrpbot.gateway.render.keyboards import HistoryPage, QuoteButton
from xrpbot.gateway.render.links import TESTNET_TX_EXPLORER, counterparty_text, short_address
from xrpbot.gateway.render.message import Rendered
from xrpbot.gateway.render.replies import render_reply
from xrpbot.gateway.render.texts import errors as errors_texts
from xrpbot.gateway.render.texts import history as history_texts
from xrpbot.gateway.render.texts import send as send_texts
from xrpbot.gateway.render.texts.errors import error_text
from xrpbot.schemas import (
    Actor,
    BalanceReported,
    Counterparty,
    ErrorCode,
    HistoryEntry,
    HistoryReported,
    HistoryStatus,
    PaymentReceived,
    TransferCancelled,
    TransferFailed,
    TransferQuoted,
    TransferRefused,
    TransferSubmitted,
    TransferValidated,
)

ADDRESS = "rPEPPER7kfTD9w2To4CQk6UCfuHM9c6GDY"
TX = "E3FE6EA3D48F0C2B639448020EA4F03D4F4F8FFDB243A852A0F59177921B4879"
ALLOWED_TAGS = {"b", "i", "code", "a"}
NOW = datetime(2026, 11, 20, 14, 5, tzinfo=UTC)
BOB = Counterparty(address=ADDRESS, telegram_id=2, username="bob")
PLAIN = Counterparty(address=ADDRESS, destination_tag=12345)


def _meta() -> dict[str, Any]:
    return {
        "correlation_id": uuid4(),
        "user": Actor(telegram_id=1, first_name="Ada", username="ada"),
        "chat_id": 1,
        "occurred_at": NOW,
    }


def _tags(html: str) -> list[str]:
    found: list[str] = []

    class Collect(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            found.append(tag)

    Collect().feed(html)
    return found


def _rendered(reply: Any) -> Rendered:
    message = render_reply(reply)
    assert message is not None
    assert set(_tags(message.text)) <= ALLOWED_TAGS
    assert len(message.text) <= 4096
    return message


def _quote(**fields: Any) -> TransferQuoted:
    values: dict[str, Any] = {
        "transfer_id": uuid4(),
        "destination": BOB,
        "amount_drops": 10_000_000,
        "fee_drops": 12,
        "balance_drops": 100_000_000,
        "balance_after_drops": 89_999_988,
        "reserve_drops": 1_000_000,
        "destination_funded": True,
        "expires_at": NOW + timedelta(minutes=2),
    }
    values.update(fields)
    return TransferQuoted(**_meta(), **values)


def test_quote_shows_destination_amount_fee_balance_after_reserve_expiry_and_buttons() -> None:
    quote = _quote()
    message = _rendered(quote)
    for words in (
        "To: @bob\n",
        "Amount: <b>10 XRP</b>",
        "Network fee: 0.000012 XRP",
        "Your balance after: 89.999988 XRP",
        "1 XRP stays reserved in your account",
        "within 2 minutes",
    ):
        assert words in message.text
    assert "creates the recipient's account" not in message.text
    assert message.keyboard is not None
    [[confirm, cancel]] = message.keyboard.inline_keyboard
    assert confirm.text == send_texts.confirm_button()
    assert cancel.text == send_texts.cancel_button()
    assert QuoteButton.unpack(confirm.callback_data or "").transfer_id == quote.transfer_id


def test_quote_to_a_plain_address_shows_its_tag_and_a_new_account() -> None:
    message = _rendered(_quote(destination=PLAIN, destination_funded=False))
    assert "@" not in message.text.split("Amount")[0]
    assert f"To: <code>{ADDRESS}</code>" in message.text, "the address as typed"
    assert "Destination tag: <code>12345</code>" in message.text
    assert "creates the recipient's account" in message.text


def test_quote_to_a_user_shows_the_user_not_their_address() -> None:
    message = _rendered(_quote(recipient_first_name="Bob <B>", username_seen_at=NOW))
    assert "To: @bob (Bob &lt;B&gt;)\n" in message.text
    assert ADDRESS not in message.text
    assert short_address(ADDRESS) not in message.text
    assert ADDRESS[:8] not in message.text
    assert "testnet.xrpl.org" not in message.text
    assert "last seen" not in message.text, "a fresh username gets no warning"
    assert message.keyboard is not None
    assert all(b.url is None for row in message.keyboard.inline_keyboard for b in row)


def test_quote_to_a_user_with_a_tag_shows_the_tag_but_no_address() -> None:
    message = _rendered(_quote(destination=BOB.model_copy(update={"destination_tag": 7})))
    assert "Destination tag: <code>7</code>" in message.text
    assert ADDRESS not in message.text


def test_quote_to_a_stale_username_says_when_it_was_last_seen() -> None:
    message = _rendered(_quote(username_seen_at=NOW - timedelta(days=45), username_stale=True))
    assert (
        "⚠️ @bob was last seen here 45 days ago — make sure it is still the person you mean."
        in message.text
    )
    one = _rendered(_quote(username_seen_at=NOW - timedelta(hours=30), username_stale=True))
    assert "@bob was last seen here 1 day ago" in one.text


@pytest.mark.parametrize(
    ("code", "fields", "words"),
    [
        (ErrorCode.INVALID_AMOUNT, {}, "isn't an amount of XRP"),
        (ErrorCode.AMOUNT_NOT_POSITIVE, {}, "more than zero"),
        (ErrorCode.TOO_MANY_DECIMALS, {}, "at most 6 decimals"),
        (ErrorCode.UNSUPPORTED_CURRENCY, {}, "only send XRP"),
        (
            ErrorCode.INSUFFICIENT_FUNDS,
            {"spendable_drops": 88_999_988},
            "at most <b>88.999988 XRP</b>",
        ),
        (ErrorCode.INSUFFICIENT_FUNDS, {}, "/balance"),
        (ErrorCode.WALLET_NOT_FOUND, {}, "send /wallet to create one"),
        (ErrorCode.RECIPIENT_NOT_FOUND, {"username": "carol"}, "I don't know a wallet for @carol"),
        (ErrorCode.RECIPIENT_NOT_FOUND, {}, "open this bot"),
        (ErrorCode.INVALID_ADDRESS, {}, "isn't a valid XRP Ledger address"),
        (ErrorCode.INVALID_DESTINATION_TAG, {}, "0 to 4294967295"),
        (ErrorCode.SEND_TO_SELF, {}, "your own wallet"),
        (ErrorCode.DESTINATION_TAG_REQUIRED, {}, "requires a <b>destination tag</b>"),
        (ErrorCode.DESTINATION_NOT_FUNDED, {"minimum_drops": 1_000_000}, "at least 1 XRP"),
        (ErrorCode.DESTINATION_DISALLOWS_XRP, {}, "asks not to be sent XRP"),
        (ErrorCode.DESTINATION_DEPOSIT_AUTH, {}, "only accepts payments from senders"),
        (ErrorCode.DESTINATION_BLACK_HOLE, {}, "XRP sent there is lost forever"),
        (ErrorCode.ADDRESS_WRONG_NETWORK, {}, "for a different XRP Ledger network"),
        (ErrorCode.QUOTE_EXPIRED, {}, "expired"),
        (ErrorCode.QUOTE_ALREADY_CONFIRMED, {}, "already confirmed"),
        (ErrorCode.QUOTE_CANCELLED, {}, "cancelled"),
        (ErrorCode.QUOTE_NOT_FOUND, {}, "isn't yours"),
        (ErrorCode.LEDGER_UNAVAILABLE, {}, "isn't answering"),
        (ErrorCode.INTERNAL, {}, "Sorry"),
    ],
)
def test_every_refusal_is_worded(code: ErrorCode, fields: dict[str, Any], words: str) -> None:
    reply = TransferRefused(**_meta(), code=code, command="transfer.request_transfer", **fields)
    message = _rendered(reply)
    assert words in message.text
    assert message.keyboard is None


def test_every_code_has_its_own_words() -> None:
    generic = errors_texts.internal_error()
    assert {c for c in ErrorCode if error_text(c) == generic} == {ErrorCode.INTERNAL}
    assert error_text("brand_new_code") == generic


def test_user_names_are_escaped() -> None:
    evil = Counterparty(address=ADDRESS, username="<b>x</b>")
    assert "&lt;b&gt;" in counterparty_text(evil)
    refused = TransferRefused(
        **_meta(), code=ErrorCode.RECIPIENT_NOT_FOUND, command="x", username="<i>"
    )
    assert "&lt;i&gt;" in _rendered(refused).text


def test_counterparty_is_the_username_or_a_short_address_with_its_tag() -> None:
    assert counterparty_text(BOB) == "@bob"
    assert short_address(ADDRESS) == "rPEPP…6GDY"
    assert counterparty_text(PLAIN) == "rPEPP…6GDY (tag 12345)"


def test_submitted_says_pending_with_the_hash_never_failed() -> None:
    reply = TransferSubmitted(
        **_meta(), transfer_id=uuid4(), tx_hash=TX, destination=BOB, amount_drops=10_000_000
    )
    text = _rendered(reply).text
    assert "Sending 10 XRP to @bob" in text
    assert "pending" in text
    assert "fail" not in text.lower()
    assert f'<a href="{TESTNET_TX_EXPLORER}{TX}">E3FE6EA3…</a>' in text


def test_validated_says_sent_with_fee_and_explorer_link() -> None:
    reply = TransferValidated(
        **_meta(),
        transfer_id=uuid4(),
        tx_hash=TX,
        destination=BOB,
        delivered_drops=10_000_000,
        fee_drops=12,
        ledger_index=42,
    )
    message = _rendered(reply)
    assert message.text.startswith("✅ Sent 10 XRP to @bob · fee 0.000012 XRP · <a href=")
    assert f'href="{TESTNET_TX_EXPLORER}{TX}"' in message.text
    assert message.keyboard is not None
    assert message.keyboard.inline_keyboard[0][0].url == TESTNET_TX_EXPLORER + TX


def test_the_explorer_is_configurable() -> None:
    reply = TransferValidated(
        **_meta(),
        transfer_id=uuid4(),
        tx_hash=TX,
        destination=BOB,
        delivered_drops=1,
        fee_drops=12,
        ledger_index=42,
    )
    message = render_reply(reply, explorer_tx_url="https://livenet.xrpl.org/transactions/")
    assert message is not None
    assert f'href="https://livenet.xrpl.org/transactions/{TX}"' in message.text


def _failed(code: ErrorCode, **fields: Any) -> TransferFailed:
    return TransferFailed(
        **_meta(),
        transfer_id=uuid4(),
        code=code,
        destination=BOB,
        amount_drops=10_000_000,
        **fields,
    )


def test_expired_says_nothing_left_the_account() -> None:
    text = _rendered(_failed(ErrorCode.TRANSFER_EXPIRED, tx_hash=TX)).text
    assert "the network did not include it in time" in text
    assert "Nothing left your account; you can try again." in text


@pytest.mark.parametrize(
    ("result", "words"),
    [
        ("tecUNFUNDED_PAYMENT", "balance was not enough"),
        ("tecNO_DST_INSUF_XRP", "too small to create it"),
        ("tecDST_TAG_NEEDED", "requires a destination tag"),
        ("tecNO_PERMISSION", "does not accept"),
        ("tecSOMETHING_NEW", "<code>tecSOMETHING_NEW</code>"),
        (None, "the network rejected it"),
    ],
)
def test_rejected_names_the_reason_and_only_the_fee_spent(result: str | None, words: str) -> None:
    message = _rendered(
        _failed(ErrorCode.TRANSFER_REJECTED, result=result, tx_hash=TX, fee_drops=12)
    )
    assert words in message.text
    assert "Only the network fee (0.000012 XRP) was spent." in message.text
    assert message.keyboard is not None


def test_not_submitted_and_other_failures_say_nothing_was_sent() -> None:
    assert "Nothing left your account" in _rendered(_failed(ErrorCode.TRANSFER_NOT_SUBMITTED)).text
    other = _rendered(_failed(ErrorCode.SIGNING_UNAVAILABLE)).text
    assert "not sent" in other
    assert "nothing was sent" in other


def test_a_payment_not_signed_in_time_says_it_was_given_up_and_nothing_left() -> None:
    text = _rendered(_failed(ErrorCode.SIGNING_TIMED_OUT)).text

    assert text == (
        "❌ 10 XRP to @bob — not sent. It couldn't be signed in time after you confirmed, so I "
        "gave it up — nothing left your account. You can send it again."
    )


def test_wallets_bounds_are_worded_and_say_nothing_left_the_account() -> None:
    over = _rendered(_failed(ErrorCode.DAILY_LIMIT_EXCEEDED, remaining_today_drops=2_500_000)).text
    assert "10 XRP to @bob — not sent." in over
    assert "daily sending limit" in over
    assert "up to 2.5 XRP more in the next 24 hours" in over
    for code in (ErrorCode.FEE_TOO_HIGH, ErrorCode.REQUEST_UNAUTHENTICATED):
        text = _rendered(_failed(code)).text
        assert "not sent" in text
        assert "nothing left your account" in text
        assert "something went wrong" not in text


def test_payment_received_names_the_sender_and_links_the_transaction() -> None:
    reply = PaymentReceived(
        **_meta(),
        tx_hash=TX,
        delivered_drops=10_000_000,
        source=Counterparty(address=ADDRESS, username="alice"),
        ledger_index=7,
    )
    message = _rendered(reply)
    assert message.text.startswith("📥 You received <b>10 XRP</b> from @alice")
    assert TX in message.text
    from_address = PaymentReceived(
        **_meta(),
        tx_hash=TX,
        delivered_drops=1,
        source=Counterparty(address=ADDRESS),
        destination_tag=99,
        ledger_index=7,
    )
    assert "from rPEPP…6GDY (destination tag 99)" in _rendered(from_address).text


def test_cancelled_says_nothing_was_sent() -> None:
    assert "nothing was sent" in _rendered(TransferCancelled(**_meta(), transfer_id=uuid4())).text


def _entry(i: int, **fields: Any) -> HistoryEntry:
    values: dict[str, Any] = {
        "direction": "out",
        "status": HistoryStatus.SENT,
        "amount_drops": 1_000_000 * (i + 1),
        "fee_drops": 12,
        "counterparty": BOB,
        "at": NOW - timedelta(minutes=i),
        "tx_hash": TX,
    }
    values.update(fields)
    return HistoryEntry(**values)


def test_history_page_lists_entries_with_arrows_status_time_links_and_buttons() -> None:
    entries = (
        _entry(0),
        _entry(1, direction="in", status=HistoryStatus.RECEIVED, counterparty=PLAIN),
        _entry(2, status=HistoryStatus.PENDING),
        _entry(3, status=HistoryStatus.FAILED, result="tecUNFUNDED_PAYMENT"),
        _entry(4, status=HistoryStatus.EXPIRED, tx_hash=None),
    )
    reply = HistoryReported(**_meta(), page=1, page_size=5, total=12, entries=entries)
    message = _rendered(reply)
    assert "page 2 of 3" in message.text
    assert "⬆️ -1 XRP to @bob" in message.text
    assert "⬇️ +2 XRP from rPEPP…6GDY (tag 12345)" in message.text
    assert "2026-11-20 14:05 UTC" in message.text
    for status in ("✅ sent", "✅ received", "⏳ pending", "❌ failed", "not sent (expired)"):
        assert status in message.text
    assert message.text.count("<a href=") == 4
    assert message.keyboard is not None
    [row] = message.keyboard.inline_keyboard
    assert [HistoryPage.unpack(b.callback_data or "").page for b in row] == [0, 2]


def test_empty_history_is_a_friendly_line() -> None:
    reply = HistoryReported(**_meta(), page=0, page_size=5, total=0, entries=())
    message = _rendered(reply)
    assert message.text == history_texts.history_empty()
    assert message.keyboard is None


@pytest.mark.parametrize(("page", "total", "pages"), [(49, 12, 3), (9999, 1, 1), (1, 5, 1)])
def test_a_page_after_the_last_says_so_with_a_button_to_the_last(
    page: int, total: int, pages: int
) -> None:
    reply = HistoryReported(**_meta(), page=page, page_size=5, total=total, entries=())
    message = _rendered(reply)
    noun = "page" if pages == 1 else "pages"
    assert message.text == f"There's no page {page + 1}: your payments fit on {pages} {noun}."
    assert message.keyboard is not None
    [[previous]] = message.keyboard.inline_keyboard
    assert HistoryPage.unpack(previous.callback_data or "").page == pages - 1


def test_other_replies_are_not_payments() -> None:
    balance = BalanceReported(
        **_meta(),
        address=ADDRESS,
        balance_drops=1,
        reserve_base_drops=1,
        reserve_owner_drops=0,
        owner_count=0,
        reserve_drops=1,
        ledger_index=5,
    )
    keyboard = render_reply(balance).keyboard
    assert keyboard is not None
    assert keyboard.inline_keyboard[1][0].text == send_texts.send_button()


def test_a_fiat_quote_shows_the_amount_typed_and_the_rate_used() -> None:
    from decimal import Decimal

    from xrpbot.schemas import FiatAmount

    fiat = FiatAmount(
        currency="USD",
        amount=Decimal(5),
        rate=Decimal("2.5"),
        as_of=NOW - timedelta(minutes=3),
    )
    message = _rendered(_quote(amount_drops=2_000_000, fiat=fiat))
    assert "Amount: <b>2 XRP</b>" in message.text
    assert "= 5.00 USD at 1 XRP = 2.5" in message.text
    assert "3 min ago" in message.text


@pytest.mark.parametrize(
    "reply",
    [
        TransferSubmitted(
            **_meta(), transfer_id=uuid4(), tx_hash=TX, destination=BOB, amount_drops=1
        ),
        TransferValidated(
            **_meta(),
            transfer_id=uuid4(),
            tx_hash=TX,
            destination=BOB,
            delivered_drops=1,
            fee_drops=12,
            ledger_index=42,
        ),
        TransferFailed(
            **_meta(),
            transfer_id=uuid4(),
            code=ErrorCode.TRANSFER_REJECTED,
            result="tecNO_PERMISSION",
            tx_hash=TX,
            destination=BOB,
            amount_drops=1,
            fee_drops=12,
        ),
        PaymentReceived(**_meta(), tx_hash=TX, delivered_drops=1, source=BOB, ledger_index=7),
        HistoryReported(
            **_meta(),
            page=0,
            page_size=5,
            total=2,
            entries=(
                _entry(0),
                _entry(1, direction="in", status=HistoryStatus.RECEIVED),
            ),
        ),
    ],
    ids=["submitted", "validated", "failed", "received", "history"],
)
def test_a_user_known_by_username_is_never_shown_by_address(reply: Any) -> None:
    text = _rendered(reply).text
    assert "@bob" in text
    assert ADDRESS not in text
    assert short_address(ADDRESS) not in text
    assert "/accounts/" not in text, "no explorer link to the user's account"
