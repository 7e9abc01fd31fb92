"""Non-PDF formats, and OCR of scanned pages with the real Tesseract."""

from __future__ import annotations

import difflib
import io

import pytest

import disclosure_nlp
from disclosure_nlp.extract.ocr import tesseract_path
from disclosure_nlp.testing import pdfs

needs_tesseract = pytest.mark.skipif(
    tesseract_path() is None, reason="tesseract-ocr is not installed (scripts/setup.sh installs it)"
)

SCANNED_BLOCKS = [
    ("heading", "Modern Slavery Statement"),
    ("para", "This statement sets out the steps taken by Harbour Foods Limited to prevent modern slavery "
             "in its business and supply chains during the year ended 31 March 2024."),
    ("para", "We audited nine seafood processors in Thailand and found no evidence of forced labour."),
]


def _similarity(a: str, b: str) -> float:
    # autojunk=False: its popularity heuristic distorts ratios of strings over 200 characters
    return difflib.SequenceMatcher(None, " ".join(a.split()), " ".join(b.split()), autojunk=False).ratio()


@needs_tesseract
def test_scanned_pdf_is_ocrd_and_recorded():
    data = pdfs.scanned_pdf(SCANNED_BLOCKS, dpi=150)
    doc = disclosure_nlp.read(data)
    assert doc.info.ocr_pages == [1]
    assert doc.pages[0].method == "ocr"
    expected = " ".join(b[1] for b in SCANNED_BLOCKS)
    assert _similarity(doc.text, expected) > 0.9
    audit = [s for s in doc.sentences if "seafood processors" in s.text]
    assert audit and audit[0].page == 1


@needs_tesseract
def test_only_the_scanned_page_is_ocrd_in_a_mixed_pdf():
    blocks = pdfs.sample_statement_blocks(seed=2, n_paragraphs=10)
    data = pdfs.mixed_pdf(blocks, scanned_pages=(2,))
    doc = disclosure_nlp.read(data)
    assert doc.info.ocr_pages == [2]
    assert [p.method for p in doc.pages[:3]] == ["text", "ocr", "text"][: len(doc.pages[:3])]
    assert any(s.page == 2 for s in doc.sentences)
    never = disclosure_nlp.read(data, ocr="never")
    assert never.info.ocr_pages == [] and 2 in never.info.empty_pages


def test_docx_headings_lists_tables_and_page_breaks():
    import docx
    from docx.enum.text import WD_BREAK

    d = docx.Document()
    d.add_heading("Our supply chains", level=1)
    d.add_paragraph("We buy uniforms from 40 suppliers in 6 countries. Most are tier-one garment factories.")
    d.add_paragraph("Factories in Bangladesh were audited", style="List Bullet")
    d.add_paragraph("Workers were interviewed off site", style="List Bullet")
    table = d.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Supplier", "Country"
    table.cell(1, 0).text, table.cell(1, 1).text = "Delta Apparel", "Bangladesh"
    d.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    d.add_heading("Approval", level=1)
    d.add_paragraph("This statement was approved by the Board of Directors on 3 June 2024.")
    buf = io.BytesIO()
    d.save(buf)
    doc = disclosure_nlp.read(buf.getvalue())
    assert doc.info.source_type == "docx"
    got = [(s.page, s.heading, s.text) for s in doc.sentences]
    assert got == [
        (1, "Our supply chains", "Our supply chains"),
        (1, "Our supply chains", "We buy uniforms from 40 suppliers in 6 countries."),
        (1, "Our supply chains", "Most are tier-one garment factories."),
        (1, "Our supply chains", "Factories in Bangladesh were audited"),
        (1, "Our supply chains", "Workers were interviewed off site"),
        (1, "Our supply chains", "Supplier | Country"),
        (1, "Our supply chains", "Delta Apparel | Bangladesh"),
        (2, "Approval", "Approval"),
        (2, "Approval", "This statement was approved by the Board of Directors on 3 June 2024."),
    ]


def test_html_structure_and_scripts_dropped():
    html = b"""<!DOCTYPE html><html><head><title>x</title><style>p{color:red}</style></head><body>
    <h2>Risks in our operations</h2><p>We employ 3,000 seasonal pickers via labour hire firms. Recruitment
    fees are a known risk.</p><ul><li>Audits of 5 labour hire providers</li><li>A worker hotline in 4 languages</li></ul>
    <script>var x = "Not a sentence.";</script></body></html>"""
    doc = disclosure_nlp.read(html)
    assert doc.info.source_type == "html"
    assert [s.text for s in doc.sentences] == [
        "Risks in our operations",
        "We employ 3,000 seasonal pickers via labour hire firms.",
        "Recruitment fees are a known risk.",
        "Audits of 5 labour hire providers",
        "A worker hotline in 4 languages",
    ]
    assert all(s.heading == "Risks in our operations" for s in doc.sentences)


def test_txt_file_path_and_cp1252(tmp_path):
    path = tmp_path / "statement.txt"
    path.write_bytes("Our suppliers\u2019 workers are paid on time.\n\nWe act.".encode("cp1252"))
    doc = disclosure_nlp.read(path)
    assert doc.name == "statement.txt"
    assert [s.text for s in doc.sentences] == ["Our suppliers\u2019 workers are paid on time.", "We act."]
