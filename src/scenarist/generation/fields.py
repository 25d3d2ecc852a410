"""Recognise identity and sensitive fields by name (tool inputs, mock rows, prompt phrases)."""

from __future__ import annotations

import re
from functools import lru_cache

from .text import split_identifier

# Field names that identify a caller or the record they call about (used to look them up).
_IDENTITY_NAME = re.compile(
    r"(^|_)(phone|mobile|telephone|caller|name|first|last|surname|dob|birth|birthday|account|customer|member|patient|"
    r"client|card|last4|four|email|zip|postcode|postal|ssn|sin|order|booking|reservation|confirmation|reference|ref|"
    r"policy|ticket|pnr|passport|license|licence|id|number|no)(_|$)"
)
# Names that are clearly not identity even if they contain e.g. "number" ("number_of_guests").
_NOT_IDENTITY = re.compile(r"(^|_)(of|count|amount|total|quantity|qty|guests|people|items|slots|days|minutes)(_|$)")

_SENSITIVE_NAME = re.compile(
    r"(balance|card|cvv|cvc|pin|ssn|social|dob|birth|address|email|phone|account|salary|income|diagnos|medical|"
    r"condition|insurance|password|secret|token|iban|routing|passport|license|licence|credit|limit|transaction|"
    r"guardian|health|prescription|allergy|tier)"
)

# Phrases in prompts such as "verify the caller's full name and date of birth" → canonical field names.
PHRASE_FIELDS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"date of birth|\bdob\b|birth ?date|birthday"), "date_of_birth"),
    (re.compile(r"full name|first and last name|\bname\b"), "full_name"),
    (re.compile(r"phone number|phone|mobile number|telephone"), "phone"),
    (re.compile(r"last (?:four|4) digits|last four|last 4"), "card_last_four"),
    (re.compile(r"account (?:number|id)"), "account_number"),
    (re.compile(r"member(?:ship)? (?:number|id)"), "member_id"),
    (re.compile(r"order (?:number|id)"), "order_number"),
    (re.compile(r"booking (?:reference|number)|confirmation (?:code|number)"), "booking_reference"),
    (re.compile(r"postcode|zip code|postal code"), "postcode"),
    (re.compile(r"e-?mail"), "email"),
    (re.compile(r"policy number"), "policy_number"),
]


@lru_cache(maxsize=4096)  # pure, and called per key per slot: memoised for generation speed
def _snake(name: str) -> str:
    """snake_case form of a field name."""
    return "_".join(split_identifier(name))


def is_identity_field(name: str) -> bool:
    """True for fields that identify the caller or their record (phone, name, dob, account/order ids…)."""
    snake = _snake(name)
    if not snake or _NOT_IDENTITY.search(snake):
        return False
    return bool(_IDENTITY_NAME.search(snake))


def is_person_field(name: str) -> bool:
    """True for fields describing the person (name, phone, dob, email, address) rather than a record id."""
    snake = _snake(name)
    return bool(re.search(r"(name|phone|mobile|dob|birth|email|zip|postcode|address|last_four|last4)", snake))


def is_sensitive_field(name: str) -> bool:
    """True for data worth protecting (balances, card data, DOB, address, medical facts…)."""
    return bool(_SENSITIVE_NAME.search(_snake(name)))


def fields_in_phrase(text: str) -> list[str]:
    """Canonical identity field names mentioned in a prompt phrase."""
    lowered = text.lower()
    found: list[str] = []
    for pattern, field_name in PHRASE_FIELDS:
        if pattern.search(lowered) and field_name not in found:
            if field_name == "full_name" and "date_of_birth" in found and not re.search(r"\bname\b", lowered):
                continue
            found.append(field_name)
    return found


_PERSON_PREFIXES = {"caller", "customer", "patient", "client", "member", "user", "contact", "cardholder", "full",
                    "account_holder", "guest", "passenger"}


@lru_cache(maxsize=4096)
def canonical_field(name: str) -> str:
    """Canonical meaning of a field name: `dob`/`birth_date` → date_of_birth, `caller_phone` → phone, …"""
    snake = _snake(name)
    parts = snake.split("_")
    if "dob" in parts or "birth" in snake or "birthday" in parts:
        return "date_of_birth"
    if any(p in ("phone", "mobile", "telephone", "msisdn") for p in parts):
        return "phone"
    if "last4" in parts or "last_four" in snake:
        return "card_last_four"
    if snake == "name" or (parts[-1] == "name" and "_".join(parts[:-1]) in _PERSON_PREFIXES):
        return "full_name"
    if "email" in parts:
        return "email"
    return snake


def same_field(a: str, b: str) -> bool:
    """Whether two field names plausibly mean the same thing (`dob` ~ `date_of_birth`, `caller_phone` ~ `phone`)."""
    return canonical_field(a) == canonical_field(b)
