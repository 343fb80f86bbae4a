"""Every reply and every error code becomes words; nothing leaks markup or internals."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from decimal import Decimal
from html.parser import HTMLParser
from uuid import uuid4

import pytest

from xrpbot.gateway.render.links import TESTNET_EXPLORER
from xrpbot.gateway.render.message import Rendered
from xrpbot.gateway.render.replies import render_reply as render
from xrpbot.gateway.render.texts import common as common_texts
from xrpbot.gateway.render.texts import errors as errors_texts
from xrpbot.gateway.render.texts.errors import error_text
from xrpbot.schemas import (
    Actor,
    BalanceReported,
    ErrorCode,
    PriceReported,
    PricingFailed,
    WalletCreated,
    WalletFailed,
    WalletInfo,
)

ADDRESS = "rPEPPER7kfTD9w2To4CQk6UCfuHM9c6GDY"
ALLOWED_TAGS = {"b", "i", "code", "a"}  # https://core.telegram.org/bots/api#html-style


def _meta() -> dict[str, object]:
    return {
        "correlation_id": uuid4(),
        "user": Actor(telegram_id=1, first_name="Ada"),
        "chat_id": 1,
    }


def _tags(html: str) -> list[str]:
    found: list[str] = []

    class Collect(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            found.append(tag)

    Collect().feed(html)
    return found


def _assert_telegram_html(message: Rendered) -> None:
    assert set(_tags(message.text)) <= ALLOWED_TAGS
    assert len(message.text) <= 4096
    assert "Traceback" not in message.text


def test_new_funded_wallet_shows_address_funding_and_next_step() -> None:
    reply = WalletCreated(
        **_meta(),
        wallet=WalletInfo(address=ADDRESS, funded=True),
        already_existed=False,
        funded_now=True,
        balance_drops=1_000_000_000,
    )
    message = render(reply)
    assert f"<code>{ADDRESS}</code>" in message.text
    assert "funded with 1,000 XRP from the Testnet faucet" in message.text
    assert "/balance" in message.text
    assert message.keyboard is not None
    button = message.keyboard.inline_keyboard[0][0]
    assert button.url == TESTNET_EXPLORER + ADDRESS
    _assert_telegram_html(message)


def test_new_wallet_funded_without_known_balance_still_says_funded() -> None:
    reply = WalletCreated(
        **_meta(),
        wallet=WalletInfo(address=ADDRESS, funded=True),
        already_existed=False,
    )
    text = render(reply).text
    assert "funded from the Testnet faucet" in text
    assert ADDRESS in text


def test_existing_wallet_says_so_with_the_same_address() -> None:
    reply = WalletCreated(
        **_meta(),
        wallet=WalletInfo(address=ADDRESS, funded=True),
        already_existed=True,
    )
    text = render(reply).text
    assert "You already have a wallet" in text
    assert f"<code>{ADDRESS}</code>" in text
    assert "funded with" not in text


def test_existing_wallet_funded_just_now_mentions_the_funding() -> None:
    reply = WalletCreated(
        **_meta(),
        wallet=WalletInfo(address=ADDRESS, funded=True),
        already_existed=True,
        funded_now=True,
        balance_drops=100_000_000,
    )
    text = render(reply).text
    assert "You already have a wallet" in text
    assert "funded with 100 XRP" in text


def test_existing_funded_wallet_does_not_claim_a_new_funding() -> None:
    reply = WalletCreated(
        **_meta(),
        wallet=WalletInfo(address=ADDRESS, funded=True),
        already_existed=True,
        funded_now=False,
        balance_drops=100_000_000,
    )
    assert "funded with" not in render(reply).text


@pytest.mark.parametrize("already_existed", [False, True])
def test_wallet_not_funded_in_time_says_to_try_again(already_existed: bool) -> None:
    reply = WalletCreated(
        **_meta(),
        wallet=WalletInfo(address=ADDRESS, funded=False),
        already_existed=already_existed,
    )
    message = render(reply)
    assert f"<code>{ADDRESS}</code>" in message.text
    assert "the faucet has not funded it yet; send /wallet again in a minute" in message.text
    assert message.keyboard is None
    _assert_telegram_html(message)


def _balance(balance_drops: int, reserve_drops: int) -> BalanceReported:
    return BalanceReported(
        **_meta(),
        address=ADDRESS,
        balance_drops=balance_drops,
        reserve_base_drops=reserve_drops,
        reserve_owner_drops=200_000,
        owner_count=0,
        reserve_drops=reserve_drops,
        ledger_index=123,
    )


def test_balance_shows_balance_reserve_spendable_and_address() -> None:
    message = render(_balance(1_234_567_890, 1_000_000))
    text = message.text
    assert "<b>Balance:</b> 1,234.56789 XRP" in text
    assert "<b>Spendable:</b> 1,233.56789 XRP" in text
    assert "keeps 1 XRP of every account as a reserve" in text
    assert f'<a href="{common_texts.RESERVES_URL}">' in text
    assert f"<code>{ADDRESS}</code>" in text
    assert message.keyboard is not None
    _assert_telegram_html(message)


def test_spendable_is_never_negative() -> None:
    text = render(_balance(500_000, 1_000_000)).text
    assert "<b>Balance:</b> 0.5 XRP" in text
    assert "<b>Spendable:</b> 0 XRP" in text


@pytest.mark.parametrize(
    ("code", "words"),
    [
        (ErrorCode.WALLET_NOT_FOUND, "You don't have a wallet yet — send /wallet to create one."),
        (ErrorCode.ACCOUNT_NOT_FOUND, "isn't funded yet"),
        (
            ErrorCode.LEDGER_UNAVAILABLE,
            "The XRP Ledger isn't answering right now. Your funds are safe; try again in a minute.",
        ),
        (ErrorCode.FAUCET_UNAVAILABLE, "faucet isn't answering"),
        (ErrorCode.PRICES_UNAVAILABLE, "Prices aren't available"),
        (ErrorCode.INTERNAL, "Sorry"),
    ],
)
def test_every_error_code_has_words(code: ErrorCode, words: str) -> None:
    reply = WalletFailed(**_meta(), code=code, command="wallet.get_balance")
    message = render(reply)
    assert words in message.text
    _assert_telegram_html(message)


def test_every_error_code_is_covered() -> None:
    generic = errors_texts.internal_error()
    worded = {code for code in ErrorCode if error_text(code) != generic}
    assert worded == set(ErrorCode) - {ErrorCode.INTERNAL}


def test_an_unknown_code_gets_the_apology_not_the_code() -> None:
    assert error_text("brand_new_code") == errors_texts.internal_error()


def test_pricing_replies_render() -> None:
    price = PriceReported(
        **_meta(),
        vs_currency="usd",
        price=Decimal("0.523400"),
        change_24h_pct=Decimal("-1.234"),
        as_of=datetime(2026, 1, 2, 3, 4, tzinfo=UTC),
    )
    text = render(price).text
    assert "1 XRP = 0.5234 USD" in text
    assert "-1.23% in 24 h" in text
    assert "2026-01-02 03:04 UTC" in text
    failed = PricingFailed(**_meta(), code=ErrorCode.PRICES_UNAVAILABLE)
    assert render(failed).text == errors_texts.prices_unavailable()


def test_start_welcomes_explains_testnet_and_lists_commands() -> None:
    text = common_texts.start("Ada")
    assert text.startswith("👋 Hi, Ada!")
    assert "<b>Testnet</b>" in text
    assert "no real value" in text
    for command in ("/wallet", "/balance", "/help"):
        assert command in text


def test_help_lists_commands_and_explains_custodial() -> None:
    text = common_texts.help_text()
    for command in ("/wallet", "/balance", "/start", "/help"):
        assert re.search(rf"^{command} — ", text, re.MULTILINE)
    assert "<b>Custodial</b> means" in text


def test_user_controlled_text_is_escaped() -> None:
    text = common_texts.start('<a href="https://evil">x</a> & co')
    assert "&lt;a href=&quot;https://evil&quot;&gt;x&lt;/a&gt; &amp; co" in text
    assert "evil" not in "".join(_tags(text))
