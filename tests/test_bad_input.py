"""Every kind of bad input gives a specific error type, fast, and never a hang or a traceback."""

from __future__ import annotations

import pytest

import disclosure_nlp
from disclosure_nlp import errors
from disclosure_nlp.limits import Limits
from disclosure_nlp.testing import pdfs

TIGHT = Limits(timeout_s=20, memory_mb=1024)


@pytest.mark.parametrize(
    ("make", "error", "message"),
    [
        (lambda: pdfs.encrypted_pdf(), errors.EncryptedDocument, "encrypted"),
        (lambda: pdfs.truncated_pdf(), errors.CorruptDocument, "not a readable PDF"),
        (lambda: pdfs.zero_page_pdf(), errors.EmptyDocument, "the PDF has no pages"),
        (lambda: pdfs.garbage_pdf(), errors.UnsupportedFormat, "not a PDF, DOCX, HTML or plain-text"),
        (lambda: pdfs.empty_pdf_bytes(), errors.EmptyDocument, "empty"),
        (lambda: b"   \n\n  ", errors.EmptyDocument, "no text"),
        (lambda: pdfs.image_only_pdf(), errors.EmptyDocument, "OCR was turned off"),
        (lambda: pdfs.pathological_pdf("page_tree_cycle"), errors.DocumentError, ""),
        (lambda: pdfs.pathological_pdf("deep_nesting"), errors.EmptyDocument, "no text"),
        (lambda: pdfs.pathological_pdf("xref_loop"), errors.DocumentError, ""),
        (lambda: b"PK\x03\x04" + b"\x00" * 200, errors.CorruptDocument, "zip"),
    ],
    ids=["encrypted", "truncated", "zero-page", "garbage", "empty", "blank-text", "image-only-no-ocr",
         "page-tree-cycle", "deep-nesting", "xref-loop", "broken-zip"],
)
def test_bad_pdfs_raise_specific_errors(make, error, message):
    with pytest.raises(error) as info:
        disclosure_nlp.read(make(), ocr="never", limits=TIGHT)
    assert message in str(info.value)
    assert "\n" not in str(info.value)  # one line for the CLI and the API


def test_pdf_name_with_other_content_is_refused(tmp_path):
    path = tmp_path / "statement.pdf"
    path.write_bytes(pdfs.garbage_pdf("html"))
    with pytest.raises(errors.UnsupportedFormat, match="named .pdf but the content is HTML"):
        disclosure_nlp.read(path)


def test_byte_and_page_limits():
    data = pdfs.many_pages_pdf(30)
    with pytest.raises(errors.DocumentTooLarge, match="30 pages; the limit is 10"):
        disclosure_nlp.read(data, limits=Limits(max_pages=10))
    with pytest.raises(errors.DocumentTooLarge, match="limit is 1,000"):
        disclosure_nlp.read(data, limits=Limits(max_bytes=1000))
    assert len(disclosure_nlp.read(data, limits=Limits(max_pages=30)).pages) == 30


def test_slow_parse_hits_the_time_limit_and_the_next_file_still_works():
    slow = pdfs.pathological_pdf("huge_content", scale=4)
    with pytest.raises(errors.ExtractionTimeout, match="longer than the 0.5 s limit"):
        disclosure_nlp.read(slow, limits=Limits(timeout_s=0.5))
    doc = disclosure_nlp.read(pdfs.many_pages_pdf(2))
    assert len(doc.pages) == 2


def test_decompression_bomb_hits_the_memory_limit_and_the_next_file_still_works():
    bomb = pdfs.pathological_pdf("inflate_bomb")
    with pytest.raises(errors.ExtractionResourceError, match="memory"):
        disclosure_nlp.read(bomb, limits=Limits(memory_mb=512, timeout_s=60))
    assert len(disclosure_nlp.read(pdfs.many_pages_pdf(3), limits=Limits(memory_mb=512)).pages) == 3


def test_image_only_without_tesseract_still_extracts_the_text_pages(monkeypatch):
    monkeypatch.setenv("DISCLOSURE_NLP_TESSERACT", "no-such-tesseract-binary")
    blocks = pdfs.sample_statement_blocks(seed=1, n_paragraphs=10)
    data = pdfs.mixed_pdf(blocks, scanned_pages=(2,))
    doc = disclosure_nlp.read(data)
    assert 2 in doc.info.empty_pages and doc.info.ocr_pages == []
    assert any("page 2 has no text layer (tesseract not installed)" in w for w in doc.info.warnings)
    assert doc.pages[1].method == "none"
    assert doc.sentences and all(s.page != 2 for s in doc.sentences)


def test_wrong_argument_types_are_clear():
    with pytest.raises(ValueError, match="extractor must be one of"):
        disclosure_nlp.read("text", extractor="magic")
    with pytest.raises(ValueError, match="ocr must be one of"):
        disclosure_nlp.read("text", ocr="sometimes")
    with pytest.raises(FileNotFoundError):
        disclosure_nlp.read(__file__ + ".missing.pdf")
    with pytest.raises(TypeError, match="source must be a path, bytes or text, not int"):
        disclosure_nlp.read(42)


def test_docx_zip_bomb_is_refused_before_inflating():
    import io
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", b" " * (300 * 1024 * 1024))  # deflates to ~300 KB
    data = buf.getvalue()
    assert len(data) < 2_000_000
    with pytest.raises(errors.DocumentTooLarge, match="inflates to"):
        disclosure_nlp.read(data)
