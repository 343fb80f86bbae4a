"""The XRPL stand-in's scripted overload (`POST /sandbox/faults`): refused and held calls."""

from __future__ import annotations

import asyncio

import httpx

from xrpbot.sandbox.testing import RippledStandIn

SERVER_INFO = {"method": "server_info", "params": [{}]}


async def test_refuses_the_next_calls_with_503_then_answers_again(rippled: RippledStandIn) -> None:
    async with httpx.AsyncClient(timeout=5) as http:
        control = rippled.url + "sandbox/faults"
        assert (await http.post(control, json={"refuse": 2})).json()["refuse"] == 2
        first = await http.post(rippled.url, json=SERVER_INFO)
        second = await http.post(rippled.url, json=SERVER_INFO)
        third = await http.post(rippled.url, json=SERVER_INFO)
    assert (first.status_code, second.status_code) == (503, 503)
    assert first.text.startswith("Server is overloaded")
    assert third.status_code == 200
    assert third.json()["result"]["status"] == "success"


async def test_holds_the_next_call_past_the_clients_timeout(rippled: RippledStandIn) -> None:
    async with httpx.AsyncClient(timeout=5) as http:
        await http.post(rippled.url + "sandbox/faults", json={"hold": 1, "hold_seconds": 30})
        held = asyncio.create_task(http.post(rippled.url, json=SERVER_INFO, timeout=0.5))
        try:
            await held
        except httpx.TimeoutException:
            timed_out = True
        else:
            timed_out = False
        after = await http.post(rippled.url, json=SERVER_INFO)
    assert timed_out
    assert after.status_code == 200


async def test_refuses_a_malformed_control_request(rippled: RippledStandIn) -> None:
    async with httpx.AsyncClient(timeout=5) as http:
        answer = await http.post(rippled.url + "sandbox/faults", json={"refuse": -1})
    assert answer.status_code == 400
