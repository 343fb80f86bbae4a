"""The load: users created through the chat who pay each other, and payments from outside.

Each user is a thread with its own seeded random choices (seed + user index): a payment quote
(`/send 3 @x`, or in fiat `/send 2 USD @x`), then Confirm, Confirm pressed twice, Cancel, or
nothing (the quote is left to expire). An outside account pays random users on the ledger.
What the load did (which quotes it confirmed) is what the audit needs beside the chat.
"""

from __future__ import annotations

import random
import re
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

import httpx

from xrpbot.sandbox.tools.telegram_control import BotMessage, SandboxUser, TelegramSandbox

from .audit import ConfirmedQuote

__all__ = ["Load", "make_users"]

_ADDRESS = re.compile(r"\br[1-9A-HJ-NP-Za-km-z]{24,34}\b")
_AMOUNT = re.compile(r"Amount: ([0-9][0-9,]*(?:\.[0-9]+)?) XRP")
_QUOTE = "Please check your payment"
_RECIPIENT = re.compile(r"To: @(\w+)")


def make_users(count: int, seed: int) -> list[SandboxUser]:
    """`count` sandbox users with ids and @usernames derived from the seed (English)."""
    base = 7_000_000_000 + (seed % 100_000) * 1000
    return [
        SandboxUser(base + i, f"Chaos{i}", f"chaos{seed % 100_000}_{i}", "en")
        for i in range(count)
    ]


def _drops(quote_text: str) -> int | None:
    found = _AMOUNT.search(quote_text)
    if not found:
        return None
    return int(Decimal(found.group(1).replace(",", "")) * 1_000_000)


@dataclass
class Load:
    """The load of one run.

    Attributes:
        telegram: the Telegram stand-in's control API.
        users: the users (set up by `setup`).
        seed: the run's seed.
        addresses: Telegram id → wallet address (after `setup`).
        confirmed: every quote confirmed, for the audit.
        actions: counts by action ("confirm", "confirm_twice", "cancel", "expire", "fiat",
            "outside_payment", "quote_missing", "press_retry", …).
    """

    telegram_url: str
    users: list[SandboxUser]
    seed: int
    addresses: dict[int, str] = field(default_factory=dict)
    confirmed: list[ConfirmedQuote] = field(default_factory=list)
    actions: Counter[str] = field(default_factory=Counter)
    _guard: threading.Lock = field(default_factory=threading.Lock)

    def _count(self, what: str) -> None:
        with self._guard:
            self.actions[what] += 1

    def setup(self, timeout: float = 90.0) -> None:
        """/start, /wallet and /prices usd for every user, in parallel (before any fault).

        Raises:
            RuntimeError: a user got no wallet address in time.
        """
        errors: list[str] = []

        def one(user: SandboxUser) -> None:
            tg = TelegramSandbox(self.telegram_url, httpx.Client(timeout=15))
            try:
                tg.ask(user, "/start", "/wallet", timeout)
                reply = tg.ask(user, "/wallet", "Address", timeout)
                found = _ADDRESS.search(reply.text)
                if not found:
                    raise RuntimeError(f"no address in {reply.text!r}")
                with self._guard:
                    self.addresses[user.user_id] = found.group(0)
                tg.ask(user, "/prices usd", "1 XRP =", timeout)
            except Exception as err:  # reported together below
                errors.append(f"{user.username}: {type(err).__name__}: {err}")

        threads = [threading.Thread(target=one, args=(u,)) for u in self.users]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        if errors:
            raise RuntimeError("user set-up failed: " + "; ".join(errors))

    def run(self, deadline: float) -> list[threading.Thread]:
        """Start every user's loop until `deadline` (time.monotonic()); returns the threads."""
        threads = [
            threading.Thread(target=self._user_loop, args=(i, u, deadline), name=f"user-{i}")
            for i, u in enumerate(self.users)
        ]
        for t in threads:
            t.start()
        return threads

    def _user_loop(self, index: int, user: SandboxUser, deadline: float) -> None:
        rng = random.Random(self.seed * 1000 + index)
        tg = TelegramSandbox(self.telegram_url, httpx.Client(timeout=10))
        others = [u for u in self.users if u.user_id != user.user_id]
        while time.monotonic() < deadline - 2:
            try:
                self._pay_once(tg, rng, user, rng.choice(others), deadline)
            except Exception:  # a frozen sandbox or a timeout: the user just tries again
                self._count("action_error")
                time.sleep(1)
            time.sleep(rng.uniform(0.2, 1.5))

    def _pay_once(
        self,
        tg: TelegramSandbox,
        rng: random.Random,
        user: SandboxUser,
        asked: SandboxUser,
        deadline: float,
    ) -> None:
        fiat = rng.random() < 0.15
        amount = "2 USD" if fiat else str(rng.randint(1, 5))
        to_asked = asked.username
        try:
            quote = tg.ask(user, f"/send {amount} @{to_asked}", _QUOTE, timeout=25)
        except TimeoutError:
            self._count("quote_missing")
            return
        if fiat:
            self._count("fiat")
        roll = rng.random()
        if roll < 0.12:
            self._count("expire")  # left alone: TRANSFER_QUOTE_TTL_SECONDS ends it
            return
        if roll < 0.22:
            self._press(tg, user, quote, "Cancel", deadline)
            self._count("cancel")
            return
        drops = _drops(quote.text)
        # the quote says whom it pays: a late quote of an earlier /send may be the new message
        named = _RECIPIENT.search(quote.text)
        to = next((u for u in self.users if named and u.username == named.group(1)), None)
        if drops is None or to is None:
            self._count("quote_unreadable")
            return
        if named and named.group(1) != to_asked:
            self._count("quote_of_an_earlier_send")
        twice = roll > 0.82
        if not self._press(tg, user, quote, "Confirm", deadline):
            self._count("confirm_not_delivered")
            return
        if twice:
            time.sleep(rng.uniform(0.05, 0.6))
            self._press(tg, user, quote, "Confirm", deadline)
        with self._guard:
            self.confirmed.append(
                ConfirmedQuote(
                    user.user_id,
                    quote.message_id,
                    self.addresses[user.user_id],
                    self.addresses[to.user_id],
                    drops,
                    pressed_twice=twice,
                    fiat=" USD at 1 XRP = " in quote.text,
                )
            )
        self._count("confirm_twice" if twice else "confirm")
        try:  # a user watches the message for a while before the next payment
            tg.wait_message(
                user,
                quote.message_id,
                lambda m: m.text.startswith("✅ Sent") or "not sent" in m.text,
                timeout=min(15.0, max(1.0, deadline - time.monotonic())),
            )
        except TimeoutError:
            self._count("outcome_slow")

    def _press(
        self,
        tg: TelegramSandbox,
        user: SandboxUser,
        quote: BotMessage,
        label: str,
        deadline: float,
    ) -> bool:
        """Press until the stand-in takes the press (a frozen sandbox times the call out: the
        press may or may not have landed, so the user presses again, as people do).

        Returns False when the button is gone (the message no longer has it: HTTP 400 from the
        control API, as a user cannot press a button that is not there) or time ran out.
        """
        data = quote.button(label)
        end = max(deadline, time.monotonic()) + 20
        while time.monotonic() < end:
            try:
                tg.press(user, quote.message_id, data)
                return True
            except httpx.HTTPStatusError as err:
                if err.response.status_code < 500:
                    self._count("press_button_gone")
                    return False
                self._count("press_retry")
            except httpx.HTTPError:
                self._count("press_retry")
            time.sleep(1)
        return False

    def pay_from_outside(self, rpc_url: str, seed: str, deadline: float) -> threading.Thread:
        """A thread that pays a random user 1 to 3 XRP from the outside account every ~3 s."""

        def loop() -> None:
            from xrpl.clients import JsonRpcClient
            from xrpl.models.transactions import Payment
            from xrpl.transaction import submit_and_wait
            from xrpl.wallet import Wallet

            rng = random.Random(self.seed * 7 + 1)
            wallet = Wallet.from_seed(seed)
            client = JsonRpcClient(rpc_url)
            while time.monotonic() < deadline - 3:
                time.sleep(rng.uniform(1.5, 4.5))
                address = self.addresses[rng.choice(self.users).user_id]
                payment = Payment(
                    account=wallet.classic_address,
                    destination=address,
                    amount=str(rng.randint(1, 3) * 1_000_000),
                )
                try:
                    submit_and_wait(payment, client, wallet)
                    self._count("outside_payment")
                except Exception:  # refused, held or frozen ledger: counted, the audit judges
                    self._count("outside_payment_error")

        thread = threading.Thread(target=loop, name="outside-payer")
        thread.start()
        return thread
