"""The generated PDFs are what they claim to be (checked with pypdfium2 alone, not our extractor)."""

from __future__ import annotations

import io

import pytest

pytest.importorskip("reportlab")
pytest.importorskip("PIL")
pdfium = pytest.importorskip("pypdfium2")

from disclosure_nlp.testing import (  # noqa: E402
    LAYOUTS,
    PATHOLOGICAL_KINDS,
    blocks_text,
    corpus_pdfs,
    empty_pdf_bytes,
    encrypted_pdf,
    garbage_pdf,
    image_only_pdf,
    many_pages_pdf,
    mixed_pdf,
    pathological_pdf,
    render_pdf,
    sample_statement,
    sample_statement_blocks,
    scanned_pdf,
    truncated_pdf,
    zero_page_pdf,
)


def page_texts(pdf: bytes) -> list[str]:
    doc = pdfium.PdfDocument(pdf)
    try:
        out = []
        for i in range(len(doc)):
            page = doc[i]
            textpage = page.get_textpage()
            out.append(textpage.get_text_range())
            textpage.close()
            page.close()
        return out
    finally:
        doc.close()


def image_counts(pdf: bytes) -> list[int]:
    doc = pdfium.PdfDocument(pdf)
    try:
        counts = []
        for i in range(len(doc)):
            page = doc[i]
            counts.append(sum(1 for obj in page.get_objects() if obj.type == pdfium.raw.FPDF_PAGEOBJ_IMAGE))
            page.close()
        return counts
    finally:
        doc.close()


def squash(text: str) -> str:
    return " ".join(text.replace("\ufffe", "").replace("-\n", "").split())


BLOCKS = [
    ("heading", "Our structure, operations and supply chains"),
    ("para", "Acme Pty Ltd. employs approx. 1,200 people at No. 5 Main St., Sydney. We report under s. 16 of the Act."),
    ("bullets", ["Audits of tier 1 suppliers", "Training for buyers"]),
    ("numbered", ["Mapped our suppliers.", "Updated our code."]),
    ("table", [["Category", "Country"], ["Uniforms", "Bangladesh"], ["Cleaning", "Australia"]]),
    ("pagebreak",),
    ("heading", "Approval", 2),
    ("para", "This statement was approved by the Board on 1 March 2024."),
]


@pytest.mark.parametrize("layout", LAYOUTS)
def test_render_pdf_has_every_block_and_the_furniture(layout):
    pdf = render_pdf(BLOCKS, layout=layout, header="Acme Modern Slavery Statement", footer="Public",
                     title="Modern Slavery Statement 2024")
    texts = page_texts(pdf)
    assert len(texts) == 2  # the page break
    first, second = squash(texts[0]), squash(texts[1])
    for expected in ("Modern Slavery Statement 2024", "Our structure, operations and supply chains",
                     "No. 5 Main St., Sydney", "• Audits of tier 1 suppliers", "1. Mapped our suppliers.",
                     "2. Updated our code.", "Uniforms", "Bangladesh"):
        assert expected in first, expected
    assert "Approval" in second and "approved by the Board" in second
    for n, text in enumerate((first, second), 1):
        assert "Acme Modern Slavery Statement" in text
        assert "Public" in text
        assert f"Page {n} of 2" in text
    assert not any(image_counts(pdf))


def test_two_column_layout_really_has_two_columns():
    para = " ".join(f"Sentence number {i} of the long paragraph." for i in range(200))
    pdf = render_pdf([("para", para)], layout="two_column", page_numbers=False)
    doc = pdfium.PdfDocument(pdf)
    page = doc[0]
    textpage = page.get_textpage()
    width = page.get_width()
    lefts = [textpage.get_charbox(i)[0] for i in range(textpage.count_chars()) if textpage.get_text_range(i, 1).strip()]
    textpage.close()
    page.close()
    doc.close()
    assert min(lefts) < width * 0.2 and max(lefts) > width * 0.5
    assert not any(width * 0.48 < x < width * 0.52 for x in lefts)  # the gutter stays empty


def test_page_number_formats():
    assert "Page" not in squash(page_texts(render_pdf(BLOCKS[:2], page_numbers=False))[0])
    plain = page_texts(render_pdf(BLOCKS, page_numbers="{n}"))
    assert plain[1].rstrip().endswith("2")
    assert "Page" not in plain[1]


def test_scanned_pdf_has_no_text_layer_only_images():
    pdf = scanned_pdf(sample_statement_blocks(1, n_paragraphs=3), dpi=100)
    texts = page_texts(pdf)
    assert texts and all(t.strip() == "" for t in texts)
    assert all(c == 1 for c in image_counts(pdf))


def test_scanned_pdf_accepts_text_and_pdf_bytes():
    assert len(page_texts(scanned_pdf("First paragraph.\n\nSecond paragraph.", dpi=72))) == 1
    born = render_pdf(BLOCKS)
    assert len(page_texts(scanned_pdf(born, dpi=72))) == 2


def test_mixed_pdf_first_page_text_second_page_scan():
    pdf = mixed_pdf(dpi=100)
    texts = page_texts(pdf)
    assert len(texts) == 2
    assert len(texts[0].strip()) > 300 and texts[1].strip() == ""
    assert image_counts(pdf) == [0, 1]


def test_image_only_pdf():
    picture = image_only_pdf(n_pages=2)
    assert page_texts(picture) == ["", ""]
    assert image_counts(picture) == [1, 1]
    scan = image_only_pdf(with_text=True)
    assert all(t == "" for t in page_texts(scan))


def test_encrypted_pdf_needs_the_password():
    pdf = encrypted_pdf()
    with pytest.raises(pdfium.PdfiumError, match="password"):
        pdfium.PdfDocument(pdf)
    doc = pdfium.PdfDocument(pdf, password="secret")
    assert len(doc) >= 1
    doc.close()


def test_owner_password_only_pdf_opens_without_a_password():
    texts = page_texts(encrypted_pdf(user_password=""))
    assert "statement" in " ".join(texts).lower()


@pytest.mark.parametrize("data", [
    truncated_pdf(), truncated_pdf(0.9), garbage_pdf(), garbage_pdf("header"), garbage_pdf("html"),
    garbage_pdf("zip"), garbage_pdf("text"), empty_pdf_bytes(),
], ids=["truncated", "truncated_0.9", "random", "pdf_header", "html", "zip", "text", "empty"])
def test_bad_bytes_do_not_open(data):
    with pytest.raises(pdfium.PdfiumError):
        pdfium.PdfDocument(data)


def test_bad_bytes_shapes():
    assert empty_pdf_bytes() == b""
    assert garbage_pdf("header").startswith(b"%PDF-")
    assert not garbage_pdf().startswith(b"%PDF")
    assert garbage_pdf("html").lstrip().startswith(b"<!DOCTYPE html>")
    assert garbage_pdf("zip").startswith(b"PK")
    full = render_pdf(sample_statement_blocks(0, n_paragraphs=10))
    assert full.startswith(truncated_pdf(pdf=full)) and len(truncated_pdf(pdf=full)) == len(full) // 2


def test_zero_page_pdf_is_valid_but_pdfium_refuses_it():
    data = zero_page_pdf()
    with pytest.raises(pdfium.PdfiumError):
        pdfium.PdfDocument(data)
    pdfplumber = pytest.importorskip("pdfplumber")
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        assert len(pdf.pages) == 0


@pytest.mark.parametrize("n", [1, 7, 1200])
def test_many_pages_pdf(n):
    pdf = many_pages_pdf(n)
    doc = pdfium.PdfDocument(pdf)
    assert len(doc) == n
    page = doc[n - 1]
    textpage = page.get_textpage()
    assert f"Page {n} of {n}" in textpage.get_text_range()
    textpage.close()
    page.close()
    doc.close()


def test_pathological_pdfs_are_small_and_open():
    for kind in PATHOLOGICAL_KINDS:
        data = pathological_pdf(kind, scale=0.1 if kind != "inflate_bomb" else 0.02)
        assert data.startswith(b"%PDF-") and len(data) < 600_000, kind
    # the cycle claims a million pages it cannot load
    doc = pdfium.PdfDocument(pathological_pdf("page_tree_cycle"))
    assert len(doc) == 1_000_000
    with pytest.raises(pdfium.PdfiumError):
        doc[0]
    doc.close()
    # xref loop: pdfium copes
    assert "Looping references." in page_texts(pathological_pdf("xref_loop"))[0]
    # fan-out: text doubles with each level (kept tiny here: depth 6 -> 32 draws)
    text = page_texts(pathological_pdf("xobject_fanout", scale=0.2))[0]
    assert text.count("Fan out.") == 2 ** 5
    # bomb: decompresses (about 10 MB here) and still carries its one line of text
    assert "Inflate bomb." in page_texts(pathological_pdf("inflate_bomb", scale=0.02))[0]


def test_sample_statement_is_deterministic_and_realistic():
    a, b = sample_statement(7), sample_statement(7)
    assert a.blocks == b.blocks and a.sentences == b.sentences
    assert sample_statement(8).blocks != a.blocks
    text = " ".join(blocks_text(sample_statement(s, n_paragraphs=20).blocks) for s in range(10))
    for abbreviation in ("Pty Ltd.", "No. ", "s. ", "e.g.", "approx."):
        assert abbreviation in text, abbreviation
    kinds = {blk[0] for s in range(10) for blk in sample_statement(s).blocks}
    assert {"heading", "para", "bullets", "numbered", "table"} <= kinds
    headings = [h.lower() for h in a.headings]
    assert "risks of modern slavery" in headings and headings[-1] == "approval"
    # every expected sentence is in the rendered text, in order
    flat = squash(blocks_text(a.blocks))
    pos = 0
    for _, sentence in a.sentences:
        pos = flat.index(sentence, pos)


def test_sample_statement_options():
    stmt = sample_statement(3, sector="mining", jurisdiction="UK", n_paragraphs=30, with_tables=False, with_lists=False)
    assert stmt.sector == "mining" and stmt.jurisdiction == "UK" and "Ltd." in stmt.entity
    assert {b[0] for b in stmt.blocks} <= {"heading", "para"}
    assert sum(1 for b in stmt.blocks if b[0] == "para") == 31  # 30 + approval


def test_corpus_reaches_the_page_count():
    corpus = corpus_pdfs(min_pages=12, seed=1, n_paragraphs=12)
    assert sum(item["pages"] for item in corpus) >= 12
    assert {item["layout"] for item in corpus} == set(LAYOUTS) or len(corpus) == 1
    for item in corpus[:2]:
        assert len(page_texts(item["pdf"])) == item["pages"]
