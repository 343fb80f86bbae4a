"""The CoinGecko stand-in, called over HTTP with httpx (as the pricing service does)."""

from __future__ import annotations

import asyncio
import itertools
import json
import math
from pathlib import Path
from typing import Any

import httpx
import pytest

from xrpbot.sandbox.coingecko import (
    RATE_LIMIT_MESSAGE,
    SUPPORTED_VS_CURRENCIES,
    price_at,
)
from xrpbot.sandbox.testing import COINGECKO_NOW, CoinGeckoStandIn

FIXTURES = Path(__file__).parent / "fixtures" / "coingecko"
NOW = COINGECKO_NOW  # the `coingecko` fixture's clock: 2023-11-14T22:13:37Z
PRICE_PARAMS = {
    "ids": "ripple",
    "vs_currencies": "usd",
    "include_market_cap": "true",
    "include_24hr_vol": "true",
    "include_24hr_change": "true",
    "include_last_updated_at": "true",
}


def fixture(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text())


def kind(value: Any) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int | float):
        return "number"
    return type(value).__name__


def assert_same_shape(ours: Any, recorded: Any, path: str = "$") -> None:
    """Same keys (recursively), same value kinds, same array layouts."""
    assert kind(ours) == kind(recorded), f"{path}: {kind(ours)} != {kind(recorded)}"
    if isinstance(recorded, dict):
        assert set(ours) == set(recorded), f"{path}: {sorted(ours)} != {sorted(recorded)}"
        for key in recorded:
            assert_same_shape(ours[key], recorded[key], f"{path}.{key}")
    elif isinstance(recorded, list) and recorded and ours:
        if all(not isinstance(x, list | dict) for x in recorded):  # a tuple such as [ms, value]
            assert len(ours) == len(recorded), f"{path}: length {len(ours)} != {len(recorded)}"
            for index, (a, b) in enumerate(zip(ours, recorded, strict=True)):
                assert_same_shape(a, b, f"{path}[{index}]")
        else:
            for index, item in enumerate(ours):
                assert_same_shape(
                    item, recorded[min(index, len(recorded) - 1)], f"{path}[{index}]"
                )


# -- shapes pinned to CoinGecko's documented examples -----------------------------------------


async def test_ping(coingecko: CoinGeckoStandIn) -> None:
    response = await coingecko.get("ping")
    assert response.status_code == 200
    assert response.json() == fixture("ping.json")


async def test_simple_price_matches_the_documented_example(coingecko: CoinGeckoStandIn) -> None:
    response = await coingecko.get("simple/price", **PRICE_PARAMS)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    example = fixture("simple_price.json")
    assert_same_shape(body, {"ripple": example["bitcoin"]})
    assert list(body["ripple"]) == list(example["bitcoin"])  # same key order too


async def test_market_chart_matches_the_documented_example(coingecko: CoinGeckoStandIn) -> None:
    response = await coingecko.get("coins/ripple/market_chart", vs_currency="usd", days="1")
    assert response.status_code == 200
    assert_same_shape(response.json(), fixture("market_chart.json"))


async def test_rate_limit_answer_matches_the_recorded_one(coingecko: CoinGeckoStandIn) -> None:
    recorded = fixture("error_429.json")
    await coingecko.fail(mode="429", retry_after=119)
    response = await coingecko.get("simple/price", **PRICE_PARAMS)
    assert response.status_code == recorded["status"]
    assert response.headers["retry-after"] == recorded["headers"]["retry-after"]
    assert response.json() == recorded["body"]
    assert recorded["body"]["status"]["error_message"] == RATE_LIMIT_MESSAGE


async def test_error_answers(coingecko: CoinGeckoStandIn) -> None:
    errors = fixture("errors.json")
    cases = {
        "coin_not_found": await coingecko.get(
            "coins/not-a-coin/market_chart", vs_currency="usd", days="1"
        ),
        "invalid_vs_currency": await coingecko.get(
            "coins/ripple/market_chart", vs_currency="xyz", days="1"
        ),
        "missing_vs_currencies": await coingecko.get("simple/price", ids="ripple"),
    }
    for name, response in cases.items():
        assert (response.status_code, response.json()) == (
            errors[name]["status"],
            errors[name]["body"],
        ), name


# -- simple/price --------------------------------------------------------------------------------


async def test_simple_price_values_are_deterministic_and_consistent(
    coingecko: CoinGeckoStandIn,
) -> None:
    body = (
        await coingecko.get("simple/price", **{**PRICE_PARAMS, "vs_currencies": "usd,eur,rub"})
    ).json()
    again = (
        await coingecko.get("simple/price", **{**PRICE_PARAMS, "vs_currencies": "usd,eur,rub"})
    ).json()
    assert body == again
    ripple = body["ripple"]
    assert 0.1 < ripple["usd"] < 3.5  # a plausible XRP price
    assert ripple["eur"] < ripple["usd"] < ripple["rub"]
    updated = ripple["last_updated_at"]
    assert updated == 1_699_999_980  # refreshed every 60 s
    assert ripple["usd"] == pytest.approx(price_at("ripple", "usd", updated))
    day_ago = price_at("ripple", "usd", updated - 86_400)
    assert ripple["usd_24h_change"] == pytest.approx((ripple["usd"] / day_ago - 1) * 100)
    assert ripple["usd_market_cap"] / ripple["usd"] == pytest.approx(55e9, rel=0.05)
    assert list(ripple) == [
        "usd",
        "usd_market_cap",
        "usd_24h_vol",
        "usd_24h_change",
        "eur",
        "eur_market_cap",
        "eur_24h_vol",
        "eur_24h_change",
        "rub",
        "rub_market_cap",
        "rub_24h_vol",
        "rub_24h_change",
        "last_updated_at",
    ]


async def test_simple_price_leaves_out_unknown_ids_and_currencies(
    coingecko: CoinGeckoStandIn,
) -> None:
    body = (
        await coingecko.get("simple/price", ids="ripple,nope,bitcoin", vs_currencies="usd,xyz")
    ).json()
    assert set(body) == {"ripple", "bitcoin"}
    assert set(body["ripple"]) == {"usd"}
    assert (await coingecko.get("simple/price", ids="nope", vs_currencies="usd")).json() == {}
    by_symbol = (await coingecko.get("simple/price", symbols="xrp", vs_currencies="usd")).json()
    assert set(by_symbol) == {"xrp"}


async def test_simple_price_precision(coingecko: CoinGeckoStandIn) -> None:
    body = (
        await coingecko.get("simple/price", ids="ripple", vs_currencies="usd", precision="2")
    ).json()
    assert body["ripple"]["usd"] == round(body["ripple"]["usd"], 2)


async def test_every_supported_currency_has_a_price(coingecko: CoinGeckoStandIn) -> None:
    for currency in ("usd", "eur", "gbp", "jpy", "rub", "cny", "inr", "brl", "btc"):
        assert currency in SUPPORTED_VS_CURRENCIES
    listed = (await coingecko.get("simple/supported_vs_currencies")).json()
    assert listed == list(SUPPORTED_VS_CURRENCIES)
    body = (
        await coingecko.get("simple/price", ids="ripple", vs_currencies=",".join(listed))
    ).json()
    assert all(body["ripple"][c] > 0 for c in listed)


async def test_api_keys_are_accepted(coingecko: CoinGeckoStandIn) -> None:
    response = await coingecko.http.get(
        "/api/v3/ping", headers={"x-cg-demo-api-key": "CG-demo-key"}
    )
    assert response.status_code == 200
    response = await coingecko.get("ping", x_cg_pro_api_key="CG-pro-key")
    assert response.status_code == 200
    stats = (await coingecko.http.get("/sandbox/stats")).json()
    assert [r["api_key"] for r in stats["recent"]] == [True, True]
    assert "CG-demo-key" not in json.dumps(stats)


# -- market_chart --------------------------------------------------------------------------------


async def chart(
    coingecko: CoinGeckoStandIn, days: str, currency: str = "usd", **extra: str
) -> dict[str, Any]:
    response = await coingecko.get(
        "coins/ripple/market_chart", vs_currency=currency, days=days, **extra
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def steps(points: list[list[float]]) -> set[float]:
    """Spacing of the grid points (the last point is "now", off the grid)."""
    return {(b[0] - a[0]) / 1000 for a, b in itertools.pairwise(points[:-1])}


@pytest.mark.parametrize(
    ("days", "step", "count"),
    [
        ("1", 300, 289),
        ("7", 3600, 169),
        ("30", 3600, 721),
        ("90", 3600, 2161),
        ("365", 86400, 366),
    ],
)
async def test_market_chart_granularity(
    coingecko: CoinGeckoStandIn, days: str, step: int, count: int
) -> None:
    body = await chart(coingecko, days)
    prices = body["prices"]
    assert steps(prices) == {step}
    assert len(prices) == count
    assert len(body["market_caps"]) == len(body["total_volumes"]) == count
    assert prices[-1][0] == 1_700_000_010_000  # "now", refreshed every 30 s
    assert prices[0][0] >= (NOW - int(days) * 86_400) * 1000
    if step == 86_400:
        assert all(p[0] % 86_400_000 == 0 for p in prices[:-1])  # 00:00 UTC


async def test_market_chart_max_and_daily_interval(coingecko: CoinGeckoStandIn) -> None:
    everything = await chart(coingecko, "max")
    first_ms = everything["prices"][0][0]
    assert first_ms == 1_375_574_400_000  # XRP's first data point, 2013-08-04
    assert steps(everything["prices"]) == {86_400}
    daily = await chart(coingecko, "30", interval="daily")
    assert steps(daily["prices"]) == {86_400}


async def test_market_chart_is_deterministic_and_plausible(coingecko: CoinGeckoStandIn) -> None:
    first = await chart(coingecko, "365")
    assert first == await chart(coingecko, "365")
    prices = [p for _, p in first["prices"]]
    assert 0.1 < min(prices) < max(prices) < 3.5
    assert max(prices) / min(prices) > 1.5  # it does move over a year
    hourly = await chart(coingecko, "7")
    moves = [
        abs(b[1] / a[1] - 1) for a, b in zip(hourly["prices"], hourly["prices"][1:], strict=False)
    ]
    assert max(moves) < 0.05  # no absurd jumps between hours
    assert hourly["prices"][-1][1] == pytest.approx(price_at("ripple", "usd", 1_700_000_010))


async def test_market_chart_in_other_currencies(coingecko: CoinGeckoStandIn) -> None:
    usd = await chart(coingecko, "1")
    eur = await chart(coingecko, "1", "eur")
    jpy = await chart(coingecko, "1", "jpy")
    assert [t for t, _ in usd["prices"]] == [t for t, _ in eur["prices"]]
    assert 0.85 < eur["prices"][-1][1] / usd["prices"][-1][1] < 0.99
    assert 140 < jpy["prices"][-1][1] / usd["prices"][-1][1] < 160


async def test_market_chart_parameter_errors(coingecko: CoinGeckoStandIn) -> None:
    missing_days = await coingecko.get("coins/ripple/market_chart", vs_currency="usd")
    assert (missing_days.status_code, missing_days.json()) == (
        422,
        {"error": "Missing parameter days"},
    )
    missing_currency = await coingecko.get("coins/ripple/market_chart", days="1")
    assert missing_currency.status_code == 422
    bad_days = await coingecko.get("coins/ripple/market_chart", vs_currency="usd", days="soon")
    assert bad_days.status_code == 400


# -- failure modes, stats, reset -------------------------------------------------------------------


async def test_failure_mode_500(coingecko: CoinGeckoStandIn) -> None:
    await coingecko.fail(mode="500")
    assert (await coingecko.get("ping")).status_code == 500
    await coingecko.fail(mode=None)
    assert (await coingecko.get("ping")).status_code == 200


async def test_failure_mode_counts_down(coingecko: CoinGeckoStandIn) -> None:
    await coingecko.fail(mode="429", retry_after=3, count=2)
    codes = [(await coingecko.get("ping")).status_code for _ in range(3)]
    assert codes == [429, 429, 200]


async def test_failure_mode_malformed(coingecko: CoinGeckoStandIn) -> None:
    await coingecko.fail(mode="malformed")
    response = await coingecko.get("simple/price", ids="ripple", vs_currencies="usd")
    assert response.status_code == 200
    with pytest.raises(json.JSONDecodeError):
        json.loads(response.text)


async def test_failure_mode_empty(coingecko: CoinGeckoStandIn) -> None:
    await coingecko.fail(mode="empty")
    body = await chart(coingecko, "7")
    assert body == {"prices": [], "market_caps": [], "total_volumes": []}
    assert (await coingecko.get("simple/price", ids="ripple", vs_currencies="usd")).json() == {}


async def test_failure_mode_timeout_stalls_until_released(coingecko: CoinGeckoStandIn) -> None:
    await coingecko.fail(mode="timeout")
    with pytest.raises(httpx.ReadTimeout):
        await coingecko.http.get("/api/v3/ping", timeout=0.3)
    stalled = asyncio.create_task(coingecko.http.get("/api/v3/ping", timeout=10))
    await asyncio.sleep(0.2)
    assert not stalled.done()
    assert (await coingecko.http.post("/sandbox/reset")).status_code == 200
    response = await asyncio.wait_for(stalled, 5)
    assert response.status_code == 200


async def test_bad_failure_mode_is_refused(coingecko: CoinGeckoStandIn) -> None:
    response = await coingecko.http.post("/sandbox/fail", json={"mode": "explode"})
    assert response.status_code == 400


async def test_stats_count_calls_per_path_and_reset_clears_them(
    coingecko: CoinGeckoStandIn,
) -> None:
    for _ in range(3):
        await coingecko.get("simple/price", ids="ripple", vs_currencies="usd")
    await chart(coingecko, "1")
    await coingecko.fail(mode="500", count=1)
    await coingecko.get("ping")  # failed calls count too
    stats = (await coingecko.http.get("/sandbox/stats")).json()
    assert stats["paths"] == {
        "/api/v3/simple/price": 3,
        "/api/v3/coins/ripple/market_chart": 1,
        "/api/v3/ping": 1,
    }
    assert stats["total"] == 5
    await coingecko.http.post("/sandbox/reset")
    stats = (await coingecko.http.get("/sandbox/stats")).json()
    assert stats["total"] == 0
    assert stats["paths"] == {}
    assert stats["mode"] is None


def test_price_function_is_smooth_and_positive() -> None:
    t = NOW
    values = [price_at("ripple", "usd", t + i * 60) for i in range(120)]
    assert all(v > 0 for v in values)
    assert max(abs(b / a - 1) for a, b in itertools.pairwise(values)) < 0.01
    assert not math.isclose(values[0], values[-1], rel_tol=1e-9)
