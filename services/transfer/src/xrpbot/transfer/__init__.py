"""xrpbot.transfer."""
