"""The language codes the reference accepts for agents, personalities and scenarios."""

LANGUAGE_CODES: tuple[str, ...] = (
    "af", "ar", "bn", "bg", "zh", "cs", "da", "nl", "en", "et", "fi", "fr", "de", "el", "gu", "hi", "he",
    "hu", "id", "it", "ja", "kn", "ko", "ms", "ml", "mr", "multi", "no", "pl", "pa", "pt", "ro", "ru", "sk",
    "es", "sv", "th", "tr", "tl", "ta", "te", "uk", "vi",
)


def is_language_code(code: str) -> bool:
    """True when `code` is one of the accepted language codes."""
    return code in LANGUAGE_CODES
