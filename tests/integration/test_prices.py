"""/prices end to end: users ask through the Telegram stand-in, pricing asks the CoinGecko
stand-in (its answers follow recorded real responses), the gateway answers with a chart.

Cached data ages only with time; instead of waiting, the tests expire pricing's cache rows
(`pricing.market_cache`) the way time would, then switch the stand-in's failures on.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from xrpbot.sandbox.tools.stack import Stack
from xrpbot.sandbox.tools.telegram_control import BotMessage, SandboxUser, TelegramSandbox

pytestmark = pytest.mark.integration

CHART_SIZE = (1200, 675)


class Gecko:
    """The CoinGecko stand-in's control API."""

    def __init__(self, base: str) -> None:
        self.base = base

    def fail(self, mode: str | None, **extra: Any) -> None:
        httpx.post(
            f"{self.base}/sandbox/fail", json={"mode": mode, **extra}, timeout=5
        ).raise_for_status()

    def reset(self) -> None:
        httpx.post(f"{self.base}/sandbox/reset", timeout=5).raise_for_status()

    def calls(self, path: str, **query: str) -> int:
        recent = httpx.get(f"{self.base}/sandbox/stats", timeout=5).json()["recent"]
        return sum(
            1
            for r in recent
            if r["path"] == path and all(r["query"].get(k) == v for k, v in query.items())
        )


@pytest.fixture
def gecko(ready: Stack, db: Any) -> Iterator[Gecko]:
    """The stand-in, answering normally again after the test, and pricing's cache not holding
    back calls because of this test's failures."""
    client = Gecko(f"http://{ready.env['SANDBOX_HOST']}:{ready.env['SANDBOX_COINGECKO_PORT']}")
    client.reset()
    release_backoff(db)
    try:
        yield client
    finally:
        client.reset()
        release_backoff(db)


def release_backoff(db: Any) -> None:
    """Let pricing call the source again at once where an earlier failure made it wait."""
    db.conn.execute(
        "UPDATE pricing.market_cache SET next_fetch_at = least(next_fetch_at, fresh_until) "
        "WHERE refresh_token IS NULL"
    )


def expire_cache(db: Any) -> None:
    """What a TTL running out does: every entry is due for a fetch, its data kept."""
    db.conn.execute("UPDATE pricing.market_cache SET fresh_until = now(), next_fetch_at = now()")


def ask(tg: TelegramSandbox, user: SandboxUser, text: str, timeout: float = 60) -> BotMessage:
    """Send `text`; return the bot's final answer (a new message that is not a placeholder)."""
    seen = {m.message_id for m in tg.messages(user.chat_id)}
    tg.send(user, text)

    def answered(messages: list[BotMessage]) -> bool:
        return any(m.message_id not in seen and "…" not in m.text for m in messages)

    messages = tg.wait_for(user.chat_id, answered, timeout=timeout)
    return next(m for m in messages if m.message_id not in seen and "…" not in m.text)


def photos_sent(tg: TelegramSandbox, chat_id: int) -> list[dict[str, Any]]:
    calls = httpx.get(
        f"{tg.base_url}/sandbox/calls", params={"method": "sendPhoto"}, timeout=10
    ).json()["calls"]
    return [c for c in calls if str(c["params"].get("chat_id")) == str(chat_id)]


@pytest.mark.parametrize(
    ("period", "label"), [("", "1D"), ("7d", "7D"), ("30d", "30D"), ("1y", "1Y")]
)
def test_each_period_is_a_chart_with_price_change_high_and_low(
    telegram: TelegramSandbox, new_user: Any, gecko: Gecko, period: str, label: str
) -> None:
    user = new_user("Ada")
    answer = ask(telegram, user, f"/prices {period}".strip())
    assert answer.photo, answer.text
    assert "1 XRP =" in answer.text
    assert "USD" in answer.text
    assert "in 24 h" in answer.text
    assert f"{label}: high" in answer.text
    assert "low" in answer.text
    assert [text for text, _ in answer.buttons[0]] == [
        f"• {p} •" if p == label else p for p in ("1D", "7D", "30D", "1Y")
    ]
    [photo] = photos_sent(telegram, user.chat_id)
    assert photo["ok"], "the stand-in opened the PNG and accepted its dimensions"
    params = photo["params"]
    upload = params[params["photo"].removeprefix("attach://")]  # aiogram attaches the file
    assert upload["filename"] == f"xrp-usd-{label.lower()}.png"
    assert upload["size"] > 10_000
    assert len(telegram.messages(user.chat_id)) == 1, "the placeholder made way for the chart"


def test_buttons_switch_the_period_and_currency_and_remember_it(
    telegram: TelegramSandbox, new_user: Any, gecko: Gecko, db: Any
) -> None:
    user = new_user("Bea")
    first = ask(telegram, user, "/prices eur 30d")
    assert "EUR" in first.text
    assert "30D: high" in first.text
    week = next(data for text, data in first.buttons[0] if text == "7D")
    telegram.press(user, first.message_id, week)
    messages = telegram.wait_for(  # the new chart is sent, then the pressed one deleted
        user.chat_id,
        lambda ms: [m.message_id for m in ms] != [first.message_id] and len(ms) == 1,
    )
    [switched] = messages
    assert switched.photo
    assert "7D: high" in switched.text
    assert "EUR" in switched.text
    gbp = next(data for row in switched.buttons[1:] for text, data in row if text == "GBP")
    telegram.press(user, switched.message_id, gbp)
    telegram.wait_for(user.chat_id, lambda ms: any("GBP" in m.text for m in ms))
    assert (
        db.val(
            "SELECT fiat_currency FROM gateway.user_settings WHERE telegram_id = %s", user.user_id
        )
        == "gbp"
    )
    again = ask(telegram, user, "/prices")
    assert "GBP" in again.text


@pytest.mark.parametrize(
    ("mode", "extra"),
    [
        ("500", {}),
        ("429", {"retry_after": 119}),
        ("timeout", {}),
        ("malformed", {}),
        ("empty", {}),
    ],
)
def test_each_failure_serves_the_last_known_prices_with_their_age(
    telegram: TelegramSandbox,
    new_user: Any,
    gecko: Gecko,
    db: Any,
    mode: str,
    extra: dict[str, Any],
) -> None:
    user = new_user("Cy")
    fresh = ask(telegram, user, "/prices jpy 7d")
    assert fresh.photo
    assert "last known" not in fresh.text
    expire_cache(db)
    gecko.fail(mode, **extra)
    stale = ask(telegram, user, "/prices jpy 7d")
    assert stale.photo, "the last known chart"
    assert "last known prices, as of" in stale.text
    assert "ago" in stale.text or "just now" in stale.text
    fresh_price = fresh.text.split("=")[1].split("JPY")[0]
    assert fresh_price in stale.text, "the same price as before"
    error = db.val("SELECT last_error FROM pricing.market_cache WHERE key = 'spot'")
    assert error == {"500": "http_500", "429": "rate_limited"}.get(mode, mode)
    if mode == "429":
        wait_s = db.val(
            "SELECT extract(epoch FROM next_fetch_at - failed_at) FROM pricing.market_cache "
            "WHERE key = 'spot'"
        )
        assert float(wait_s) >= 119, "Retry-After is honoured"


def test_nothing_known_and_the_source_down_is_the_friendly_message(
    telegram: TelegramSandbox, new_user: Any, gecko: Gecko, db: Any
) -> None:
    db.conn.execute("DELETE FROM pricing.market_cache")
    gecko.fail("500")
    answer = ask(telegram, new_user("Dee"), "/prices aud")
    assert not answer.photo
    assert "Prices aren't available right now" in answer.text
    assert "try again in a minute" in answer.text


def test_a_hundred_concurrent_requests_make_one_upstream_call(
    telegram: TelegramSandbox, gecko: Gecko, db: Any
) -> None:
    base = 8_000_000_000 + secrets.randbelow(1_000_000_000)
    users = [SandboxUser(base + i, "Crowd", f"crowd_{i}") for i in range(100)]
    expire_cache(db)  # the spot prices too: both keys are due when the crowd arrives
    gecko.reset()
    for user in users:
        telegram.send(user, "/prices chf 1y")
    for user in users:
        [answer] = telegram.wait_for(
            user.chat_id,
            lambda ms: len(ms) == 1 and ms[0].photo,
            timeout=180,
        )
        assert "CHF" in answer.text
    assert gecko.calls("/api/v3/coins/ripple/market_chart", vs_currency="chf", days="365") == 1
    assert gecko.calls("/api/v3/simple/price") == 1
    stats = httpx.get(f"{gecko.base}/sandbox/stats", timeout=5).json()
    assert stats["total"] == 2, stats["paths"]


def test_balance_shows_the_fiat_equivalent(
    telegram: TelegramSandbox, new_user: Any, gecko: Gecko, db: Any
) -> None:
    user = new_user("Eve")
    ask(telegram, user, "/prices eur")  # chooses EUR; pricing's refresh event carries the rates
    ask(telegram, user, "/wallet", timeout=60)
    rate = db.val("SELECT price FROM gateway.fiat_rates WHERE vs_currency = 'eur'")
    assert rate is not None, "the gateway kept pricing's rate"
    balance = ask(telegram, user, "/balance")
    assert "XRP (≈" in balance.text
    assert "EUR" in balance.text
