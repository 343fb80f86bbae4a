"""The benchmark's scenarios: the bare-bus baseline and the end-to-end runs through the system."""
