"""xrpbot.wallet."""
