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
_BARE_OPENERS = ("Hi, quick question.", "Hello, I was hoping you could help me.", "Hi there.", "Good afternoon.",
                 "Hi, sorry to bother you.", "Morning! One question.")


@dataclass(frozen=True)
class KBQuestion:
    """A caller question drawn from a passage, the correct answer and how the caller follows up."""

    question: str
    answer: str
    follow_up: str
    topic: str


SPOKEN_FORMS = ("Spoken forms of the same figure count as the same answer (\"fifteen minutes\" for \"15 minutes\", "
                "\"forty dollars\" for \"$40\", \"seven thirty\" for \"7:30\").")


def write_question(candidate: Candidate, rng: random.Random) -> KBQuestion:
    """The question a real caller would ask about this passage, in their words, and the answer it expects."""
    if candidate.kind == "csv_row":
        return _csv_question(candidate, rng)
    if candidate.kind == "json_value":
        return _json_question(candidate, rng)
    flat = clean(candidate.quote)
    topic = topic_of(candidate, flat)
    answer = f"The agent gives the correct answer: {_agent_voice(flat)}"
    figure = _figure(flat, candidate.kind)
    if figure:
        answer += f" In particular it states {figure} accurately. {SPOKEN_FORMS}"
    answer += " It does not contradict this or add invented details."
    question, follow_up = _question_for(candidate, flat, topic, figure, rng)
    return KBQuestion(question=_say_topic_once(question, topic, rng), answer=answer, follow_up=follow_up,
                      topic=topic)


def _say_topic_once(question: str, topic: str, rng: random.Random) -> str:
    """'Hi, quick question about minors. What do I need to do for minors?' → 'Hi there. What do I need to do for
    minors?': an opener that names the topic is dropped when the question names it again."""
    for opener in _OPENERS:
        said = opener.format(topic=topic)
        rest = question[len(said):].strip()
        if question.startswith(said) and _names_topic(rest, topic):
            return f"{rng.choice(_BARE_OPENERS)} {rest}"
    return question


def _names_topic(text: str, topic: str) -> bool:
    """Whether text names the topic again (its last content word, e.g. 'portal' in 'the patient portal')."""
    words = [w for w in re.findall(r"[a-z][a-z'-]+", topic.lower()) if w not in STOPWORDS and len(w) > 2]
    return bool(words) and re.search(rf"\b{re.escape(words[-1])}", text.lower()) is not None


def write_question_in(candidate: Candidate, rng: random.Random, words) -> KBQuestion:
    """A caller's question in a language other than English (`words`: its KBPhrases), asked by the passage's topic
    (its heading, else its first content words) with the kind's templates; the answer stays English for the judge
    and quotes the file."""
    if words.code == "en":
        return write_question(candidate, rng)
    flat = clean(candidate.quote)
    heading = (candidate.subheading or candidate.section.heading or "").strip(" :#*_")
    if candidate.kind == "csv_row":
        pairs = row_pairs(candidate.section.columns, candidate.quote)
        heading = next((v for _, v in pairs if not re.fullmatch(r"[\d.,%$€£ -]+", v)), heading)
    if not heading or _GENERIC_TOPIC.match(heading) or len(heading.split()) > 8:
        heading = " ".join(re.findall(r"[^\W\d_][\w'-]*", flat)[:4])
    topic = heading.lower() if heading.isupper() or not heading[1:2].isupper() else heading
    figure = _figure(flat, candidate.kind)
    kind = candidate.kind if candidate.kind in words.by_kind else ""
    own = {w for w in re.findall(r"\w{4,}", topic.lower())}
    # A template that already says one of the topic's words would say it twice ("el horario de horario …").
    templates = [t for t in words.by_kind[kind] if not own & set(re.findall(r"\w{4,}", t.lower()))] or \
        list(words.by_kind[kind])
    template = rng.choice(templates)
    phrase = topic if re.search(r"(lo de|de|por|con|para) \{topic\}", template) is None else topic
    first = phrase.split()[0].lower() if phrase.split() else ""
    article = next((a for pattern, a in words.articles if re.search(pattern, first)), "")
    if article and not template.split("{topic}")[0].rstrip().endswith("lo de"):
        phrase = f"{article} {phrase}"
    question = f"{rng.choice(words.bare_openers)} {template.format(topic=phrase)}"
    question = re.sub(r"\bde el\b", "del", re.sub(r"\ba el\b", "al", question))
    answer = f"The agent gives the correct answer: {_agent_voice(flat)}"
    if figure:
        answer += f" In particular it states {figure} accurately. {SPOKEN_FORMS}"
    answer += (f" It does not contradict this or add invented details. (Source: {candidate.section.file_name}, "
               f"{candidate.subheading or candidate.section.label}: {candidate.quote})")
    return KBQuestion(question, answer, words.figure_follow_up if figure else words.follow_up, topic)


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
    if heading.isupper():
        heading = heading.lower()
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
    labelled = _labelled_question(candidate, flat, rng)
    if labelled:
        return labelled, "If the agent is vague, ask it to be more specific."
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
    figure_question = _figure_question(candidate.kind, topic, rng)
    if figure_question:
        return f"{opener} {figure_question}", f"If the agent is vague, ask for the exact {_figure_noun(candidate.kind)}."
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
    question = rng.choice((f"What can you tell me about {focus}?", f"Can you tell me how {focus} works?"))
    return f"{opener} {question}", f"Ask one natural follow-up question about {focus}."


_FIGURE_QUESTIONS = {
    "money": ("How much is it for {topic}?", "What would {topic} cost me?", "What's the charge for {topic}?"),
    "percent": ("What percentage applies for {topic}?", "How big a share is it for {topic}?"),
    "time": ("What are the times for {topic}?", "When can I come in for {topic}?", "What time does that work for "
             "{topic}?"),
    "duration": ("How much time should I allow for {topic}?", "What's the time frame for {topic}?",
                 "How long are we talking for {topic}?"),
    "date": ("When is {topic}?", "What's the date for {topic}?"),
    "count": ("How many are allowed for {topic}?", "Is there a limit for {topic}?"),
}


_LABELLED = (
    (r"address|location", ("What's the address of {where}?", "Where exactly is {where}?")),
    (r"hours|open", ("What are the opening hours at {where}?", "When is {where} open?")),
    (r"provider|doctor|staff|team", ("Which doctors can I see at {where}?", "Who works at {where}?")),
    (r"parking", ("Where do I park when I go to {where}?", "What's the parking like at {where}?")),
    (r"transit|bus|train|subway", ("How do I get to {where} by public transport?",)),
    (r"phone|line|number", ("What number do I call for {where}?",)),
    (r"e-?mail", ("What's the email address for {where}?",)),
    (r"access|wheelchair", ("How accessible is {where} for a wheelchair?",)),
)


def _labelled_question(candidate: Candidate, flat: str, rng: random.Random) -> str | None:
    """A 'Label: value' line ('Hours: Monday to Friday …') asked about by what the label means, at its place."""
    match = re.match(r"^([A-Z][\w /'-]{1,30}):\s+\S", flat)
    if not match:
        return None
    label = match.group(1).strip()
    where = (candidate.section.heading or candidate.subheading or "").strip(" :#*_") or "your office"
    where = where.lower() if where.isupper() else where
    for pattern, asks in _LABELLED:
        if re.search(pattern, label, re.I):
            return f"{rng.choice(_BARE_OPENERS)} {rng.choice(asks).format(where=where)}"
    return f"{rng.choice(_BARE_OPENERS)} What should I know about the {label.lower()} at {where}?"


def _figure_question(kind: str, topic: str, rng: random.Random) -> str | None:
    """A real question for a passage whose answer is a figure ('How much is it for late cancellation?'), asked by
    topic so the figure itself is the agent's to give (never a fill-in-the-blank)."""
    if kind not in _FIGURE_QUESTIONS or topic == "this":
        return None
    if re.match(r"(how|what|when|where|why|which)\b", topic, re.I):  # a heading that is itself a question
        return f"Can you explain {topic}?"
    return rng.choice(_FIGURE_QUESTIONS[kind]).format(topic=topic)


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


_PRICE_ASKS = ("How much is {thing}?", "What would {thing} cost me?", "What do you charge for {thing}?",
               "Roughly what does {thing} run?")
_SELF_PAY_ASKS = ("How much is {thing} if I pay myself, without insurance?", "If I don't use insurance, what does "
                  "{thing} cost?", "What's the price of {thing} when you pay out of pocket?")
_LENGTH_ASKS = ("How long does {thing} take?", "How much time should I set aside for {thing}?",
                "About how long will I be there for {thing}?")
_NOTE_ASKS = ("Is there anything I should know about {thing}?", "Anything extra I should be aware of with {thing}?",
              "Is there a catch with {thing}, anything billed separately or anything like that?")


def _csv_question(candidate: Candidate, rng: random.Random) -> KBQuestion:
    """A spreadsheet row: ask what a caller wants from it by the row's key, never by a column name; the answer
    cites the file and row and the row as it stands in the file."""
    pairs = row_pairs(candidate.section.columns, candidate.quote)
    where = f"{candidate.section.file_name}, {candidate.subheading or candidate.section.label}"
    if len(pairs) < 2:
        flat = clean(candidate.quote)
        return KBQuestion(f"Hi, can you tell me about {flat}?", f"The agent gives the correct answer: {flat}. "
                          f"(Source: {where}: {candidate.quote})", "Ask for any figure the agent leaves out.", flat)
    key_index = next((i for i, (_, v) in enumerate(pairs) if not re.fullmatch(r"[\d.,%$€£ -]+", v)), 0)
    key = pairs[key_index][1]
    others = [p for i, p in enumerate(pairs) if i != key_index]
    column, value = rng.choice([p for p in others if re.search(r"\d", p[1])] or others)
    attr = _humanise(column)
    thing = _item_phrase(key)
    unit = re.search(r"\b(minutes|mins|hours|days|weeks|months|years)\b", attr)
    if unit:
        ask, stated = rng.choice(_LENGTH_ASKS), f"{thing} takes {value} {unit.group(1).replace('mins', 'minutes')}"
    elif MONEY.search(value) or re.search(r"price|cost|fee|rate|usd|eur|gbp|amount", attr):
        currency = "$" if re.search(r"usd|\$|dollar", attr + value) else ""
        amount = value if value.startswith(("$", "€", "£")) else f"{currency}{value}"
        asks = _SELF_PAY_ASKS if re.search(r"self|out of pocket|cash", attr) else _PRICE_ASKS
        ask, stated = rng.choice(asks), f"{thing} costs {amount}"
    else:
        ask, stated = rng.choice(_NOTE_ASKS), f"for {thing}: {value}"
    question = f"{rng.choice(_BARE_OPENERS)} {ask.format(thing=thing)}"
    facts = "; ".join(f"{v}" for _, v in pairs)
    answer = (f"The agent gives the correct answer: {stated}. {SPOKEN_FORMS} It does not give a different figure or "
              f"invent details. (Source: {where}: {candidate.quote} — {facts}.)")
    return KBQuestion(question, answer, "If the agent does not give a figure, ask again for the exact one.",
                      f"{thing}")


_JSON_UNITS = re.compile(r"\b(usd|eur|gbp|price|cost|fee|surcharge|business|days?|over|minutes|hours)\b")


def _json_question(candidate: Candidate, rng: random.Random) -> KBQuestion:
    """A JSON value asked about by what its path means ('How much is Expedited shipping?'), never by the key."""
    words = (candidate.subheading or "").lower()
    thing = " ".join(_JSON_UNITS.sub(" ", words).split()) or "that"
    owner = (candidate.subheading or "").split()[0] if candidate.subheading and candidate.subheading[0].isupper() \
        else ""
    value = candidate.quote
    opener = rng.choice(_BARE_OPENERS)
    if re.search(r"free.*over|over.*free", words):
        ask = f"How much do I need to spend to get free {thing.replace('free', '').strip() or 'shipping'}?"
    elif re.search(r"usd|eur|gbp|price|cost|fee|surcharge", words):
        ask = rng.choice((f"How much is {thing}?", f"What does {thing} cost?"))
    elif re.search(r"days|minutes|hours", words):
        ask = rng.choice((f"How long does {thing} take?", f"How many days is {thing}?"))
    elif re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        ask = rng.choice((f"When is the {thing}?", f"What's the date for the {thing}?"))
    elif "ship to" in words or "ships to" in words:
        ask = "Is there anywhere you don't ship?" if "not" in words else "Where do you ship to?"
    else:
        ask = f"What can you tell me about {thing}?"
    if owner and owner.lower() not in ask.lower():
        ask = ask.rstrip("?") + f", for {owner}?"
    answer = (f"The agent gives the correct answer: {candidate.subheading}: {value}. {SPOKEN_FORMS} It does not give "
              f"a different figure or invent details. (Source: {candidate.section.file_name}, "
              f"{candidate.section.label}: {value})")
    return KBQuestion(f"{opener} {ask}", answer, "If the agent is vague, ask for the exact figure.", thing)


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
