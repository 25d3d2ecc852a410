"""Size limits of free-text request fields (one place for the decision)."""

# Long enough for a very long agent system prompt (~50k tokens); a 10 MB form field is a clear 400 naming the field.
MAX_TEXT_FIELD_CHARS = 200_000

BOUNDED_TEXT = {"max_length": MAX_TEXT_FIELD_CHARS}


def check_text_length(value: str | None) -> str | None:
    """DRF's max_length rule for fields whose schema must not change (seed-compatible request bodies)."""
    from rest_framework import serializers

    if value is not None and len(value) > MAX_TEXT_FIELD_CHARS:
        raise serializers.ValidationError(f"Ensure this field has no more than {MAX_TEXT_FIELD_CHARS} characters.")
    return value
