"""The words of the admins' commands and alerts: /stats, /broadcast, dead letters, failed payments."""

# ruff: noqa: UP032  each message is one literal + str.format, so gettext can extract the literal

from __future__ import annotations

from html import escape

from ..i18n import gettext as _
from ..i18n import ngettext

__all__ = [
    "admin_only",
    "alert_dead_letter_queue_filling",
    "alert_dead_letter_queue_full",
    "alert_dead_letters",
    "alert_payments_failed",
    "broadcast_done",
    "broadcast_queued",
    "broadcast_usage",
    "collecting_stats",
    "stats",
    "stats_queue_line",
]


def admin_only() -> str:
    """/stats or /broadcast from someone who is not an admin."""
    return _("Sorry — that command is only for the bot's admins.")


def stats(
    *,
    day: str,
    users: int,
    active_today: int,
    inactive: int,
    wallets: str,
    wallets_today: str,
    payments_today: str,
    volume_today_xrp: str,
    failed_today: str,
    incoming_today: str,
    incoming_volume_today_xrp: str,
    queues: list[str],
) -> str:
    """/stats for admins.

    Args:
        day: the counted day (``2026-11-21``, UTC).
        users, active_today, inactive: private chats: all, seen today, blocked the bot.
        wallets … incoming_volume_today_xrp: the transfer service's numbers, formatted
            ("?" when it did not answer).
        queues: lines from `stats_queue_line`.
    """
    return _(
        "📊 <b>Stats</b> — today is {day} (UTC)\n\n"
        "👥 Users: {users} · active today: {active} · blocked the bot: {inactive}\n"
        "👛 Wallets: {wallets} · new today: {wallets_today}\n"
        "📤 Payments sent today: {payments} · {volume} XRP · failed: {failed}\n"
        "📥 Payments received today: {incoming} · {incoming_volume} XRP\n\n"
        "<b>Queues</b> (messages waiting)\n{queues}"
    ).format(
        day=day,
        users=users,
        active=active_today,
        inactive=inactive,
        wallets=wallets,
        wallets_today=wallets_today,
        payments=payments_today,
        volume=volume_today_xrp,
        failed=failed_today,
        incoming=incoming_today,
        incoming_volume=incoming_volume_today_xrp,
        queues="\n".join(queues),
    )


def stats_queue_line(name: str, messages: int | None) -> str:
    """One queue in /stats; `messages` None when it could not be read."""
    count = "?" if messages is None else str(messages)
    return "<code>{name}</code>: {count}".format(name=escape(name), count=count)


def broadcast_usage() -> str:
    """/broadcast without a text."""
    return _(
        "Write the message after the command: <code>/broadcast The bot will be down for "
        "maintenance at 18:00 UTC.</code> It goes to every user who has not blocked the bot."
    )


def broadcast_queued(reach: int) -> str:
    """/broadcast accepted."""
    return ngettext(
        "📣 Broadcast queued for {reach} chat (users who blocked the bot are skipped). "
        "I'll report here when it is done.",
        "📣 Broadcast queued for {reach} chats (users who blocked the bot are skipped). "
        "I'll report here when it is done.",
        reach,
    ).format(reach=reach)


def broadcast_done(*, sent: int, unreachable: int) -> str:
    """A broadcast finished: the report to the admin who sent it."""
    delivered = ngettext("delivered to {n} chat", "delivered to {n} chats", sent).format(n=sent)
    missed = ngettext("{n} could not be reached", "{n} could not be reached", unreachable).format(
        n=unreachable
    )
    return _("📣 Broadcast done: {delivered}; {missed}.").format(
        delivered=delivered, missed=missed
    )


def alert_dead_letters(count: int, details: str) -> str:
    """Admin alert: messages that kept failing were dead-lettered.

    Args:
        count: messages since the last alert.
        details: ``queue: n`` items, comma-separated (escaped here).
    """
    return ngettext(
        "🚨 <b>{count} message dead-lettered</b> since the last alert: {details}.\n"
        "It waits in the services' <code>*.dead-letter</code> queues.",
        "🚨 <b>{count} messages dead-lettered</b> since the last alert: {details}.\n"
        "They wait in the services' <code>*.dead-letter</code> queues.",
        count,
    ).format(count=count, details=escape(details))


def alert_dead_letter_queue_filling(
    *, service: str, queue: str, percent: str, messages: str, bound: str
) -> str:
    """Admin alert: a service's dead-letter queue reached 80 % of its bound.

    Args:
        service: the service (gateway, wallet, …; escaped here).
        queue: its dead-letter queue (escaped here).
        percent: how full, formatted with its sign (``80%``).
        messages, bound: messages in it and its bound, formatted (``8,000``, ``10,000``).
    """
    return _(
        "⚠️ <b>{service}'s dead-letter queue is {percent} full</b> ({messages} of {bound} "
        "messages in <code>{queue}</code>). Look at what keeps failing and empty it: once it "
        "is full, new dead letters are refused."
    ).format(
        service=escape(service),
        queue=escape(queue),
        percent=percent,
        messages=messages,
        bound=bound,
    )


def alert_dead_letter_queue_full(*, service: str, queue: str, messages: str, bound: str) -> str:
    """Admin alert: a service's dead-letter queue reached its bound.

    Args:
        service: the service (escaped here).
        queue: its dead-letter queue (escaped here).
        messages, bound: messages in it and its bound, formatted.
    """
    return _(
        "🚨 <b>{service}'s dead-letter queue is full</b> ({messages} of {bound} messages in "
        "<code>{queue}</code>): new dead letters are being refused, so messages that fail "
        "from now on are lost. Look at what keeps failing and empty the queue."
    ).format(service=escape(service), queue=escape(queue), messages=messages, bound=bound)


def alert_payments_failed(count: int, details: str) -> str:
    """Admin alert: confirmed payments that failed.

    Args:
        count: failed payments since the last alert.
        details: ``code: n`` items, comma-separated (escaped here).
    """
    return ngettext(
        "⚠️ <b>{count} payment failed</b> since the last alert: {details}.",
        "⚠️ <b>{count} payments failed</b> since the last alert: {details}.",
        count,
    ).format(count=count, details=escape(details))


def collecting_stats() -> str:
    """Placeholder while the transfer service counts today's payments for /stats."""
    return _("Collecting the stats…")
