"""Who the agent is and what surrounds it: organisation, persona name, domain, caller noun, language, "today",
who speaks first, forbidden disclosures, sensitive fields and scope."""

from __future__ import annotations

import re
from collections import Counter

from ..agent_model import DOMAINS, Disclosure, PolicyKind, PolicyModel, SensitiveField, ToolModel
from ..text import flatten_values, leaf_key
from ..types import AgentSpec
from .language import detect_language

_DOMAIN_TERMS: dict[str, list[tuple[str, int]]] = {
    "insurance": [(r"medicare|medicaid|medigap|insurance|insurer|policyholder|premiums?|deductible|coverage|"
                   r"enrol+ment|licensed (insurance )?agent|aseguradora|seguro", 3), (r"plans?|claims?", 1)],
    "pharmacy": [(r"pharmac\w*|prescriptions?|refills?|rx\b|pharmacist|medications?|farmacia|receta", 3)],
    "veterinary": [(r"\bvet\b|vets\b|veterinar\w*|puppy|kitten|spay\w*|neuter\w*|vaccinations?|mascota", 3),
                   (r"pets?\b|dogs?\b|cats?\b|animals?", 1)],
    "legal": [(r"law (office|firm)|attorneys?|lawyers?|legal|paralegal|practice areas?|abogad\w*|bufete", 3)],
    "telecom": [(r"mobile (operator|plan|line)|sim\b|data plan|roaming|operador|l[ií]nea m[oó]vil|tarifa|saldo|"
                 r"telecom|broadband|puk|imei|portabilidad|internet|fiber|fibre|router|modem|wi-?fi|isp", 3),
                (r"\blines?\b|\bplans?\b", 1)],
    "logistics": [(r"shipments?|freight|parcels?|tracking|consignee|proof of delivery|\bpod\b|carrier|waybill|"
                   r"pallets?|logistics|courier", 3), (r"deliver\w*", 1)],
    "utilities": [(r"outages?|power|electric\w*|meters?|grid|utility|downed lines?|crews?|restoration|gas leak", 3)],
    "it_support": [(r"\bit (service desk|helpdesk|help desk|support)|helpdesk|help desk|service desk|passwords?|vpn|"
                    r"laptops?|\bmfa\b|tickets?|incident", 3)],
    "retail": [(r"orders?|returns?|refunds?|exchanges?|shop|store|shipping|purchase|rma|e-?commerce", 2)],
    "hospitality": [(r"restaurant|reservations?|tables?|party of|guests?|menu|dining|hotel|check-in|rooms?", 2)],
    "banking": [(r"\bbank\w*|debit|credit card|cardholders?|card services|account balance|dispute|chargeback|"
                 r"overdraft|freeze (the|your) card|replacement card", 3), (r"\bcards?\b|transactions?", 1)],
    "healthcare": [(r"clinic|patients?|doctors?|physicians?|medical|nurse|dental|dentist|primary[- ]care|"
                    r"cl[ií]nica|paciente", 2), (r"hospital|providers?", 1)],
    "travel": [(r"flights?|airline|boarding|baggage|itinerar\w*|\bpnr\b|travel", 3)],
    "education": [(r"students?|enrol+ment|courses?|tuition|campus|school|university", 2)],
    "real_estate": [(r"propert(y|ies)|listings?|tenants?|landlord|lease|realtor|real estate|residents?|"
                     r"apartments?|rent\b|work orders?|leasing|maintenance requests?", 2)],
    "automotive": [(r"vehicles?|cars?\b|dealership|test drive|service appointment|oil change|werkstatt\w*|"
                    r"autohaus|kennzeichen|fahrzeug\w*|reifen\w*|[öo]lwechsel|inspektion|bremsen|abschlepp\w*|"
                    r"garage|pneus|vidange", 3)],
    "government": [(r"permits?|licen[cs]e renewal|city hall|municipal|dmv|benefits office", 2)],
}
_CALLER_NOUNS = ("patient", "customer", "member", "cardholder", "guest", "employee", "client", "beneficiary",
                 "owner", "shipper", "caller", "subscriber", "cliente", "paciente", "titular")
_DOMAIN_NOUN = {"healthcare": "patient", "pharmacy": "patient", "banking": "cardholder", "insurance": "caller",
                "hospitality": "guest", "it_support": "employee", "veterinary": "pet owner", "legal": "caller",
                "telecom": "customer", "retail": "customer", "utilities": "customer", "logistics": "customer"}
_ORG = re.compile(
    r"\b(?:at|for|from|with|of|de|en|para)\s+((?:the\s+)?[A-Z][\w'&-]*(?:\s+(?:&|and|de|del|of|the|[A-Z][\w'&-]*))"
    r"{0,5})")
_ORG_KEY = re.compile(r"^\s*(?:company|organi[sz]ation|business|clinic|practice|firm|empresa|brand)\s*[:=]\s*(.+)$",
                      re.I | re.M)
_PERSONA = re.compile(r"\b(?:you are|your name is|you're|eres|te llamas|tu nombre es|name:)\s+(\{\{\s*[\w.]+\s*\}\}|"
                      r"[A-ZÁÉÍÓÚÑ][a-záéíóúñ]+\b)", re.I)
_TODAY = re.compile(r"(?:today(?:'s date)? is|today(?:'s date)?:|the current date(?: and time)? is|current date:|"
                    r"right now it'?s|it is now|la fecha de hoy es|hoy es|"
                    r"fecha actual:?)\s*(\{\{\s*[\w.]+\s*\}\}|\d{4}-\d{2}-\d{2}|"
                    r"[A-Z][a-z]+,? [A-Z][a-z]+ \d{1,2},? \d{4}|"
                    r"[A-Z][a-z]+ \d{1,2},? \d{4})", re.I)
_OUTBOUND = re.compile(r"\b(you are calling|you're calling|you call (the|each)|outbound|you place (the|a) call|"
                       r"start (the|each) call by (introducing|saying)|est[aá]s llamando|llamada saliente)\b", re.I)
_ORG_STOP = {"You", "Your", "The", "This", "Today", "If", "When", "Never", "Do", "Always", "Step", "Tuesday", "Monday",
             "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "I", "We", "Our", "It"}


def domain_of(agent: AgentSpec) -> str:
    """One of DOMAINS, by weighted vocabulary of the prompt, the agent's name and its tools."""
    text = " ".join([agent.name, agent.description] + [f"{t.name} {t.description}" for t in agent.tools]).lower()
    scores: Counter[str] = Counter()
    for domain, terms in _DOMAIN_TERMS.items():
        for pattern, weight in terms:
            scores[domain] += weight * len(re.findall(rf"\b(?:{pattern})", text))
    if not scores or scores.most_common(1)[0][1] < 3:
        return "general"
    best = scores.most_common(1)[0][0]
    return best if best in DOMAINS else "general"


def caller_noun_of(prompt: str, domain: str) -> str:
    """How the prompt calls its callers: the most used noun of a closed list, else the domain's usual one."""
    counts = Counter()
    lowered = prompt.lower()
    for noun in _CALLER_NOUNS:
        if noun != "caller":
            counts[noun] = len(re.findall(rf"\b{noun}s?\b", lowered))
    noun, count = counts.most_common(1)[0] if counts else ("caller", 0)
    if noun == "owner" and domain == "veterinary":
        noun = "pet owner"
    return noun if count >= 3 else _DOMAIN_NOUN.get(domain, "caller")


def organisation_of(prompt: str) -> str | None:
    """The organisation the prompt names (an explicit `company:` line, else 'at/for <Name>' early in the prompt)."""
    key = _ORG_KEY.search(prompt)
    if key:
        return key.group(1).strip().strip("\"'*")[:80]
    head = prompt[:1500]
    counts: Counter[str] = Counter()
    for match in _ORG.finditer(head):
        name = re.sub(r"\s+(and|of|the|de|del|&)$", "", match.group(1).strip(" .,"))
        name = re.sub(r"^the\s+", "", name)
        if name.split()[0] in _ORG_STOP or len(name) < 3 or "{{" in name:
            continue
        counts[name] += 3 if len(name.split()) > 1 else 1
    if not counts:
        variable = re.search(r"\b(?:at|for|of|from)\s+(\{\{\s*\w*(?:clinic|company|business|org\w*|practice|store|"
                             r"brand|firm|shop|restaurant|hotel|bank)\w*\s*\}\})", head)
        return variable.group(1) if variable else None
    return counts.most_common(1)[0][0]


def persona_of(prompt: str) -> str | None:
    """The agent's own name ('You are Ava, …'), or its `{{variable}}`."""
    match = _PERSONA.search(prompt[:3000])
    if not match:
        return None
    name = match.group(1)
    if not name.startswith("{{") and (not name[0].isupper() or name.lower() in _NOT_A_NAME):
        return None
    return name.capitalize() if name.isupper() else name


_NOT_A_NAME = {"a", "an", "the", "not", "un", "una", "el", "la", "calling", "speaking", "here", "now", "on", "in",
               "responsible", "an", "our", "this", "answering", "part"}


def today_of(prompt: str) -> str | None:
    """The 'today' the prompt states: a {{variable}}, an ISO date, or the literal date."""
    match = _TODAY.search(prompt)
    if not match:
        return None
    value = re.sub(r"\s+", "", match.group(1)) if match.group(1).startswith("{{") else match.group(1)
    return _iso(value) or value


def _iso(value: str) -> str | None:
    """An ISO date for a literal date, when it parses."""
    from datetime import datetime

    for fmt in ("%Y-%m-%d", "%B %d, %Y", "%B %d %Y", "%A, %B %d, %Y", "%A %B %d %Y"):
        try:
            return datetime.strptime(value.strip(), fmt).date().isoformat()
        except ValueError:
            continue
    return None


def speaks_first_of(agent: AgentSpec) -> bool:
    """The agent's own flag, else outbound agents (not inbound, or a prompt that places the call) speak first."""
    if agent.agent_gives_first_message is not None:
        return bool(agent.agent_gives_first_message)
    return not agent.inbound or bool(_OUTBOUND.search(agent.description[:4000]))


_SPOKEN = re.compile(r"\b(?:respond|speak|answer|reply|talk|converse)(?: only| always)? in (english|spanish|french|"
                     r"german|portuguese|italian|dutch|catalan)\b", re.I)
_CODES = {"english": "en", "spanish": "es", "french": "fr", "german": "de", "portuguese": "pt", "italian": "it",
          "dutch": "nl", "catalan": "ca"}


def prompt_language(agent: AgentSpec) -> str:
    """The language the prompt is written in (what its titles are named in)."""
    return detect_language(agent.description, agent.language or "en") or agent.language or "en"


def language_of(agent: AgentSpec) -> str:
    """The language the agent speaks: the one the prompt tells it to respond in, else the prompt's own language
    when it can be told confidently, else the agent's declared one."""
    spoken = _SPOKEN.search(agent.description)
    if spoken:
        return _CODES[spoken.group(1).lower()]
    return prompt_language(agent)


_DISCLOSURE_KINDS: list[tuple[str, re.Pattern[str]]] = [
    ("internal_ids", re.compile(r"\b(internal (ids?|identifiers?|codes?|record)|\w+ ids\b|id numbers?|"
                                r"identificadores? intern\w*|tokens?)\b", re.I)),
    ("tool_names", re.compile(r"\b(tool names?|names of the tools|function names?|nombres? de (las )?herramientas)\b",
                              re.I)),
    ("other_people", re.compile(r"\b(another (patient|customer|person|member|caller|employee|cardholder|"
                                r"client|guest)|"
                                r"other (patients|customers|people|members|callers|employees|cardholders|clients)|"
                                r"someone else|third part\w*|otr[oa]s? (clientes?|titulares?|l[ií]neas?)|"
                                r"someone is a "
                                r"(client|patient|customer|member)|a (client|patient|customer)'s)", re.I)),
    ("system_prompt", re.compile(r"\b(system prompt|your instructions|these instructions|internal notes)\b", re.I)),
    ("sensitive_data", re.compile(r"\b(full card number|card number|cvv|cvc|security code|password|\bpin\b|ssn|"
                                  r"social security|mbi|puk)\b", re.I)),
]
_DISCLOSE_VERB = re.compile(r"\b(disclos\w*|reveal\w*|share|read\w*|say|tell|give out|confirm|mention|expose|"
                            r"speak|repeat|revel\w*|compart\w*|dig\w*|leer|decir)\b", re.I)


def disclosures_of(policies: list[PolicyModel]) -> list[Disclosure]:
    """What the agent must never reveal, from its privacy/prohibition sentences."""
    out: list[Disclosure] = []
    for policy in policies:
        if policy.kind not in (PolicyKind.PRIVACY, PolicyKind.PROHIBITION) or not _DISCLOSE_VERB.search(policy.text):
            continue
        if re.search(r"\b(ask for|collect|request|pidas|solicites)\b", policy.text, re.I) and not re.search(
                r"\b(disclos|reveal|read|share|tell)", policy.text, re.I):
            continue
        for kind, pattern in _DISCLOSURE_KINDS:
            if pattern.search(policy.text) and not any(d.kind == kind and d.text == policy.text for d in out):
                out.append(Disclosure(kind=kind, text=policy.text))
    return out


_SENSITIVE_KEYS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"ssn|social_security"), "ssn"), (re.compile(r"(dob|birth)"), "date_of_birth"),
    (re.compile(r"card_number|pan$|card_no"), "card_number"), (re.compile(r"cvv|cvc"), "cvv"),
    (re.compile(r"balance|saldo"), "balance"), (re.compile(r"address|direccion"), "address"),
    (re.compile(r"diagnos|condition|medical|medication|prescription|allerg"), "medical_record"),
    (re.compile(r"password|temp_password|pin$|token"), "credential"), (re.compile(r"email|correo"), "email"),
    (re.compile(r"phone|mobile|telefono"), "phone"), (re.compile(r"income|salary"), "income"),
    (re.compile(r"mbi|medicare_(id|number)|member_id"), "member_id"), (re.compile(r"iban|routing|account_number"),
                                                                       "bank_account"),
]
_PROMPT_SENSITIVE: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"social security|\bssn\b", re.I), "ssn"), (re.compile(r"payment card|card (number|details)|"
                                                                       r"credit card", re.I), "card_number"),
    (re.compile(r"\bcvv\b|security code", re.I), "cvv"), (re.compile(r"\bmbi\b|medicare (beneficiary )?(id|number)",
                                                                     re.I), "member_id"),
    (re.compile(r"password|one-time code|\bpin\b", re.I), "credential"),
    (re.compile(r"bank account|routing number", re.I), "bank_account"),
]


def sensitive_fields_of(tools: list[ToolModel], policies: list[PolicyModel]) -> list[SensitiveField]:
    """Data an attacker would want: sensitive keys of tool rows, and what the prompt forbids collecting."""
    out: dict[str, SensitiveField] = {}
    for tool in tools:
        for row in tool.rows:
            for key, _ in flatten_values(row.output):
                leaf = leaf_key(key).lower()
                for pattern, name in _SENSITIVE_KEYS:
                    if pattern.search(leaf) and name not in out:
                        out[name] = SensitiveField(name=name, source=f"tool:{tool.name}")
    for policy in policies:
        forbids_asking = re.search(r"\b(never|do not|don't|must not|nunca|no)\b.{0,40}\b(ask|collect|request|take|"
                                   r"accept|pidas|solicites)\b", policy.text, re.I)
        for pattern, name in _PROMPT_SENSITIVE:
            if pattern.search(policy.text):
                field = out.setdefault(name, SensitiveField(name=name, source="prompt"))
                if forbids_asking:
                    field.collect_allowed = False
    return list(out.values())
