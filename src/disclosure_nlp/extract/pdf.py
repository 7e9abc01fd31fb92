"""PDF -> raw page texts, in the sandbox worker.

pypdfium2 is the default text extractor (fast, keeps the stored reading order, which is right for
almost every statement); with `tables="auto"` its ruled tables are read cell by cell (tables.py) so
each row becomes one "a | b | c" line. `extractor="pdfplumber"` reads every page with pdfplumber and
its own table finder instead (about 40x slower; see benchmarks/extract.py). Pages without a usable
text layer are rendered to PNG here, inside the sandbox, so the parent can OCR them.
"""

from __future__ import annotations

import io
import re
from typing import Any

from ..errors import CorruptDocument, DocumentTooLarge, EmptyDocument, EncryptedDocument

MIN_USABLE_CHARS = 30  # fewer alphanumerics than this and a page has no usable text layer
TABLE_ROW_MARK = "\ue0ff"  # (private use) starts a line that is one table row; clean.py keeps it as a block
_CID = re.compile(r"\(cid:(\d+)\)")
_CID_GLYPHS = {"127": "•", "108": "•", "183": "•", "149": "•"}  # bullet glyphs of the standard symbol fonts


_ALNUM = re.compile(r"[^\W_]")
_UNDECODABLE = re.compile("[\ufffd\ud800-\udfff\ue000-\ue0fe\ue100-\uf8ff]")  # replacement, surrogates, private use


def usable(text: str) -> bool:
    """Enough letters/digits, and not mostly undecodable glyphs? (Judged on the first 2,000 chars.)"""
    sample = text[:2000]
    alnum = len(_ALNUM.findall(sample))
    if alnum < MIN_USABLE_CHARS:
        return False
    bad = len(_UNDECODABLE.findall(sample))
    return bad / (alnum + bad) < 0.3


def _drawn_objects(page) -> int:
    """Image, path, shading and form objects on a pdfium page (what a scan or outlined text is made of)."""
    import pypdfium2.raw as c

    n = c.FPDFPage_CountObjects(page.raw)
    kinds = (c.FPDF_PAGEOBJ_PATH, c.FPDF_PAGEOBJ_IMAGE, c.FPDF_PAGEOBJ_SHADING, c.FPDF_PAGEOBJ_FORM)
    return sum(1 for i in range(n) if c.FPDFPageObj_GetType(c.FPDFPage_GetObject(page.raw, i)) in kinds)


def _replace_tables(text: str, tables: list[tuple[str, list[list[str]]]]) -> tuple[str, int]:
    """Put each table's rows, one marked line per row, where the table's own text stands.

    `tables` holds (the extractor's text of the table's box, rows of cells). That text is a contiguous
    run of the page text in every generator and real file we tried; where it is not, the page text
    is kept as it is (cells one per line).
    """
    found = 0
    for inside, rows in tables:
        at = text.find(inside) if inside.strip() else -1
        if at < 0:
            continue
        lines = [TABLE_ROW_MARK + " | ".join(c for c in row if c) for row in rows if any(row)]
        text = text[:at] + "\n" + "\n".join(lines) + "\n" + text[at + len(inside) :]
        found += 1
    return text, found


def _styled_lines(textpage, text: str) -> list[str]:
    """Lines set larger or bolder than the page's body text: heading candidates for clean.py."""
    import ctypes

    import pypdfium2.raw as c

    lines: list[tuple[str, float, bool]] = []
    buf = ctypes.create_string_buffer(128)
    flags = ctypes.c_int()
    offset = 0
    n_chars = textpage.count_chars()
    for line in text.split("\r\n"):
        stripped = line.strip()
        first = offset + (len(line) - len(line.lstrip()))
        offset += len(line) + 2
        if not stripped or len(stripped) > 150 or first >= n_chars:
            continue
        size = c.FPDFText_GetFontSize(textpage.raw, first)
        weight = c.FPDFText_GetFontWeight(textpage.raw, first)
        c.FPDFText_GetFontInfo(textpage.raw, first, buf, len(buf), ctypes.byref(flags))
        name = buf.value.decode("latin-1", "replace").lower()
        bold = weight >= 600 or "bold" in name or "black" in name or "heavy" in name
        lines.append((stripped, round(size, 1), bold))
    if not lines:
        return []
    weights: dict[float, int] = {}
    for stripped, size, _ in lines:
        weights[size] = weights.get(size, 0) + len(stripped)
    body = max(weights, key=weights.get)
    body_bold = sum(len(l) for l, size, b in lines if size == body and b) > 0.5 * weights[body]
    return [l for l, size, bold in lines if size >= body + 0.9 or (bold and not body_bold and size >= body - 0.1)]


def _pdfium_text_with_tables(page, textpage) -> tuple[str, int]:
    from .tables import read_tables

    text = textpage.get_text_range()
    tables = [
        (textpage.get_text_bounded(left=l, bottom=b, right=r, top=t), rows)
        for (l, b, r, t), rows in read_tables(page, textpage)
    ]
    return _replace_tables(text, tables)


def _plumber_text_with_tables(page) -> tuple[str, int]:
    text = page.extract_text(x_tolerance=1.5, use_text_flow=True) or ""
    tables = []
    for table in page.find_tables():
        inside = page.crop(table.bbox).extract_text(x_tolerance=1.5, use_text_flow=True) or ""
        rows = [[" ".join((cell or "").split()) for cell in row] for row in table.extract(x_tolerance=1.5)]
        tables.append((inside, rows))
    text, found = _replace_tables(text, tables)
    return _fix_cids(text), found


def _fix_cids(text: str) -> str:
    """pdfplumber writes glyphs it cannot map as "(cid:N)": keep bullets, drop the rest."""
    return _CID.sub(lambda m: _CID_GLYPHS.get(m.group(1), ""), text)


def _has_zero_pages(data: bytes) -> bool:
    """pdfium refuses zero-page files as corrupt; pdfminer (via pdfplumber) tells them apart."""
    if len(data) > 5 * 1024 * 1024:
        return False
    try:
        import pdfplumber

        with pdfplumber.open(io.BytesIO(data)) as pdf:
            return len(pdf.pages) == 0
    except Exception:
        return False


def parse_pdf(
    data: bytes,
    *,
    extractor: str = "pypdfium2",
    tables: str = "auto",
    max_pages: int = 500,
    render: str = "auto",
    dpi: int = 200,
) -> tuple[dict[str, Any], list[bytes]]:
    """Runs in the sandbox. Returns per-page texts and, as frames, PNGs of pages to OCR.

    render: "auto" renders pages without a usable text layer, "always" every page, "never" none.
    """
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        message = str(exc)
        if "password" in message.lower():
            raise EncryptedDocument("the PDF is encrypted (password protected); remove the password and try again")
        if _has_zero_pages(data):
            raise EmptyDocument("the PDF has no pages")
        reason = message.removeprefix("Failed to load document").strip(" .()").removeprefix("PDFium: ")
        raise CorruptDocument(f"not a readable PDF: {reason.lower() or 'unknown error'} (damaged, truncated or not a PDF)")
    plumber = None
    try:
        n_pages = len(pdf)
        if n_pages == 0:
            raise EmptyDocument("the PDF has no pages")
        if n_pages > max_pages:
            raise DocumentTooLarge(f"the PDF has {n_pages} pages; the limit is {max_pages}")
        if extractor == "pdfplumber":
            import pdfplumber

        pages: list[dict[str, Any]] = []
        frames: list[bytes] = []
        for number in range(n_pages):
            page = pdf[number]
            try:
                drawn = None
                styled: list[str] = []
                if extractor == "pdfplumber":
                    if plumber is None:
                        plumber = pdfplumber.open(io.BytesIO(data))
                    pl_page = plumber.pages[number]
                    try:
                        text, n_tables = _plumber_text_with_tables(pl_page)
                    finally:
                        pl_page.close()  # pdfplumber caches layout objects per page otherwise
                    method = "pdfplumber"
                    ok = usable(text)
                else:
                    textpage = page.get_textpage()
                    if tables == "auto":
                        text, n_tables = _pdfium_text_with_tables(page, textpage)
                    else:
                        text, n_tables = textpage.get_text_range(), 0
                    ok = usable(text)
                    styled = _styled_lines(textpage, textpage.get_text_range()) if ok else []
                    textpage.close()
                    method = "pypdfium2+tables" if n_tables else "pypdfium2"
                if not ok:
                    drawn = _drawn_objects(page)
                png_frame = None
                if render == "always" or (render == "auto" and not ok and drawn):
                    image = page.render(scale=dpi / 72, grayscale=True).to_pil()
                    buf = io.BytesIO()
                    image.save(buf, format="PNG")
                    frames.append(buf.getvalue())
                    png_frame = len(frames) - 1
                pages.append(
                    {"text": text, "styled": styled, "usable": ok, "has_graphics": bool(drawn), "method": method,
                     "png": png_frame}
                )
            finally:
                page.close()
        return {"pages": pages}, frames
    finally:
        if plumber is not None:
            plumber.close()
        pdf.close()
