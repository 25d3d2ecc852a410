"""The golden set: 4 eval types × 3 agents (dental clinic, card services, food delivery), with what must survive."""

from __future__ import annotations

from dataclasses import dataclass, field

from scenarist.generation.types import AgentSpec, CleanEvalType
from tests.fixtures.agents import bank_agent, delivery_agent, dental_agent


@dataclass(frozen=True)
class GoldenCase:
    """One draft to clean and the properties its clean description must have."""

    id: str
    agent: str  # key of AGENTS
    eval_type: CleanEvalType
    draft: str
    key_terms: tuple[str, ...]  # the author's words that must survive (case-insensitive)
    negations: tuple[str, ...] = ()  # negated phrases that must survive as negations
    agent_terms: tuple[str, ...] = ()  # the agent's own tool/workflow names the offline engine must use
    labels: tuple[str, ...] = ()  # enum labels the author listed (must all be in enum_values, in order)
    direction: str | None = None  # numeric: "higher" | "lower"
    unit: str | None = None  # numeric: a word the unit line must contain
    tags: tuple[str, ...] = field(default=())


AGENTS = {"dental": dental_agent, "bank": bank_agent, "delivery": delivery_agent}


def agent_of(case: GoldenCase) -> AgentSpec:
    """A fresh AgentSpec for the case."""
    return AGENTS[case.agent]()


B, R, N, E = CleanEvalType.BOOLEAN, CleanEvalType.RATING, CleanEvalType.NUMERIC, CleanEvalType.ENUM

GOLDEN: tuple[GoldenCase, ...] = (
    # ---------------------------------------------------------------- dental clinic receptionist
    GoldenCase(
        "dental-boolean", "dental", B,
        "Check that the agent verifies the patient's full name and date of birth before discussing any "
        "appointment. The agent should never share another patient's details. Fail if it books an appointment "
        "outside opening hours.",
        key_terms=("full name", "date of birth", "opening hours", "another patient"),
        negations=("never share",),
        agent_terms=("Verifying the caller",),
    ),
    GoldenCase(
        "dental-rating", "dental", R,
        "Rate how well the receptionist handles rescheduling: it should find the existing appointment with "
        "get_appointments, offer new slots and confirm the change. It must mention the £25 fee when the patient "
        "cancels with less than 24 hours notice.",
        key_terms=("existing appointment", "new slots", "£25 fee", "24 hours"),
        agent_terms=("get_appointments",),
    ),
    GoldenCase(
        "dental-numeric", "dental", N,
        "Count how many times the agent offers more than three slots at once or offers slots without checking "
        "availability first.",
        key_terms=("more than three slots", "without checking availability"),
        agent_terms=("check_availability",),
        direction="lower",
        unit="occurrence",
    ),
    GoldenCase(
        "dental-enum", "dental", E,
        "For emergency pain calls, classify how the call ended as sent to A&E, emergency slot booked or advice "
        "only. Swelling or difficulty breathing must always lead to A&E.",
        key_terms=("swelling", "difficulty breathing", "A&E"),
        labels=("sent to A&E", "emergency slot booked", "advice only"),
        agent_terms=("Emergency dental pain",),
    ),
    # ---------------------------------------------------------------- card services (bank)
    GoldenCase(
        "bank-boolean", "bank", B,
        "- The agent must freeze the card immediately when a customer reports it lost or stolen.\n"
        "- It must not read out the full card number or CVV.\n"
        "- N/A if the caller never reports a lost card.",
        key_terms=("freeze the card", "lost or stolen", "CVV"),
        negations=("must not read out",),
        agent_terms=("freeze_card", "Lost or stolen card"),
    ),
    GoldenCase(
        "bank-rating", "bank", R,
        "How well does the bot answer credit limit questions? It should explain the current limit and say that "
        "increases are only possible in the mobile app. It should not change limits over the phone. Use a 1-10 "
        "scale.",
        key_terms=("current limit", "mobile app"),
        negations=("not change limits",),
        agent_terms=("Credit limit questions",),
    ),
    GoldenCase(
        "bank-numeric", "bank", N,
        "Measure the number of seconds between the customer saying they suspect fraud and the agent "
        "transferring them to the fraud team. Lower is better.",
        key_terms=("fraud team", "suspect fraud"),
        direction="lower",
        unit="second",
    ),
    GoldenCase(
        "bank-enum", "bank", E,
        "Categorise the outcome of a dispute call. Categories:\n"
        "- opened: a dispute was opened with open_dispute and the caller got the dispute reference\n"
        "- too_old: the transaction was more than 120 days ago, so no dispute was opened\n"
        "- not_verified: the caller could not be verified with verify_customer",
        key_terms=("dispute reference", "120 days"),
        labels=("opened", "too_old", "not_verified"),
        agent_terms=("open_dispute", "verify_customer"),
    ),
    # ---------------------------------------------------------------- food-delivery support
    GoldenCase(
        "delivery-boolean", "delivery", B,
        "Did the assistant transfer refunds over 30 EUR to a supervisor with transfer_to_agent instead of "
        "refunding them itself? The agent must never refund more than the order total.",
        key_terms=("30 EUR", "supervisor", "order total"),
        negations=("never refund",),
        agent_terms=("transfer_to_agent",),
    ),
    GoldenCase(
        "delivery-rating", "delivery", R,
        "Rate the politeness of the agent with angry customers. Don't penalise it for refusing to promise an "
        "exact delivery time.",
        key_terms=("politeness", "angry customers", "exact delivery time"),
        negations=("don't penalise",),
    ),
    GoldenCase(
        "delivery-numeric", "delivery", N,
        "How many times does the agent promise an exact delivery time?",
        key_terms=("exact delivery time",),
        direction="lower",
        unit="occurrence",
    ),
    GoldenCase(
        "delivery-enum", "delivery", E,
        "Label the outcome of a request to change the delivery address as updated, refused or transferred. "
        "The address may only be changed while the order is preparing, using update_address.",
        key_terms=("delivery address", "preparing"),
        labels=("updated", "refused", "transferred"),
        agent_terms=("update_address",),
    ),
)
