"""A round-robin proxy in front of the gateway replicas, where the Telegram stand-in's webhook goes.

Each update goes to the next replica; if that one does not answer (down, restarting) or answers
5xx, the same update is tried on the other, as a load balancer with retries would do. When every
replica fails the proxy answers 502 and Telegram itself retries later
(https://core.telegram.org/bots/api#setwebhook: "In case of an unsuccessful request, we will give
up after a reasonable amount of attempts").
"""

from __future__ import annotations

import asyncio
import itertools
import threading
from dataclasses import dataclass, field

import aiohttp
from aiohttp import web

__all__ = ["WebhookProxy"]

_FORWARDED = ("Content-Type", "X-Telegram-Bot-Api-Secret-Token")


@dataclass
class WebhookProxy:
    """Serves `POST /telegram/webhook` on 127.0.0.1:`port`, forwarding to `targets` (webhook URLs).

    Runs in its own thread and event loop (`start` / `stop`), so faults of the system never stop
    it. `forwarded` and `failed_over` count updates (for the report).
    """

    port: int
    targets: list[str]
    timeout_s: float = 10.0
    forwarded: int = 0
    failed_over: int = 0
    _loop: asyncio.AbstractEventLoop | None = None
    _thread: threading.Thread | None = None
    _ready: threading.Event = field(default_factory=threading.Event)
    _stop: asyncio.Event | None = None

    @property
    def url(self) -> str:
        """The webhook URL to give the gateways (TELEGRAM_WEBHOOK_URL)."""
        return f"http://127.0.0.1:{self.port}/telegram/webhook"

    def start(self) -> None:
        """Start serving; returns once the port is open."""
        self._thread = threading.Thread(target=self._main, name="webhook-proxy", daemon=True)
        self._thread.start()
        if not self._ready.wait(15):
            raise RuntimeError(f"the webhook proxy did not start on port {self.port}")

    def stop(self) -> None:
        """Stop serving (idempotent)."""
        if self._loop is not None and self._stop is not None:
            self._loop.call_soon_threadsafe(self._stop.set)
        if self._thread is not None:
            self._thread.join(10)

    def _main(self) -> None:
        asyncio.run(self._serve())

    async def _serve(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._stop = asyncio.Event()
        turn = itertools.cycle(range(len(self.targets)))
        timeout = aiohttp.ClientTimeout(total=self.timeout_s)
        async with aiohttp.ClientSession(timeout=timeout) as session:

            async def forward(request: web.Request) -> web.Response:
                body = await request.read()
                headers = {k: request.headers[k] for k in _FORWARDED if k in request.headers}
                first = next(turn)
                order = self.targets[first:] + self.targets[:first]
                for attempt, target in enumerate(order):
                    try:
                        async with session.post(target, data=body, headers=headers) as answer:
                            payload = await answer.read()
                            if answer.status < 500:
                                self.forwarded += 1
                                self.failed_over += 1 if attempt else 0
                                return web.Response(
                                    status=answer.status,
                                    body=payload,
                                    content_type=answer.content_type,
                                )
                    except (aiohttp.ClientError, TimeoutError):
                        continue
                return web.Response(status=502, text="no gateway replica answered")

            app = web.Application()
            app.router.add_post("/telegram/webhook", forward)
            runner = web.AppRunner(app, access_log=None, shutdown_timeout=1)
            await runner.setup()
            await web.TCPSite(runner, "127.0.0.1", self.port).start()
            self._ready.set()
            try:
                await self._stop.wait()
            finally:
                await runner.cleanup()
