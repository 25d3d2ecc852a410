"""A dental clinic's knowledge base in four formats, extracted the way the service extracts uploads."""

from __future__ import annotations

import io

from pypdf import PdfWriter
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

from scenarist.agents.extraction import extract_text
from scenarist.generation.types import AgentSpec, KBDocument
from tests.fixtures.agents import dental_agent

HANDBOOK_PAGES = [
    [
        "Park Row Dental Patient Handbook",
        "Welcome to Park Row Dental. This handbook explains how the practice works.",
        "Our reception team answers the phone from 8am to 6pm, Monday to Friday.",
        "New patients should arrive 15 minutes early to complete a medical history form.",
    ],
    [
        "Paying for treatment",
        "We accept debit cards, credit cards and bank transfers.",
        "A deposit of 50 pounds is required for any treatment plan over 500 pounds.",
        "Payment plans are available for treatment plans above 1,000 pounds, spread over 12 months.",
    ],
    [
        "Children and young people",
        "Children under 18 must be accompanied by a parent or legal guardian at every appointment.",
        "Check-ups for children are free of charge until their 18th birthday.",
    ],
    [
        "Emergency care",
        "If you have severe swelling or bleeding that will not stop, call 999 or go to A and E.",
        "Emergency appointments are held back every weekday at 8:30am for patients in pain.",
    ],
]

FAQ_MD = """# Frequently asked questions

Park Row Dental is a family dental practice in the city centre.

## Opening hours

The clinic is open Monday to Friday from 8am to 6pm. On Saturdays we open from 9am to 1pm for hygiene appointments only.
We are closed on Sundays and bank holidays.

## Booking and cancelling

You can book appointments by phone or at the front desk.
If you cancel with less than 24 hours' notice, a £25 late cancellation fee is charged.
Appointment reminders are sent by text message two days before your visit.

## Whitening

Teeth whitening takes two appointments, about two weeks apart.
Whitening is not suitable for patients under 18 or during pregnancy.

## X-rays

We take routine X-rays every 2 years for adults, or sooner if your dentist needs them.
"""

PRICES_CSV = """treatment,price,duration_minutes,notes
Check-up,£45,30,Includes a short oral cancer screening
Hygiene clean,£65,45,Scale and polish by our hygienist
Filling (white),£120,60,Per tooth
Root canal (front tooth),£350,90,Usually two visits
Crown,£650,60,Two visits; temporary crown fitted at first visit
Whitening (home kit),£295,30,Includes custom trays
Emergency appointment,£75,20,Pain relief and assessment only
"""

POLICIES_TXT = """Late arrivals
If you arrive more than 10 minutes late, we may need to rebook your appointment.

Missed appointments
After three missed appointments without notice, we may ask you to pay a deposit before booking again.

Complaints
To make a complaint, write to the practice manager, who will reply within 10 working days.

Records
We keep dental records for at least 11 years after your last visit, as required by law.
"""


def make_pdf(pages: list[list[str]]) -> bytes:
    """A real PDF with one text line per entry (Helvetica), built with pypdf."""
    writer = PdfWriter()
    for lines in pages:
        page = writer.add_blank_page(612, 792)
        font = DictionaryObject({
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"),
        })
        page[NameObject("/Resources")] = DictionaryObject(
            {NameObject("/Font"): DictionaryObject({NameObject("/F1"): writer._add_object(font)})}
        )
        ops = ["BT", "/F1 11 Tf", "14 TL", "72 740 Td"]
        for line in lines:
            escaped = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
            ops.append(f"({escaped}) Tj T*")
        ops.append("ET")
        stream = DecodedStreamObject()
        stream.set_data("\n".join(ops).encode("latin-1"))
        page[NameObject("/Contents")] = writer._add_object(stream)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def kb_document(file_id: int, file_name: str, data: bytes) -> KBDocument:
    """A KBDocument holding the text the service would extract from this upload."""
    extracted = extract_text(file_name, data)
    return KBDocument(file_id=file_id, file_name=file_name, file_type=extracted.file_type, text=extracted.text)


def dental_kb() -> list[KBDocument]:
    """Four files in four formats: PDF handbook, Markdown FAQ, CSV price list, plain-text policies."""
    return [
        kb_document(101, "patient-handbook.pdf", make_pdf(HANDBOOK_PAGES)),
        kb_document(102, "faq.md", FAQ_MD.encode()),
        kb_document(103, "prices.csv", PRICES_CSV.encode()),
        kb_document(104, "policies.txt", POLICIES_TXT.encode()),
    ]


def dental_agent_with_kb() -> AgentSpec:
    """The shared dental test agent with the four-file knowledge base attached."""
    agent = dental_agent()
    return agent.model_copy(update={"kb_files": dental_kb()})


ORIGINAL = {"faq.md": FAQ_MD, "prices.csv": PRICES_CSV, "policies.txt": POLICIES_TXT}


def in_original(doc: KBDocument, quote: str) -> bool:
    """Whether a quote occurs verbatim in the file a person opens (the extracted text for a PDF)."""
    return quote in ORIGINAL.get(doc.file_name, doc.text)
