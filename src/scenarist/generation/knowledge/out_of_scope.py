"""Plausible caller questions the KB does not answer (checked against every KB file and the agent's prompt)."""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

from scenarist.generation.knowledge.phrases import LIBRARY_QUESTIONS, near_topics


@dataclass(frozen=True)
class OutOfScopeTopic:
    """A question a caller of this kind of business might ask, and the words that would show the KB covers it."""

    id: str
    question: str
    anchors: tuple[str, ...]  # word stems; any of them in the KB or prompt means "covered"


def _t(id_: str, question: str, *anchors: str) -> OutOfScopeTopic:
    return OutOfScopeTopic(id_, question, anchors)


_DOMAIN_TOPICS: dict[str, list[OutOfScopeTopic]] = {
    "health": [
        _t("sedation", "Do you offer sedation for nervous patients, like being put to sleep for treatment?",
           "sedat", "anaesthe", "anesthe", "asleep"),
        _t("flu_vaccine", "Can I get a flu jab at your place while I'm there?", "flu", "vaccin", "jab"),
        _t("home_visits", "Does anyone do home visits for elderly patients?", "home visit", "house call"),
        _t("languages", "Is there anyone there who speaks Portuguese?", "portuguese", "language", "interpret"),
        _t("pet_in_waiting_room", "Can I bring my dog into the waiting room with me?", "dog", "pets", "animal"),
    ],
    "bank": [
        _t("mortgage", "Do you do mortgages, and what rate would I get?", "mortgage"),
        _t("exchange_rate", "What's your exchange rate for euros today?", "exchange rate", "euro", "currency"),
        _t("safe_deposit", "Can I rent a safe deposit box at a branch?", "deposit box", "safe deposit"),
        _t("teen_account", "Can I open an account for my thirteen-year-old?", "teen", "child", "minor", "junior"),
        _t("crypto", "Can I buy Bitcoin through my account?", "bitcoin", "crypto"),
    ],
    "delivery": [
        _t("halal", "Are there any restaurants that do halal food near me?", "halal"),
        _t("alcohol", "Can you deliver beer or wine with my order?", "alcohol", "beer", "wine"),
        _t("cash_tip", "Can I tip the driver in cash?", "tip", "gratuit"),
        _t("drone", "Do you ever deliver by drone?", "drone"),
    ],
    "travel": [
        _t("surfboard", "Can I bring a surfboard as checked luggage?", "surf", "sports equipment"),
        _t("lounge", "Is there a lounge I can use in Lisbon?", "lounge"),
        _t("cat_in_cabin", "Can my cat travel with me in the cabin?", "cat", "pet", "animal"),
        _t("ev_charger", "Do you have a charger for electric cars?", "charger", "electric", "ev "),
        _t("wedding", "Could I book the place for a wedding reception?", "wedding", "event"),
    ],
    "insurance": [
        _t("earthquake", "Am I covered if there's an earthquake?", "earthquake"),
        _t("drone_insurance", "Do you insure drones?", "drone"),
        _t("cosmetic", "Is cosmetic surgery covered?", "cosmetic"),
    ],
    "telecom": [
        _t("cruise", "Will my phone work on a cruise ship?", "cruise", "ship", "maritime"),
        _t("landline", "Can I get a landline number with my plan?", "landline"),
        _t("refurbished", "Do you sell refurbished phones?", "refurbish"),
    ],
    "retail": [
        _t("price_match", "Do you price match online shops?", "price match", "match"),
        _t("gift_wrap", "Do you do gift wrapping?", "gift wrap", "wrapping"),
        _t("click_collect", "Can I reserve something online and pick it up in store?", "reserve", "pick up",
           "collect"),
    ],
}

_DOMAIN_KEYS = {
    "health": r"dent|health|clinic|patient|doctor|medical|hospital|pharmacy",
    "bank": r"bank|card|credit|debit|loan|finance",
    "delivery": r"food|delivery|restaurant|courier",
    "travel": r"airline|flight|travel|hotel|hospitality|reservation|booking",
    "insurance": r"insurance|claim|policyholder|premium",
    "telecom": r"telecom|mobile|broadband|sim|phone plan|data plan",
    "retail": r"retail|store|shop|purchase",
}

_GENERIC_TOPICS = [
    _t("parking", "Is there parking nearby, and do I have to pay for it?", "parking", "car park", "park"),
    _t("jobs", "Are you hiring at the moment? I'm looking for work.", "hiring", "vacanc", "career", "recruit", "job"),
    _t("student_discount", "Do you have a student discount?", "student"),
    _t("wheelchair", "Is the entrance wheelchair accessible?", "wheelchair", "accessib", "step-free", "disab"),
    _t("loyalty", "Do you have a loyalty or rewards scheme?", "loyalty", "reward", "points"),
    _t("wifi", "Is there free Wi-Fi I can use?", "wi-fi", "wifi", "internet"),
    _t("founder", "Who started the company, and when was that?", "founded", "founder", "history", "established"),
    _t("gift_card", "Do you sell gift cards or vouchers?", "gift card", "voucher", "gift certificate"),
    _t("sponsorship", "Do you sponsor local sports teams or charity events?", "sponsor", "charity"),
    _t("app_dark_mode", "Does your app have a dark mode?", "dark mode"),
    _t("sustainability", "What are you doing to reduce your carbon footprint?", "carbon", "sustainab",
       "environment"),
    _t("franchise", "Could I open a franchise of your business in my town?", "franchise"),
]


def out_of_scope_topics(domain_text: str, covered_text: str, count: int, seed: int, *,
                        must_fill: bool = False, near_text: str = "", language: str = "en") -> list[OutOfScopeTopic]:
    """`count` topics whose anchors occur nowhere in `covered_text`: first questions next to the KB's own topics
    (`near_text`: its headings and the agent's scope), then the domain's, then generic ones, asked in `language`;
    repeats only if the library runs out. `must_fill`: when every topic is covered, use the generic ones anyway
    (only for a KB with no usable passage at all)."""
    domain_lower = domain_text.lower()
    rng = random.Random(seed)
    own: list[OutOfScopeTopic] = []
    for key, pattern in _DOMAIN_KEYS.items():
        if re.search(pattern, domain_lower):
            own.extend(_DOMAIN_TOPICS[key])
    generic = list(_GENERIC_TOPICS)
    rng.shuffle(own)
    rng.shuffle(generic)
    near = [OutOfScopeTopic(t.id, t.questions[language], t.anchors)
            for t in near_topics(near_text, covered_text, language)]
    rng.shuffle(near)
    uncovered = near + [t for t in _localised(_dedupe(own + generic), language) if not is_covered(t, covered_text)]
    if not uncovered and must_fill:
        uncovered = _localised(generic, language)
    if not uncovered or count <= 0:
        return []
    return [uncovered[i % len(uncovered)] for i in range(count)]


def _localised(topics: list[OutOfScopeTopic], language: str) -> list[OutOfScopeTopic]:
    """The library's topics asked in `language` (those without a question in it are left out)."""
    if language == "en":
        return topics
    table = LIBRARY_QUESTIONS.get(language, {})
    return [OutOfScopeTopic(t.id, table[t.id], t.anchors) for t in topics if t.id in table]


def is_covered(topic: OutOfScopeTopic, text: str) -> bool:
    """True when any anchor stem appears (at a word start) in the text: the KB or prompt might answer it."""
    lowered = text.lower()
    return any(re.search(r"\b" + re.escape(anchor), lowered) for anchor in topic.anchors)


def _dedupe(topics: list[OutOfScopeTopic]) -> list[OutOfScopeTopic]:
    """Keep the first topic of each id."""
    seen: set[str] = set()
    return [t for t in topics if not (t.id in seen or seen.add(t.id))]
