"""Offline KB question writing: a passage becomes what a caller would ask, in the caller's words, plus the answer."""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

from scenarist.generation.knowledge.passages import COUNT, DATE, DURATION, MONEY, PERCENT, TIME, Candidate
from scenarist.generation.knowledge.sections import row_pairs
from scenarist.generation.text import STOPWORDS, goal_phrase, verb_base, with_article

_GENERIC_TOPIC = re.compile(
    r"^(introduction|overview|faqs?|frequently asked questions|general|notes?|contents|misc\w*|summary|page \d+|"
    r"paragraph \d+|rows? [\d-]+|whole file|details|information|info)$", re.I)
_SUBJECT_STOP = re.compile(
    r"^(is|are|was|were|will|can|could|must|may|might|should|shall|has|have|had|does|do|did|costs?|takes?|opens?|"
    r"closes?|includes?|requires?|offers?|accepts?|runs?|starts?|ends?|applies|apply|covers?|gets?|needs?|"
    r"provides?|allows?|comes?|lasts?|charges?|pays?|receives?|qualif\w*)$", re.I)
_PRONOUNS = {"i", "you", "we", "it", "this", "that", "they", "these", "those", "there", "he", "she", "my", "your"}
_OBJECT_AFTER = {"to", "for", "with", "call", "contact", "email", "text", "send", "give", "tell", "help", "let", "ask",
                 "remind", "charge", "bill", "refund", "notify", "invite", "offer", "allow", "from", "about", "thank"}
_CLAUSE_OPENERS = {"after", "before", "when", "if", "for", "during", "until", "unless", "once", "while", "in", "on",
                   "at", "by", "to", "with", "from", "as", "because", "since", "although", "however"}
_OPENERS = ("Hi, quick question about {topic}.", "Hello, I was wondering about {topic}.",
            "Hi there, I have a question about {topic}.", "Good morning, I'm calling about {topic}.")
_BARE_OPENERS = ("Hi, quick question.", "Hello, I was hoping you could help me.", "Hi there.")


@dataclass(frozen=True)
class KBQuestion:
    """A caller question drawn from a passage, the correct answer and how the caller follows up."""

    question: str
    answer: str
    follow_up: str
    topic: str


def write_question(candidate: Candidate, rng: random.Random) -> KBQuestion:
    """The question a real caller would ask about this passage, in their words, and the answer it expects."""
    if candidate.kind == "csv_row":
        return _csv_question(candidate, rng)
    flat = clean(candidate.quote)
    topic = topic_of(candidate, flat)
    answer = f"The agent gives the correct answer: {_agent_voice(flat)}"
    figure = _figure(flat, candidate.kind)
    if figure:
        answer += f" In particular it states {figure} accurately."
    answer += " It does not contradict this or add invented details."
    question, follow_up = _question_for(candidate, flat, topic, figure, rng)
    return KBQuestion(question=question, answer=answer, follow_up=follow_up, topic=topic)


def clean(text: str) -> str:
    """One line, markdown emphasis and code marks removed."""
    text = re.sub(r"(\*\*|__|`|~~)", "", text)
    text = re.sub(r"\[([^\]]+)\]\([^)]+\)", r"\1", text)
    return " ".join(text.split())


def to_caller_voice(text: str) -> str:
    """Swap the document's voice for the caller's: we/our → you/your, you/your → I/my."""
    def swap(match: re.Match[str]) -> str:
        word = match.group(0)
        lower = word.lower()
        before = text[: match.start()].split()
        previous = before[-1].lower().strip(",.;:") if before else ""
        mapping = {
            "we": "you", "our": "your", "ours": "yours", "us": "you", "we're": "you're", "we'll": "you'll",
            "we've": "you've", "your": "my", "yours": "mine", "you're": "I'm", "you'll": "I'll", "you've": "I've",
            "yourself": "myself",
        }
        if lower == "you":
            out = "me" if previous in _OBJECT_AFTER else "I"
        else:
            out = mapping[lower]
        if word[0].isupper() and out != "I":
            out = out[0].upper() + out[1:]
        return out

    swapped = re.sub(
        r"\b(?:we're|we'll|we've|you're|you'll|you've|yourself|we|our|ours|us|your|yours|you)\b", swap, text,
        flags=re.I)
    swapped = re.sub(r"\bI are\b", "I am", swapped)
    swapped = re.sub(r"\bI were\b", "I was", swapped)
    swapped = re.sub(r"\bare I\b", "am I", swapped, flags=re.I)
    return swapped


def topic_of(candidate: Candidate, flat: str) -> str:
    """What the passage is about, as a caller would name it: a real heading, else the sentence's subject."""
    heading = (candidate.subheading or "").strip(" :#*_")
    if heading and not _GENERIC_TOPIC.match(heading) and len(heading.split()) <= 8:
        words = heading.split()
        title_case = len(words) > 1 and all(w[:1].isupper() for w in words if len(w) > 3)
        return heading if title_case else _lower_first(heading)
    subject = _subject(to_caller_voice(flat))
    if subject:
        return subject
    content = [w for w in re.findall(r"[A-Za-z][A-Za-z'-]+", flat) if w.lower() not in STOPWORDS and len(w) > 3]
    if content:
        return " ".join(w.lower() for w in content[:3])
    return "this"


def _question_for(candidate: Candidate, flat: str, topic: str, figure: str | None,
                  rng: random.Random) -> tuple[str, str]:
    """(question, follow-up instruction) chosen by the passage's shape."""
    opener = rng.choice(_OPENERS).format(topic=topic) if topic != "this" else rng.choice(_BARE_OPENERS)
    if candidate.asked:
        asked = re.sub(r"^(?:q|question)\s*[:.)]\s*", "", candidate.asked, flags=re.I)
        return f"{rng.choice(_BARE_OPENERS)} {asked}", "If the answer is vague, ask the agent to be more specific."
    caller = to_caller_voice(flat)
    conditional = re.match(r"^If (.+?), (.+)$", caller)
    if conditional:
        return (f"{opener} What happens if {_lower_first(conditional.group(1))}?",
                "If the agent is vague, ask exactly what would happen and whether there is any cost or deadline.")
    purpose = re.match(r"^To (.+?), (.+)$", caller)
    if purpose:
        return (f"{opener} How do I {_lower_first(purpose.group(1))}?",
                "If the agent skips a step, ask what you need to do first and what happens next.")
    duration = _how_long_question(caller, candidate.kind) or _how_much_question(caller, candidate.kind)
    if duration:
        return f"{opener} {duration}", f"If the agent is vague, ask for the exact {_figure_noun(candidate.kind)}."
    echo = _echo_question(caller, candidate.kind)
    if echo:
        return f"{opener} So {echo}?", f"If the agent is vague, ask for the exact {_figure_noun(candidate.kind)}."
    if candidate.kind == "procedure":
        goal = _goal_from_heading(candidate.subheading)
        question = f"How do I {goal}?" if goal else f"What do I need to do for {topic}?"
        return f"{opener} {question}", "If the agent skips a step, ask what you need to do first."
    # The sentence's own subject is more specific than the section heading ("children under 18").
    focus = _subject(caller) or topic
    if candidate.kind == "policy":
        question = rng.choice((f"What's your policy on {focus}?", f"Are there any rules I should know about {focus}?",
                               f"Is there anything I need to know about {focus} before I go ahead?"))
        return f"{opener} {question}", "Ask whether there are any exceptions or conditions."
    yes_no = _yes_no_question(caller)
    if yes_no:
        return f"{opener} {yes_no}", "If the agent answers only yes or no, ask for the conditions behind it."
    question = rng.choice((f"What can you tell me about {focus}?", f"Can you tell me how {focus} works?"))
    return f"{opener} {question}", f"Ask one natural follow-up question about {focus}."


def _yes_no_question(caller: str) -> str | None:
    """'Whitening is not suitable for patients under 18 …' → 'Is whitening suitable for patients under 18 …?'
    (asked neutrally, so the answer — here 'no' — is the agent's to give)."""
    match = re.match(r"^([A-Z][\w'-]*(?: [\w'-]+){0,3}) (is|are|can|will) (?:not )?(.+?)[.!]?$", caller)
    if not match or match.group(1).lower() in _PRONOUNS or "," in match.group(1):
        return None
    subject, verb, rest = match.groups()
    return f"{verb.capitalize()} {_lower_first(subject)} {rest}?"


def _how_much_question(caller: str, kind: str) -> str | None:
    """'A deposit of 50 pounds is required for any plan over 500 pounds' → 'How much is the deposit for any plan over
    500 pounds?'."""
    if kind != "money":
        return None
    match = re.match(r"^(?:A|An|The) ([\w-]+(?: [\w-]+)?) of (?:" + MONEY.pattern + ")" +
                     r" (?:is|are) (?:required|charged|payable|due|needed|taken)\s+(.+?)[.!]?$", caller, re.I)
    if not match:
        return None
    return f"How much is the {match.group(1).lower()} {match.groups()[-1]}?"


def _how_long_question(caller: str, kind: str) -> str | None:
    """'You keep dental records for at least 11 years after my last visit' → 'How long do you keep dental records
    after my last visit?' (the figure becomes the question instead of being echoed back)."""
    if kind != "duration":
        return None
    match = re.match(r"^(You|I|We) (\w+) (.+?)\s*(?:for )?(?:at least |up to |about |around )?" + DURATION.pattern
                     + r"(.*)$", caller)
    if not match or not verb_base(match.group(2)) and match.group(2).lower() not in ("keep", "hold", "store"):
        return None
    subject, verb, head, tail = match.group(1), match.group(2), match.group(3), match.groups()[-1]
    tail = tail.strip(" .")
    question = f"How long do {subject.lower() if subject != 'I' else 'I'} {verb} {head}"
    return f"{question}{(' ' + tail) if tail and not tail.startswith(',') else ''}?".replace(" ,", ",")


def _echo_question(caller: str, kind: str) -> str | None:
    """The sentence with its key figure replaced by a question word ("you open at what time on Saturdays")."""
    replacements = {
        "money": (MONEY, lambda m: "how much"),
        "percent": (PERCENT, lambda m: "what percentage"),
        "time": (TIME, lambda m: "what time"),
        "duration": (DURATION, lambda m: "how many " + m.group(0).split()[-1].lower()),
        "date": (DATE, lambda m: "when"),
        "count": (COUNT, lambda m: "how many " + m.group(0).split()[-1].lower()),
    }
    if kind not in replacements:
        return None
    pattern, replace = replacements[kind]
    match = pattern.search(caller)
    if not match:
        return None
    sentence = caller[: match.start()] + replace(match) + caller[match.end():]
    clause_start = 0
    for boundary in re.finditer(r"[.;!]\s+", sentence):  # keep only the clause holding the question word
        if boundary.start() < match.start():
            clause_start = boundary.end()
        else:
            sentence = sentence[: boundary.start()]
            break
    return _lower_first(sentence[clause_start:].rstrip(" .;:!"))


def _csv_question(candidate: Candidate, rng: random.Random) -> KBQuestion:
    """A spreadsheet row: ask for one of its values by the row's key."""
    pairs = row_pairs(candidate.section.columns, candidate.quote)
    if len(pairs) < 2:
        flat = clean(candidate.quote)
        return KBQuestion(f"Hi, can you tell me about {flat}?", f"The agent gives the correct answer: {flat}.",
                          "Ask for any figure the agent leaves out.", flat)
    key_index = next((i for i, (_, v) in enumerate(pairs) if not re.fullmatch(r"[\d.,%$€£ -]+", v)), 0)
    key_column, key = pairs[key_index]
    others = [p for i, p in enumerate(pairs) if i != key_index]
    numeric = [p for p in others if re.search(r"\d", p[1])]
    column, value = rng.choice(numeric or others)
    attr = _humanise(column)
    unit = re.search(r"\b(minutes|hours|days|weeks|months|years)$", attr)
    thing = _item_phrase(key)
    if unit:
        attr = attr[: unit.start()].strip() or "time"  # "duration minutes" → "duration"
        ask = f"How long does {thing} take?"
        stated = f"{thing} takes {value} {unit.group(1)}"
    elif MONEY.search(value) or re.search(r"price|cost|fee|rate", attr):
        ask, stated = f"How much does {thing} cost?", f"the {attr} for {thing} is {value}"
    else:
        ask, stated = f"What's the {attr} for {thing}?", f"the {attr} for {thing} is {value}"
    question = f"{rng.choice(_BARE_OPENERS)} {ask}"
    facts = "; ".join(f"{_humanise(c)}: {v}" for c, v in pairs)
    answer = (f"The agent gives the correct answer: {stated}. (Source row: {facts}.) It does not give a different "
              f"figure or invent details.")
    return KBQuestion(question, answer, f"If the agent does not give a figure, ask for the exact {attr}.",
                      f"{attr} of {thing}")


def _item_phrase(key: str) -> str:
    """A spreadsheet key as a caller says it: 'Check-up' → 'a check-up', 'Whitening (home kit)' → 'whitening
    (home kit)' (mass nouns and plurals take no article; names in capitals keep them)."""
    words = [w for w in key.split() if w[:1].isalpha()]
    if len(words) > 1 and all(w[:1].isupper() for w in words):
        return key  # a product name ("Gold Plan")
    phrase = _lower_first(key)
    head = re.sub(r"\s*\(.*\)$", "", phrase).split()[-1] if phrase.split() else phrase
    if head.endswith(("ing", "s")) or head in ("treatment", "care", "advice", "whitening"):
        return phrase
    return with_article(phrase)


def _figure(flat: str, kind: str) -> str | None:
    """The key figure of a numeric passage (e.g. '14 business days')."""
    pattern = {"money": MONEY, "percent": PERCENT, "time": TIME, "duration": DURATION, "date": DATE,
               "count": COUNT}.get(kind)
    match = pattern.search(flat) if pattern else None
    return match.group(0) if match else None


def _figure_noun(kind: str) -> str:
    """What to ask for when the agent is vague about a figure."""
    return {"money": "amount", "percent": "percentage", "time": "time", "duration": "time frame", "date": "date",
            "count": "number"}.get(kind, "details")


def _agent_voice(flat: str) -> str:
    """The passage as the agent would state it (unchanged apart from a closing full stop)."""
    return flat if flat.endswith((".", "!", "?")) else flat + "."


def _subject(caller_sentence: str) -> str | None:
    """Words before the sentence's first verb ('Standard delivery takes …' → 'standard delivery')."""
    words = caller_sentence.split()
    if not words or words[0].lower().strip(",") in _CLAUSE_OPENERS:
        return None  # "After three missed appointments, …" opens with a clause, not a subject
    subject: list[str] = []
    for word in words[:8]:
        bare = word.strip(",;:()\"'").lower()
        if _SUBJECT_STOP.match(bare) or word.endswith((",", ";", ":")):
            if word.endswith((",", ";", ":")) and not _SUBJECT_STOP.match(bare):
                subject.append(word.strip(",;:"))
            break
        subject.append(word.strip("()\"'"))
    if not subject or len(subject) > 6 or all(w.lower() in _PRONOUNS | STOPWORDS for w in subject):
        return None
    phrase = " ".join(subject)
    if any(w[:1].isupper() for w in subject[1:]):  # a proper name ("Park Row Dental") keeps its capitals
        return phrase
    return _lower_first(phrase)


def _goal_from_heading(heading: str | None) -> str | None:
    """'Booking an appointment' → 'book an appointment' when the heading starts with a verb."""
    if not heading:
        return None
    first = heading.split()[0]
    return goal_phrase(heading) if verb_base(first) else None


def _humanise(column: str) -> str:
    """`monthly_price` → 'monthly price'."""
    return re.sub(r"[_\-]+", " ", column).strip().lower()


def _lower_first(text: str) -> str:
    """Lower-case a leading capital unless it is 'I' or an acronym."""
    if len(text) > 1 and text[0].isupper() and not text[1].isupper() and not text.startswith("I "):
        return text[0].lower() + text[1:]
    return text
