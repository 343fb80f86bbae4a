"""GatewaySettings: required secrets, the token's shape, webhook rules; errors never echo values."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from xrpbot.gateway.config import TELEGRAM_PUBLIC_API, GatewaySettings
from xrpbot.runtime.cli import load_settings

TOKEN = "123456789:AAH-secret-part_of_the_token"


def _settings(**env: Any) -> GatewaySettings:
    return GatewaySettings(**env)


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in (
        "TELEGRAM_BOT_TOKEN",
        "TELEGRAM_API_BASE",
        "TELEGRAM_MODE",
        "TELEGRAM_WEBHOOK_SECRET",
        "TELEGRAM_WEBHOOK_URL",
        "HTTP_PORT",
        "SUPPORT_URL",
        "SUPPORT_USERNAME",
    ):
        monkeypatch.delenv(name, raising=False)


def test_defaults() -> None:
    settings = _settings(telegram_bot_token=TOKEN)
    assert settings.http_port == 8080
    assert settings.telegram_mode == "polling"
    assert settings.telegram_api_base == TELEGRAM_PUBLIC_API
    assert settings.telegram_webhook_url is None
    assert settings.bot_token == TOKEN
    assert TOKEN not in repr(settings)


def test_token_is_required() -> None:
    with pytest.raises(ValidationError) as err:
        _settings()
    assert err.value.errors()[0]["loc"] == ("telegram_bot_token",)


@pytest.mark.parametrize(
    "token", ["not-a-token", "abc:def", "123456:", "123 456:abc", "123456:abc def"]
)
def test_malformed_token_is_refused_without_echoing_it(token: str) -> None:
    with pytest.raises(ValidationError) as err:
        _settings(telegram_bot_token=token)
    assert "TELEGRAM_BOT_TOKEN is not a bot token" in str(err.value)
    assert token not in str(err.value)


def test_webhook_mode_requires_a_secret() -> None:
    with pytest.raises(ValidationError, match="TELEGRAM_WEBHOOK_SECRET is required"):
        _settings(telegram_bot_token=TOKEN, telegram_mode="webhook")


@pytest.mark.parametrize("secret", ["", "has space", "semi;colon", "x" * 257, "ünï"])
def test_webhook_secret_must_follow_telegrams_alphabet(secret: str) -> None:
    with pytest.raises(ValidationError) as err:
        _settings(telegram_bot_token=TOKEN, telegram_webhook_secret=secret)
    assert "TELEGRAM_WEBHOOK_SECRET must be 1-256 characters" in str(err.value)
    if secret:
        assert secret not in str(err.value)


def test_webhook_mode_with_secret_and_url() -> None:
    settings = _settings(
        telegram_bot_token=TOKEN,
        telegram_mode="webhook",
        telegram_webhook_secret="s3cr3t_-X" * 4,
        telegram_webhook_url="https://bot.example/telegram/webhook",
        telegram_api_base="http://127.0.0.1:8081/",
    )
    assert settings.webhook_secret == "s3cr3t_-X" * 4
    assert settings.telegram_api_base == "http://127.0.0.1:8081"
    assert "s3cr3t" not in repr(settings)


def test_mode_must_be_webhook_or_polling() -> None:
    with pytest.raises(ValidationError):
        _settings(telegram_bot_token=TOKEN, telegram_mode="longpoll")


def test_settings_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", TOKEN)
    monkeypatch.setenv("TELEGRAM_MODE", "webhook")
    monkeypatch.setenv("TELEGRAM_WEBHOOK_SECRET", "abc")
    monkeypatch.setenv("HTTP_PORT", "9999")
    settings = GatewaySettings()
    assert (settings.telegram_mode, settings.webhook_secret, settings.http_port) == (
        "webhook",
        "abc",
        9999,
    )


def test_cli_names_the_variable_and_never_the_value(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "oops this-is-secret")
    with pytest.raises(SystemExit) as exit_:
        load_settings(GatewaySettings)
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert "TELEGRAM_BOT_TOKEN" in err
    assert "this-is-secret" not in err


# ---- the support contact ---------------------------------------------------------------------


def test_no_support_contact_by_default() -> None:
    assert _settings(telegram_bot_token=TOKEN).support is None


@pytest.mark.parametrize(
    ("env", "url", "shown"),
    [
        (
            {"support_url": "https://help.example.com/xrpbot"},
            "https://help.example.com/xrpbot",
            None,
        ),
        ({"support_username": "xrpbot_help"}, "https://t.me/xrpbot_help", "@xrpbot_help"),
        ({"support_username": "@Help5"}, "https://t.me/Help5", "@Help5"),
        ({"support_username": "a" * 32}, "https://t.me/" + "a" * 32, "@" + "a" * 32),
        ({"support_url": "", "support_username": ""}, None, None),
    ],
)
def test_a_support_url_or_username(
    env: dict[str, str], url: str | None, shown: str | None
) -> None:
    support = _settings(telegram_bot_token=TOKEN, **env).support
    if url is None:
        assert support is None
        return
    assert support is not None
    assert support.url == url
    assert support.shown == (shown or url)


@pytest.mark.parametrize(
    ("env", "says"),
    [
        ({"support_url": "http://help.example.com"}, "SUPPORT_URL must be an https URL"),
        ({"support_url": "https://"}, "SUPPORT_URL must be an https URL"),
        ({"support_url": "javascript:alert(1)"}, "SUPPORT_URL must be an https URL"),
        ({"support_url": "https://a.example/ b"}, "SUPPORT_URL must be one https URL"),
        ({"support_url": "https://a.example/" + "x" * 2048}, "SUPPORT_URL must be one https URL"),
        ({"support_username": "abcd"}, "SUPPORT_USERNAME must be a Telegram username"),
        ({"support_username": "a" * 33}, "SUPPORT_USERNAME must be a Telegram username"),
        ({"support_username": "bad-name"}, "SUPPORT_USERNAME must be a Telegram username"),
        ({"support_username": "héllo_world"}, "SUPPORT_USERNAME must be a Telegram username"),
        (
            {"support_url": "https://help.example.com", "support_username": "xrpbot_help"},
            "set SUPPORT_URL or SUPPORT_USERNAME, not both",
        ),
    ],
)
def test_a_wrong_support_contact_fails_at_start(env: dict[str, str], says: str) -> None:
    with pytest.raises(ValidationError) as failure:
        _settings(telegram_bot_token=TOKEN, **env)
    assert says in str(failure.value)


def test_the_support_contact_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", TOKEN)
    monkeypatch.setenv("SUPPORT_USERNAME", "xrpbot_help")
    support = GatewaySettings().support  # type: ignore[call-arg]
    assert support is not None
    assert support.shown == "@xrpbot_help"
