"""Outcomes a job handler can signal, and the fencing error of a superseded worker."""

from __future__ import annotations


class JobCancelled(Exception):
    """Raised inside a handler when the job's cancel was requested; the job ends `cancelled`."""


class JobFailed(Exception):
    """Raised by a handler with a readable reason; the job ends `failed` with that text as `error`."""


class LeaseLost(Exception):
    """This worker no longer holds the job's lease (reaped, cancelled or finished elsewhere): stop, write nothing."""
