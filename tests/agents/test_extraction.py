"""extract_text as a pure function: formats, encodings, and the caps that bound its work."""

from __future__ import annotations

import pytest

from scenarist.agents.extraction import ExtractionError, extract_text

from .pdf_bytes import make_pdf


def rejected(name: str, data: bytes, **limits) -> str:
    with pytest.raises(ExtractionError) as info:
        extract_text(name, data, **limits)
    return info.value.message


def test_pdf_pages_and_mime():
    out = extract_text("x.PDF", make_pdf(["One", "Two"], compress=True))
    assert (out.text, out.file_type, out.pages) == ("One\n\nTwo", "application/pdf", 2)


def test_compressed_pdf_bomb_stops_at_the_character_cap():
    bomb = make_pdf(["A" * 200_000] * 3, compress=True)
    assert len(bomb) < 5_000  # tiny on disk, large once inflated
    assert "longer than the limit of 10,000 characters" in rejected("bomb.pdf", bomb, max_chars=10_000)


def test_pdf_page_cap():
    assert rejected("p.pdf", make_pdf(["a"] * 4), max_pages=3) == "PDF has 4 pages; at most 3 are accepted"


def test_text_cap_applies_to_every_format():
    for name, data in [("a.txt", b"x" * 50), ("a.json", b'["' + b"x" * 50 + b'"]'), ("a.csv", b"h\n" + b"x" * 50),
                       ("a.html", b"<p>" + b"x" * 50 + b"</p>"), ("a.xml", b"<a>" + b"x" * 50 + b"</a>")]:  # fmt: skip
        assert "longer than the limit" in rejected(name, data, max_chars=20), name


def test_html_drops_hidden_content_and_keeps_word_boundaries():
    html = b"<title>Shop</title><style>.a{}</style><p>Hello <b>big</b> <i>world</i></p><noscript>no</noscript><td>a</td><td>b</td>"
    assert extract_text("s.html", html).text == "Shop\n\nHello big world\na b"


def test_xml_text_nodes_in_document_order_and_declared_encoding_ignored():
    xml = '<?xml version="1.0" encoding="ISO-8859-1"?><r>head<a>inner</a>tail<b>Zoë</b></r>'.encode()
    assert extract_text("d.xml", xml).text == "head\ninner\ntail\nZoë"


@pytest.mark.parametrize("doc", [b"<!DOCTYPE r><r/>", b'<r><!ENTITY x "y"></r>', b"<!doctype r><r/>"])
def test_xml_dtds_are_refused(doc):
    assert "DTD" in rejected("d.xml", doc)


def test_deeply_nested_xml_is_walked_without_recursion():
    depth = 50_000
    doc = b"<a>" * depth + b"deep" + b"</a>" * depth
    assert extract_text("deep.xml", doc).text == "deep"


def test_json_flattening_and_depth_limit():
    assert extract_text("j.json", b'{"a": {"b": [true, null, 1.5]}, "c": "x"}').text == (
        "a.b[0]: true\na.b[1]: null\na.b[2]: 1.5\nc: x"
    )
    assert extract_text("j.json", b'"just a string"').text == "just a string"
    assert extract_text("j.json", b"[" * 64 + b"]" * 64).text.endswith(": []")
    assert "nested deeper than 64" in rejected("j.json", b"[" * 65 + b"]" * 65)
    assert "nested deeper than 64" in rejected("j.json", b"[" * 100_000 + b"]" * 100_000)


def test_csv_semicolon_delimiter_and_ragged_rows():
    data = "name;city\nAnn;Paris;extra\n;Rome\n".encode()
    assert extract_text("c.csv", data).text == "Columns: name, city\nname: Ann; city: Paris; column 3: extra\ncity: Rome"


def test_csv_field_too_large_is_a_clean_error():
    assert "is not valid CSV" in rejected("c.csv", b'h\n"' + b"x" * 200_000 + b'"\n')


@pytest.mark.parametrize(
    "data, fragment",
    [
        (b"\xff\xfeA\x00\x00\xd8", "not valid UTF-16"),  # BOM then a lone surrogate
        ("naïve".encode("cp1252"), "byte 0xef at offset 2"),
        (b"PK\x03\x04zip", "a ZIP archive"),
    ],
)
def test_encoding_and_binary_rejections(data, fragment):
    assert fragment in rejected("t.txt", data)


def test_utf16_big_endian_with_bom():
    assert extract_text("t.md", "# Título".encode("utf-16-be").join([b"\xfe\xff", b""])).text == "# Título"


def test_newlines_are_normalised():
    assert extract_text("t.txt", b"a\r\nb\rc\n\n\n\n\nd  \n").text == "a\nb\nc\n\nd"
