"""`python -m xrpbot.sandbox` in-process: the chosen stand-ins on ephemeral ports, and its settings."""

from __future__ import annotations

import aiohttp
import pytest

from xrpbot.sandbox.__main__ import create_sandbox
from xrpbot.sandbox.config import SandboxSettings
from xrpbot.sandbox.telegram.constants import DEFAULT_TOKEN as TOKEN


async def test_whole_sandbox_starts_in_process_on_ephemeral_ports() -> None:
    settings = SandboxSettings(
        telegram_port=0,
        coingecko_port=0,
        only=["telegram", "coingecko"],
        telegram_tokens=[TOKEN],
        telegram_bot_token="77:gateway-token",
    )
    async with create_sandbox(settings) as sandbox, aiohttp.ClientSession() as http:
        assert set(sandbox.urls) == {"telegram", "coingecko"}
        for token in (TOKEN, "77:gateway-token"):
            async with http.get(f"{sandbox.urls['telegram']}/bot{token}/getMe") as r:
                assert r.status == 200
        async with http.get(f"{sandbox.urls['coingecko']}/api/v3/ping") as r:
            assert (await r.json())["gecko_says"] == "(V3) To the Moon!"
    assert sandbox.urls  # stopped cleanly; a second stop is harmless
    await sandbox.stop()


async def test_whole_sandbox_with_the_ledger() -> None:
    pytest.importorskip("xrpbot.sandbox.xrpl.rpc.app")
    settings = SandboxSettings(
        telegram_port=0, xrpl_port=0, faucet_port=0, coingecko_port=0, ledger_close_seconds=0
    )
    async with create_sandbox(settings) as sandbox, aiohttp.ClientSession() as http:
        assert set(sandbox.urls) == {"telegram", "xrpl", "faucet", "coingecko"}
        async with http.post(sandbox.urls["xrpl"], json={"method": "server_info"}) as r:
            assert r.status == 200


def test_settings_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SANDBOX_TELEGRAM_TOKENS", f"{TOKEN}, 5:five")
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "5:five")
    monkeypatch.setenv("SANDBOX_ONLY", "coingecko,telegram")
    monkeypatch.setenv("SANDBOX_LEDGER_CLOSE_SECONDS", "0")
    settings = SandboxSettings()
    assert settings.tokens() == ["5:five", TOKEN]
    assert settings.only == ["telegram", "coingecko"]
    assert settings.ledger_close_seconds == 0
    assert "five" not in repr(settings)
    assert "sandbox-local-token" not in repr(settings)
    monkeypatch.setenv("SANDBOX_ONLY", "")
    assert SandboxSettings().only == ["telegram", "xrpl", "coingecko"]
    monkeypatch.setenv("SANDBOX_ONLY", "telegram,mail")
    with pytest.raises(ValueError, match="unknown stand-in"):
        SandboxSettings()
