"""The chaos run: the whole system under a seeded fault schedule, audited from outside."""
