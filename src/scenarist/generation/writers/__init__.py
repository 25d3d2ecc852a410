"""Scenario writers (the offline workflow writer lives here; KB and red-team writers live in their own rooms)."""
