"""Realistic synthetic values for dynamic variables and caller identities, guided by field names and descriptions."""

from __future__ import annotations

import random
import re
from datetime import date, timedelta
from typing import Any

from .text import split_identifier

FIRST_NAMES = {
    "en": ["Olivia", "James", "Amelia", "Noah", "Grace", "Ethan", "Hannah", "Samuel", "Chloe", "Arjun", "Fatima",
           "Tomasz", "Aisha", "Connor", "Mei", "Rosa", "Kwame", "Isla", "Yusuf", "Nora"],
    "es": ["Carmen", "Pablo", "Lucía", "Diego", "Elena", "Mateo", "Sofía", "Andrés", "Valeria", "Hugo", "Irene",
           "Raúl", "Marta", "Álvaro", "Nuria", "Sergio"],
    "fr": ["Camille", "Louis", "Chloé", "Hugo", "Léa", "Jules", "Manon", "Théo"],
    "de": ["Lena", "Jonas", "Mia", "Felix", "Hannah", "Paul", "Clara", "Lukas"],
}
LAST_NAMES = {
    "en": ["Whitfield", "Baxter", "Nakamura", "Osei", "Kowalski", "Brennan", "Patel", "Lindqvist", "Moreau", "Adeyemi",
           "Harrington", "Castellano", "Fitzgerald", "Novak", "Sutherland", "Quinn"],
    "es": ["Navarro", "Delgado", "Romero", "Castillo", "Herrera", "Molina", "Ortiz", "Serrano", "Vidal", "Cabrera",
           "Iglesias", "Campos"],
    "fr": ["Lefèvre", "Garnier", "Rousseau", "Fontaine", "Chevalier", "Girard"],
    "de": ["Becker", "Hoffmann", "Schäfer", "Krüger", "Wolf", "Neumann"],
}
CITIES = {
    "en": ["Manchester", "Bristol", "Denver", "Austin", "Toronto", "Glasgow", "Portland", "Leeds"],
    "es": ["Madrid", "Valencia", "Sevilla", "Bilbao", "Zaragoza", "Málaga", "Granada"],
    "fr": ["Lyon", "Nantes", "Lille", "Toulouse"],
    "de": ["Köln", "Leipzig", "Hamburg", "Bremen"],
}
STREETS = {
    "en": ["Oak Lane", "Mill Road", "Harbour Street", "Cedar Avenue", "Station Road", "Kingsway"],
    "es": ["Calle de Alcalá", "Calle Serrano", "Avenida de América", "Calle del Carmen", "Paseo de Gracia"],
    "fr": ["Rue de la Paix", "Avenue Victor Hugo"],
    "de": ["Hauptstraße", "Bahnhofstraße"],
}
BASE_DATE = date(2025, 6, 9)
# Closed list of relationships a caller may have to the person a call is about.
RELATIONSHIPS = {"en": ["spouse", "daughter", "son", "mother", "father", "sister", "brother", "partner", "caregiver"],
                 "es": ["cónyuge", "hija", "hijo", "madre", "padre", "hermana", "hermano", "pareja", "cuidador"]}
_ROLE_WORDS = re.compile(r"\b(receptionist|agent|assistant|support|services?|soporte|bot|voice|line|desk|helpdesk)\b",
                         re.I)


def _bank(table: dict[str, list[str]], language: str) -> list[str]:
    return table.get((language or "en")[:2], table["en"])


def person_name(rng: random.Random, language: str = "en") -> str:
    """A plausible full name for the language."""
    return f"{rng.choice(_bank(FIRST_NAMES, language))} {rng.choice(_bank(LAST_NAMES, language))}"


def mimic(value: Any, rng: random.Random) -> Any:
    """A value of the same shape: digits → other digits, letters → other letters (case kept), rest unchanged."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int):
        digits = len(str(abs(value))) or 1
        return rng.randint(10 ** (digits - 1), 10 ** digits - 1)
    if isinstance(value, float):
        return round(rng.uniform(1, max(2.0, value * 2)), 2)
    text = str(value)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        year = int(text[:4])
        start = date(year - 15, 1, 1) if year < 2010 else date(year, 1, 1)
        return (start + timedelta(days=rng.randint(0, 365 * (15 if year < 2010 else 1)))).isoformat()
    if re.fullmatch(r"\+?[\d\s\-().]{7,}", text):
        # Phones keep their country/area part; only the subscriber digits change.
        digit_positions = [i for i, ch in enumerate(text) if ch.isdigit()]
        chars = list(text)
        for i in digit_positions[-4:]:
            chars[i] = str(rng.randint(0, 9))
        return "".join(chars)
    out = []
    # Keep a leading prefix like "P-", "ACC-", "+44" so the value still looks like the real ones.
    prefix = re.match(r"^(\+?\d{1,3}\s|[A-Z]{1,4}-)", text)
    start = prefix.end() if prefix else 0
    out.append(text[:start])
    for ch in text[start:]:
        if ch.isdigit():
            out.append(str(rng.randint(0, 9)))
        elif ch.isalpha() and ch.isascii():
            letter = chr(rng.randint(0, 25) + ord("a"))
            out.append(letter.upper() if ch.isupper() else letter)
        else:
            out.append(ch)
    return "".join(out)


def phone_number(rng: random.Random, sample: str | None = None, language: str = "en") -> str:
    """A phone number shaped like `sample` if given, else an E.164 number for the language's region."""
    if sample:
        return str(mimic(sample, rng))
    if (language or "en").startswith("es"):
        return f"+34 6{rng.randint(10, 99)} {rng.randint(100, 999)} {rng.randint(100, 999)}"
    return f"+1 {rng.choice(['415', '312', '206', '617'])} 555 {rng.randint(1000, 1999):04d}"


def organisation_name(agent_name: str, description: str = "") -> str:
    """The business the agent speaks for: 'agent of Northwind Bank' in the prompt, else the agent name minus role words."""
    head = " ".join(description.split()[:80])
    match = re.search(r"\b(?:of|at|for)\s+((?:[A-Z][\w&'’-]+)(?:\s+[A-Z][\w&'’-]+){0,3})", head)
    if match and match.group(1).lower() not in ("the", "a", "you"):
        return match.group(1)
    # "Bright Smile Dental — front desk": the organisation is the segment before a dash/pipe separator.
    first_segment = re.split(r"\s+[—–|-]\s+", agent_name, maxsplit=1)[0]
    cleaned = " ".join(_ROLE_WORDS.sub(" ", first_segment).split())
    return cleaned or agent_name


def value_for(name: str, description: str, rng: random.Random, *, language: str = "en", agent_name: str = "",
              persona: str | None = None, sample_phone: str | None = None) -> Any:
    """A realistic value for a variable/field from its name and description."""
    tokens = set(split_identifier(name))
    desc = description.lower()
    options = _listed_options(description)
    if options:
        return rng.choice(options)
    fmt = re.search(r"\b([A-Z]{2,5}-?X{3,})\b", description)
    if fmt:
        return re.sub("X", lambda _: str(rng.randint(0, 9)), fmt.group(1))
    if tokens & {"phone", "mobile", "telephone", "msisdn"} or "phone" in desc:
        return phone_number(rng, sample_phone, language)
    if tokens & {"email", "mail"}:
        who = (persona or person_name(rng, language)).lower().split()
        return f"{who[0]}.{who[-1]}@example.com".encode("ascii", "ignore").decode()
    if tokens & {"dob", "birth", "birthday"}:
        return (date(1950, 1, 1) + timedelta(days=rng.randint(0, 365 * 50))).isoformat()
    if tokens & {"date", "today", "day"}:
        return (BASE_DATE + timedelta(days=rng.randint(0, 20))).isoformat()
    if tokens & {"time", "hour"}:
        return f"{rng.randint(8, 17):02d}:{rng.choice(['00', '15', '30', '45'])}"
    if tokens & {"clinic", "company", "business", "store", "restaurant", "brand", "hospital", "bank", "org",
                 "organisation", "organization", "practice", "office", "hotel"}:
        return organisation_name(agent_name) if agent_name else "Riverside Services"
    if tokens & {"city", "town"}:
        return rng.choice(_bank(CITIES, language))
    if tokens & {"address", "street"}:
        return f"{rng.randint(2, 180)} {rng.choice(_bank(STREETS, language))}, {rng.choice(_bank(CITIES, language))}"
    if tokens & {"zip", "zipcode", "postal", "postcode"}:
        return f"{rng.randint(10, 98):02d}{rng.randint(100, 999):03d}"  # 5 digits (US ZIP, Spanish código postal)
    if tokens & {"relationship", "relation", "kinship"}:
        return rng.choice(_bank(RELATIONSHIPS, language))
    if tokens & {"age"}:
        return rng.randint(66, 84) if "65" in desc or "medicare" in desc else rng.randint(24, 79)
    if tokens & {"language", "locale", "lang"}:
        return language or "en"
    if tokens & {"timezone", "tz"}:
        return "Europe/Madrid" if (language or "").startswith("es") else "Europe/London"
    if tokens & {"currency"}:
        return "EUR" if (language or "").startswith("es") else "USD"
    if tokens & {"amount", "price", "total", "balance", "cost", "fee"}:
        return round(rng.uniform(10, 400), 2)
    if tokens & {"name", "first", "surname"}:
        return persona or person_name(rng, language)
    if tokens & {"id", "number", "no", "account", "ref", "reference", "code"} or name.lower().endswith("id"):
        prefix = "".join(t[0] for t in split_identifier(name) if t not in {"id", "number", "no"}).upper()[:3] or "ID"
        return f"{prefix}-{rng.randint(100000, 999999)}"
    if tokens & {"count", "quantity", "age"}:
        return rng.randint(1, 9)
    example = re.search(r"(?:e\.g\.|for example|such as)[:,]?\s*['\"]?([^,;)'\"]{2,40})", description, re.I)
    if example:
        return example.group(1).strip().rstrip(".")
    return " ".join(split_identifier(name)) or "value"


def _listed_options(description: str) -> list[str]:
    """'standard or premier' / 'one of: a, b, c' → the options."""
    match = re.search(r"one of[:\s]+(.+)$", description, re.I)
    text = match.group(1) if match else description
    parts = [p.strip(" .\"'") for p in re.split(r",|\bor\b|/|\|", text) if p.strip(" .\"'")]
    if 2 <= len(parts) <= 8 and all(1 <= len(p.split()) <= 2 for p in parts) and (match or " or " in description):
        return parts
    return []
