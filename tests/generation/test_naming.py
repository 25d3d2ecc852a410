"""The one naming rule: ≤ 80 characters, cut at a word boundary, unique case-insensitively, qualifiers first."""

from scenarist.generation.naming import MAX_NAME_CHARS, fit_name, unique_name


def test_fit_name_cuts_at_a_word_and_drops_a_dangling_article():
    text = "Ask about the opening hours of the clinic on a public holiday and the parking rules for the"
    fitted = fit_name(text)
    assert len(fitted) <= MAX_NAME_CHARS and text.startswith(fitted)
    assert not fitted.endswith((" the", " of", " and"))


def test_unique_name_prefers_a_qualifier_then_a_number():
    taken = {"Book a check-up"}
    assert unique_name("Book a check-up", taken) == "Book a check-up (2)"
    assert unique_name("book a CHECK-UP", taken, qualifiers=[None, "Priya"]) == "book a CHECK-UP (Priya)"
    assert unique_name("Fresh name", taken) == "Fresh name"
    long_taken = {fit_name("x " * 60)}
    assert len(unique_name("x " * 60, long_taken)) <= MAX_NAME_CHARS
