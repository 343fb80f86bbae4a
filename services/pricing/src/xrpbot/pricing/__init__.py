"""xrpbot.pricing."""
