"""POST /telegram/webhook fed random and mutated Telegram updates (hypothesis): always 200, 401
or 413; no traceback logged; what it stores is processed without a failure (nothing a worker
would give up on); what it does not store changes nothing."""

from __future__ import annotations

import asyncio
import copy
import json
import logging
from collections.abc import Callable
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xrpbot.gateway.entrypoints.updates import UpdateProcessor
from xrpbot.gateway.entrypoints.webhook import MAX_BODY_BYTES, webhook_route
from xrpbot.runtime.service import ASGIApp

SECRET = "fuzz_Secret-1"
MakeUpdate = Callable[..., dict[str, Any]]
FUZZ = settings(
    max_examples=200,
    deadline=None,
    database=None,  # nothing written to the worktree
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

COMMANDS = [
    "/start", "/help", "/menu", "/wallet", "/balance", "/receive", "/send", "/cancel",
    "/history", "/prices", "/settings", "/support", "/stats", "/broadcast", "/start@xrpbot",
]  # fmt: skip
KINDS = [
    "message", "edited_message", "channel_post", "edited_channel_post", "callback_query",
    "my_chat_member", "chat_member", "inline_query", "poll", "business_message", "a_future_kind",
]  # fmt: skip

leaves = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=40)
)
json_values = st.recursive(
    leaves,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)
huge_texts = st.integers(min_value=0, max_value=6000).map(lambda n: "ж" * n)
words = st.text(max_size=80) | huge_texts | st.sampled_from(["99999999999999999999", "1e999", "²"])


def _nested(depth: int) -> Any:
    value: Any = "bottom"
    for _ in range(depth):
        value = {"a": [value]}
    return value


@st.composite
def mutated_updates(draw: st.DrawFn, message_update: MakeUpdate, press: MakeUpdate) -> Any:
    """A Telegram update of our tests' shapes, then bent: moved to another kind, fields replaced
    by random JSON, dropped, nested deep, or the whole thing random."""
    update_id = draw(st.integers(min_value=-5, max_value=2**63))
    shape = draw(st.sampled_from(["message", "press", "random"]))
    if shape == "random":
        return draw(json_values)
    if shape == "message":
        text = draw(st.sampled_from(COMMANDS)) + draw(st.sampled_from(["", " "])) + draw(words)
        chat_type = draw(st.sampled_from(["private", "group", "supergroup", "channel"]))
        update = message_update(update_id, text, chat_type=chat_type, chat_id=draw(st.integers()))
    else:
        data = draw(
            st.text(max_size=64) | st.sampled_from(["h:99999999999999999999", "px:usd:zz"])
        )
        update = press(update_id, data)
    kind = "message" if "message" in update else "callback_query"
    for _ in range(draw(st.integers(min_value=0, max_value=4))):
        action = draw(st.sampled_from(["move", "replace", "drop", "nest", "extra"]))
        body = update.get(kind)
        if action == "move":
            new_kind = draw(st.sampled_from(KINDS))
            update[new_kind] = update.pop(kind, None)
            kind = new_kind
        elif action == "extra":
            update[draw(st.text(max_size=12))] = draw(json_values)
        elif isinstance(body, dict) and body:
            field = draw(st.sampled_from(sorted(body)))
            if action == "replace":
                body[field] = draw(json_values)
            elif action == "drop":
                del body[field]
            else:
                body[field] = _nested(draw(st.integers(min_value=1, max_value=400)))
    return update


async def _post(app: ASGIApp, body: bytes, secret: str | None) -> int:
    headers = [] if secret is None else [(b"x-telegram-bot-api-secret-token", secret.encode())]
    sent: list[dict[str, Any]] = []
    chunks = [{"type": "http.request", "body": body, "more_body": False}]

    async def receive() -> dict[str, Any]:
        return chunks.pop(0) if chunks else {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {"type": "http", "method": "POST", "path": "/telegram/webhook", "headers": headers}
    await app(scope, receive, send)
    return int(sent[0]["status"])


class _Records(logging.Handler):
    """Every record at INFO or above, from every logger."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


class _Inbox:
    """`UpdateInbox` in memory."""

    def __init__(self) -> None:
        self.stored: dict[int, dict[str, Any]] = {}

    async def accept(self, update_id: int, raw: dict[str, Any]) -> bool:
        fresh = update_id not in self.stored
        self.stored.setdefault(update_id, raw)
        return fresh


async def _one(gateway: Any, body: bytes, secret: str | None) -> None:
    inbox = _Inbox()
    processor = UpdateProcessor(gateway.dp, gateway.bot, timeout_s=10)
    app = webhook_route(
        secret=SECRET,
        processor=processor,
        updates=inbox,
        ready=lambda: True,
        update_types=gateway.dp.resolve_used_update_types(),
    )
    records = _Records()
    root = logging.getLogger()
    root.addHandler(records)
    level = root.level
    root.setLevel(logging.INFO)
    try:
        status = await _post(app, body, secret)
        untouched = copy.deepcopy(vars(gateway.store))
        assert status in {200, 401, 413}, status
        if status != 200:
            assert inbox.stored == {}
        if not inbox.stored:  # refused or ignored: nothing happened anywhere
            assert gateway.telegram.calls == []
            assert vars(gateway.store) == untouched
            assert gateway.store.commits == 0
        for raw in inbox.stored.values():  # what the worker would do with it
            update = processor.parse(raw)
            assert update is not None
            outcome = await processor.process(update)  # raises: the worker would give up on it
            assert outcome in {"handled", "unhandled", "duplicate"}
    finally:
        root.removeHandler(records)
        root.setLevel(level)
    tracebacks = [r for r in records.records if r.exc_info or r.levelno >= logging.ERROR]
    assert not tracebacks, [r.getMessage() for r in tracebacks]


@FUZZ
@given(data=st.data())
def test_random_and_mutated_updates_never_break_the_webhook(
    data: st.DataObject,
    new_gateway: Callable[[], Any],
    message_update: MakeUpdate,
    press: MakeUpdate,
) -> None:
    raw = data.draw(mutated_updates(message_update, press), label="update")
    body = json.dumps(raw).encode()
    how = data.draw(st.sampled_from(["as is", "as is", "as is", "bytes", "deep", "huge"]))
    if how == "bytes":
        body = data.draw(st.binary(max_size=200))
    elif how == "deep":  # deeper than json.loads recurses
        body = b"[" * 200_000 + b"]" * 200_000
    elif how == "huge":
        body = body + b" " * (MAX_BODY_BYTES + 1 - len(body))
    secret = data.draw(st.sampled_from([SECRET, SECRET, SECRET, None, "wrong", ""]))
    asyncio.run(_one(new_gateway(), body, secret))
