"""Developer tools around the stand-ins: the whole system, the demo, the chat, the control client."""
