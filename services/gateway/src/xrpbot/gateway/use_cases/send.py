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
The transfer service decides every rule of a payment; the gateway only re-asks at once for a
part that cannot possibly be right (`domain.parsing`).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from uuid import UUID

from xrpbot.schemas import CancelTransfer, ConfirmTransfer, ErrorCode, FiatAmount, RequestTransfer

from ..domain.delivery import Placeholder
from ..domain.fiat import xrp_for_fiat
from ..domain.parsing import (
    MAX_AMOUNT_CHARS,
    amount_problem,
    asks_for_tag,
    fiat_amount,
    parse_send_args,
    tag_problem,
    too_long,
)
from ..ports import Chat, Conversation, UnitOfWork
from ..render.keyboards import no_tag_keyboard
from ..render.message import Rendered
from ..render.numbers import format_decimal
from ..render.texts import send
from ..render.texts.errors import error_text, invalid_address, invalid_destination_tag
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
    """Flow step 1: the amount (re-asked at once when it cannot be one), then the destination
    question."""
    problem = (
        amount_problem(amount) if len(amount) <= MAX_AMOUNT_CHARS else ErrorCode.INVALID_AMOUNT
    )
    if problem is not None:
        await flow.set_state(SendFlow.amount.state)
        await chat.say(Rendered(f"{error_text(problem)}\n\n{send.ask_amount()}"))
        return
    await flow.set_data({"amount": amount})
    await flow.set_state(SendFlow.destination.state)
    await chat.say(Rendered(send.ask_destination(amount)))


async def take_destination(
    origin: Origin, destination: str, *, flow: Conversation, chat: Chat, uow: UnitOfWork
) -> None:
    """Flow step 2: the destination; a classic address gets the tag question, anything else
    the quote."""
    amount = str((await flow.get_data()).get("amount", ""))
    if " " in destination or not amount:
        await chat.say(Rendered(f"{invalid_address()}\n\n{send.ask_destination(amount)}"))
        return
    if asks_for_tag(destination):
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
    """Flow step 3: the destination tag (a whole number), then the quote."""
    if tag_problem(tag) is not None:
        await chat.say(
            Rendered(f"{invalid_destination_tag()}\n\n{send.ask_tag()}", no_tag_keyboard())
        )
        return
    data = await flow.get_data()
    await request_quote(
        origin,
        amount=str(data.get("amount", "")),
        destination=str(data.get("destination", "")),
        tag=tag,
        flow=flow,
        chat=chat,
        uow=uow,
    )


async def take_no_tag(
    origin: Origin, question: Placeholder, *, flow: Conversation, chat: Chat, uow: UnitOfWork
) -> None:
    """'No tag' under the tag question: the quote without a tag, in the question's message."""
    data = await flow.get_data()
    await chat.replace(question, send.preparing_quote())
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
    """Leave the flow, show "Checking your payment…" and queue RequestTransfer.

    An amount in a fiat currency ("/send 5 USD @bob") is converted at the latest rate the
    gateway knows (rounded down to a drop), and the quote shows that rate; without a rate
    nothing is asked.
    """
    await flow.clear()
    refused = too_long(amount, destination, tag)
    if refused is not None:
        await chat.say(Rendered(error_text(refused)))
        return
    fiat: FiatAmount | None = None
    typed_fiat = fiat_amount(amount)
    if typed_fiat is not None:
        value, currency = typed_fiat
        rate = await uow.fiat.rate(currency)
        if rate is None:
            await chat.say(Rendered(send.fiat_rate_unknown(currency.upper())))
            return
        fiat = FiatAmount(
            currency=currency.upper(), amount=value, rate=rate.price, as_of=rate.as_of
        )
        amount = f"{format_decimal(xrp_for_fiat(value, rate.price))} XRP"
    await ask(
        RequestTransfer,
        origin,
        uow=uow,
        answer=placeholder or chat,
        waiting=send.preparing_quote(),
        amount=amount,
        destination=destination,
        destination_tag=tag,
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
    after_commit: list[Callable[[], Awaitable[None]]],
) -> None:
    """Confirm or Cancel under a quote: ConfirmTransfer / CancelTransfer.

    The transfer service decides (it refuses a second confirm, an expired or cancelled quote,
    someone else's); the gateway only decides which message the answer edits. The command
    commits at once; the "Sending…" edit follows after the commit (`after_commit`), so
    Telegram's per-chat pace (1 message/s) never delays a payment.

    Args:
        quote: the quote's message when it is in the presser's own chat; None otherwise.
    """
    owns = quote is not None and await uow.press_quote(transfer_id, origin.correlation_id)
    if quote is not None and owns:
        interim = send.sending() if confirm else send.cancelling()
        after_commit.append(lambda: chat.replace(quote, interim))
    await ask(
        ConfirmTransfer if confirm else CancelTransfer,
        origin,
        uow=uow,
        answer=quote if owns else None,
        transfer_id=transfer_id,
    )
