"""Machine values as a caller would say them: '2026-07-16T09:00' → 'Thursday July sixteenth at nine AM'."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

_ONES = ("zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
         "seventeen eighteen nineteen").split()
_TENS = {20: "twenty", 30: "thirty", 40: "forty", 50: "fifty"}
_ORDINAL_ONES = {1: "first", 2: "second", 3: "third", 4: "fourth", 5: "fifth", 6: "sixth", 7: "seventh",
                 8: "eighth", 9: "ninth", 10: "tenth", 11: "eleventh", 12: "twelfth", 13: "thirteenth",
                 14: "fourteenth", 15: "fifteenth", 16: "sixteenth", 17: "seventeenth", 18: "eighteenth",
                 19: "nineteenth", 20: "twentieth", 30: "thirtieth"}
_MONTHS = {"en": ("January February March April May June July August September October November December").split(),
           "es": "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre".split()}
_DAYS = {"en": "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split(),
         "es": "lunes martes miércoles jueves viernes sábado domingo".split()}
_ISO = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:[T ](\d{1,2}):(\d{2})(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$")
_CLOCK = re.compile(r"^(\d{1,2}):(\d{2})(?::\d{2})?$")


def number_words(n: int) -> str:
    """0–59 in English words."""
    if n < 20:
        return _ONES[n]
    tens, ones = divmod(n, 10)
    return _TENS[tens * 10] + (f"-{_ONES[ones]}" if ones else "")


def ordinal_words(n: int) -> str:
    """1–31 as an English ordinal ('sixteenth', 'twenty-first')."""
    if n in _ORDINAL_ONES:
        return _ORDINAL_ONES[n]
    tens, ones = divmod(n, 10)
    return f"{_TENS[tens * 10]}-{_ORDINAL_ONES[ones]}"


def spoken_time(hour: int, minute: int, language: str = "en") -> str:
    """'nine AM', 'two fifteen PM', 'noon' (Spanish: 'las nueve y cuarto' style kept numeric: 'las 9:15')."""
    if language.startswith("es"):
        return f"las {hour}:{minute:02d}" if minute else f"las {hour}"
    if (hour, minute) == (12, 0):
        return "noon"
    suffix = "AM" if hour < 12 else "PM"
    h12 = hour % 12 or 12
    if minute == 0:
        return f"{number_words(h12)} {suffix}"
    if minute < 10:
        return f"{number_words(h12)} oh {number_words(minute)} {suffix}"
    return f"{number_words(h12)} {number_words(minute)} {suffix}"


def spoken_date(day: date, language: str = "en", with_weekday: bool = True) -> str:
    """'Thursday July sixteenth' / 'jueves 16 de julio'."""
    lang = "es" if language.startswith("es") else "en"
    weekday = _DAYS[lang][day.weekday()]
    month = _MONTHS[lang][day.month - 1]
    if lang == "es":
        return f"{weekday + ' ' if with_weekday else ''}{day.day} de {month}"
    return f"{weekday + ' ' if with_weekday else ''}{month} {ordinal_words(day.day)}"


def spoken_birthday(day: date, language: str = "en") -> str:
    """A date of birth as said aloud: 'March fourteenth, 1958' / '14 de marzo de 1958'."""
    if language.startswith("es"):
        return f"{day.day} de {_MONTHS['es'][day.month - 1]} de {day.year}"
    return f"{_MONTHS['en'][day.month - 1]} {ordinal_words(day.day)}, {day.year}"


def spoken(value: Any, language: str = "en") -> str:
    """Any fixture value as a caller says it: dates and times in words, snake_case enums as words."""
    if isinstance(value, bool):
        return ("sí" if value else "no") if language.startswith("es") else ("yes" if value else "no")
    if isinstance(value, list):
        return ", ".join(spoken(v, language) for v in value)
    text = str(value).strip()
    match = _ISO.match(text)
    if match:
        day = date.fromisoformat(match.group(1))
        said = spoken_date(day, language)
        if match.group(2):
            joiner = " a " if language.startswith("es") else " at "
            said += joiner + spoken_time(int(match.group(2)), int(match.group(3)), language)
        return said
    clock = _CLOCK.match(text)
    if clock and int(clock.group(1)) < 24:
        return spoken_time(int(clock.group(1)), int(clock.group(2)), language)
    if re.fullmatch(r"[a-z]+(?:_[a-z0-9]+)+", text) or re.fullmatch(r"[A-Z]+(?:_[A-Z0-9]+)+", text):
        return text.replace("_", " ").lower()
    return text


def is_date_value(value: Any) -> bool:
    """Whether a fixture value is an ISO date or date-time."""
    return isinstance(value, str) and bool(_ISO.match(value.strip()))


def as_datetime(value: str) -> datetime | None:
    """An ISO date/date-time string as a datetime (midnight for a bare date)."""
    match = _ISO.match(value.strip())
    if not match:
        return None
    day = date.fromisoformat(match.group(1))
    return datetime(day.year, day.month, day.day, int(match.group(2) or 0), int(match.group(3) or 0))
