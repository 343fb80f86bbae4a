"""xrpbot.gateway."""
