"""One Bot API call: forced failures, the method table, the call log and the answer body."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any, Final

from . import commands, messages, updates
from .args import Args
from .constants import KNOWN_METHODS, words
from .errors import ApiError
from .state import BotState
from .updates import Described

Handler = Callable[[BotState, Args], Awaitable[Any]]
"""A Bot API method: the bot it is called on and its parameters → its `result`."""


async def _get_me(bot: BotState, args: Args) -> Any:
    return bot.as_user(full=True)


async def _log_out(bot: BotState, args: Args) -> Any:
    return True


_METHODS: Final[dict[str, Handler]] = {
    "getme": _get_me,
    "logout": _log_out,
    "close": _log_out,
    **updates.METHODS,
    **messages.METHODS,
    **commands.METHODS,
}
"""The implemented methods, by lower-cased name ("All methods in the Bot API are case-insensitive")."""

_JSON_PARAMS: Final = frozenset(
    words(
        "reply_markup entities caption_entities commands scope allowed_updates "
        "link_preview_options reply_parameters"
    )
)


async def call_method(bot: BotState, method: str, args: Args) -> dict[str, Any]:
    """Run one Bot API method; returns the response body (ok/result or the error)."""
    name = method.lower()
    bot.call_seq += 1
    entry: dict[str, Any] = {
        "seq": bot.call_seq,
        "method": method,
        "params": _loggable(args),
        "time": bot.owner.clock(),
    }
    bot.calls.append(entry)
    try:
        for failure in list(bot.failures):
            if failure.method is None or failure.method == name:
                failure.remaining -= 1
                if failure.remaining <= 0:
                    bot.failures.remove(failure)
                raise ApiError(
                    failure.error_code, failure.description, retry_after=failure.retry_after
                )
        handler = _METHODS.get(name)
        if handler is None:
            if name in KNOWN_METHODS:
                raise ApiError(
                    500, f"Internal Server Error: {method} is not implemented by the sandbox"
                )
            raise ApiError(404, "Not Found")
        value = await handler(bot, args)
    except ApiError as err:
        entry.update(ok=False, error_code=err.code, description=err.description)
        return err.body()
    entry["ok"] = True
    if isinstance(value, Described):
        return {"ok": True, "result": value.result, "description": value.description}
    return {"ok": True, "result": value}


def _loggable(args: Args) -> dict[str, Any]:
    params: dict[str, Any] = {}
    for key, value in args.values.items():
        if key == "secret_token":
            params[key] = "<redacted>"
        elif key in _JSON_PARAMS:
            try:
                params[key] = json.loads(value)
            except ValueError:
                params[key] = value
        else:
            params[key] = value
    for key, upload in args.files.items():
        params[key] = {"filename": upload.filename, "size": len(upload.data)}
    return params
