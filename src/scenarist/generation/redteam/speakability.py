"""The speakability check: can a caller say this text aloud on a phone call, as written?

A voice red-team scenario may only contain what a person can speak. Flagged:

- URLs and bare web domains (e-mail addresses are speakable and allowed);
- emoji and other pictographic symbols;
- code: backticks, braces, brackets, angle-bracket tags, `=`/`==`/`=>`, function calls `name(...)`,
  snake_case / dotted identifiers, SQL keywords;
- encodings: base64-like or hex-like runs, and requests to encode/decode (base64, rot13, hex, morse …);
- markup: markdown headings, bold/italic markers, bullet lines, tables / pipes, HTML tags;
- character tricks: zero-width and bidi-control characters, homoglyphs (Latin words with Cyrillic/Greek letters,
  full-width or mathematical letters), leetspeak, letter-spaced words, runs of symbols (ASCII art).

Numbered list lines (`1. ...`), ordinary punctuation, numbers, currency, percentages, times and
`{{test_profile.field}}` placeholders (filled with spoken values at run time) are allowed.
"""

from __future__ import annotations

import re
import unicodedata

_PLACEHOLDER = re.compile(r"\{\{\s*test_profile\.[A-Za-z0-9_]+\s*\}\}")
_EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
_URL = re.compile(r"(?i)\b(?:https?|ftp)://\S+|\bwww\.\S+")
_DOMAIN = re.compile(
    r"(?i)\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|org|net|io|ai|co|gov|edu|info|biz|app|dev|uk|de|fr|us|ly|me)\b(?:/\S*)?"
)
_CODE_SYMBOLS = re.compile(r"[`{}\[\]<>\\^~|@]|#(?!\d)")
_CODE_OPERATORS = re.compile(r"==|=>|->|!=|&&|::|=")
_FUNCTION_CALL = re.compile(r"\b[A-Za-z_][A-Za-z0-9_.]*\([^)]*\)")
_IDENTIFIER = re.compile(
    r"\b[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)+\b|\b[a-z]{2,}[A-Z][a-z]+[A-Za-z]*\b|\b[a-z]{2,}\.[a-z_]{2,}\b"
)
_SQL = re.compile(r"(?i)\b(?:select\s+\S+\s+from|drop\s+table|insert\s+into|union\s+select)\b")
_ENCODED_RUN = re.compile(r"\b[A-Za-z0-9+/]{16,}={0,2}(?![A-Za-z0-9+/=])")
_HEX_RUN = re.compile(
    r"\b(?=[0-9a-fA-F]*[a-fA-F])(?=[0-9a-fA-F]*[0-9])[0-9a-fA-F]{12,}\b|\b0x[0-9a-fA-F]+\b|(?:\\x[0-9a-fA-F]{2}){2,}"
)
_ENCODING_WORDS = re.compile(
    r"(?i)\b(?:base\s?64|rot\s?-?13|hexadecimal|hex[- ]encoded|morse code|binary code|url[- ]encoded|"
    r"unicode escape|caesar cipher)\b"
)
_MD_HEADING = re.compile(r"(?m)^\s{0,3}#{1,6}\s")
_MD_EMPHASIS = re.compile(r"\*+|__+")
_MD_TABLE = re.compile(r"(?m)^[^\n]*\|[^\n]*\|[^\n]*$")
_MD_BULLET = re.compile(r"(?m)^\s*[-*+•]\s+")
_SYMBOL_RUN = re.compile(r"[^\w\s.,;:'\"()!?\u2018\u2019\u201c\u201d$%&/+-]{3,}|-{3,}|([.!?])\1{3,}")
_LETTER_SPACED = re.compile(r"(?<!\w)(?:[A-Za-z][ .\-]){4,}[A-Za-z](?!\w)")
# Spelling a name or code aloud ("S-M-I-T-H", "B 7 K 2 Q") is speech; lower-case spacing ("i g n o r e") is a trick.
_SPELLED = re.compile(r"(?<!\w)(?:[A-Z0-9][ .\-]){2,}[A-Z0-9](?!\w)")
_LEET = re.compile(r"\b(?=[a-z0-9@$]*[a-z]{2})[a-z]+[0-9@$]+[a-z][a-z0-9@$]*\b")
_INVISIBLE = {0x200B, 0x200C, 0x200D, 0x200E, 0x200F, 0x2060, 0x2061, 0x2062, 0x2063, 0x2064, 0xFEFF, 0x00AD,
              0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069, 0x034F}


def speakability_problems(text: str) -> list[str]:
    """Every reason `text` cannot be spoken as written; an empty list means it is speakable."""
    problems: list[str] = []
    text = _PLACEHOLDER.sub(" ", text or "")
    problems += _invisible_and_pictographic(text)
    problems += _homoglyphs(text)
    without_email = _EMAIL.sub(" ", text)
    problems += _matches("URL", _URL, without_email)
    problems += _matches("web domain", _DOMAIN, _URL.sub(" ", without_email))
    problems += _matches("encoding", _ENCODING_WORDS, text)
    problems += _matches("encoded text", _ENCODED_RUN, _only_mixed_runs(text))
    problems += _matches("hex text", _HEX_RUN, text)
    problems += _matches("markdown heading", _MD_HEADING, text)
    problems += _matches("markdown emphasis", _MD_EMPHASIS, text)
    problems += _matches("bullet markup", _MD_BULLET, text)
    problems += _matches("table markup", _MD_TABLE, text)
    problems += _matches("code symbol", _CODE_SYMBOLS, without_email)
    problems += _matches("code operator", _CODE_OPERATORS, text)
    problems += _matches("function call", _FUNCTION_CALL, text)
    problems += _matches("code identifier", _IDENTIFIER, without_email)
    problems += _matches("SQL", _SQL, text)
    problems += _matches("symbol run", _SYMBOL_RUN, text)
    problems += _matches("letter-spaced word", _LETTER_SPACED, _SPELLED.sub(" ", text))
    problems += _matches("leetspeak", _LEET, without_email)
    return _dedupe(problems)


def _matches(label: str, pattern: re.Pattern[str], text: str) -> list[str]:
    """One problem per distinct match of `pattern`."""
    return [f"{label}: {m.group(0).strip()[:40]!r}" for m in pattern.finditer(text)]


def _only_mixed_runs(text: str) -> str:
    """Keep only long alphanumeric runs that mix letters and digits or cases the way encodings do."""
    kept = []
    for token in re.findall(r"[A-Za-z0-9+/=]{16,}", text):
        has_digit = any(c.isdigit() for c in token)
        has_upper = any(c.isupper() for c in token)
        has_lower = any(c.islower() for c in token)
        if (has_digit and (has_upper or has_lower)) or (has_upper and has_lower and not token.istitle()):
            kept.append(token)
    return " ".join(kept)


def _invisible_and_pictographic(text: str) -> list[str]:
    """Zero-width/bidi controls, emoji, pictographs and private-use characters."""
    problems = []
    for ch in text:
        code = ord(ch)
        category = unicodedata.category(ch)
        if code in _INVISIBLE or (category == "Cf" and ch not in "\n\t"):
            problems.append(f"invisible character: U+{code:04X}")
        elif category in ("So", "Cs", "Co") or 0x1F000 <= code <= 0x1FAFF or 0xFE00 <= code <= 0xFE0F:
            problems.append(f"emoji or pictograph: U+{code:04X}")
    return problems


def _homoglyphs(text: str) -> list[str]:
    """Words mixing scripts (e.g. Latin with Cyrillic), and full-width or mathematical letters."""
    problems = []
    for word in re.findall(r"\w+", text):
        scripts = {_script(ch) for ch in word if ch.isalpha()}
        scripts.discard("other")
        if len(scripts) > 1:
            problems.append(f"mixed-script word (homoglyph): {word!r}")
        if any(_is_styled_letter(ch) for ch in word):
            problems.append(f"styled or full-width letters: {word!r}")
    return problems


def _script(ch: str) -> str:
    """A coarse script name for a letter (enough to catch homoglyph substitution)."""
    name = unicodedata.name(ch, "")
    for script in ("LATIN", "CYRILLIC", "GREEK", "ARMENIAN", "CHEROKEE"):
        if name.startswith(script):
            return script
    return "other"


def _is_styled_letter(ch: str) -> bool:
    """Full-width, mathematical-alphanumeric or circled letters used to dodge filters."""
    code = ord(ch)
    return 0xFF01 <= code <= 0xFF5E or 0x1D400 <= code <= 0x1D7FF or 0x24B6 <= code <= 0x24E9


def _dedupe(items: list[str]) -> list[str]:
    """Keep the first occurrence of each problem, in order."""
    seen: set[str] = set()
    return [item for item in items if not (item in seen or seen.add(item))]
