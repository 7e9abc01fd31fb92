"""PDF -> raw page texts, in the sandbox worker.

pypdfium2 is the default text extractor (fast, keeps the stored reading order, which is right for
almost every statement). pdfplumber is used where its table finder helps: with `tables="auto"`, pages
that draw ruling lines are re-read with pdfplumber so each table row becomes one "a | b | c" line;
`extractor="pdfplumber"` reads every page with it. Pages without a usable text layer are rendered to
PNG here, inside the sandbox, so the parent can OCR them.
"""

from __future__ import annotations

import io
import re
import unicodedata
from typing import Any

from ..errors import CorruptDocument, DocumentTooLarge, EmptyDocument, EncryptedDocument

MIN_USABLE_CHARS = 30  # fewer alphanumerics than this and a page has no usable text layer
TABLE_ROW_MARK = "\ue0ff"  # (private use) starts a line that is one table row; clean.py keeps it as a block
_CID = re.compile(r"\(cid:(\d+)\)")
_CID_GLYPHS = {"127": "•", "108": "•", "183": "•", "149": "•"}  # bullet glyphs of the standard symbol fonts
_MIN_RULINGS = 6  # path objects on a page before we look for tables


def _text_quality(text: str) -> tuple[int, float]:
    alnum = sum(ch.isalnum() for ch in text)
    bad = sum(1 for ch in text if ch == "\ufffd" or unicodedata.category(ch) in ("Co", "Cs"))
    return alnum, bad / max(1, alnum + bad)


def usable(text: str) -> bool:
    alnum, bad_ratio = _text_quality(text)
    return alnum >= MIN_USABLE_CHARS and bad_ratio < 0.3


def _object_counts(page) -> tuple[int, int]:
    """(image or path objects, path objects) on a pdfium page."""
    import pypdfium2.raw as c

    n = c.FPDFPage_CountObjects(page.raw)
    drawn = paths = 0
    for i in range(n):
        kind = c.FPDFPageObj_GetType(c.FPDFPage_GetObject(page.raw, i))
        if kind == c.FPDF_PAGEOBJ_PATH:
            paths += 1
            drawn += 1
        elif kind in (c.FPDF_PAGEOBJ_IMAGE, c.FPDF_PAGEOBJ_SHADING, c.FPDF_PAGEOBJ_FORM):
            drawn += 1
    return drawn, paths


def _with_tables(pdfium_page, textpage, plumber_page) -> tuple[str, int]:
    """pypdfium2 page text with each ruled table (found by pdfplumber) as one marked line per row.

    The table's text is located by asking pdfium for the text inside the table's box; it is a
    contiguous run of the page text in every generator and real file we tried. If it is not, the
    page text is kept as it is (the table cells stay, one per line).
    """
    text = textpage.get_text_range()
    height = pdfium_page.get_height()
    found = 0
    for table in plumber_page.find_tables():
        x0, top, x1, bottom = table.bbox
        inside = textpage.get_text_bounded(left=x0, bottom=height - bottom, right=x1, top=height - top)
        at = text.find(inside) if inside.strip() else -1
        if at < 0:
            continue
        rows = [
            TABLE_ROW_MARK + " | ".join(" ".join((cell or "").split()) for cell in row)
            for row in table.extract()
            if any(cell and cell.strip() for cell in row)
        ]
        text = text[:at] + "\n" + "\n".join(rows) + "\n" + text[at + len(inside) :]
        found += 1
    return text, found


def _fix_cids(text: str) -> str:
    """pdfplumber writes glyphs it cannot map as "(cid:N)": keep bullets, drop the rest."""
    return _CID.sub(lambda m: _CID_GLYPHS.get(m.group(1), ""), text)


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
        raise CorruptDocument(f"not a readable PDF ({message.removeprefix('Failed to load document ')})")
    try:
        n_pages = len(pdf)
        if n_pages == 0:
            raise EmptyDocument("the PDF has no pages")
        if n_pages > max_pages:
            raise DocumentTooLarge(f"the PDF has {n_pages} pages; the limit is {max_pages}")
        plumber = None
        if extractor == "pdfplumber" or tables == "auto":
            import pdfplumber

        pages: list[dict[str, Any]] = []
        frames: list[bytes] = []
        for number in range(n_pages):
            page = pdf[number]
            try:
                text = ""
                method = extractor
                paths = drawn = None
                if extractor == "pdfplumber" or tables == "auto":
                    drawn, paths = _object_counts(page)
                if extractor == "pdfplumber" or (tables == "auto" and paths >= _MIN_RULINGS):
                    if plumber is None:
                        plumber = pdfplumber.open(io.BytesIO(data))
                    pl_page = plumber.pages[number]
                    try:
                        if extractor == "pdfplumber":
                            text = _fix_cids(pl_page.extract_text(x_tolerance=1.5, use_text_flow=True) or "")
                            method = "pdfplumber"
                        else:
                            textpage = page.get_textpage()
                            text, n_tables = _with_tables(page, textpage, pl_page)
                            textpage.close()
                            method = "pypdfium2+pdfplumber-tables" if n_tables else "pypdfium2"
                    finally:
                        pl_page.close()  # pdfplumber caches layout objects per page otherwise
                else:
                    textpage = page.get_textpage()
                    text = textpage.get_text_range()
                    textpage.close()
                    method = "pypdfium2"
                ok = usable(text)
                if not ok and drawn is None:
                    drawn, _ = _object_counts(page)
                png_frame = None
                if render == "always" or (render == "auto" and not ok and drawn):
                    image = page.render(scale=dpi / 72, grayscale=True).to_pil()
                    buf = io.BytesIO()
                    image.save(buf, format="PNG")
                    frames.append(buf.getvalue())
                    png_frame = len(frames) - 1
                pages.append(
                    {"text": text, "usable": ok, "has_graphics": bool(drawn), "method": method, "png": png_frame}
                )
            finally:
                page.close()
        return {"pages": pages}, frames
    finally:
        if plumber is not None:
            plumber.close()
        pdf.close()
