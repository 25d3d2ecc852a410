"""Agent, KB and request text placed inside our tagged prompt blocks: tag-shaped sequences are broken up, so the
data can neither close one of our blocks early nor open one of its own (structural prompt injection)."""

from __future__ import annotations

import re

_TAG_START = re.compile(r"<(/?)([A-Za-z_][\w-]*)")


def as_data(text: str) -> str:
    """`text` with every `<name` / `</name` written `< name` / `</ name` (still readable, never a tag of ours)."""
    return _TAG_START.sub(r"<\1 \2", text)
