"""Bot API methods on the bot's command lists: setMyCommands, getMyCommands, deleteMyCommands."""

from __future__ import annotations

import json
import re
from typing import Any, Final

from .args import Args
from .errors import bad_request
from .markup import parse_commands, parse_scope
from .state import BotState


def _scope_key(bot: BotState, args: Args) -> tuple[str, dict[str, Any], str]:
    scope = parse_scope(args("scope"))
    if "chat_id" in scope:
        scope["chat_id"] = bot.chat(str(scope["chat_id"])).id
    language = args("language_code")
    if language and not re.fullmatch(r"[a-z]{2}", language):
        raise bad_request("invalid language code specified")
    key = json.dumps([scope, language], sort_keys=True)
    return key, scope, language


async def _set_my_commands(bot: BotState, args: Args) -> Any:
    """setMyCommands: stored per (scope, language_code); an empty list deletes them."""
    commands = parse_commands(args("commands"))
    key, scope, language = _scope_key(bot, args)
    if commands:
        bot.commands[key] = (scope, language, commands)
    else:
        bot.commands.pop(key, None)
    return True


async def _get_my_commands(bot: BotState, args: Args) -> Any:
    key, _, _ = _scope_key(bot, args)
    entry = bot.commands.get(key)
    return entry[2] if entry else []


async def _delete_my_commands(bot: BotState, args: Args) -> Any:
    key, _, _ = _scope_key(bot, args)
    bot.commands.pop(key, None)
    return True


METHODS: Final = {
    "setmycommands": _set_my_commands,
    "getmycommands": _get_my_commands,
    "deletemycommands": _delete_my_commands,
}
"""This module's methods, by lower-cased name (`methods.call_method` looks them up)."""
