"""xrpbot.runtime: what every service runs on — settings, topology, inbox/outbox, probes, CLI."""
