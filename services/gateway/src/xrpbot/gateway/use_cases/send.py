"""/send: one command with every part, or a step-by-step flow; the quote's Confirm and Cancel.

- `/send <amount> <destination> [tag]` answers "Checking your payment…" and queues
  RequestTransfer (placeholder, pending reply and update claim in one transaction). Parts
  missing: the bot asks for them (`states.SendFlow`, stored in Postgres through the update's
  unit of work); /cancel leaves the flow. The Send button (on /balance, /wallet, the menu)
  starts it.
- Confirm / Cancel under a quote: the owner's first press of a quote takes its message over
  (`quote_presses`): the quote becomes "Sending…" (buttons removed) and the replies of
  ConfirmTransfer edit it (TransferSubmitted, then TransferValidated / TransferFailed). Any
  later press (a double tap, a press at the same instant, someone else's) still queues its
  command, which the transfer service refuses; that refusal comes as a new message, so it
  never overwrites the payment's progress.
Every part is read with the shared parser (`xrpbot.parsing`) before anything is queued, on
every path (one line, step by step, a fiat amount): what cannot be a part is refused at once,
in its own words, and the flow asks again. The transfer service reads RequestTransfer again with
the same parser and decides every rule of the payment.
"""

from __future__ import annotations

from uuid import UUID

from xrpbot.parsing import (
    AddressDestination,
    FiatValue,
    Refused,
    drops_for_fiat,
    format_drops,
    parse_amount,
    parse_destination,
    parse_tag,
)
from xrpbot.schemas import CancelTransfer, ConfirmTransfer, FiatAmount, RequestTransfer

from ..domain.delivery import Placeholder
from ..domain.parsing import parse_send_args
from ..ports import Chat, Conversation, UnitOfWork
from ..render.keyboards import no_tag_keyboard
from ..render.message import Rendered
from ..render.texts import send
from ..render.texts.errors import error_text
from ..states import SendFlow
from .ask import Origin, ask

__all__ = [
    "cancel_flow",
    "press_quote",
    "request_quote",
    "send_command",
    "start_flow",
    "take_amount",
    "take_destination",
    "take_no_tag",
    "take_tag",
]


def _words(refused: Refused) -> str:
    return error_text(refused.code, username=refused.username)


async def send_command(
    origin: Origin, args: str | None, *, flow: Conversation, chat: Chat, uow: UnitOfWork
) -> None:
    """/send [amount [destination [tag]]]: quote it, or ask for what is missing."""
    parts = parse_send_args(args)
    if parts.extra:
        await flow.clear()
        await chat.say(Rendered(send.send_usage()))
        return
    if parts.amount is None:
        await flow.set_state(SendFlow.amount.state)
        await chat.say(Rendered(send.ask_amount()))
        return
    if parts.destination is None:
        await take_amount(parts.amount, flow=flow, chat=chat)
        return
    await request_quote(
        origin,
        amount=parts.amount,
        destination=parts.destination,
        tag=parts.tag,
        flow=flow,
        chat=chat,
        uow=uow,
    )


async def start_flow(*, flow: Conversation, chat: Chat) -> None:
    """The Send button: start the flow with the amount question."""
    await flow.set_data({})
    await flow.set_state(SendFlow.amount.state)
    await chat.say(Rendered(send.ask_amount()))


async def take_amount(amount: str, *, flow: Conversation, chat: Chat) -> None:
    """Flow step 1: the amount (asked again at once, with why, when it cannot be one), then
    the destination question. The flow keeps the amount as read ("2.5 XRP", "5.00 USD")."""
    read = parse_amount(amount)
    if isinstance(read, Refused):
        await flow.set_state(SendFlow.amount.state)
        await chat.say(Rendered(f"{_words(read)}\n\n{send.ask_amount()}"))
        return
    await flow.set_data({"amount": read.text})
    await flow.set_state(SendFlow.destination.state)
    await chat.say(Rendered(send.ask_destination(read.text)))


async def take_destination(
    origin: Origin, destination: str, *, flow: Conversation, chat: Chat, uow: UnitOfWork
) -> None:
    """Flow step 2: the destination (asked again at once, with why, when it cannot be one); a
    classic address gets the tag question, anything else the quote."""
    amount = str((await flow.get_data()).get("amount", ""))
    if not amount:
        await flow.set_state(SendFlow.amount.state)
        await chat.say(Rendered(send.ask_amount()))
        return
    read = parse_destination(destination)
    if isinstance(read, Refused):
        await chat.say(Rendered(f"{_words(read)}\n\n{send.ask_destination(amount)}"))
        return
    if isinstance(read, AddressDestination) and read.test_network is None:
        await flow.update_data(destination=destination)
        await flow.set_state(SendFlow.tag.state)
        await chat.say(Rendered(send.ask_tag(), no_tag_keyboard()))
        return
    await request_quote(
        origin, amount=amount, destination=destination, tag=None, flow=flow, chat=chat, uow=uow
    )


async def take_tag(
    origin: Origin, tag: str, *, flow: Conversation, chat: Chat, uow: UnitOfWork
) -> None:
    """Flow step 3: the destination tag (a whole number, asked again when it is not one), then
    the quote."""
    read = parse_tag(tag)
    if isinstance(read, Refused):
        await chat.say(Rendered(f"{_words(read)}\n\n{send.ask_tag()}", no_tag_keyboard()))
        return
    data = await flow.get_data()
    await request_quote(
        origin,
        amount=str(data.get("amount", "")),
        destination=str(data.get("destination", "")),
        tag=str(read),
        flow=flow,
        chat=chat,
        uow=uow,
    )


async def take_no_tag(
    origin: Origin, question: Placeholder, *, flow: Conversation, chat: Chat, uow: UnitOfWork
) -> None:
    """'No tag' under the tag question: the quote without a tag, in the question's message."""
    data = await flow.get_data()
    await chat.show(question, Rendered(send.preparing_quote()))
    await request_quote(
        origin,
        amount=str(data.get("amount", "")),
        destination=str(data.get("destination", "")),
        tag=None,
        flow=flow,
        chat=chat,
        uow=uow,
        placeholder=question,
    )


async def cancel_flow(*, flow: Conversation, chat: Chat) -> None:
    """/cancel: leave the /send flow."""
    if await flow.get_state() is None:
        await chat.say(Rendered(send.nothing_to_cancel()))
        return
    await flow.clear()
    await chat.say(Rendered(send.flow_cancelled()))


async def request_quote(
    origin: Origin,
    *,
    amount: str,
    destination: str,
    tag: str | None,
    flow: Conversation,
    chat: Chat,
    uow: UnitOfWork,
    placeholder: Placeholder | None = None,
) -> None:
    """Leave the flow, read every part (`xrpbot.parsing`), show "Checking your payment…" and
    queue RequestTransfer; a part that cannot be is refused at once, in its words.

    The command carries the amount as plain drops text (`format_drops`: "2000", never
    "2,000") and the tag as a plain number. An amount in a fiat currency ("/send 5 USD @bob")
    is converted at the latest rate the gateway knows (rounded down to a drop), and the quote
    shows that rate; without a rate nothing is asked.

    Args:
        placeholder: the message to answer in (the tag question), else a new message.
    """
    await flow.clear()

    async def refuse(text: str) -> None:
        if placeholder is None:
            await chat.say(Rendered(text))
        else:
            await chat.show(placeholder, Rendered(text))

    read_amount = parse_amount(amount)
    if isinstance(read_amount, Refused):
        await refuse(_words(read_amount))
        return
    read_tag = None if tag is None else parse_tag(tag)
    if isinstance(read_tag, Refused):
        await refuse(_words(read_tag))
        return
    read_destination = parse_destination(destination, read_tag)
    if isinstance(read_destination, Refused):
        await refuse(_words(read_destination))
        return
    fiat: FiatAmount | None = None
    if isinstance(read_amount, FiatValue):
        rate = await uow.fiat.rate(read_amount.currency)
        if rate is None or rate.price <= 0:
            await refuse(send.fiat_rate_unknown(read_amount.currency.upper()))
            return
        drops = drops_for_fiat(read_amount.value, rate.price)
        if isinstance(drops, Refused):
            await refuse(_words(drops))
            return
        fiat = FiatAmount(
            currency=read_amount.currency.upper(),
            amount=read_amount.value,
            rate=rate.price,
            as_of=rate.as_of,
        )
    else:
        drops = read_amount.drops
    await ask(
        RequestTransfer,
        origin,
        uow=uow,
        answer=placeholder or chat,
        waiting=send.preparing_quote(),
        amount=format_drops(drops),
        destination=destination.strip(),
        destination_tag=None if read_tag is None else str(read_tag),
        fiat=fiat,
    )


async def press_quote(
    origin: Origin,
    *,
    confirm: bool,
    transfer_id: UUID,
    quote: Placeholder | None,
    chat: Chat,
    uow: UnitOfWork,
) -> None:
    """Confirm or Cancel under a quote: ConfirmTransfer / CancelTransfer.

    The transfer service decides (it refuses a second confirm, an expired or cancelled quote,
    someone else's); the gateway only decides which message the answer edits. The command
    and the "Sending…" edit commit together; the edit is shown after the commit (queued), so
    Telegram's per-chat pace (1 message/s) never delays a payment.

    Args:
        quote: the quote's message when it is in the presser's own chat; None otherwise.
    """
    owns = quote is not None and await uow.press_quote(transfer_id, origin.correlation_id)
    if quote is not None and owns:
        interim = send.sending() if confirm else send.cancelling()
        await chat.show(quote, Rendered(interim))
    await ask(
        ConfirmTransfer if confirm else CancelTransfer,
        origin,
        uow=uow,
        answer=quote if owns else None,
        transfer_id=transfer_id,
    )
