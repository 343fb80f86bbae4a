"""Every word the bot says to people, in one place: English msgids, translated by gettext.

Texts are HTML for Telegram's `parse_mode=HTML` (https://core.telegram.org/bots/api#html-style):
only <b>, <i>, <code>, <a href> are used, and every value that comes from outside (names,
addresses) is escaped here with `html.escape`. Each text is a function whose message is one
string literal marked with `_()` (`i18n.gettext`) or `ngettext` and then filled with
`str.format`, so the catalogs (`locales/`, `make i18n`) hold whole sentences with named
placeholders, and the language is the one of the current context (`i18n`): the user's. Outside
any context a text is English.

Translators: keep the ``{placeholders}``, HTML tags and emoji; ``/commands`` stay as they are.
"""

# ruff: noqa: UP032  each message is one literal + str.format, so gettext can extract the literal

from __future__ import annotations

from html import escape

from .i18n import gettext as _
from .i18n import ngettext

__all__ = [
    "RESERVES_URL",
    "account_not_funded",
    "balance",
    "checking_balance",
    "creating_wallet",
    "explorer_button",
    "faucet_unavailable",
    "fetching_prices",
    "help_text",
    "internal_error",
    "ledger_unavailable",
    "not_understood",
    "price",
    "prices_unavailable",
    "private_chat_only",
    "start",
    "wallet_exists",
    "wallet_not_found",
    "wallet_not_funded_yet",
    "wallet_ready",
]

RESERVES_URL = "https://xrpl.org/docs/concepts/accounts/reserves"
"""What the reserve is, for the balance message."""


def _commands() -> str:
    return _(
        "/menu — the menu with buttons\n"
        "/wallet — create your wallet, or show the one you have\n"
        "/balance — your balance, the reserve and what you can spend\n"
        "/send — send XRP to a bot user (@username) or an XRPL address\n"
        "/receive — your address and a QR code (try /receive 25)\n"
        "/history — your payments, sent and received\n"
        "/prices — the XRP price and its chart (try /prices eur 30d)\n"
        "/settings — language, currency and notifications\n"
        "/help — the commands and how this bot works"
    )


# ---- conversation ---------------------------------------------------------------------------


def start(first_name: str) -> str:
    """/start: welcome, what the bot does, how to begin, the commands."""
    greeting = (
        _("👋 Hi, {name}!").format(name=escape(first_name)) if first_name.strip() else _("👋 Hi!")
    )
    return _(
        "{greeting}\n\n"
        "I'm a wallet for the XRP Ledger that lives in this chat. I create an XRPL account for "
        "you and keep its keys safe, so you can check your balance with a message.\n\n"
        "I run on the XRPL <b>Testnet</b>: the XRP there is test money with no real value, "
        "made for trying things out.\n\n"
        "To begin, send /wallet — I'll create your wallet and fund it with test XRP from the "
        "Testnet faucet.\n\n"
        "<b>Commands</b>\n"
        "{commands}"
    ).format(greeting=greeting, commands=_commands())


def help_text() -> str:
    """/help: one line per command and what custodial means."""
    return _(
        "<b>Commands</b>\n"
        "{commands}\n"
        "/start — the welcome message\n\n"
        "<b>Custodial</b> means this bot holds your wallet's secret keys for you: you don't "
        "have to store them, but you trust the bot with them.\n\n"
        "Everything happens on the XRPL <b>Testnet</b>, where XRP has no real value."
    ).format(commands=_commands())


def not_understood() -> str:
    """Unknown commands and plain text."""
    return _("I didn't catch that. Send /help to see what I can do.")


def private_chat_only() -> str:
    """A private command (wallet, balance, send, …) sent in a group: continue in private."""
    return _(
        "🔒 I keep wallets private, so I don't show balances, addresses or payments in groups. "
        "Let's continue in a private chat."
    )


# ---- placeholders (answered at once, edited into the result) --------------------------------


def creating_wallet() -> str:
    """Placeholder while the wallet service creates and funds the account."""
    return _("Creating your wallet…")


def fetching_prices() -> str:
    """Placeholder while the pricing service asks the market-data source."""
    return _("Fetching the XRP price…")


def checking_balance() -> str:
    """Placeholder while the wallet service reads a validated ledger."""
    return _("Checking your balance…")


# ---- results ---------------------------------------------------------------------------------


def wallet_ready(address: str, funded_xrp: str | None) -> str:
    """A new wallet, funded by the faucet.

    Args:
        address: classic address.
        funded_xrp: the balance the faucet paid, already formatted as XRP, when known.
    """
    if funded_xrp is None:
        funding = _("It has been funded from the Testnet faucet.")
    else:
        funding = _("It was funded with {xrp} XRP from the Testnet faucet.").format(xrp=funded_xrp)
    return _(
        "✅ <b>Your wallet is ready!</b>\n\n"
        "Address: <code>{address}</code>\n"
        "{funding} Testnet XRP has no real value.\n\n"
        "Next: send /balance to see your balance and how much you can spend."
    ).format(address=escape(address), funding=funding)


def wallet_exists(address: str, funded_xrp: str | None) -> str:
    """/wallet again: the wallet the user already has.

    Args:
        address: classic address.
        funded_xrp: when the faucet funded it just now, the balance it paid (formatted XRP).
    """
    funding = (
        ""
        if funded_xrp is None
        else "\n"
        + _("It has now been funded with {xrp} XRP from the Testnet faucet.").format(
            xrp=funded_xrp
        )
    )
    return _(
        "You already have a wallet on the XRP Ledger Testnet.\n\n"
        "Address: <code>{address}</code>{funding}\n\n"
        "Send /balance to see your balance."
    ).format(address=escape(address), funding=funding)


def wallet_not_funded_yet(address: str) -> str:
    """The account exists but the faucet's payment is not in a validated ledger yet."""
    return _(
        "Your wallet address is <code>{address}</code>, but the faucet has not funded it "
        "yet; send /wallet again in a minute."
    ).format(address=escape(address))


def balance(
    *,
    address: str,
    balance_xrp: str,
    reserve_xrp: str,
    spendable_xrp: str,
    balance_fiat: str | None = None,
    spendable_fiat: str | None = None,
) -> str:
    """/balance: balance, the reserve in one sentence with a link, spendable, address.

    Args:
        address: classic address.
        balance_xrp, reserve_xrp, spendable_xrp: amounts already formatted as XRP.
        balance_fiat, spendable_fiat: fiat equivalents (`fiat_equivalent`), when a rate is known.
    """
    return _(
        "💰 <b>Balance:</b> {balance} XRP{balance_fiat}\n"
        "✅ <b>Spendable:</b> {spendable} XRP{spendable_fiat}\n\n"
        "The XRP Ledger keeps {reserve} XRP of every account as a reserve that can't be "
        'sent (<a href="{url}">why?</a>).\n\n'
        "Address: <code>{address}</code>"
    ).format(
        balance=balance_xrp,
        balance_fiat="" if balance_fiat is None else " " + balance_fiat,
        spendable=spendable_xrp,
        spendable_fiat="" if spendable_fiat is None else " " + spendable_fiat,
        reserve=reserve_xrp,
        url=RESERVES_URL,
        address=escape(address),
    )


def price(*, currency: str, price_text: str, change_text: str | None, as_of: str) -> str:
    """XRP's spot price.

    Args:
        currency: fiat code, upper case (USD).
        price_text: price of 1 XRP, formatted.
        change_text: 24 h change, formatted with its sign and %, when known.
        as_of: when the source updated it, formatted (UTC).
    """
    change = (
        "" if change_text is None else " " + _("({change} in 24 h)").format(change=change_text)
    )
    return _("📈 <b>1 XRP = {price} {currency}</b>{change}\nAs of {as_of}.").format(
        price=price_text, currency=escape(currency), change=change, as_of=as_of
    )


def explorer_button() -> str:
    """Label of the button that opens the account in the Testnet explorer."""
    return _("View on the Testnet explorer")


# ---- errors, by code -------------------------------------------------------------------------


def wallet_not_found() -> str:
    """ErrorCode.WALLET_NOT_FOUND."""
    return _("You don't have a wallet yet — send /wallet to create one.")


def account_not_funded() -> str:
    """ErrorCode.ACCOUNT_NOT_FOUND: the account is not in a validated ledger yet."""
    return _(
        "Your wallet isn't funded yet: the Testnet faucet hasn't paid into it. "
        "Send /wallet again in a minute."
    )


def ledger_unavailable() -> str:
    """ErrorCode.LEDGER_UNAVAILABLE."""
    return _(
        "The XRP Ledger isn't answering right now. Your funds are safe; try again in a minute."
    )


def faucet_unavailable() -> str:
    """ErrorCode.FAUCET_UNAVAILABLE."""
    return _("The Testnet faucet isn't answering right now. Send /wallet again in a minute.")


def prices_unavailable() -> str:
    """ErrorCode.PRICES_UNAVAILABLE."""
    return _("Prices aren't available right now. Please try again in a minute.")


def internal_error() -> str:
    """ErrorCode.INTERNAL, or a code this gateway does not know yet."""
    return _("Sorry — something went wrong on our side. Please try again in a minute.")


# ==== payments: /send, quotes, outcomes, incoming payments, /history (issue 3) ================
# Amounts arrive already formatted as XRP text; addresses, usernames and engine results are
# escaped here.

__all__ += [  # the payments block keeps its names next to its texts
    "amount_not_positive",
    "ask_amount",
    "ask_destination",
    "ask_tag",
    "cancel_button",
    "cancelling",
    "confirm_button",
    "counterparty_tag",
    "destination_disallows_xrp",
    "destination_not_funded",
    "destination_tag_required",
    "flow_cancelled",
    "flow_question_closed",
    "history_empty",
    "history_line",
    "history_page",
    "history_status",
    "insufficient_funds",
    "invalid_address",
    "invalid_amount",
    "invalid_destination_tag",
    "loading_history",
    "next_button",
    "no_tag_button",
    "nothing_to_cancel",
    "payment_received",
    "preparing_quote",
    "previous_button",
    "quote",
    "quote_already_confirmed",
    "quote_cancelled",
    "quote_expired",
    "quote_not_found",
    "recipient_not_found",
    "rejected_reason",
    "send_button",
    "send_to_self",
    "send_usage",
    "sending",
    "signing_unavailable",
    "too_many_decimals",
    "transfer_cancelled",
    "transfer_expired",
    "transfer_expired_short",
    "transfer_failed_other",
    "transfer_not_submitted",
    "transfer_not_submitted_short",
    "transfer_rejected",
    "transfer_rejected_short",
    "transfer_submitted",
    "transfer_validated",
    "tx_explorer_button",
    "unsupported_currency",
]


def send_button() -> str:
    """Label of the button that starts /send."""
    return _("📤 Send XRP")


def confirm_button() -> str:
    """Label of a quote's Confirm button."""
    return _("✅ Confirm")


def cancel_button() -> str:
    """Label of a quote's Cancel button."""
    return _("✖️ Cancel")


def no_tag_button() -> str:
    """Label of the 'no destination tag' answer."""
    return _("No tag")


def previous_button() -> str:
    """History: the newer page."""
    return _("◀️ Previous")


def next_button() -> str:
    """History: the older page."""
    return _("Next ▶️")


def tx_explorer_button() -> str:
    """Label of the button that opens a transaction in the Testnet explorer."""
    return _("View transaction")


def send_usage() -> str:
    """/send with words that fit no part."""
    return _(
        "To send XRP, write:\n"
        "<code>/send 10 @username</code>\n"
        "<code>/send 0.5 rAddress… 12345</code> (the last number is the destination tag)\n\n"
        "Or just send /send and I'll ask step by step."
    )


def ask_amount() -> str:
    """Flow step 1: the amount."""
    return _(
        "How much XRP do you want to send? For example <code>10</code> or <code>0.5</code>.\n\nSend /cancel to stop."
    )


def ask_destination(amount: str) -> str:
    """Flow step 2: the destination.

    Args:
        amount: the amount as the user typed it.
    """
    return _(
        "Who should receive {amount}? Send their <b>@username</b> (they must have opened "
        "this bot) or an <b>XRP Ledger address</b>.\n\nSend /cancel to stop."
    ).format(amount=escape(amount if "xrp" in amount.lower() else amount + " XRP"))


def ask_tag() -> str:
    """Flow step 3 (classic addresses only): the destination tag."""
    return _(
        "Does this address need a <b>destination tag</b>? Exchanges use one to find your "
        "account — copy it from their deposit page. Send the number, or press <i>No tag</i>."
    )


def flow_cancelled() -> str:
    """/cancel during the /send flow."""
    return _("Cancelled — nothing was sent.")


def nothing_to_cancel() -> str:
    """/cancel with no flow going on."""
    return _("There's nothing to cancel.")


def flow_question_closed() -> str:
    """A stale 'No tag' press: the question was answered or cancelled already (callback answer)."""
    return _("That question is closed. Send /send to start again.")


def preparing_quote() -> str:
    """Placeholder while the transfer service checks the payment and quotes it."""
    return _("Checking your payment…")


def sending() -> str:
    """The quote after Confirm, until the network's answer comes."""
    return _("⏳ Sending…")


def cancelling() -> str:
    """The quote after Cancel, until the transfer service confirms it."""
    return _("Cancelling…")


def loading_history() -> str:
    """Placeholder while the transfer service reads the history."""
    return _("Loading your payments…")


def quote(
    *,
    recipient: str,
    address: str,
    tag: int | None,
    amount_xrp: str,
    fee_xrp: str,
    balance_after_xrp: str,
    reserve_xrp: str,
    creates_account: bool,
    expires_in_minutes: int,
) -> str:
    """The quote the user confirms.

    Args:
        recipient: "@username" of a bot user, or "" for a plain address.
        address: the destination's classic address.
        tag: the destination tag, if any.
        amount_xrp, fee_xrp, balance_after_xrp, reserve_xrp: formatted XRP amounts.
        creates_account: this payment creates the destination account.
        expires_in_minutes: how long Confirm works.
    """
    to = (
        "{recipient}\n<code>{address}</code>".format(
            recipient=escape(recipient), address=escape(address)
        )
        if recipient
        else "<code>{address}</code>".format(address=escape(address))
    )
    tag_line = (
        "" if tag is None else "\n" + _("Destination tag: <code>{tag}</code>").format(tag=tag)
    )
    new_account = (
        "\n\n" + _("This payment creates the recipient's account on the ledger.")
        if creates_account
        else ""
    )
    return _(
        "📤 <b>Please check your payment</b>\n\n"
        "To: {to}{tag_line}\n"
        "Amount: <b>{amount} XRP</b>\n"
        "Network fee: {fee} XRP\n"
        "Your balance after: {after} XRP\n\n"
        '{reserve} XRP stays reserved in your account (<a href="{url}">why?</a>).{new_account}\n\n'
        "{confirm_within}"
    ).format(
        to=to,
        tag_line=tag_line,
        amount=amount_xrp,
        fee=fee_xrp,
        after=balance_after_xrp,
        reserve=reserve_xrp,
        url=RESERVES_URL,
        new_account=new_account,
        confirm_within=ngettext(
            "Confirm within {minutes} minute.",
            "Confirm within {minutes} minutes.",
            expires_in_minutes,
        ).format(minutes=expires_in_minutes),
    )


def transfer_cancelled() -> str:
    """TransferCancelled."""
    return _("Cancelled — nothing was sent.")


def transfer_submitted(*, amount_xrp: str, recipient: str, tx_link: str) -> str:
    """TransferSubmitted: handed to the network, outcome pending (never 'failed' here).

    Args:
        amount_xrp: formatted XRP.
        recipient: escaped counterparty text (HTML).
        tx_link: HTML link to the transaction.
    """
    return _(
        "⏳ Sending {amount} XRP to {recipient}… <b>pending</b>\n"
        "Transaction: {tx}\n\n"
        "The network confirms payments within seconds; this message will show the result."
    ).format(amount=amount_xrp, recipient=recipient, tx=tx_link)


def transfer_validated(*, amount_xrp: str, recipient: str, fee_xrp: str, tx_link: str) -> str:
    """TransferValidated: final success."""
    return _("✅ Sent {amount} XRP to {recipient} · fee {fee} XRP · {tx}").format(
        amount=amount_xrp, recipient=recipient, fee=fee_xrp, tx=tx_link
    )


def transfer_expired(*, amount_xrp: str, recipient: str) -> str:
    """TransferFailed transfer_expired: not included by its last ledger; nothing spent."""
    return _(
        "❌ {amount} XRP to {recipient} — not sent: the network did not include it in time. "
        "Nothing left your account; you can try again."
    ).format(amount=amount_xrp, recipient=recipient)


def transfer_rejected(
    *, amount_xrp: str, recipient: str, reason: str, fee_xrp: str, tx_link: str
) -> str:
    """TransferFailed transfer_rejected: in a validated ledger with a tec code; only the fee spent.

    Args:
        reason: the engine result in words (already escaped).
    """
    tx = "" if not tx_link else "\n" + _("Transaction: {tx}").format(tx=tx_link)
    return _(
        "❌ {amount} XRP to {recipient} — not sent: {reason}.\n"
        "Only the network fee ({fee} XRP) was spent.{tx}"
    ).format(amount=amount_xrp, recipient=recipient, reason=reason, fee=fee_xrp, tx=tx)


def transfer_not_submitted(*, amount_xrp: str, recipient: str) -> str:
    """TransferFailed transfer_not_submitted: refused before inclusion; nothing spent."""
    return _(
        "❌ {amount} XRP to {recipient} — not sent: the network refused the payment. "
        "Nothing left your account."
    ).format(amount=amount_xrp, recipient=recipient)


def transfer_failed_other(*, amount_xrp: str, recipient: str, reason: str) -> str:
    """TransferFailed with any other code (worded by `reason`)."""
    return _("❌ {amount} XRP to {recipient} — not sent. {reason}").format(
        amount=amount_xrp, recipient=recipient, reason=reason
    )


def rejected_reason(result: str | None) -> str:
    """A tec engine result in words (https://xrpl.org/docs/references/protocol/transactions/transaction-results/tec-codes)."""
    match result:
        case "tecUNFUNDED_PAYMENT":
            return _("your balance was not enough to cover it")
        case "tecNO_DST_INSUF_XRP":
            return _(
                "the recipient's account does not exist yet and the amount was too small "
                "to create it"
            )
        case "tecNO_DST":
            return _("the recipient's account does not exist")
        case "tecDST_TAG_NEEDED":
            return _("the recipient requires a destination tag")
        case "tecNO_PERMISSION":
            return _("the recipient does not accept payments from you")
        case "tecPATH_DRY" | "tecPATH_PARTIAL":
            return _("the payment could not be delivered in full")
        case "tecINSUFF_FEE":
            return _("the account could not pay the network fee")
        case None:
            return _("the network rejected it")
        case _:
            return _("the network rejected it (<code>{result}</code>)").format(
                result=escape(result)
            )


def payment_received(*, amount_xrp: str, sender: str, tag: int | None, tx_link: str) -> str:
    """PaymentReceived: XRP arrived at the user's account.

    Args:
        sender: escaped counterparty text (HTML).
        tag: the destination tag the payment carried.
    """
    tag_text = "" if tag is None else " " + _("(destination tag {tag})").format(tag=tag)
    return _("📥 You received <b>{amount} XRP</b> from {sender}{tag_text} · {tx}").format(
        amount=amount_xrp, sender=sender, tag_text=tag_text, tx=tx_link
    )


def counterparty_tag(who: str, tag: int) -> str:
    """The other side of a payment with its destination tag: ``rPEPP…6GDY (tag 12345)``.

    Args:
        who: escaped HTML (``@bob`` or a shortened address).
        tag: the destination tag.
    """
    return _("{who} (tag {tag})").format(who=who, tag=tag)


def history_empty() -> str:
    """/history with no payments."""
    return _("No payments yet. Send XRP with /send; what you receive shows up here too.")


def history_page(*, lines: list[str], page: int, pages: int, total: int) -> str:
    """One /history page.

    Args:
        lines: the entries, already rendered with `history_line`.
        page: 1-based page number.
    """
    return _("🧾 <b>Your payments</b> ({total}) — page {page} of {pages}\n\n{lines}").format(
        total=total, page=page, pages=pages, lines="\n\n".join(lines)
    )


def history_line(
    *,
    outgoing: bool,
    amount_xrp: str,
    counterparty: str,
    when: str,
    status: str,
    tx_link: str,
) -> str:
    """One /history entry.

    Args:
        outgoing: sent (True) or received.
        counterparty: escaped HTML.
        when: formatted time (UTC).
        status: the status in words.
        tx_link: HTML link to the transaction, or "".
    """
    tx = "" if not tx_link else " · {tx}".format(tx=tx_link)
    line = (_("⬆️ -{amount} XRP to {who}") if outgoing else _("⬇️ +{amount} XRP from {who}")).format(
        amount=amount_xrp, who=counterparty
    )
    return "{line}\n{when} · {status}{tx}".format(line=line, when=when, status=status, tx=tx)


def history_status(status: str) -> str:
    """A history status (HistoryStatus value) in words."""
    match status:
        case "sent":
            return _("✅ sent")
        case "received":
            return _("✅ received")
        case "pending":
            return _("⏳ pending")
        case "failed":
            return _("❌ failed")
        case "expired":
            return _("⌛ not sent (expired)")
        case _:
            return escape(status)


# ---- payments: refusals and errors, by code ---------------------------------------------------


def invalid_amount() -> str:
    """ErrorCode.INVALID_AMOUNT."""
    return _(
        "That isn't an amount of XRP. Write it like <code>10</code>, <code>0.5</code> or <code>10 XRP</code>."
    )


def amount_not_positive() -> str:
    """ErrorCode.AMOUNT_NOT_POSITIVE."""
    return _("The amount must be more than zero.")


def too_many_decimals() -> str:
    """ErrorCode.TOO_MANY_DECIMALS."""
    return _("XRP has at most 6 decimals — the smallest amount is 0.000001 XRP.")


def unsupported_currency() -> str:
    """ErrorCode.UNSUPPORTED_CURRENCY."""
    return _("I can only send XRP. Write the amount like <code>10</code> or <code>10 XRP</code>.")


def insufficient_funds(spendable_xrp: str | None) -> str:
    """ErrorCode.INSUFFICIENT_FUNDS.

    Args:
        spendable_xrp: what can be sent now (formatted XRP), when known.
    """
    if spendable_xrp is None:
        return _(
            "You don't have enough XRP for that: part of your balance stays reserved and the "
            "network fee is paid on top. Send /balance to see what you can spend."
        )
    return _(
        "You don't have enough XRP for that: you can send at most <b>{spendable} XRP</b> "
        "right now (your balance minus the reserve and the network fee)."
    ).format(spendable=spendable_xrp)


def recipient_not_found(username: str | None) -> str:
    """ErrorCode.RECIPIENT_NOT_FOUND: unknown @username, or a user without a wallet.

    Args:
        username: the @username asked for (without @), when known.
    """
    who = "@" + escape(username.lstrip("@")) if username else _("That user")
    return _(
        "{who} doesn't have a wallet with me yet. Ask them to open this bot and send /wallet "
        "first — then try again."
    ).format(who=who)


def invalid_address() -> str:
    """ErrorCode.INVALID_ADDRESS."""
    return _(
        "That isn't a valid XRP Ledger address — please check it. Addresses start with "
        "<code>r</code> (or <code>X</code>/<code>T</code> for X-addresses); for a bot user, "
        "write their @username."
    )


def invalid_destination_tag() -> str:
    """ErrorCode.INVALID_DESTINATION_TAG."""
    return _(
        "A destination tag is a whole number from 0 to 4294967295, and it must match the tag "
        "inside an X-address."
    )


def send_to_self() -> str:
    """ErrorCode.SEND_TO_SELF."""
    return _("That's your own wallet — you can't send XRP to yourself.")


def destination_tag_required() -> str:
    """ErrorCode.DESTINATION_TAG_REQUIRED (the account has RequireDest)."""
    return _(
        "That account requires a <b>destination tag</b> (exchanges use it to find the "
        "customer). Send again with the tag, e.g. <code>/send 10 rAddress… 12345</code>."
    )


def destination_not_funded(minimum_xrp: str | None) -> str:
    """ErrorCode.DESTINATION_NOT_FUNDED.

    Args:
        minimum_xrp: the base reserve (formatted XRP), when known.
    """
    minimum = _("the base reserve") if minimum_xrp is None else "{xrp} XRP".format(xrp=minimum_xrp)
    return _(
        "That account doesn't exist on the ledger yet. The first payment creates it and must "
        "be at least {minimum}."
    ).format(minimum=minimum)


def destination_disallows_xrp() -> str:
    """ErrorCode.DESTINATION_DISALLOWS_XRP."""
    return _("That account asks not to be sent XRP, so I won't send it.")


def quote_expired() -> str:
    """ErrorCode.QUOTE_EXPIRED."""
    return _(
        "This quote has expired (quotes last 2 minutes) — nothing was sent. Send /send for a new one."
    )


def quote_already_confirmed() -> str:
    """ErrorCode.QUOTE_ALREADY_CONFIRMED (a second Confirm)."""
    return _(
        "You already confirmed this payment — it is being sent only once; its message shows the progress."
    )


def quote_cancelled() -> str:
    """ErrorCode.QUOTE_CANCELLED."""
    return _("This payment was cancelled — nothing was sent.")


def quote_not_found() -> str:
    """ErrorCode.QUOTE_NOT_FOUND (someone else's quote, or an unknown one)."""
    return _("That payment isn't yours or no longer exists — nothing was sent.")


def signing_unavailable() -> str:
    """ErrorCode.SIGNING_UNAVAILABLE."""
    return _(
        "I couldn't sign the payment just now — nothing was sent. Please try again in a minute."
    )


def transfer_expired_short() -> str:
    """ErrorCode.TRANSFER_EXPIRED on its own."""
    return _(
        "Not sent: the network did not include it in time. Nothing left your account; you can try again."
    )


def transfer_rejected_short() -> str:
    """ErrorCode.TRANSFER_REJECTED on its own."""
    return _("Not sent: the network rejected the payment. Only the network fee was spent.")


def transfer_not_submitted_short() -> str:
    """ErrorCode.TRANSFER_NOT_SUBMITTED on its own."""
    return _("Not sent: the network refused the payment. Nothing left your account.")


# ==== prices: /prices with its chart and buttons, fiat equivalents (issue 4) ====================
# Prices and amounts arrive already formatted; currency codes are escaped here.

__all__ += [  # the prices block keeps its names next to its texts
    "age_days",
    "age_hours",
    "age_just_now",
    "age_minutes",
    "fiat_equivalent",
    "fiat_rate_unknown",
    "prices_as_of",
    "prices_caption",
    "prices_chart_stale_note",
    "prices_choice_button",
    "prices_loading",
    "prices_range",
    "prices_stale",
    "prices_usage",
    "quote_fiat",
]


def prices_caption(
    *,
    currency: str,
    price_text: str,
    change_text: str | None,
    range_text: str | None,
    freshness: str,
    chart_missing: bool,
) -> str:
    """/prices: the caption of the chart (at most 1024 characters), or the text without one.

    Args:
        currency: fiat code, upper case (USD).
        price_text: price of 1 XRP, formatted.
        change_text: 24 h change, formatted with its sign and %, when known.
        range_text: the period's line (`prices_range`), when the history is known.
        freshness: `prices_as_of` or `prices_stale`.
        chart_missing: no history came: say the chart is missing.
    """
    change = (
        "" if change_text is None else " " + _("({change} in 24 h)").format(change=change_text)
    )
    period = "" if range_text is None else "\n{line}".format(line=range_text)
    missing = "\n" + _("The chart isn't available right now.") if chart_missing else ""
    return ("📈 <b>1 XRP = {price} {currency}</b>{change}{period}{missing}\n{freshness}").format(
        price=price_text,
        currency=escape(currency),
        change=change,
        period=period,
        missing=missing,
        freshness=freshness,
    )


def prices_range(*, period: str, high: str, low: str, change: str | None) -> str:
    """The period's line: ``7D: high 0.55 · low 0.48 · +3.2%``."""
    moved = "" if change is None else " · {change}".format(change=change)
    return _("{period}: high {high} · low {low}{moved}").format(
        period=escape(period), high=high, low=low, moved=moved
    )


def prices_as_of(time: str) -> str:
    """Fresh prices: when the source updated them (``2026-11-21 12:34 UTC``)."""
    return _("<i>As of {time}.</i>").format(time=time)


def prices_stale(age: str) -> str:
    """The source failed: these are the last known prices, and how old they are."""
    return _(
        "⚠️ <i>The market data source isn't answering, so these are the last known prices, "
        "as of {age}.</i>"
    ).format(age=age)


def prices_chart_stale_note(age: str) -> str:
    """The line under the chart's title when its data is stale (plain text)."""
    return _("last known data, as of {age}").format(age=age)


def prices_choice_button(label: str, *, selected: bool) -> str:
    """A period or currency button under /prices; the one shown is marked."""
    return "• {label} •".format(label=label) if selected else label


def prices_loading(currency: str, period: str) -> str:
    """The toast when a /prices button is pressed."""
    return _("Loading XRP/{currency} {period}…").format(currency=currency, period=period)


def prices_usage(token: str, currencies: str) -> str:
    """/prices with an argument that is neither a currency nor a period."""
    return _(
        "I don't know “{token}”. Try /prices, /prices eur, /prices 30d or /prices gbp 1y.\n\n"
        "Periods: 1d, 7d, 30d, 1y. Currencies: {currencies}."
    ).format(token=escape(token), currencies=escape(currencies))


def age_just_now() -> str:
    """An age under a minute."""
    return _("just now")


def age_minutes(minutes: int) -> str:
    """An age in minutes (1-59)."""
    return _("{n} min ago").format(n=minutes)


def age_hours(hours: int) -> str:
    """An age in hours (1-47)."""
    return _("{n} h ago").format(n=hours)


def age_days(days: int) -> str:
    """An age in days (2 or more)."""
    return ngettext("{n} day ago", "{n} days ago", days).format(n=days)


def fiat_equivalent(*, amount: str, currency: str, age: str | None) -> str:
    """A fiat equivalent beside an XRP amount: ``(≈ 523.10 USD)``, with the rate's age when old."""
    if age is None:
        return "(≈ {amount} {currency})".format(amount=amount, currency=escape(currency))
    return _("(≈ {amount} {currency}, rate as of {age})").format(
        amount=amount, currency=escape(currency), age=age
    )


def quote_fiat(*, amount: str, currency: str, rate: str, age: str) -> str:
    """The quote's line for "/send 5 USD": the fiat amount and the rate it was converted at."""
    return _("= {amount} {currency} at 1 XRP = {rate} {currency} (rate as of {age})").format(
        amount=amount, currency=escape(currency), rate=rate, age=age
    )


def fiat_rate_unknown(currency: str) -> str:
    """ "/send 5 USD" when no XRP/USD rate is known yet: nothing is asked of the ledger."""
    return _(
        "I don't have an XRP price in {currency} yet, so I can't convert that amount. "
        "Send the amount in XRP, or try again after /prices {currency}."
    ).format(currency=escape(currency))


# ==== issue 5: menu, /receive, /settings, throttling, groups, admins ==========================

__all__ += [  # the issue-5 block keeps its names next to its texts
    "LANGUAGE_NAMES",
    "admin_only",
    "alert_dead_letters",
    "alert_payments_failed",
    "back_button",
    "bot_commands",
    "broadcast_done",
    "broadcast_queued",
    "broadcast_usage",
    "continue_in_private_button",
    "getting_address",
    "group_private_only_toast",
    "menu",
    "menu_balance_button",
    "menu_expired",
    "menu_help_button",
    "menu_history_button",
    "menu_prices_button",
    "menu_receive_button",
    "menu_send_button",
    "menu_settings_button",
    "notifications_state",
    "receive",
    "receive_usage",
    "settings",
    "settings_choose_currency",
    "settings_choose_language",
    "settings_currency_button",
    "settings_language_button",
    "settings_notifications_button",
    "settings_saved",
    "slow_down",
    "stats",
    "stats_queue_line",
]

LANGUAGE_NAMES: dict[str, str] = {"en": "English", "es": "Español", "ru": "Русский"}
"""The languages /settings offers, each named in itself (never translated)."""


def bot_commands() -> list[tuple[str, str]]:
    """The command list registered with setMyCommands: (command without /, description).

    Descriptions are 1-256 characters (https://core.telegram.org/bots/api#botcommand).
    """
    return [
        ("menu", _("Open the menu")),
        ("balance", _("Your balance and what you can spend")),
        ("send", _("Send XRP")),
        ("receive", _("Your address and QR code to receive XRP")),
        ("history", _("Your payments")),
        ("prices", _("The XRP price and its chart")),
        ("wallet", _("Create your wallet, or show it")),
        ("settings", _("Language, currency, notifications")),
        ("help", _("How this bot works")),
    ]


def menu() -> str:
    """/menu: the line above the menu buttons."""
    return _("What would you like to do?")


def menu_balance_button() -> str:
    """Menu: /balance."""
    return _("💰 Balance")


def menu_send_button() -> str:
    """Menu: /send."""
    return _("📤 Send")


def menu_receive_button() -> str:
    """Menu: /receive."""
    return _("📥 Receive")


def menu_history_button() -> str:
    """Menu: /history."""
    return _("🧾 History")


def menu_prices_button() -> str:
    """Menu: /prices."""
    return _("📈 Prices")


def menu_settings_button() -> str:
    """Menu: /settings."""
    return _("⚙️ Settings")


def menu_help_button() -> str:
    """Menu: /help."""
    return _("❓ Help")


def menu_expired() -> str:
    """A press on a menu too old to answer in place (callback toast)."""
    return _("This menu is too old — send /menu for a new one.")


def slow_down() -> str:
    """The one notice a user gets when they send commands faster than the bot takes them."""
    return _(
        "🐢 You're going a little fast — please slow down. I'll take your next command in a "
        "moment; the ones you just sent were skipped."
    )


def group_private_only_toast() -> str:
    """A button of a private feature pressed in a group (callback toast, at most 200 characters)."""
    return _("I keep wallets private — open a private chat with me to continue.")


def continue_in_private_button() -> str:
    """The deep-link button from a group to the private chat."""
    return _("🔒 Continue in private chat")


def getting_address() -> str:
    """Placeholder while /receive asks the wallet service for the address."""
    return _("Getting your address…")


def receive(*, address: str, amount_xrp: str | None) -> str:
    """/receive: the caption of the QR code (at most 1024 characters).

    Args:
        address: the user's classic address.
        amount_xrp: the requested amount (formatted XRP), when one was given.
    """
    ask = (
        ""
        if amount_xrp is None
        else _("The QR code asks for <b>{amount} XRP</b>.").format(amount=amount_xrp) + "\n\n"
    )
    return _(
        "📥 <b>Receive XRP</b>\n\n"
        "Your address:\n<code>{address}</code>\n\n"
        "{ask}"
        "<b>No destination tag is needed</b> for this wallet: it is yours alone. (Exchanges "
        "ask for their own tag when you send to them — not when they send to you.)\n\n"
        "Scan the QR code with an XRPL wallet such as Xaman, or copy the address. This is the "
        "XRPL Testnet: send only Testnet XRP."
    ).format(address=escape(address), ask=ask)


def receive_usage() -> str:
    """/receive with words that are not an amount."""
    return _(
        "To ask for an amount, write it in XRP: <code>/receive 25</code> or "
        "<code>/receive 0.5</code>. Send /receive alone for your address."
    )


def settings(*, language: str, currency: str, notifications: bool) -> str:
    """/settings: the user's settings.

    Args:
        language: the language's own name (`LANGUAGE_NAMES`).
        currency: fiat code, upper case.
        notifications: incoming-payment alerts on.
    """
    return _(
        "⚙️ <b>Settings</b>\n\n"
        "🌐 Language: {language}\n"
        "💱 Currency: {currency}\n"
        "🔔 Payment notifications: {notifications}\n\n"
        "Notifications tell you when XRP arrives; payments always show in /history."
    ).format(
        language=escape(language),
        currency=escape(currency),
        notifications=notifications_state(notifications),
    )


def notifications_state(enabled: bool) -> str:
    """On or off, in words."""
    # TRANSLATORS: the state of payment notifications in /settings ("Payment notifications: on")
    return _("on") if enabled else _("off")


def settings_choose_language() -> str:
    """/settings → Language."""
    return _("🌐 Choose your language:")


def settings_choose_currency() -> str:
    """/settings → Currency."""
    return _("💱 Choose the currency prices and balances are shown in:")


def settings_language_button(language: str) -> str:
    """/settings: the Language button, with the current one."""
    return _("🌐 Language: {language}").format(language=language)


def settings_currency_button(currency: str) -> str:
    """/settings: the Currency button, with the current one."""
    return _("💱 Currency: {currency}").format(currency=currency)


def settings_notifications_button(enabled: bool) -> str:
    """/settings: the toggle, saying what pressing it does."""
    return _("🔕 Turn notifications off") if enabled else _("🔔 Turn notifications on")


def settings_saved() -> str:
    """Callback toast after a setting changed."""
    return _("Saved.")


def back_button() -> str:
    """Back to the previous screen."""
    return _("◀️ Back")


def admin_only() -> str:
    """/stats or /broadcast from someone who is not an admin."""
    return _("Sorry — that command is only for the bot's admins.")


def stats(
    *,
    day: str,
    users: int,
    active_today: int,
    inactive: int,
    wallets: str,
    wallets_today: str,
    payments_today: str,
    volume_today_xrp: str,
    failed_today: str,
    incoming_today: str,
    incoming_volume_today_xrp: str,
    queues: list[str],
) -> str:
    """/stats for admins.

    Args:
        day: the counted day (``2026-11-21``, UTC).
        users, active_today, inactive: private chats: all, seen today, blocked the bot.
        wallets … incoming_volume_today_xrp: the transfer service's numbers, formatted
            ("?" when it did not answer).
        queues: lines from `stats_queue_line`.
    """
    return _(
        "📊 <b>Stats</b> — today is {day} (UTC)\n\n"
        "👥 Users: {users} · active today: {active} · blocked the bot: {inactive}\n"
        "👛 Wallets: {wallets} · new today: {wallets_today}\n"
        "📤 Payments sent today: {payments} · {volume} XRP · failed: {failed}\n"
        "📥 Payments received today: {incoming} · {incoming_volume} XRP\n\n"
        "<b>Queues</b> (messages waiting)\n{queues}"
    ).format(
        day=day,
        users=users,
        active=active_today,
        inactive=inactive,
        wallets=wallets,
        wallets_today=wallets_today,
        payments=payments_today,
        volume=volume_today_xrp,
        failed=failed_today,
        incoming=incoming_today,
        incoming_volume=incoming_volume_today_xrp,
        queues="\n".join(queues),
    )


def stats_queue_line(name: str, messages: int | None) -> str:
    """One queue in /stats; `messages` None when it could not be read."""
    count = "?" if messages is None else str(messages)
    return "<code>{name}</code>: {count}".format(name=escape(name), count=count)


def broadcast_usage() -> str:
    """/broadcast without a text."""
    return _(
        "Write the message after the command: <code>/broadcast The bot will be down for "
        "maintenance at 18:00 UTC.</code> It goes to every user who has not blocked the bot."
    )


def broadcast_queued(reach: int) -> str:
    """/broadcast accepted."""
    return ngettext(
        "📣 Broadcast queued for {reach} chat (users who blocked the bot are skipped). "
        "I'll report here when it is done.",
        "📣 Broadcast queued for {reach} chats (users who blocked the bot are skipped). "
        "I'll report here when it is done.",
        reach,
    ).format(reach=reach)


def broadcast_done(*, sent: int, unreachable: int) -> str:
    """A broadcast finished: the report to the admin who sent it."""
    delivered = ngettext("delivered to {n} chat", "delivered to {n} chats", sent).format(n=sent)
    missed = ngettext("{n} could not be reached", "{n} could not be reached", unreachable).format(
        n=unreachable
    )
    return _("📣 Broadcast done: {delivered}; {missed}.").format(
        delivered=delivered, missed=missed
    )


def alert_dead_letters(count: int, details: str) -> str:
    """Admin alert: messages that kept failing were dead-lettered.

    Args:
        count: messages since the last alert.
        details: ``queue: n`` items, comma-separated (escaped here).
    """
    return ngettext(
        "🚨 <b>{count} message dead-lettered</b> since the last alert: {details}.\n"
        "It waits in the services' <code>*.dead-letter</code> queues.",
        "🚨 <b>{count} messages dead-lettered</b> since the last alert: {details}.\n"
        "They wait in the services' <code>*.dead-letter</code> queues.",
        count,
    ).format(count=count, details=escape(details))


def alert_payments_failed(count: int, details: str) -> str:
    """Admin alert: confirmed payments that failed.

    Args:
        count: failed payments since the last alert.
        details: ``code: n`` items, comma-separated (escaped here).
    """
    return ngettext(
        "⚠️ <b>{count} payment failed</b> since the last alert: {details}.",
        "⚠️ <b>{count} payments failed</b> since the last alert: {details}.",
        count,
    ).format(count=count, details=escape(details))


__all__ += ["collecting_stats"]


def collecting_stats() -> str:
    """Placeholder while the transfer service counts today's payments for /stats."""
    return _("Collecting the stats…")
