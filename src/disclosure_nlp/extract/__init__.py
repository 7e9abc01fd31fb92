"""bytes | path | text -> Document (pages, clean text, blocks). No sentences yet: see segment.py.

    doc = extract("statement.pdf")                 # pypdfium2, OCR where a page has no text layer
    doc = extract(data, extractor="pdfplumber")     # every page through pdfplumber
    doc = extract(data, ocr="never")                # scanned pages are reported in doc.info.empty_pages
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from ..document import Document, ExtractionInfo
from ..errors import DocumentTooLarge, EmptyDocument, UnsupportedFormat
from ..limits import Limits
from ..sandbox import default_sandbox
from .clean import RawBlock, assemble, blocks_from_lines, make_pages
from .formats import decode_text, docx_blocks, html_blocks, sniff, text_pages
from .ocr import ocr_pages, tesseract_path
from .pdf import usable

EXTRACTORS = ("auto", "pypdfium2", "pdfplumber")
OCR_MODES = ("auto", "always", "never")
Source = str | bytes | os.PathLike


_DOCUMENT_SUFFIXES = (".pdf", ".docx", ".txt", ".html", ".htm")


def _is_text_not_path(source: str) -> bool:
    """A str is a path if it names an existing file or looks like a document file name."""
    if "\n" in source or len(source) > 1024:
        return True
    if Path(source).exists():
        return False
    return not source.strip().lower().endswith(_DOCUMENT_SUFFIXES)


def read_source(source: Source, limits: Limits) -> tuple[bytes | None, str | None, str | None]:
    """(bytes, name, text): a path or bytes gives bytes; a str that is not a path is the text itself."""
    if isinstance(source, (bytes, bytearray, memoryview)):
        data = bytes(source)
        if len(data) > limits.max_bytes:
            raise DocumentTooLarge(f"the file is {len(data):,} bytes; the limit is {limits.max_bytes:,}")
        return data, None, None
    if not isinstance(source, (str, os.PathLike)):
        raise TypeError(f"source must be a path, bytes or text, not {type(source).__name__}")
    if isinstance(source, str) and _is_text_not_path(source):
        if len(source.encode("utf-8", errors="replace")) > limits.max_bytes:
            raise DocumentTooLarge(f"the text is over the {limits.max_bytes:,}-byte limit")
        return None, None, source
    path = Path(source)
    if not path.is_file():
        raise FileNotFoundError(f"no such file: {path}")
    size = path.stat().st_size
    if size > limits.max_bytes:
        raise DocumentTooLarge(f"{path.name} is {size:,} bytes; the limit is {limits.max_bytes:,}")
    return path.read_bytes(), path.name, None


def extract(
    source: Source,
    *,
    extractor: str = "auto",
    ocr: str = "auto",
    limits: Limits | None = None,
    name: str | None = None,
    isolate: bool = True,
) -> Document:
    """Extract a document. Raises a `DocumentError` subclass for unreadable input.

    isolate=False parses PDFs in this process (faster to debug; only for trusted files).
    """
    if extractor not in EXTRACTORS:
        raise ValueError(f"extractor must be one of {EXTRACTORS}")
    if ocr not in OCR_MODES:
        raise ValueError(f"ocr must be one of {OCR_MODES}")
    limits = limits or Limits()
    t0 = time.perf_counter()
    data, file_name, text = read_source(source, limits)
    name = name or file_name
    if text is not None:
        data = text.encode("utf-8")
        kind = "txt"
    else:
        kind = sniff(data)
        if name and name.lower().endswith(".pdf") and kind != "pdf":
            raise UnsupportedFormat(f"named .pdf but the content is {kind.upper()}, not a PDF")
    sha = Document.hash_bytes(data)
    info = ExtractionInfo(extractor="builtin", source_type=kind)

    methods: list[str]
    if kind == "pdf":
        blocks, methods = _extract_pdf(data, extractor, ocr, limits, info, isolate)
    elif kind == "txt":
        pages = text_pages(text if text is not None else decode_text(data))
        blocks = blocks_from_lines(pages, furniture=len(pages) > 2)
        methods = ["text"] * len(pages)
    elif kind == "html":
        blocks, methods = html_blocks(data), ["text"]
    elif kind == "docx":
        blocks = docx_blocks(data)
        methods = ["text"] * max([b.pieces[0][0] for b in blocks] or [1])
    else:  # pragma: no cover - sniff() raises first
        raise UnsupportedFormat(kind)
    t_clean = time.perf_counter()
    doc_text, located, spans = assemble(blocks, len(methods))
    info.timings["clean_s"] = time.perf_counter() - t_clean
    if not doc_text.strip():
        if kind == "pdf" and info.empty_pages:
            raise EmptyDocument(_no_text_message(ocr, len(methods)))
        raise EmptyDocument("the document contains no text")
    info.timings["extract_total_s"] = time.perf_counter() - t0
    return Document(
        text=doc_text,
        pages=make_pages(spans, methods, doc_text),
        blocks=located,
        info=info,
        sha256=sha,
        name=name,
    )


def _no_text_message(ocr: str, n_pages: int) -> str:
    if ocr == "never":
        return f"none of the {n_pages} pages has a text layer and OCR was turned off"
    if tesseract_path() is None:
        return f"none of the {n_pages} pages has a text layer and OCR is unavailable (install tesseract-ocr)"
    return f"none of the {n_pages} pages has a text layer and OCR found no text"


def _extract_pdf(
    data: bytes, extractor: str, ocr: str, limits: Limits, info: ExtractionInfo, isolate: bool
) -> tuple[list[RawBlock], list[str]]:
    can_ocr = ocr != "never" and tesseract_path() is not None
    kwargs = dict(
        extractor="pdfplumber" if extractor == "pdfplumber" else "pypdfium2",
        tables="auto" if extractor == "auto" else "never",
        max_pages=limits.max_pages,
        render=("always" if ocr == "always" else "auto") if can_ocr else "never",
    )
    t0 = time.perf_counter()
    if isolate:
        result, frames = default_sandbox(limits.memory_mb).call(
            "disclosure_nlp.extract.pdf:parse_pdf", data, timeout=limits.timeout_s, **kwargs
        )
    else:
        from .pdf import parse_pdf

        result, frames = parse_pdf(data, **kwargs)
    info.timings["parse_s"] = time.perf_counter() - t0
    pages = result["pages"]
    used = sorted({part for p in pages for part in p["method"].split("+")})
    info.extractor = "+".join(used) if used else kwargs["extractor"]

    texts: list[str | None] = [p["text"] if p["usable"] else None for p in pages]
    methods = ["text" if p["usable"] else "none" for p in pages]
    to_ocr = {i + 1: frames[p["png"]] for i, p in enumerate(pages) if p["png"] is not None}
    if len(to_ocr) > limits.ocr_max_pages:
        skipped = sorted(to_ocr)[limits.ocr_max_pages :]
        info.warnings.append(f"OCR limited to {limits.ocr_max_pages} pages; pages {skipped} were not OCR'd")
        to_ocr = {n: png for n, png in to_ocr.items() if n not in skipped}
    if to_ocr:
        t1 = time.perf_counter()
        ocr_texts, errors = ocr_pages(to_ocr, limits.ocr_page_timeout_s)
        info.timings["ocr_s"] = time.perf_counter() - t1
        info.warnings.extend(errors.values())
        for number, ocr_text in ocr_texts.items():
            native = texts[number - 1]
            if ocr == "always" and native is not None and len(native) >= len(ocr_text):
                continue  # the text layer is at least as complete as the OCR
            if usable(ocr_text):
                texts[number - 1] = ocr_text
                methods[number - 1] = "ocr"
                info.ocr_pages.append(number)
    for i, page in enumerate(pages):
        if texts[i] is None and page["has_graphics"]:
            info.empty_pages.append(i + 1)
            if not can_ocr:
                reason = "OCR disabled" if ocr == "never" else "tesseract not installed"
                info.warnings.append(f"page {i + 1} has no text layer ({reason})")
    styled = [set(p.get("styled") or ()) if methods[i] == "text" else set() for i, p in enumerate(pages)]
    blocks = blocks_from_lines([t.split("\n") if t else None for t in texts], styled=styled)
    return blocks, methods
