"""The prompt's language, told by py3langid (its model ships inside the package; nothing is downloaded)."""

from __future__ import annotations

import re
from functools import lru_cache

MIN_PROBABILITY = 0.9
SAMPLE_CHARS = 6000
_NOISE = re.compile(r"\{\{[^}]*\}\}|`[^`]*`|<[^>]+>|\b\w+_\w+\b|https?://\S+")


@lru_cache(maxsize=1)
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


@lru_cache(maxsize=256)
def detect_language(text: str) -> str | None:
    """ISO 639-1 code of the text's language when the detector is confident, else None."""
    sample = _NOISE.sub(" ", text)[:SAMPLE_CHARS]
    if len(sample.split()) < 8:
        return None
    code, probability = _identifier().classify(sample)
    return code if probability >= MIN_PROBABILITY else None
