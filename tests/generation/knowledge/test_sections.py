"""Sections per format: markdown headings, PDF pages, CSV row groups, text paragraphs; passages are verbatim."""

from __future__ import annotations

from scenarist.generation.knowledge.passages import section_candidates
from scenarist.generation.knowledge.sections import file_format, split_sections
from scenarist.generation.types import KBDocument
from tests.generation.knowledge.kb_files import PRICES_CSV, dental_kb


def docs_by_name() -> dict[str, KBDocument]:
    return {d.file_name: d for d in dental_kb()}


def test_formats_are_recognised():
    docs = docs_by_name()
    assert [file_format(docs[n]) for n in ("patient-handbook.pdf", "faq.md", "prices.csv", "policies.txt")] == [
        "pdf", "markdown", "csv", "text"]


def test_markdown_sections_follow_headings():
    labels = [s.label for s in split_sections(docs_by_name()["faq.md"])]
    assert labels == ["Frequently asked questions", "Opening hours", "Booking and cancelling", "Whitening", "X-rays"]


def test_pdf_sections_are_its_pages():
    sections = split_sections(docs_by_name()["patient-handbook.pdf"])
    assert [s.label for s in sections] == ["page 1", "page 2", "page 3", "page 4"]
    assert sections[1].heading == "Paying for treatment"


def test_form_feed_pdf_text_splits_on_pages():
    doc = KBDocument(file_id=1, file_name="a.pdf", file_type="application/pdf",
                     text="Intro page text that is long enough.\fSecond page: fees are £10 per visit.\fThird page.")
    assert [s.label for s in split_sections(doc)] == ["page 1", "page 2", "page 3"]


def test_csv_sections_group_rows_raw_and_extracted():
    extracted = split_sections(docs_by_name()["prices.csv"])
    assert [s.label for s in extracted] == ["rows 2-6", "rows 7-8"]
    assert extracted[0].columns == ("treatment", "price", "duration_minutes", "notes")
    raw = KBDocument(file_id=2, file_name="plans.csv", file_type="text/csv",
                     text="plan,monthly_price,data\nBasic,$20,5GB\nPlus,$35,20GB\n")
    sections = split_sections(raw)
    assert [s.label for s in sections] == ["rows 2-3"]
    rows = section_candidates(raw, sections[0])
    assert [c.quote for c in rows] == ["Basic,$20,5GB", "Plus,$35,20GB"]


def test_text_sections_are_paragraphs():
    sections = split_sections(docs_by_name()["policies.txt"])
    assert [s.label for s in sections] == ["paragraph 1", "paragraph 2", "paragraph 3", "paragraph 4"]
    assert [s.heading for s in sections] == ["Late arrivals", "Missed appointments", "Complaints", "Records"]


def test_every_candidate_quote_is_verbatim_in_its_section():
    for doc in dental_kb():
        for section in split_sections(doc):
            for candidate in section_candidates(doc, section):
                located = doc.text[candidate.start:candidate.end]
                if doc.file_name.endswith(".csv"):  # the row as it stands in the uploaded file
                    assert any(line.startswith(candidate.quote) for line in PRICES_CSV.splitlines())
                    assert candidate.quote.split(",")[0] in located
                else:
                    assert located == candidate.quote
                assert section.start <= candidate.start < candidate.end <= section.end
                assert not candidate.quote.startswith(("#", "- ", "Q:"))


def test_faq_questions_become_the_asked_context():
    doc = KBDocument(file_id=3, file_name="faq.txt", text="Q: Do you take walk-ins?\nA: Yes, walk-ins are seen "
                                                          "between 2pm and 4pm on weekdays.")
    (section,) = split_sections(doc)
    (candidate,) = section_candidates(doc, section)
    assert candidate.asked == "Do you take walk-ins?"
    assert candidate.quote == "Yes, walk-ins are seen between 2pm and 4pm on weekdays."
    assert candidate.kind == "faq"
