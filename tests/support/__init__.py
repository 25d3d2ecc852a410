"""Reusable test helpers (real subprocesses, queues, polling)."""
