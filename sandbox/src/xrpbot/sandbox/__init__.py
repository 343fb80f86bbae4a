"""xrpbot.sandbox."""
