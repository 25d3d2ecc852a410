"""The fixed shape of a clean description: section headings, allowed variables, N/A cases, labels.

Both engines write these headings and the validator checks them, so they live in one place.
"""

from __future__ import annotations

import re

SCOPE = "SCOPE & FOCUS"
CRITERIA = "CRITERIA"
FAILURE_CONDITIONS = "FAILURE CONDITIONS (only these count)"
NA_CONDITIONS = "N/A CONDITIONS"
OUTPUT = "OUTPUT INSTRUCTIONS"

# In the order they must appear.
SECTION_HEADINGS: tuple[str, ...] = (SCOPE, CRITERIA, FAILURE_CONDITIONS, NA_CONDITIONS, OUTPUT)

# The stem a heading line must start with (so "FAILURE CONDITIONS" without the suffix still counts).
SECTION_STEMS: dict[str, str] = {
    SCOPE: "SCOPE",
    CRITERIA: "CRITERIA",
    FAILURE_CONDITIONS: "FAILURE CONDITIONS",
    NA_CONDITIONS: "N/A CONDITIONS",
    OUTPUT: "OUTPUT INSTRUCTIONS",
}

MAIN_AGENT = "Main Agent"
TESTING_AGENT = "Testing Agent"

VARIABLE_RE = re.compile(r"\{\{\s*([^{}]*?)\s*\}\}")
ALLOWED_FIXED_VARIABLES = frozenset({"transcript", "agent.description", "evaluator.instructions"})
TEST_PROFILE_VARIABLE_RE = re.compile(r"^test_profile\.[A-Za-z_][A-Za-z0-9_]*$")

# The standard N/A cases every clean description carries (CONTRACT §3).
STANDARD_NA_CONDITIONS: tuple[str, ...] = (
    "The call is too short to judge (fewer than two exchanges between the Main Agent and the Testing Agent).",
    "The Testing Agent hung up before the behaviour judged here could happen.",
    "The flow this metric judges never started (the Testing Agent never raised the topic it covers).",
    "An infrastructure failure (dropped audio, long dead air, system or connection errors) prevented a normal "
    "conversation.",
)

# Labels that count as the "other / N/A" bucket of an enum.
FALLBACK_LABELS = frozenset({"other", "n/a", "na", "not_applicable", "not applicable", "none", "unknown"})
OTHER_LABEL = "other"
NA_LABEL = "N/A"

RATING_LEVELS: tuple[int, ...] = (5, 4, 3, 2, 1)


def is_allowed_variable(name: str) -> bool:
    """True for `transcript`, `agent.description`, `evaluator.instructions` and `test_profile.<field>`."""
    return name in ALLOWED_FIXED_VARIABLES or bool(TEST_PROFILE_VARIABLE_RE.match(name))
