"""The webhook proxy: round robin over the gateways, the other one when one is down, 502 when
both are (the Telegram stand-in then retries)."""

from __future__ import annotations

import socket

import httpx
from aiohttp import web

from xrpbot.chaos.proxy import WebhookProxy
from xrpbot.sandbox.testing import serve


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def gateway(name: str, seen: list[str], status: int = 200) -> web.Application:
    async def webhook(request: web.Request) -> web.Response:
        seen.append(f"{name}:{request.headers.get('X-Telegram-Bot-Api-Secret-Token')}")
        return web.json_response({"ok": True}, status=status)

    app = web.Application()
    app.router.add_post("/telegram/webhook", webhook)
    return app


async def post(proxy: WebhookProxy) -> int:
    async with httpx.AsyncClient(timeout=5) as http:
        answer = await http.post(
            proxy.url, json={"update_id": 1}, headers={"X-Telegram-Bot-Api-Secret-Token": "s"}
        )
    return answer.status_code


async def test_updates_alternate_between_the_gateways() -> None:
    seen: list[str] = []
    async with serve(gateway("a", seen)) as a, serve(gateway("b", seen)) as b:
        proxy = WebhookProxy(free_port(), [f"{a}/telegram/webhook", f"{b}/telegram/webhook"])
        proxy.start()
        try:
            codes = [await post(proxy) for _ in range(4)]
        finally:
            proxy.stop()
    assert codes == [200] * 4
    assert seen == ["a:s", "b:s", "a:s", "b:s"]


async def test_a_gateway_down_or_failing_sends_the_update_to_the_other() -> None:
    seen: list[str] = []
    down = f"http://127.0.0.1:{free_port()}/telegram/webhook"
    async with serve(gateway("b", seen)) as b, serve(gateway("c", seen, status=503)) as c:
        proxy = WebhookProxy(free_port(), [down, f"{c}/telegram/webhook", f"{b}/telegram/webhook"])
        proxy.start()
        try:
            codes = [await post(proxy) for _ in range(3)]
        finally:
            proxy.stop()
    assert codes == [200] * 3
    assert [s for s in seen if s.startswith("b")] == ["b:s"] * 3
    assert proxy.failed_over == 2  # the third update began at b, its turn


async def test_no_gateway_answering_is_a_502() -> None:
    proxy = WebhookProxy(free_port(), [f"http://127.0.0.1:{free_port()}/telegram/webhook"])
    proxy.start()
    try:
        assert await post(proxy) == 502
    finally:
        proxy.stop()
