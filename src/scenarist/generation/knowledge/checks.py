"""Checks on a KB caller question both engines share: a real question (no cloze, no leading restatement of its own
answer), no column or field names spoken."""

from __future__ import annotations

import re

_INTERROGATIVE = {"what", "when", "where", "which", "who", "whom", "whose", "why", "how", "is", "are", "do", "does",
                  "did", "can", "could", "will", "would", "should", "may", "might", "have", "has", "am", "was", "were",
                  "shall", "any", "anything", "roughly", "about", "if", "and", "or", "also"}
_GREETINGS = {"hi", "hello", "hey", "good", "morning", "afternoon", "evening", "sorry", "okay", "ok", "um", "right",
              "thanks", "yes", "oh", "well"}
_YES_NO = {"is", "are", "do", "does", "did", "can", "could", "will", "would", "should", "may", "have", "has", "am",
           "was", "were"}
_WH = re.compile(r"\b(how (many|much|long|early|late|often)|what (time|percentage|day|date)|which|when)\b", re.I)
_IDENTIFIER = re.compile(r"\b[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)+\b")
_NUMBER = re.compile(r"\d+(?:[.,:]\d+)?")


def last_sentence(question: str) -> str:
    """The question's final sentence (greetings and context before it are dropped)."""
    parts = [p.strip() for p in re.split(r"(?<=[.!?])\s+", question.strip()) if p.strip()]
    sentence = parts[-1] if parts else ""
    head, comma, rest = sentence.partition(",")
    if comma and head.lower().split()[:1] and head.lower().split()[0] in _GREETINGS:
        return rest.strip()
    return sentence


def is_cloze(question: str) -> bool:
    """A fill-in-the-blank: a statement with a question word in its middle ('So patients who arrive more than how
    many minutes late …?')."""
    sentence = last_sentence(question)
    words = [w.split("'")[0] for w in re.findall(r"[A-Za-z']+", sentence.lower())]
    if not words or words[0] in _INTERROGATIVE:
        return False
    return _WH.search(sentence) is not None


def restates_answer(question: str, answer_quote: str, figure: str | None = None) -> bool:
    """A leading question that already holds its answer: a statement ending in '?' that gives the passage's key
    figure, or that repeats most of the passage's words."""
    sentence = last_sentence(question)
    words = [w.split("'")[0] for w in re.findall(r"[A-Za-z']+", sentence.lower())]
    yes_no = bool(words) and words[0] in _YES_NO
    declarative = bool(words) and words[0] not in _INTERROGATIVE and sentence.endswith("?")
    if figure and figure.lower() in sentence.lower() and (yes_no or declarative):
        return True
    quote_words = {w for w in re.findall(r"[a-z']{4,}", answer_quote.lower())}
    asked = {w for w in re.findall(r"[a-z']{4,}", question.lower())}
    if len(quote_words) >= 6 and len(quote_words & asked) / len(quote_words) >= 0.7:
        return True
    return declarative and bool(set(_NUMBER.findall(sentence)) & set(_NUMBER.findall(answer_quote)))


def question_problems(question: str, quote: str, *, figure: str | None = None,
                      columns: tuple[str, ...] = ()) -> list[str]:
    """Why a caller question is not one a caller would ask (empty list = fine)."""
    problems = []
    if is_cloze(question):
        problems.append("caller_question is a fill-in-the-blank; ask a real question that starts with a question "
                        "word or an auxiliary (What/How/When/Is/Can …)")
    if restates_answer(question, quote, figure):
        problems.append("caller_question already states its answer; ask without giving the figure or the rule away")
    if _IDENTIFIER.search(question):
        problems.append("caller_question speaks an identifier; say it the way a caller would")
    spoken_columns = [c for c in columns if "_" in c and c.replace("_", " ").lower() in question.lower()]
    if spoken_columns:
        problems.append(f"caller_question speaks column names ({', '.join(spoken_columns)}); ask in everyday words")
    return problems
