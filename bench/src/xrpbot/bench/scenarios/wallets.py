"""Wallets beforehand: every user sends /wallet and waits for a funded address, timed on its own."""

from __future__ import annotations

import asyncio
import re
import time
from typing import Any

from ..observe import Call
from .driver import BenchUser, Driver, poll_until

__all__ = ["create_wallets"]

ADDRESS = re.compile(r"\br[1-9A-HJ-NP-Za-km-z]{24,34}\b")
"""A classic XRPL address (base58, r...) in an answer's text."""


async def create_wallets(driver: Driver, timeout_s: float) -> dict[str, Any]:
    """Every user sends /wallet; wait until each has a funded address.

    Returns:
        duration_s, created, failed (answers without a funded wallet), missing.
    """
    chats = {u.user_id for u in driver.users}
    done: dict[int, str | None] = {}

    def on_call(call: Call) -> None:
        chat = call.chat_id
        if (
            chat not in chats
            or chat in done
            or not call.ok
            or call.method not in {"editmessagetext", "sendmessage"}
        ):
            return
        if "Creating your wallet" in call.text:
            return
        found = ADDRESS.search(call.text)
        funded = found is not None and "not funded" not in call.text
        done[chat] = found.group(0) if found and funded else None

    stop = driver.listen(on_call)
    limit = asyncio.Semaphore(40)  # Telegram's default max_connections
    started = time.time()

    async def one(user: BenchUser) -> None:
        async with limit:
            await driver.deliver(await driver.user_says(user, "/wallet"))

    try:
        await asyncio.gather(*(one(u) for u in driver.users))
        await poll_until(lambda: len(done) >= len(chats), started + timeout_s)
    finally:
        stop()
    duration = time.time() - started
    driver.addresses = {chat: addr for chat, addr in done.items() if addr}
    return {
        "users": len(chats),
        "duration_s": round(duration, 1),
        "created": len(driver.addresses),
        "failed": sum(1 for a in done.values() if a is None),
        "missing": len(chats) - len(done),
        "rate_per_s": round(len(driver.addresses) / duration, 1) if duration else None,
    }
