"""Identity fields in the canonical IDENTITY_FIELDS vocabulary: from tool/row keys and from prompt phrases
(English and Spanish)."""

from __future__ import annotations

import re
from functools import lru_cache

from ..text import split_identifier

# Key names (snake_case) → canonical field. Checked in order; the first match wins.
_KEY_RULES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"(^|_)(ssn|social)(_|$).*(last|4|four)|(last_?(4|four)).*(ssn|social)"), "ssn_last4"),
    (re.compile(r"(dni|nif|nie|national_id|id_number|documento).*(last|ultim|4)|(last|ultim).*(dni|nif|national)"),
     "national_id_last4"),
    (re.compile(r"(card).*(last|4|four)|(last_?(4|four)|ultimos?_?4)"), "card_last4"),
    (re.compile(r"(^|_)(dob|birth|birthday|birthdate|nacimiento)(_|$)|date_of_birth"), "date_of_birth"),
    (re.compile(r"(^|_)(phone|mobile|telephone|msisdn|cell|callback_number|telefono|movil|numero_linea|linea|"
                r"telefon|handy|rufnummer|"
                r"telephone_number|portable)(_|$)"),
     "phone"),
    (re.compile(r"(^|_)(email|e_mail|correo)(_|$)"), "email"),
    (re.compile(r"(^|_)(zip|zipcode|zip_code|postcode|postal_code|codigo_postal|cp)(_|$)"), "zip_code"),
    (re.compile(r"(^|_)manager(_name)?$|^manager"), "manager_name"),
    (re.compile(r"(^|_)pet(_name)?$|^pet_name|^(animal|pet)_?name"), "pet_name"),
    (re.compile(r"^(first_name|firstname|given_name|nombre|vorname|prenom)$"), "first_name"),
    (re.compile(r"^(last_name|lastname|surname|family_name|apellidos?|nachname|familienname|nom_de_famille)$"),
     "last_name"),
    (re.compile(r"^(full_name|fullname|name|caller_name|customer_name|patient_name|member_name|client_name|"
                r"cardholder_name|owner_name|display_name|titular|nombre_completo|account_holder|holder_name|"
                r"employee_name|guest_name|contact_name)$"), "full_name"),
    (re.compile(r"(^|_)(employee_id|employee_number|staff_id|badge_id|emp_id)$"), "employee_id"),
    (re.compile(r"(^|_)(member_id|member_number|membership_(id|number)|subscriber_id)$"), "member_id"),
    (re.compile(r"(^|_)(policy_number|policy_id|policy_no)$"), "policy_number"),
    (re.compile(r"(^|_)(order_number|order_id|order_no|numero_pedido|pedido)$"), "order_number"),
    (re.compile(r"(^|_)(account_number|account_no|account_id|acct|numero_cuenta|cuenta)$"), "account_number"),
    (re.compile(r"(^|_)(confirmation_(number|code)|booking_(reference|ref|code)|reservation_(number|code|id)|"
                r"pnr)$"), "confirmation_number"),
    (re.compile(r"(^|_)(customer_id|client_id|id_cliente|customer_number)$"), "customer_id"),
    (re.compile(r"(^|_)(street|address|service_address|home_address|direccion)(_|$)"), "address"),
]
# Phrases of the prompt → canonical field (order of appearance in the sentence is the verification order).
PHRASES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"last (?:four|4)(?: digits)? of (?:their |the |your )?(?:ssn|social)|ssn last (?:four|4)", re.I),
     "ssn_last4"),
    (re.compile(r"(?:(?:cuatro|4) [uú]ltim[oa]s (?:cifras|d[ií]gitos) del? (?:dni|nie|documento)|"
                r"[uú]ltim[oa]s? (?:cuatro|4)(?: (?:d[ií]gitos|cifras))? del? (?:dni|nie|documento)|"
                r"last (?:four|4)(?: digits)?"
                r" of (?:their |the )?(?:national id|dni|id number))", re.I), "national_id_last4"),
    (re.compile(r"last (?:four|4)(?: digits)?(?: of (?:the |their |your )?(?:card|card number))?|card'?s last "
                r"(?:four|4)", re.I), "card_last4"),
    (re.compile(r"date of birth|\bdob\b|birth ?date|birthday|fecha de nacimiento|geburtsdatum|date de naissance",
                re.I), "date_of_birth"),
    (re.compile(r"\bzip(?: code)?\b|postal code|postcode|c[oó]digo postal|postleitzahl|\bplz\b|code postal", re.I),
     "zip_code"),
    (re.compile(r"e-?mail(?: address)?|correo(?: electr[oó]nico)?", re.I), "email"),
    (re.compile(r"employee (?:id|number)|staff (?:id|number)", re.I), "employee_id"),
    (re.compile(r"manager'?s? (?:full )?name|name of (?:their|the) (?:direct )?manager|(?:direct )?manager", re.I),
     "manager_name"),
    (re.compile(r"member(?:ship)? (?:id|number)", re.I), "member_id"),
    (re.compile(r"policy number", re.I), "policy_number"),
    (re.compile(r"order (?:number|id|#)|n[uú]mero de pedido", re.I), "order_number"),
    (re.compile(r"account (?:number|id)|n[uú]mero de cuenta|account\b(?!-)|kundennummer", re.I), "account_number"),
    (re.compile(r"confirmation (?:number|code)|booking reference|reservation (?:number|code)", re.I),
     "confirmation_number"),
    (re.compile(r"customer (?:id|number)", re.I), "customer_id"),
    (re.compile(r"pet'?s? name|name of (?:the|their) pet|nombre de la mascota", re.I), "pet_name"),
    (re.compile(r"phone number|(?<!over the )(?<!on the )(?<!by )phone(?! (system|line|call|tree|menu))|"
                r"mobile(?: number)?|telephone|callback number|n[uú]mero de (?:l[ií]nea|"
                r"tel[eé]fono|m[oó]vil)|l[ií]nea|telefonnummer|rufnummer|handynummer|"
                r"num[ée]ro de t[ée]l[ée]phone", re.I),
     "phone"),
    (re.compile(r"first name|vorname|pr[ée]nom", re.I), "first_name"),
    (re.compile(r"last name|surname|nachnamen?|familienname|nom de famille", re.I), "last_name"),
    (re.compile(r"full name|first and last name|(?:their|the caller'?s|the patient'?s|your|the owner'?s|customer'?s)"
                r" name|name on (?:the )?(?:account|card|file|reservation)|nombre completo|\bby name\b", re.I),
     "full_name"),
    (re.compile(r"(?:street |service |home |billing )?address|direcci[oó]n", re.I), "address"),
]


@lru_cache(maxsize=4096)
def canonical_identity_field(name: str, dotted: str = "") -> str | None:
    """The IDENTITY_FIELDS name a key stands for (`dob` → date_of_birth, `caller_phone` → phone), or None."""
    snake = "_".join(split_identifier(name))
    if not snake:
        return None
    if re.search(r"(^|_)(provider|doctor|agent|approver|courier|driver|queue|service|plan|slot|store|location|"
                 r"clinic|pharmacy|vendor|company|product|item|model)(_|$)", snake) and not re.search(
            r"phone|email|zip", snake):
        return None
    if dotted and re.search(r"(^|\.)(provider|doctor|approver|assignment|store|location|clinic|items?|slots?|"
                            r"planes|plans?|products?)\.", dotted.lower()):
        return None
    for pattern, field in _KEY_RULES:
        if pattern.search(snake):
            return field
    return None


def fields_in_text(text: str) -> list[tuple[int, str]]:
    """(position, canonical field) of every identity phrase in the text, leftmost first, each field once, phrases
    that overlap an earlier, more specific one skipped."""
    spans: list[tuple[int, int, str]] = []
    for pattern, field in PHRASES:
        for match in pattern.finditer(text):
            if any(s < match.end() and match.start() < e for s, e, _ in spans):
                continue
            spans.append((match.start(), match.end(), field))
    found: list[tuple[int, str]] = []
    previous_end = -100
    for start, end, field in sorted(spans):
        # "the ZIP code of the billing address": the second phrase only qualifies the first
        qualifier = re.fullmatch(r"\s+(of|on|for|de|del)\s+(the\s+|their\s+|la\s+|"
                                 r"su\s+)?", text[previous_end:start] or "x")
        part_of_address = field == "zip_code" and "address" in [f for _, f in found]
        if field not in [f for _, f in found] and not qualifier and not part_of_address:
            found.append((start, field))
        previous_end = end
    return found
