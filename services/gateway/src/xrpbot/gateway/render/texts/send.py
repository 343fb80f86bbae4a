"""The words of /send: the flow's questions, the quote and its buttons, the payment's outcomes."""

# ruff: noqa: UP032  each message is one literal + str.format, so gettext can extract the literal

from __future__ import annotations

from html import escape

from ..i18n import gettext as _
from ..i18n import ngettext
from .common import RESERVES_URL

__all__ = [
    "ask_amount",
    "ask_destination",
    "ask_tag",
    "cancel_button",
    "cancelling",
    "confirm_button",
    "fiat_rate_unknown",
    "flow_cancelled",
    "flow_question_closed",
    "no_tag_button",
    "nothing_to_cancel",
    "preparing_quote",
    "quote",
    "quote_fiat",
    "rejected_reason",
    "send_button",
    "send_usage",
    "sending",
    "transfer_cancelled",
    "transfer_expired",
    "transfer_failed_other",
    "transfer_not_submitted",
    "transfer_rejected",
    "transfer_submitted",
    "transfer_validated",
    "tx_explorer_button",
    "username_stale",
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
        amount: the amount as read, with its currency ("2.5 XRP", "5.00 USD").
    """
    return _(
        "Who should receive {amount}? Send their <b>@username</b> (they must have opened "
        "this bot) or an <b>XRP Ledger address</b>.\n\nSend /cancel to stop."
    ).format(amount=escape(amount))


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


def quote(
    *,
    recipient: str,
    first_name: str,
    address: str,
    tag: int | None,
    amount_xrp: str,
    fee_xrp: str,
    balance_after_xrp: str,
    reserve_xrp: str,
    creates_account: bool,
    expires_in_minutes: int,
    stale_days: int | None = None,
) -> str:
    """The quote the user confirms.

    A bot user is shown as who they are (@username and first name), never by their custodial
    address: a quote costs nothing, and an address would open the user's balance and history
    on any explorer to whoever asks for one. An address destination is shown as the address.

    Args:
        recipient: "@username" of a bot user, or "" for an address destination.
        first_name: the bot user's first name beside the @username ("" when unknown).
        address: the destination address; shown only when there is no `recipient`.
        tag: the destination tag, if any.
        amount_xrp, fee_xrp, balance_after_xrp, reserve_xrp: formatted XRP amounts.
        creates_account: this payment creates the destination account.
        expires_in_minutes: how long Confirm works.
        stale_days: set when the @username was last seen that many days ago, long enough that
            it may belong to someone else now (`username_stale`): the quote says so.
    """
    if recipient:
        to = escape(recipient)
        if first_name.strip():
            to += " ({name})".format(name=escape(first_name.strip()))
    else:
        to = "<code>{address}</code>".format(address=escape(address))
    tag_line = (
        "" if tag is None else "\n" + _("Destination tag: <code>{tag}</code>").format(tag=tag)
    )
    new_account = (
        "\n\n" + _("This payment creates the recipient's account on the ledger.")
        if creates_account
        else ""
    )
    stale = (
        ""
        if stale_days is None or not recipient
        else "\n\n" + username_stale(recipient, stale_days)
    )
    return _(
        "📤 <b>Please check your payment</b>\n\n"
        "To: {to}{tag_line}\n"
        "Amount: <b>{amount} XRP</b>\n"
        "Network fee: {fee} XRP\n"
        "Your balance after: {after} XRP\n\n"
        '{reserve} XRP stays reserved in your account (<a href="{url}">why?</a>).{new_account}{stale}\n\n'
        "{confirm_within}"
    ).format(
        to=to,
        tag_line=tag_line,
        stale=stale,
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


def username_stale(recipient: str, days: int) -> str:
    """The quote's warning for a @username not seen for long: Telegram lets anyone take a
    username its holder gave up, and the bot learns of it only when the new holder writes.

    Args:
        recipient: "@username".
        days: how many days ago its holder was last seen with it.
    """
    return ngettext(
        "⚠️ {recipient} was last seen here {days} day ago — make sure it is still the person "
        "you mean.",
        "⚠️ {recipient} was last seen here {days} days ago — make sure it is still the person "
        "you mean.",
        days,
    ).format(recipient=escape(recipient), days=days)


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
