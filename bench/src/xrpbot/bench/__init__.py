"""xrpbot benchmark: `python -m xrpbot.bench [--quick]` (make bench / make bench-quick)."""
