"""Answers synthesised from the request: JSON valid for its JSON schema, text grounded in its user message."""

from __future__ import annotations

import json
import math
import random
import re
import uuid
from datetime import datetime, timedelta, timezone
from typing import Any

_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’&-]*")
_PHRASE = re.compile(r"\b[A-Z][a-zA-Z'’&-]+\.?(?:\s+(?:of|the|and|de|&)?\s*[A-Z][a-zA-Z'’&-]+)+")
_WRAPPING = "\"'“”‘’()[]{}<>*`"
_STOPWORDS = frozenset(
    "the a an and or but of to in on at for with by from as is are was were be been it its this that these those "
    "you your we our they their he she his her i me my not no yes do does did can will would should could".split()
)
_FALLBACK_TEXT = (
    "The caller wants to book an appointment for next Tuesday and asks about the cancellation policy "
    "before confirming their account details with the support agent."
)
_LONG_TEXT_KEYS = (
    "description", "instruction", "prompt", "outcome", "summary", "text", "content", "reason", "rationale",
    "message", "question", "answer", "body", "detail", "note", "goal", "scenario", "expected", "explanation",
)
_SHORT_NAME_KEYS = ("name", "title", "label", "persona", "topic", "intent")
_MAX_DEPTH = 8


class Vocabulary:
    """Words, capitalised phrases and word runs taken from the request's user messages."""

    def __init__(self, text: str):
        text = text if _WORD.search(text or "") else _FALLBACK_TEXT
        # Whitespace tokens keep names like "Dr." and "lookup_patient" intact; only wrapping punctuation goes.
        self.tokens = [t.strip(_WRAPPING).rstrip(",;:") for t in text.split()]
        self.tokens = [t for t in self.tokens if _WORD.search(t)] or _FALLBACK_TEXT.split()
        keywords = (t.rstrip(".!?") for t in self.tokens)
        self.words = [w for w in keywords if len(w) >= 3 and w.lower() not in _STOPWORDS] or self.tokens
        self.phrases = list(dict.fromkeys(p.strip() for p in _PHRASE.findall(text))) or [self.words[0].title()]

    @classmethod
    def from_messages(cls, messages: list[dict[str, Any]]) -> "Vocabulary":
        """Vocabulary of the user messages (all messages if there is no user message)."""
        user = [str(m.get("content") or "") for m in messages if isinstance(m, dict) and m.get("role") == "user"]
        if not any(user):
            user = [str(m.get("content") or "") for m in messages if isinstance(m, dict)]
        return cls("\n".join(user))

    def run(self, rng: random.Random, length: int) -> str:
        """A run of consecutive words from the text (reads like a fragment of it)."""
        length = max(1, min(length, len(self.tokens)))
        start = rng.randrange(0, len(self.tokens) - length + 1)
        return " ".join(self.tokens[start : start + length])

    def sentence(self, rng: random.Random) -> str:
        """A sentence made of one run of the text, mentioning a phrase or keyword from it."""
        anchor = rng.choice(self.phrases) if rng.random() < 0.6 else rng.choice(self.words)
        body = self.run(rng, rng.randint(5, 12))
        text = f"{anchor}: {body}" if rng.random() < 0.5 else f"{body} ({anchor})"
        return text[0].upper() + text[1:].rstrip(".!?") + "."

    def name(self, rng: random.Random) -> str:
        """A short title: a phrase from the text, often with a keyword."""
        phrase = rng.choice(self.phrases)
        if rng.random() < 0.6:
            phrase = f"{phrase} {rng.choice(self.words).lower()}"
        return phrase


class SchemaSynthesizer:
    """Builds a value valid for a JSON schema (as pydantic emits it), with strings drawn from a Vocabulary."""

    def __init__(self, root: dict[str, Any], vocabulary: Vocabulary, rng: random.Random):
        self.root = root
        self.vocabulary = vocabulary
        self.rng = rng

    def value(self, schema: Any = None, key: str = "", depth: int = 0) -> Any:
        """A value for `schema` (the root schema when omitted)."""
        schema = self.root if schema is None else schema
        if schema is True or schema == {}:
            return self._string({}, key)
        schema = self._resolve(schema)
        if "const" in schema:
            return schema["const"]
        if "enum" in schema:
            return self.rng.choice(schema["enum"])
        for keyword in ("anyOf", "oneOf"):
            if keyword in schema:
                return self.value(self._pick_branch(schema[keyword], depth), key, depth + 1)
        if "allOf" in schema:
            merged: dict[str, Any] = {}
            for part in schema["allOf"]:
                _merge(merged, self._resolve(part))
            _merge(merged, {k: v for k, v in schema.items() if k != "allOf"})
            return self.value(merged, key, depth + 1)
        kind = schema.get("type") or _implied_type(schema)
        if isinstance(kind, list):
            non_null = [k for k in kind if k != "null"]
            kind = "null" if not non_null or (len(non_null) < len(kind) and self.rng.random() < 0.1) else self.rng.choice(non_null)
        return {
            "object": self._object,
            "array": self._array,
            "string": self._string_schema,
            "integer": self._integer,
            "number": self._number,
            "boolean": lambda s, k, d: self.rng.random() < 0.5,
            "null": lambda s, k, d: None,
        }.get(kind, self._string_schema)(schema, key, depth)

    # --- composites -----------------------------------------------------------------------------

    def _object(self, schema: dict[str, Any], key: str, depth: int) -> dict[str, Any]:
        properties = schema.get("properties") or {}
        required = set(schema.get("required") or [])
        out: dict[str, Any] = {}
        for name, prop in properties.items():
            if name in required or (depth < _MAX_DEPTH and self.rng.random() < 0.8):
                out[name] = self.value(prop, name, depth + 1)
        extra = schema.get("additionalProperties")
        if not properties and isinstance(extra, dict) and depth < _MAX_DEPTH:
            for _ in range(self.rng.randint(1, 3)):
                out[self.rng.choice(self.vocabulary.words).lower()] = self.value(extra, key, depth + 1)
        low = schema.get("minProperties", 0)
        while len(out) < low:
            out[f"{self.rng.choice(self.vocabulary.words).lower()}_{len(out)}"] = self._string({}, key)
        return out

    def _array(self, schema: dict[str, Any], key: str, depth: int) -> list[Any]:
        prefix = schema.get("prefixItems") or []
        low = max(int(schema.get("minItems", 0)), len(prefix))
        high = schema.get("maxItems")
        if high is None:
            high = low + 3 if depth < _MAX_DEPTH else low
        if schema.get("items") is False:
            high = len(prefix)
        high = max(low, int(high))
        preferred_low = max(low, 1) if high >= 1 else 0
        count = self.rng.randint(preferred_low, min(high, preferred_low + 3))
        items_schema = schema.get("items", {}) if schema.get("items") is not False else {}
        out: list[Any] = []
        seen: set[str] = set()
        attempts = 0
        while len(out) < count and attempts < count * 10 + 10:
            attempts += 1
            index = len(out)
            item_schema = prefix[index] if index < len(prefix) else items_schema
            item = self.value(item_schema, key, depth + 1)
            if schema.get("uniqueItems"):
                fingerprint = json.dumps(item, sort_keys=True)
                if fingerprint in seen:
                    continue
                seen.add(fingerprint)
            out.append(item)
        return out

    def _pick_branch(self, branches: list[Any], depth: int) -> Any:
        resolved = [self._resolve(b) if isinstance(b, dict) else b for b in branches]
        nulls = [b for b in resolved if isinstance(b, dict) and b.get("type") == "null"]
        others = [b for b in resolved if not (isinstance(b, dict) and b.get("type") == "null")]
        if nulls and (not others or depth >= _MAX_DEPTH or self.rng.random() < 0.1):
            return nulls[0]
        return self.rng.choice(others)

    # --- scalars ------------------------------------------------------------------------------

    def _string_schema(self, schema: dict[str, Any], key: str, depth: int) -> str:
        return self._string(schema, key)

    def _string(self, schema: dict[str, Any], key: str) -> str:
        fmt = schema.get("format")
        if fmt:
            formatted = self._formatted(fmt)
            if formatted is not None:
                return formatted
        text = self._text_for_key(key.lower())
        low = int(schema.get("minLength", 0))
        high = schema.get("maxLength")
        while len(text) < low:
            text = f"{text} {self.vocabulary.sentence(self.rng)}".strip()
        if high is not None and len(text) > int(high):
            text = _clip(text, int(high), low)
        return text

    def _text_for_key(self, key: str) -> str:
        vocab, rng = self.vocabulary, self.rng
        if key.endswith(("_id", "slug")) or key in ("id", "key", "code"):
            return "_".join(w.lower() for w in (rng.choice(vocab.words) for _ in range(2)))
        if "email" in key:
            return f"{rng.choice(vocab.words).lower()}.{rng.choice(vocab.words).lower()}@example.com"
        if "phone" in key or key.endswith("number"):
            return "+1555" + "".join(str(rng.randint(0, 9)) for _ in range(7))
        if any(part in key for part in _SHORT_NAME_KEYS):
            return vocab.name(rng)
        if any(part in key for part in _LONG_TEXT_KEYS):
            return " ".join(vocab.sentence(rng) for _ in range(rng.randint(1, 3)))
        return vocab.run(rng, rng.randint(2, 8))

    def _formatted(self, fmt: str) -> str | None:
        rng = self.rng
        base = datetime(2026, 1, 1, tzinfo=timezone.utc) + timedelta(minutes=rng.randint(0, 525_600))
        if fmt == "date-time":
            return base.isoformat().replace("+00:00", "Z")
        if fmt == "date":
            return base.date().isoformat()
        if fmt == "time":
            return base.strftime("%H:%M:%S")
        if fmt == "email":
            return f"{rng.choice(self.vocabulary.words).lower()}@example.com"
        if fmt in ("uri", "url"):
            return f"https://example.com/{rng.choice(self.vocabulary.words).lower()}"
        if fmt == "uuid":
            return str(uuid.UUID(int=rng.getrandbits(128), version=4))
        return None

    def _integer(self, schema: dict[str, Any], key: str, depth: int) -> int:
        low, high = _bounds(schema, integer=True)
        step = schema.get("multipleOf")
        if step:
            step = int(step)
            first, last = -(-low // step), high // step
            return step * self.rng.randint(first, max(first, last))
        return self.rng.randint(low, max(low, high))

    def _number(self, schema: dict[str, Any], key: str, depth: int) -> float:
        low, high = _bounds(schema, integer=False)
        value = round(self.rng.uniform(low, high), 2)
        return min(max(value, low), high)

    def _resolve(self, schema: dict[str, Any]) -> dict[str, Any]:
        seen = 0
        while isinstance(schema, dict) and "$ref" in schema and seen < 32:
            target = self._pointer(schema["$ref"])
            siblings = {k: v for k, v in schema.items() if k != "$ref"}
            schema = {**target, **siblings} if siblings else target
            seen += 1
        return schema

    def _pointer(self, ref: str) -> dict[str, Any]:
        if not ref.startswith("#"):
            raise ValueError(f"only local $ref are supported, got {ref}")
        node: Any = self.root
        for part in ref.lstrip("#").strip("/").split("/"):
            if part:
                node = node[part.replace("~1", "/").replace("~0", "~")]
        return node


def _implied_type(schema: dict[str, Any]) -> str:
    if "properties" in schema or "additionalProperties" in schema:
        return "object"
    if "items" in schema or "prefixItems" in schema:
        return "array"
    if "minimum" in schema or "maximum" in schema:
        return "number"
    return "string"


def _bounds(schema: dict[str, Any], *, integer: bool) -> tuple[float, float]:
    nudge = 1 if integer else 0.01
    low = schema.get("minimum")
    if "exclusiveMinimum" in schema:
        low = schema["exclusiveMinimum"] + nudge
    high = schema.get("maximum")
    if "exclusiveMaximum" in schema:
        high = schema["exclusiveMaximum"] - nudge
    if low is None and high is None:
        low, high = 0, 100
    elif low is None:
        low = high - 100
    elif high is None:
        high = low + 100
    if integer:
        return math.ceil(low), math.floor(high)
    return float(low), float(high)


def _merge(into: dict[str, Any], part: dict[str, Any]) -> None:
    for key, value in part.items():
        if key == "properties" and isinstance(value, dict):
            into.setdefault("properties", {}).update(value)
        elif key == "required" and isinstance(value, list):
            into["required"] = sorted(set(into.get("required", [])) | set(value))
        else:
            into.setdefault(key, value)


def _clip(text: str, high: int, low: int) -> str:
    clipped = text[:high]
    at_space = clipped.rsplit(" ", 1)[0].rstrip(" ,:;(")
    return at_space if len(at_space) >= max(low, 1) else clipped


def extract_schema_from_messages(messages: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The JSON schema a json_object-mode client put in its messages (a ```json block or an inline object)."""
    for message in messages:
        content = str(message.get("content") or "") if isinstance(message, dict) else ""
        for match in re.finditer(r"```(?:json)?\s*(\{.*?\})\s*```", content, re.DOTALL):
            candidate = _as_schema(match.group(1))
            if candidate is not None:
                return candidate
        start = content.find("{")
        while start != -1:
            candidate = _first_object(content, start)
            if candidate is not None:
                return candidate
            start = content.find("{", start + 1)
    return None


def _as_schema(text: str) -> dict[str, Any] | None:
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        return None
    if isinstance(data, dict) and ("properties" in data or "type" in data or "$defs" in data):
        return data
    return None


def _first_object(content: str, start: int) -> dict[str, Any] | None:
    try:
        data, _ = json.JSONDecoder().raw_decode(content[start:])
    except json.JSONDecodeError:
        return None
    return data if isinstance(data, dict) and ("properties" in data or "$defs" in data) else None


def plain_text_answer(vocabulary: Vocabulary, rng: random.Random) -> str:
    """A short prose answer grounded in the user message (requests without response_format)."""
    return " ".join(vocabulary.sentence(rng) for _ in range(rng.randint(2, 4)))
