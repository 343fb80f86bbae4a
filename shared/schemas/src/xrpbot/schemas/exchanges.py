"""Names of the topic exchanges in the design: part of the contract."""

COMMANDS_EXCHANGE = "xrpbot.commands"
"""Commands to one service; routing key `<service>.<verb_noun>`."""
REPLIES_EXCHANGE = "xrpbot.replies"
"""Replies for the user, consumed by gateway; routing key = the reply's `kind`."""
EVENTS_EXCHANGE = "xrpbot.events"
"""Domain events any service may consume; routing key `<noun>.<verbed>`."""
