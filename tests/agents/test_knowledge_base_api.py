"""Knowledge-base files over HTTP: uploads in every format, limits, rejections, listing, deletes."""

from __future__ import annotations

import base64

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from scenarist.agents.models import KnowledgeBaseFile

from .helpers import BASE, make_agent
from .pdf_bytes import make_pdf

FILE_FIELDS = {"id", "agent", "file_name", "file_type", "file_size", "text_chars", "created_at"}


@pytest.fixture
def agent_url(api):
    return f"{BASE}{make_agent(api)['id']}/"


def upload(api, agent_url, *files: tuple[str, bytes]):
    """Multipart upload of (name, bytes) pairs under the `files` key."""
    parts = [SimpleUploadedFile(name, data) for name, data in files]
    return api.post(f"{agent_url}upload_knowledge_base/", {"files": parts}, format="multipart")


def upload_json(api, agent_url, body):
    return api.post(f"{agent_url}upload_knowledge_base/", body, format="json")


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


CASES = [
    ("policy.txt", b"Refunds are issued within 5 business days.", "Refunds are issued within 5 business days.", "text/plain"),
    ("faq.md", "# FAQ\n\nWe open at 9am. Café".encode(), "# FAQ\n\nWe open at 9am. Café", "text/markdown"),
    ("guide.pdf", make_pdf(["Warranty lasts two years.", "Returns need a receipt."]),
     "Warranty lasts two years.\n\nReturns need a receipt.", "application/pdf"),
    ("data.json", b'{"plans": [{"name": "Gold", "price": 30}]}', "plans[0].name: Gold\nplans[0].price: 30", "application/json"),
    ("prices.csv", b"item,price\r\nWidget,5\r\nGadget,7\r\n", "Columns: item, price\nitem: Widget; price: 5\nitem: Gadget; price: 7", "text/csv"),
    ("hours.xml", b"<hours><day name='mon'>9-5</day><day>Closed on Sunday</day></hours>", "9-5\nClosed on Sunday", "application/xml"),
    ("page.html", b"<html><body><h1>Shipping</h1><p>Free over <b>$50</b>.</p><script>x()</script></body></html>",
     "Shipping\n\nFree over $50.", "text/html"),
    ("page.htm", b"<p>Old style</p><style>p{}</style>", "Old style", "text/html"),
    ("bom.txt", b"\xef\xbb\xbfWith BOM", "With BOM", "text/plain"),
    ("wide.txt", "UTF-16 text".encode("utf-16"), "UTF-16 text", "text/plain"),
]  # fmt: skip


@pytest.mark.parametrize("name, data, text, mime", CASES, ids=[c[0] for c in CASES])
def test_every_allowed_format_is_extracted(api, agent_url, name, data, text, mime):
    r = upload(api, agent_url, (name, data))
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["count"] == 1 and body["next"] is None and body["previous"] is None
    item = body["results"][0]
    assert set(item) == FILE_FIELDS
    assert (item["file_name"], item["file_type"], item["file_size"]) == (name, mime, len(data))
    assert item["text_chars"] == len(text)
    detail = api.get(f"{agent_url}knowledge_base/{item['id']}/").json()
    assert detail["extracted_text"] == text
    row = KnowledgeBaseFile.objects.get(pk=item["id"])
    assert bytes(row.content) == data and len(row.sha256) == 64


def test_multipart_many_files_and_agent_lists_their_ids(api, agent_url):
    r = upload(api, agent_url, ("a.txt", b"alpha"), ("b.md", b"beta"))
    assert r.status_code == 201 and r.json()["count"] == 2
    ids = [f["id"] for f in r.json()["results"]]
    assert api.get(agent_url).json()["knowledge_base_files"] == ids


def test_json_single_object_raw_and_data_uri(api, agent_url):
    r = upload_json(api, agent_url, {"name": "manual.pdf", "content_base64": b64(make_pdf(["Manual text"]))})
    assert r.status_code == 201, r.content
    assert r.json()["results"][0]["file_type"] == "application/pdf"
    uri = "data:text/plain;base64," + b64(b"from a data uri")
    r = upload_json(api, agent_url, {"name": "u.txt", "content_base64": uri})
    assert r.status_code == 201
    assert api.get(f"{agent_url}knowledge_base/{r.json()['results'][0]['id']}/").json()["extracted_text"] == "from a data uri"


def test_json_files_list(api, agent_url):
    body = {"files": [{"name": "a.txt", "content_base64": b64(b"one")}, {"name": "b.csv", "content_base64": b64(b"h\nv")}]}
    r = upload_json(api, agent_url, body)
    assert r.status_code == 201 and [f["file_name"] for f in r.json()["results"]] == ["a.txt", "b.csv"]


def test_directory_part_of_a_name_is_dropped(api, agent_url):
    r = upload_json(api, agent_url, {"name": "../../etc/notes.txt", "content_base64": b64(b"x")})
    assert r.json()["results"][0]["file_name"] == "notes.txt"


@pytest.mark.parametrize(
    "name, data, fragment",
    [
        ("report.exe", b"MZ", "report.exe: file type .exe is not allowed (allowed: .csv, .htm, .html, .json, .md, .pdf, .txt, .xml)"),
        ("noext", b"hello", "noext: file type (no extension) is not allowed"),
        ("fake.pdf", b"just text", "fake.pdf: is not a PDF"),
        ("real.txt", make_pdf(["x"]), "real.txt: content is a PDF document"),
        ("bin.txt", b"abc\x00\x01\x02", "bin.txt: contains NUL bytes"),
        ("latin.txt", "café".encode("latin-1"), "latin.txt: is not valid UTF-8 text"),
        ("empty.txt", b"", "empty.txt: file is empty"),
        ("blank.md", b"   \n\n ", "blank.md: no readable text"),
        ("bad.json", b"{nope", "bad.json: is not valid JSON"),
        ("bomb.xml", b"<!DOCTYPE a [<!ENTITY x 'y'>]><a>&x;</a>", "bomb.xml: XML with a DTD"),
        ("broken.xml", b"<a><b></a>", "broken.xml: is not well-formed XML"),
        ("broken.pdf", b"%PDF-1.4\nnot really", "broken.pdf: PDF could not be read"),
        ("image.html", b"\x89PNG\r\n\x1a\n", "image.html: content is a PNG image"),
    ],
)
def test_rejected_files_are_400_naming_the_file(api, agent_url, name, data, fragment):
    r = upload(api, agent_url, (name, data))
    assert r.status_code == 400
    assert any(fragment in message for message in r.json()["files"]), r.json()


def test_one_bad_file_rejects_the_whole_batch(api, agent_url):
    r = upload(api, agent_url, ("good.txt", b"fine"), ("bad.exe", b"x"), ("worse.txt", b"\xff\xfe\xfd"[1:]))
    assert r.status_code == 400
    assert len(r.json()["files"]) == 2  # every rejection is reported, not just the first
    assert KnowledgeBaseFile.objects.count() == 0


def test_size_limit(api, agent_url, settings):
    settings.KB_MAX_FILE_BYTES = 10
    assert upload(api, agent_url, ("ok.txt", b"0123456789")).status_code == 201
    r = upload(api, agent_url, ("big.txt", b"01234567890"))
    assert r.status_code == 400 and r.json()["files"] == ["big.txt: file is 11 bytes; the limit is 10 bytes per file"]
    r = upload_json(api, agent_url, {"name": "big.md", "content_base64": b64(b"x" * 11)})
    assert r.status_code == 400 and "big.md: file is 11 bytes" in r.json()["files"][0]


def test_extracted_text_cap_rejects(api, agent_url, settings):
    settings.KB_MAX_EXTRACTED_CHARS = 20
    r = upload(api, agent_url, ("long.pdf", make_pdf(["a" * 15, "b" * 15])))
    assert r.status_code == 400 and "long.pdf: extracted text is longer than the limit of 20" in r.json()["files"][0]


def test_pdf_page_cap_rejects(api, agent_url, settings):
    settings.KB_MAX_PDF_PAGES = 2
    r = upload(api, agent_url, ("many.pdf", make_pdf(["1", "2", "3"])))
    assert r.status_code == 400 and r.json()["files"] == ["many.pdf: PDF has 3 pages; at most 2 are accepted"]


@pytest.mark.parametrize(
    "body, fragment",
    [
        ({}, "No files were submitted."),
        ({"name": "a.txt"}, "a.txt: content_base64 is required"),
        ({"name": "a.txt", "content_base64": "!!!not base64!!!"}, "a.txt: content_base64 is not valid base64."),
        ({"content_base64": b64(b"x")}, "a file name is required"),
        ({"files": "nope"}, "Expected a list"),
        ({"files": [5]}, "files[0]: expected an object"),
    ],
)
def test_malformed_json_uploads_are_400(api, agent_url, body, fragment):
    r = upload_json(api, agent_url, body)
    assert r.status_code == 400
    assert any(fragment in m for m in r.json()["files"]), r.json()


def test_list_is_paginated_without_text(api, agent_url):
    upload(api, agent_url, *[(f"f{i}.txt", f"file {i}".encode()) for i in range(3)])
    page = api.get(f"{agent_url}knowledge_base/", {"page_size": 2}).json()
    assert page["count"] == 3 and len(page["results"]) == 2 and page["next"]
    assert set(page["results"][0]) == FILE_FIELDS


def test_delete_one_and_bulk_delete(api, agent_url):
    ids = [f["id"] for f in upload(api, agent_url, *[(f"f{i}.txt", b"x") for i in range(4)]).json()["results"]]
    assert api.delete(f"{agent_url}knowledge_base/{ids[0]}/").status_code == 204
    assert api.get(f"{agent_url}knowledge_base/{ids[0]}/").status_code == 404
    r = api.delete(f"{agent_url}delete_knowledge_base/", {"file_ids": [ids[1], 999999]}, format="json")
    assert r.status_code == 200 and r.json() == {"deleted_count": 1}
    r = api.delete(f"{agent_url}delete_knowledge_base/?file_ids={ids[2]}")
    assert r.json() == {"deleted_count": 1}
    assert api.delete(f"{agent_url}delete_knowledge_base/", {"file_ids": ["x"]}, format="json").status_code == 400
    assert api.delete(f"{agent_url}delete_knowledge_base/").json() == {"deleted_count": 1}
    assert api.get(f"{agent_url}knowledge_base/").json()["count"] == 0


def test_file_of_another_agent_is_404(api, agent_url):
    file_id = upload(api, agent_url, ("a.txt", b"x")).json()["results"][0]["id"]
    other = f"{BASE}{make_agent(api)['id']}/"
    assert api.get(f"{other}knowledge_base/{file_id}/").status_code == 404
    assert api.delete(f"{other}knowledge_base/{file_id}/").status_code == 404
    assert api.delete(f"{other}delete_knowledge_base/", {"file_ids": [file_id]}, format="json").json() == {"deleted_count": 0}
    assert KnowledgeBaseFile.objects.filter(pk=file_id).exists()
