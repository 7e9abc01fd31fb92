"""Recognise a file by its content (never by its name) and read the non-PDF formats.

.txt: form feeds separate pages, blank lines separate paragraphs. .html: headings, list items and
paragraphs come from the markup. .docx: heading and list styles from python-docx; pages from explicit
page breaks and Word's own last-rendered page breaks, where the file has them.
"""

from __future__ import annotations

import io
import zipfile
from html.parser import HTMLParser

from ..errors import CorruptDocument, DocumentTooLarge, EmptyDocument, UnsupportedFormat
from .clean import RawBlock, normalise_text

_HTML_HINTS = (b"<!doctype html", b"<html", b"<body", b"<p>", b"<div", b"<h1", b"<table", b"<head")


def sniff(data: bytes) -> str:
    """'pdf' | 'docx' | 'html' | 'txt'; raises for anything else."""
    if not data:
        raise EmptyDocument("the file is empty")
    head = data[:1024]
    if b"%PDF-" in head:
        return "pdf"
    if data[:4] == b"PK\x03\x04":
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                if "word/document.xml" in zf.namelist():
                    return "docx"
        except zipfile.BadZipFile as exc:
            raise CorruptDocument(f"a damaged zip/Office file ({exc})") from exc
        raise UnsupportedFormat("a zip archive that is not a Word (.docx) document")
    lowered = head.lstrip().lower()
    if any(hint in lowered for hint in _HTML_HINTS):
        return "html"
    if _looks_like_text(data):
        return "txt"
    raise UnsupportedFormat("not a PDF, DOCX, HTML or plain-text document (content not recognised)")


def _looks_like_text(data: bytes) -> bool:
    sample = data[:65536]
    if b"\x00" in sample:
        return False
    try:
        sample.decode("utf-8")
        return True
    except UnicodeDecodeError as exc:
        if exc.start >= len(sample) - 4:  # a multi-byte character cut by the sample's end
            return True
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
    return controls / max(1, len(sample)) < 0.01


def decode_text(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def text_pages(text: str) -> list[list[str]]:
    """Plain text -> pages of lines (form feed = page break; blank lines kept as breaks)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return [page.split("\n") for page in text.split("\f")] if text.strip() else []


class _HTMLBlocks(HTMLParser):
    _BLOCK = {"p", "div", "section", "article", "header", "footer", "blockquote", "td", "th", "dd", "dt", "pre", "br", "tr"}
    _HEADING = {"h1", "h2", "h3", "h4", "h5", "h6"}
    _SKIP = {"script", "style", "noscript", "template", "head", "svg"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[RawBlock] = []
        self._kind = "paragraph"
        self._buf: list[str] = []
        self._skip = 0

    def _flush(self) -> None:
        text = " ".join("".join(self._buf).split())
        if text:
            self.blocks.append(RawBlock(self._kind, [(1, text)]))
        self._buf = []
        self._kind = "paragraph"

    def handle_starttag(self, tag, attrs):
        if tag in self._SKIP:
            self._skip += 1
        elif tag in self._HEADING or tag == "li" or tag in self._BLOCK:
            self._flush()
            self._kind = "heading" if tag in self._HEADING else "bullet" if tag == "li" else "paragraph"

    def handle_endtag(self, tag):
        if tag in self._SKIP:
            self._skip = max(0, self._skip - 1)
        elif tag in self._HEADING or tag == "li" or tag in self._BLOCK or tag in ("ul", "ol"):
            self._flush()

    def handle_data(self, data):
        if not self._skip:
            self._buf.append(data)


def html_blocks(data: bytes) -> list[RawBlock]:
    parser = _HTMLBlocks()
    parser.feed(decode_text(data))
    parser.close()
    parser._flush()
    return [RawBlock(b.kind, [(1, normalise_text(b.text).strip())]) for b in parser.blocks]


MAX_DOCX_UNCOMPRESSED = 256 * 1024 * 1024


def docx_blocks(data: bytes) -> list[RawBlock]:
    import docx
    from docx.oxml.ns import qn

    with zipfile.ZipFile(io.BytesIO(data)) as zf:  # refuse zip bombs before python-docx inflates them
        inflated = sum(info.file_size for info in zf.infolist())
    if inflated > MAX_DOCX_UNCOMPRESSED:
        raise DocumentTooLarge(
            f"the Word file inflates to {inflated:,} bytes; the limit is {MAX_DOCX_UNCOMPRESSED:,}"
        )

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises several types for damaged packages
        raise CorruptDocument(f"not a readable Word document ({exc})") from exc
    blocks: list[RawBlock] = []
    page = 1
    body = document.element.body
    for child in body.iterchildren():
        if child.tag == qn("w:p"):
            breaks = len(child.findall(".//" + qn("w:lastRenderedPageBreak"))) + sum(
                1 for br in child.findall(".//" + qn("w:br")) if br.get(qn("w:type")) == "page"
            )
            para = docx.text.paragraph.Paragraph(child, document)
            text = normalise_text(para.text).strip()
            style = (para.style.name if para.style is not None else "") or ""
            if breaks and not text:
                page += breaks
                continue
            if text:
                if style.startswith(("Heading", "Title")):
                    kind = "heading"
                elif "List" in style or child.find(".//" + qn("w:numPr")) is not None:
                    kind = "bullet"
                else:
                    kind = "paragraph"
                blocks.append(RawBlock(kind, [(page, text)]))
            page += breaks
        elif child.tag == qn("w:tbl"):
            table = docx.table.Table(child, document)
            for row in table.rows:
                cells = [" ".join(c.text.split()) for c in row.cells]
                # merged cells repeat their text in python-docx; keep each once
                unique = [c for i, c in enumerate(cells) if c and (i == 0 or c != cells[i - 1])]
                if unique:
                    blocks.append(RawBlock("table_row", [(page, normalise_text(" | ".join(unique)))]))
    return blocks
