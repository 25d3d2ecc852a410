"""The prompt's language, told by py3langid (its model ships inside the package; nothing is downloaded).

Loading that model takes seconds, so a prompt that plainly reads in the agent's declared language (its most common
function words) is taken at its word; the model decides every other case.
"""

from __future__ import annotations

import re
from functools import lru_cache

MIN_PROBABILITY = 0.9
SAMPLE_CHARS = 6000
PLAIN_SHARE = 0.12  # share of a text's words that are the declared language's function words to take it as such
_NOISE = re.compile(r"\{\{[^}]*\}\}|`[^`]*`|<[^>]+>|\b\w+_\w+\b|https?://\S+")
_FUNCTION_WORDS = {
    "en": set("the and to of a you is in for that it with on be or are if your not they this as do at can".split()),
    "es": set("el la de que y en los las un una por con para es no se su al lo del le si como más".split()),
}


@lru_cache(maxsize=1)
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def _reads_as(sample: str, language: str) -> bool:
    """Whether the text plainly reads in that language (and clearly not in another we know)."""
    words = re.findall(r"[a-záéíóúñü]+", sample.lower())
    if len(words) < 40 or language not in _FUNCTION_WORDS:
        return False
    shares = {lang: sum(w in vocabulary for w in words) / len(words) for lang, vocabulary in _FUNCTION_WORDS.items()}
    return shares[language] >= PLAIN_SHARE and shares[language] >= 2 * max(
        (share for lang, share in shares.items() if lang != language), default=0)


@lru_cache(maxsize=256)
def detect_language(text: str, declared: str | None = None) -> str | None:
    """ISO 639-1 code of the text's language (the declared one when the text plainly reads so), else None when
    the detector is not confident."""
    sample = _NOISE.sub(" ", text)[:SAMPLE_CHARS]
    if len(sample.split()) < 8:
        return None
    if declared and _reads_as(sample, declared):
        return declared
    code, probability = _identifier().classify(sample)
    return code if probability >= MIN_PROBABILITY else None
