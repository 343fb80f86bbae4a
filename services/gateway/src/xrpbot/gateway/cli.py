"""`python -m xrpbot.gateway set-webhook | delete-webhook`: register or remove the webhook.

setWebhook (https://core.telegram.org/bots/api#setwebhook) is called with `url`
(TELEGRAM_WEBHOOK_URL or --url), `secret_token` (TELEGRAM_WEBHOOK_SECRET, required: the gateway
rejects updates without it), `allowed_updates` (the update types the handlers use),
`drop_pending_updates` (--drop-pending-updates) and `max_connections` (--max-connections,
1-100, Telegram's default 40). deleteWebhook (https://core.telegram.org/bots/api#deletewebhook)
takes `drop_pending_updates`. Both then print getWebhookInfo's url, pending update count and
last error. Neither the token nor the secret is ever printed: every line is scrubbed of both.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Sequence

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError, TelegramNetworkError

from xrpbot.runtime.cli import load_settings

from .adapters.telegram import create_bot
from .config import GatewaySettings
from .handlers import build_dispatcher

__all__ = ["COMMANDS", "main"]

COMMANDS = ("set-webhook", "delete-webhook")
"""The subcommands this module runs."""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m xrpbot.gateway")
    sub = parser.add_subparsers(dest="command", required=True)
    set_ = sub.add_parser("set-webhook", help="register TELEGRAM_WEBHOOK_URL with Telegram")
    set_.add_argument("--url", help="public https URL of /telegram/webhook (TELEGRAM_WEBHOOK_URL)")
    set_.add_argument("--drop-pending-updates", action="store_true")
    set_.add_argument("--max-connections", type=int, choices=range(1, 101), metavar="1-100")
    delete = sub.add_parser("delete-webhook", help="remove the webhook (back to getUpdates)")
    delete.add_argument("--drop-pending-updates", action="store_true")
    return parser


def _never_used() -> object:
    raise RuntimeError("no database in the webhook commands")


async def _run(args: argparse.Namespace, settings: GatewaySettings, bot: Bot) -> str:
    if args.command == "set-webhook":
        url = args.url or settings.telegram_webhook_url
        if not url:
            raise ValueError("no URL: set TELEGRAM_WEBHOOK_URL or pass --url")
        secret = settings.webhook_secret
        if secret is None:
            raise ValueError(
                "TELEGRAM_WEBHOOK_SECRET is required: the gateway rejects updates without it"
            )
        allowed = build_dispatcher(_never_used).resolve_used_update_types()  # type: ignore[arg-type]
        await bot.set_webhook(
            url,
            secret_token=secret,
            allowed_updates=allowed,
            drop_pending_updates=args.drop_pending_updates,
            max_connections=args.max_connections,
        )
        done = f"webhook set (allowed_updates={','.join(allowed)})"
    else:
        await bot.delete_webhook(drop_pending_updates=args.drop_pending_updates)
        done = "webhook deleted"
    info = await bot.get_webhook_info()
    lines = [
        done,
        f"url: {info.url or '(none)'}",
        f"pending_update_count: {info.pending_update_count}",
    ]
    if info.last_error_message:
        lines.append(f"last_error_message: {info.last_error_message}")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None, *, bot: Bot | None = None) -> int:
    """Run one webhook command; returns the exit code (0 done, 1 Telegram refused or
    unreachable, 2 bad configuration)."""
    args = _parser().parse_args(argv)
    settings = load_settings(GatewaySettings)
    secrets = [s for s in (settings.bot_token, settings.webhook_secret) if s]

    def scrub(text: str) -> str:
        for secret in secrets:
            text = text.replace(secret, "***")
        return text

    async def run() -> str:
        own = bot or create_bot(settings.bot_token, settings.telegram_api_base)
        try:
            return await _run(args, settings, own)
        finally:
            if bot is None:
                await own.session.close()

    try:
        out = asyncio.run(run())
    except ValueError as exc:
        sys.stderr.write(scrub(f"{args.command}: {exc}") + "\n")
        return 2
    except (TelegramAPIError, TelegramNetworkError) as exc:
        sys.stderr.write(scrub(f"{args.command}: Telegram: {exc}") + "\n")
        return 1
    sys.stdout.write(scrub(out) + "\n")
    return 0
