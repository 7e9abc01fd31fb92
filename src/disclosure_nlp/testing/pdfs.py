"""Generators of statement-like PDFs, good and bad, for tests and benchmarks.

A document is a list of blocks:

    ("heading", text) | ("heading", text, level)
    ("para", text)
    ("bullets", [item, ...])      rendered as a real list with "•"
    ("numbered", [item, ...])     rendered as "1.", "2.", ...
    ("table", [[cell, ...], ...]) first row is the header; grid lines
    ("pagebreak",)

`render_pdf` lays the blocks out with reportlab's platypus (one or two columns, running header and
footer, page numbers); `scanned_pdf` rasterises such a PDF and rebuilds it from the images alone (no
text layer); the `*_pdf` functions further down make the bad inputs the extractor must refuse
cleanly. `sample_statement` writes plausible synthetic modern slavery statement content (ours, not
copied from any real statement) from a seeded RNG, so a corpus of any size can be generated.

reportlab and pillow come with the `[dev]` extra; they are imported lazily so importing this module
never fails in a core install.
"""

from __future__ import annotations

import io
import random
import re
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any
from xml.sax.saxutils import escape

Block = tuple

LAYOUTS = ("one_column", "two_column")

# -------------------------------------------------------------------------------------------------
# born-digital rendering
# -------------------------------------------------------------------------------------------------

_MARGIN = 56.7  # 2 cm
_HEADER_GAP = 28.0  # room kept for the running header / footer
_COLUMN_GAP = 22.7  # 0.8 cm


def _styles(font_size: float, justify: bool) -> dict[str, Any]:
    from reportlab.lib.enums import TA_JUSTIFY, TA_LEFT
    from reportlab.lib.styles import ParagraphStyle

    body = ParagraphStyle(
        "body",
        fontName="Helvetica",
        fontSize=font_size,
        leading=font_size * 1.3,
        spaceAfter=font_size * 0.7,
        alignment=TA_JUSTIFY if justify else TA_LEFT,
    )
    return {
        "body": body,
        "item": ParagraphStyle("item", parent=body, spaceAfter=font_size * 0.25),
        "cell": ParagraphStyle("cell", parent=body, fontSize=font_size - 1, leading=(font_size - 1) * 1.2,
                               spaceAfter=0, alignment=TA_LEFT),
        "head_cell": ParagraphStyle("head_cell", parent=body, fontName="Helvetica-Bold", fontSize=font_size - 1,
                                    leading=(font_size - 1) * 1.2, spaceAfter=0, alignment=TA_LEFT),
        1: ParagraphStyle("h1", parent=body, fontName="Helvetica-Bold", fontSize=font_size + 4,
                          leading=(font_size + 4) * 1.25, spaceBefore=font_size * 0.8, spaceAfter=font_size * 0.6,
                          alignment=TA_LEFT, keepWithNext=1),
        2: ParagraphStyle("h2", parent=body, fontName="Helvetica-Bold", fontSize=font_size + 1.5,
                          leading=(font_size + 1.5) * 1.25, spaceBefore=font_size * 0.6, spaceAfter=font_size * 0.4,
                          alignment=TA_LEFT, keepWithNext=1),
        "title": ParagraphStyle("title", parent=body, fontName="Helvetica-Bold", fontSize=font_size + 10,
                                leading=(font_size + 10) * 1.2, spaceAfter=font_size * 1.2, alignment=TA_LEFT),
    }


def _markup(text: str) -> str:
    """Paragraph mini-markup: escape it, and drop control characters the standard fonts lack."""
    text = "".join(ch for ch in text if ch >= " " or ch in "\t")
    return escape(text)


def _flowables(blocks: Iterable[Block], styles: dict[str, Any], width: float) -> list[Any]:
    from reportlab.lib import colors
    from reportlab.platypus import ListFlowable, ListItem, PageBreak, Paragraph, Table, TableStyle

    out: list[Any] = []
    for block in blocks:
        kind = block[0]
        if kind == "heading":
            level = block[2] if len(block) > 2 else 1
            out.append(Paragraph(_markup(block[1]), styles[1 if level <= 1 else 2]))
        elif kind == "para":
            out.append(Paragraph(_markup(block[1]), styles["body"]))
        elif kind in ("bullets", "numbered"):
            items = [ListItem(Paragraph(_markup(t), styles["item"])) for t in block[1]]
            if kind == "bullets":
                lst = ListFlowable(items, bulletType="bullet", start="•", leftIndent=14, bulletFontSize=styles["body"].fontSize)
            else:
                lst = ListFlowable(items, bulletType="1", bulletFormat="%s.", leftIndent=18,
                                   bulletFontName="Helvetica", bulletFontSize=styles["body"].fontSize)
            out.append(lst)
            out.append(Paragraph("", styles["item"]))  # a little air after the list
        elif kind == "table":
            rows = block[1]
            if not rows:
                continue
            ncols = max(len(r) for r in rows)
            cells = [
                [Paragraph(_markup(str(c)), styles["head_cell" if i == 0 else "cell"]) for c in r]
                + [""] * (ncols - len(r))
                for i, r in enumerate(rows)
            ]
            table = Table(cells, colWidths=[width / ncols] * ncols, repeatRows=1, hAlign="LEFT")
            table.setStyle(TableStyle([
                ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                ("BACKGROUND", (0, 0), (-1, 0), colors.Color(0.88, 0.88, 0.88)),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]))
            out.append(table)
            out.append(Paragraph("", styles["item"]))
        elif kind == "pagebreak":
            out.append(PageBreak())
        else:
            raise ValueError(f"unknown block kind {kind!r}")
    return out


def _page_number_format(page_numbers: bool | str) -> str | None:
    if page_numbers is True:
        return "Page {n} of {total}"
    if page_numbers in (False, None, ""):
        return None
    return str(page_numbers)


def _canvas_class(header: str | None, footer: str | None, number_format: str | None, font_size: float):
    """A canvas that draws the running header, footer and "Page N of M" once the total is known."""
    from reportlab.pdfgen import canvas

    class DecoratedCanvas(canvas.Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pending: list[dict[str, Any]] = []

        def showPage(self) -> None:  # noqa: N802 (reportlab's name)
            self._pending.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pending)
            for state in self._pending:
                self.__dict__.update(state)
                self._decorate(total)
                super().showPage()
            super().save()

        def _decorate(self, total: int) -> None:
            w, h = self._pagesize
            small = max(6.0, font_size - 2)
            self.saveState()
            self.setFont("Helvetica", small)
            if header:
                self.drawString(_MARGIN, h - _MARGIN + 10, header)
                self.setLineWidth(0.4)
                self.line(_MARGIN, h - _MARGIN + 6, w - _MARGIN, h - _MARGIN + 6)
            if footer:
                self.drawString(_MARGIN, _MARGIN - 18, footer)
            if number_format:
                label = number_format.format(n=self._pageNumber, total=total)
                if footer:
                    self.drawRightString(w - _MARGIN, _MARGIN - 18, label)
                else:
                    self.drawCentredString(w / 2, _MARGIN - 18, label)
            self.restoreState()

    return DecoratedCanvas


def render_pdf(
    blocks: Sequence[Block],
    layout: str = "one_column",
    header: str | None = None,
    footer: str | None = None,
    page_numbers: bool | str = True,
    font_size: float = 10,
    title: str | None = None,
    justify: bool = False,
    pagesize: tuple[float, float] | None = None,
) -> bytes:
    """Born-digital PDF of `blocks`.

    layout: "one_column" or "two_column" (two frames per page; a title spans both columns on the
    first page). header/footer: running text drawn on every page. page_numbers: True for
    "Page N of M", False for none, or a format string using {n} and {total} (e.g. "{n}").
    """
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import BaseDocTemplate, Frame, FrameBreak, NextPageTemplate, PageTemplate, Paragraph

    if layout not in LAYOUTS:
        raise ValueError(f"layout must be one of {LAYOUTS}, not {layout!r}")
    page_w, page_h = pagesize or A4
    styles = _styles(font_size, justify)
    buf = io.BytesIO()
    doc = BaseDocTemplate(
        buf, pagesize=(page_w, page_h), leftMargin=_MARGIN, rightMargin=_MARGIN,
        topMargin=_MARGIN, bottomMargin=_MARGIN, title=title or "", author="disclosure-nlp tests",
    )
    x0, y0 = _MARGIN, _MARGIN
    full_w, full_h = page_w - 2 * _MARGIN, page_h - 2 * _MARGIN
    story: list[Any] = []
    if layout == "one_column":
        templates = [PageTemplate(id="body", frames=[Frame(x0, y0, full_w, full_h, id="body")])]
        if title:
            story.append(Paragraph(_markup(title), styles["title"]))
        col_w = full_w
    else:
        col_w = (full_w - _COLUMN_GAP) / 2

        def columns(height: float, suffix: str) -> list[Any]:
            return [
                Frame(x0, y0, col_w, height, id=f"left{suffix}"),
                Frame(x0 + col_w + _COLUMN_GAP, y0, col_w, height, id=f"right{suffix}"),
            ]

        templates = [PageTemplate(id="body", frames=columns(full_h, ""))]
        if title:
            title_h = (font_size + 10) * 1.2 * 3
            first = [Frame(x0, y0 + full_h - title_h, full_w, title_h, id="title")]
            first += columns(full_h - title_h, "_first")
            templates.insert(0, PageTemplate(id="first", frames=first))
            story += [NextPageTemplate("body"), Paragraph(_markup(title), styles["title"]), FrameBreak()]
    doc.addPageTemplates(templates)
    story += _flowables(blocks, styles, col_w)
    if not story:
        story.append(Paragraph("", styles["body"]))
    doc.build(story, canvasmaker=_canvas_class(header, footer, _page_number_format(page_numbers), font_size))
    return buf.getvalue()


def blocks_text(blocks: Sequence[Block]) -> str:
    """Plain-text rendering of `blocks` (for `.txt` inputs and for comparing with extracted text)."""
    parts: list[str] = []
    for block in blocks:
        kind = block[0]
        if kind in ("heading", "para"):
            parts.append(block[1])
        elif kind == "bullets":
            parts.append("\n".join(f"• {t}" for t in block[1]))
        elif kind == "numbered":
            parts.append("\n".join(f"{i}. {t}" for i, t in enumerate(block[1], 1)))
        elif kind == "table":
            parts.append("\n".join("\t".join(map(str, r)) for r in block[1]))
    return "\n\n".join(parts) + "\n"


# -------------------------------------------------------------------------------------------------
# scans
# -------------------------------------------------------------------------------------------------


def rasterize_pdf(pdf: bytes, dpi: int = 150, noise: float = 0.0, skew: float = 0.0, seed: int = 0) -> list[Any]:
    """Render each page to a greyscale PIL image, optionally with speckle noise and a slight rotation."""
    import pypdfium2 as pdfium
    from PIL import Image

    rng = random.Random(seed)
    images = []
    doc = pdfium.PdfDocument(pdf)
    try:
        for i in range(len(doc)):
            page = doc[i]
            bitmap = page.render(scale=dpi / 72, grayscale=True)
            img = bitmap.to_pil().convert("L")
            bitmap.close()
            page.close()
            if skew:
                img = img.rotate(rng.uniform(-skew, skew), resample=Image.BICUBIC, expand=False, fillcolor=255)
            if noise:
                grain = Image.effect_noise(img.size, 64).point(lambda v: 255 if v > 255 * (1 - noise) else 0)
                img = Image.composite(Image.new("L", img.size, 150), img, grain)
            images.append(img)
    finally:
        doc.close()
    return images


def images_pdf(images: Sequence[Any], dpi: int = 150) -> bytes:
    """A PDF whose pages hold only the given images (JPEG), at `dpi`: no text layer at all."""
    if not images:
        raise ValueError("need at least one image")
    buf = io.BytesIO()
    first, rest = images[0], list(images[1:])
    first.save(buf, format="PDF", save_all=True, append_images=rest, resolution=float(dpi), quality=75)
    return buf.getvalue()


def scanned_pdf(
    content: Sequence[Block] | str | bytes | None = None,
    dpi: int = 150,
    noise: float = 0.001,
    skew: float = 0.0,
    seed: int = 0,
    **render_kwargs: Any,
) -> bytes:
    """An image-only PDF that looks like a scan of `content` (blocks, plain text, or a born-digital PDF).

    Each page is rendered at `dpi`, given light speckle noise (fraction of pixels) and an optional
    random rotation of up to `skew` degrees, and stored as a JPEG. There is no text layer: extractors
    see no characters, only OCR recovers the words.
    """
    if content is None:
        content = sample_statement_blocks(seed, n_paragraphs=3)
    if isinstance(content, str):
        content = [("para", p.strip()) for p in re.split(r"\n\s*\n", content) if p.strip()]
    pdf = content if isinstance(content, bytes) else render_pdf(content, **render_kwargs)
    return images_pdf(rasterize_pdf(pdf, dpi=dpi, noise=noise, skew=skew, seed=seed), dpi=dpi)


def _replace_pages(pdf: bytes, replacements: dict[int, bytes]) -> bytes:
    """Copy of `pdf` where page i (0-based) is taken from the one-page PDF replacements[i]."""
    import pypdfium2 as pdfium

    src = pdfium.PdfDocument(pdf)
    out = pdfium.PdfDocument.new()
    try:
        for i in range(len(src)):
            if i in replacements:
                rep = pdfium.PdfDocument(replacements[i])
                out.import_pages(rep, [0])
                rep.close()
            else:
                out.import_pages(src, [i])
        buf = io.BytesIO()
        out.save(buf)
        return buf.getvalue()
    finally:
        out.close()
        src.close()


def _split_pages(pdf: bytes) -> list[bytes]:
    import pypdfium2 as pdfium

    src = pdfium.PdfDocument(pdf)
    pages = []
    try:
        for i in range(len(src)):
            one = pdfium.PdfDocument.new()
            one.import_pages(src, [i])
            buf = io.BytesIO()
            one.save(buf)
            one.close()
            pages.append(buf.getvalue())
    finally:
        src.close()
    return pages


def mixed_pdf(
    blocks: Sequence[Block] | None = None,
    scanned_pages: Iterable[int] = (2,),
    dpi: int = 150,
    noise: float = 0.002,
    seed: int = 0,
    **render_kwargs: Any,
) -> bytes:
    """Born-digital PDF of `blocks` in which the pages listed in `scanned_pages` (1-based) are scans.

    Default: two pages of statement text, page 1 with a text layer, page 2 image-only.
    """
    if blocks is None:
        stmt = sample_statement(seed, n_paragraphs=4)
        half = len(stmt.blocks) // 2
        blocks = [*stmt.blocks[:half], ("pagebreak",), *stmt.blocks[half:]]
        blocks = _fit_two_pages(blocks)
    pdf = render_pdf(blocks, **render_kwargs)
    pages = _split_pages(pdf)
    wanted = {p - 1 for p in scanned_pages if 1 <= p <= len(pages)}
    replacements = {i: scanned_pdf(pages[i], dpi=dpi, noise=noise, seed=seed + i) for i in wanted}
    return _replace_pages(pdf, replacements)


def _fit_two_pages(blocks: list[Block]) -> list[Block]:
    """Drop tables and long lists so the default mixed sample stays at two pages."""
    out = [b for b in blocks if b[0] in ("heading", "para", "pagebreak")]
    return out


def image_only_pdf(n_pages: int = 1, with_text: bool = False, dpi: int = 100, seed: int = 0) -> bytes:
    """Pages that hold a single image and no text layer.

    with_text=False: a picture with no words at all (gradient and shapes) — even OCR finds nothing.
    with_text=True: a scan of statement text (same as `scanned_pdf`), which only OCR can read.
    """
    if with_text:
        return scanned_pdf(sample_statement_blocks(seed, n_paragraphs=4 * n_pages), dpi=dpi, seed=seed)
    from PIL import Image, ImageDraw

    rng = random.Random(seed)
    w, h = int(8.27 * dpi), int(11.69 * dpi)
    images = []
    for _ in range(n_pages):
        img = Image.linear_gradient("L").resize((w, h))
        draw = ImageDraw.Draw(img)
        for _ in range(6):
            x, y = rng.randrange(w), rng.randrange(h)
            r = rng.randrange(20, max(21, w // 5))
            draw.ellipse((x - r, y - r, x + r, y + r), fill=rng.randrange(0, 255))
        images.append(img)
    return images_pdf(images, dpi=dpi)


# -------------------------------------------------------------------------------------------------
# bad inputs
# -------------------------------------------------------------------------------------------------


def encrypted_pdf(user_password: str = "secret", owner_password: str | None = "owner",
                  blocks: Sequence[Block] | None = None) -> bytes:
    """A PDF encrypted with reportlab's standard security handler.

    With a non-empty `user_password` (the default) nobody can open it without the password:
    pypdfium2 raises PdfiumError ("Incorrect password error"). With user_password="" it is the
    common "owner password only" case: it opens and reads normally, only permissions are set.
    """
    from reportlab.lib import pdfencrypt
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    enc = pdfencrypt.StandardEncryption(user_password, owner_password or user_password or "owner",
                                        canPrint=1, canModify=0, canCopy=0)
    styles = _styles(10, False)
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, encrypt=enc)
    story = _flowables(blocks or sample_statement_blocks(3, n_paragraphs=2), styles, doc.width)
    doc.build(story or [Paragraph("Confidential statement.", styles["body"])])
    return buf.getvalue()


def truncated_pdf(fraction: float = 0.5, pdf: bytes | None = None, seed: int = 0) -> bytes:
    """The first `fraction` of the bytes of a valid multi-page PDF (cross-reference table and trailer lost).

    Note: pdfium repairs what it can, so a truncated file may still open with fewer, or even no,
    pages; callers must treat "opens but lost pages/text" as corrupt too. See tests for what
    pypdfium2 does with the default.
    """
    if pdf is None:
        pdf = render_pdf(sample_statement_blocks(seed, n_paragraphs=10), page_numbers=True)
    return pdf[: max(1, int(len(pdf) * fraction))]


def garbage_pdf(kind: str = "random", size: int = 4096, seed: int = 0) -> bytes:
    """Bytes that are not a PDF, meant to be saved under a .pdf name.

    kind: "random" (random bytes), "html" (a web page), "header" (a "%PDF-1.7" header followed by
    random bytes: looks like a PDF to a magic-number check, is not one), "zip" (a docx-like zip
    archive), "text" (plain prose).
    """
    rng = random.Random(seed)
    if kind == "random":
        data = bytes(rng.getrandbits(8) for _ in range(size))
        return b"\x00\xff" + data[2:] if data.startswith(b"%PDF") else data
    if kind == "header":
        return b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n" + bytes(rng.getrandbits(8) for _ in range(size))
    if kind == "html":
        return (
            b"<!DOCTYPE html>\n<html><head><title>404 Not Found</title></head><body>"
            b"<h1>Not Found</h1><p>The requested statement was not found on this server.</p>"
            b"</body></html>\n"
        )
    if kind == "zip":
        import zipfile

        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as zf:
            zf.writestr("[Content_Types].xml", "<Types/>")
            zf.writestr("word/document.xml", "<w:document/>")
        return buf.getvalue()
    if kind == "text":
        return b"This is a modern slavery statement saved as text, not as a PDF.\n"
    raise ValueError(f"unknown garbage kind {kind!r}")


def empty_pdf_bytes() -> bytes:
    """Zero bytes (an empty upload)."""
    return b""


def _assemble(objects: Sequence[bytes], root: int = 1, header: bytes = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n",
              trailer_extra: bytes = b"") -> bytes:
    """Serialise numbered objects (1..n) into a PDF with a correct xref table."""
    out = bytearray(header)
    offsets = []
    for num, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % num + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root %d 0 R %s>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, root, trailer_extra, xref)
    return bytes(out)


def _stream(data: bytes, compress: bool = True, extra: bytes = b"") -> bytes:
    if compress:
        data = zlib.compress(data, 9)
        extra = b"/Filter /FlateDecode " + extra
    return b"<< /Length %d %s>>\nstream\n" % (len(data), extra) + data + b"\nendstream"


def zero_page_pdf() -> bytes:
    """A syntactically valid PDF whose page tree is empty (/Kids [] /Count 0).

    pdfium refuses any zero-page document (even one it saved itself): pypdfium2 raises PdfiumError
    "Failed to load document (PDFium: Data format error)", the same as for a corrupt file, while
    pdfplumber/pdfminer open it with 0 pages. Telling "empty" from "corrupt" needs a second look.
    """
    return _assemble([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [] /Count 0 >>",
    ])


def _text_page_objects(lines_per_page: Sequence[bytes]) -> list[bytes]:
    """Objects for a minimal multi-page Helvetica document; page i shows lines_per_page[i]."""
    n = len(lines_per_page)
    # 1 catalog, 2 pages, 3 font, then (page, content) pairs
    kids = b" ".join(b"%d 0 R" % (4 + 2 * i) for i in range(n))
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, n),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    for i, text in enumerate(lines_per_page):
        objs.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> "
                    b"/Contents %d 0 R >>" % (5 + 2 * i))
        objs.append(_stream(text, compress=False))
    return objs


def many_pages_pdf(n: int, text: bool = True) -> bytes:
    """A minimal PDF with `n` pages, each saying "Page i of n ..." (or blank with text=False).

    Written directly (no layout engine), so 100,000 pages take about a second: for page limits.
    """
    if n < 0:
        raise ValueError("n must be >= 0")
    contents = []
    for i in range(1, n + 1):
        if text:
            contents.append(b"BT /F1 11 Tf 72 770 Td (Page %d of %d. This page says very little.) Tj ET" % (i, n))
        else:
            contents.append(b"")
    return _assemble(_text_page_objects(contents))


PATHOLOGICAL_KINDS = ("xobject_fanout", "huge_content", "inflate_bomb", "page_tree_cycle", "deep_nesting", "xref_loop")

_ONE_PAGE_HEAD = [
    b"<< /Type /Catalog /Pages 2 0 R >>",
    b"<< /Type /Pages /Kids [4 0 R] /Count 1 >>",
    b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
]


def _one_page(content_stream: bytes, resources: bytes = b"<< /Font << /F1 3 0 R >> >>", extra: Sequence[bytes] = ()) -> bytes:
    return _assemble([
        *_ONE_PAGE_HEAD,
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources %s /Contents 5 0 R >>" % resources,
        content_stream,
        *extra,
    ])


def _inflate_bomb_stream(n_mb: int) -> bytes:
    """A FlateDecode stream of `n_mb` MiB of spaces, built in milliseconds.

    A full flush makes the compressed bytes of each 1 MiB chunk independent of what came before, so
    the same bytes can simply be repeated; the Adler-32 trailer is computed over the whole payload.
    """
    head = b"BT /F1 12 Tf 72 700 Td (Inflate bomb.) Tj ET\n"
    chunk = b" " * (1 << 20)
    comp = zlib.compressobj(9)
    first = comp.compress(head) + comp.flush(zlib.Z_FULL_FLUSH)
    block = comp.compress(chunk) + comp.flush(zlib.Z_FULL_FLUSH)
    last = comp.flush(zlib.Z_FINISH)[:-4]  # the final empty block, without the checksum of `comp`
    adler = zlib.adler32(head)
    for _ in range(n_mb):
        adler = zlib.adler32(chunk, adler)
    data = first + block * n_mb + last + adler.to_bytes(4, "big")
    return b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(data) + data + b"\nendstream"


def pathological_pdf(kind: str = "huge_content", scale: float = 1.0) -> bytes:
    """Small PDFs that stress a parser. Measured with pypdfium2 5.15 on a 2-core box:

    - "xobject_fanout": 30 form XObjects, each drawing the next one twice (a PDF "billion laughs":
      2**30 text draws from a ~6 KB file). Loading the page never finishes and memory keeps growing
      (1.7 GB after 10 s) — this is the "must not hang" case; only use it under a time/memory limit.
      `scale` multiplies the depth: scale=0.5 (depth 15) takes ~0.3 s, 0.6 (depth 18) ~2.5 s and 0.7 GB.
    - "huge_content": one page whose ~30 KB compressed content stream inflates to 240,000 x scale
      text-show operators; text extraction takes ~3 s x scale and ~130 MB x scale (scale=10: 28 s,
      1.3 GB). For timeouts.
    - "inflate_bomb": one page whose content stream inflates to 512 MB x scale of spaces from
      ~0.5 MB x scale on disk; pdfium decodes it whole (~1 GB RSS, ~3 s at scale=1). For memory limits.
    - "page_tree_cycle": the page tree's /Kids contain the tree itself and /Count claims 1,000,000
      pages. pdfium opens it and len() says 1,000,000, but loading any page fails: a loop over
      "all pages" that ignores the page limit makes a million failing calls.
    - "deep_nesting": a content stream of 200,000 x scale nested arrays "[[[[..." and a Resources
      dictionary nested 50,000 deep. pdfium caps its recursion: opens at once, no text.
    - "xref_loop": the trailer's /Prev points at its own xref section and two /Pages nodes are each
      other's /Parent. pdfium copes: opens, one page, text "Looping references.".
    """
    if kind == "xobject_fanout":
        depth = max(1, int(round(30 * scale)))
        forms = []
        for i in range(depth):
            if i < depth - 1:
                body, res = b"/X Do /X Do", b"<< /XObject << /X %d 0 R >> >>" % (7 + i)
            else:
                body, res = b"BT /F1 12 Tf 72 700 Td (Fan out.) Tj ET", b"<< /Font << /F1 3 0 R >> >>"
            forms.append(b"<< /Type /XObject /Subtype /Form /BBox [0 0 595 842] /Resources %s /Length %d >>\n"
                         b"stream\n%s\nendstream" % (res, len(body), body))
        return _one_page(_stream(b"/X Do", compress=False), b"<< /Font << /F1 3 0 R >> /XObject << /X 6 0 R >> >>", forms)
    if kind == "huge_content":
        op = b"BT /F1 1 Tf 10 10 Td (slow text) Tj ET\n"
        return _one_page(_stream(op * max(1, int(240_000 * scale))))
    if kind == "inflate_bomb":
        return _one_page(_inflate_bomb_stream(max(1, int(512 * scale))))
    if kind == "page_tree_cycle":
        return _assemble([
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 1000000 >>",
            b"<< /Type /Pages /Parent 2 0 R /Kids [2 0 R 3 0 R] /Count 1000000 >>",
        ])
    if kind == "deep_nesting":
        depth = max(1, int(200_000 * scale))
        content = b"BT /F1 12 Tf 72 700 Td " + b"[" * depth + b"]" * depth + b" TJ (Deep nesting.) Tj ET"
        nested = b"<< /X " * 50_000 + b"1" + b" >>" * 50_000
        return _one_page(_stream(content), b"<< /Font << /F1 3 0 R >> /Deep " + nested + b" >>")
    if kind == "xref_loop":
        body = _assemble([
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [4 0 R] /Count 1 /Parent 5 0 R >>",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> /Contents 6 0 R >>",
            b"<< /Type /Pages /Kids [2 0 R] /Count 1 /Parent 2 0 R >>",
            _stream(b"BT /F1 12 Tf 72 700 Td (Looping references.) Tj ET", compress=False),
        ])
        xref_at = int(body.rsplit(b"startxref\n", 1)[1].split(b"\n", 1)[0])
        return body.replace(b"/Root 1 0 R ", b"/Root 1 0 R /Prev %d " % xref_at)
    raise ValueError(f"unknown pathological kind {kind!r}; one of {PATHOLOGICAL_KINDS}")


# -------------------------------------------------------------------------------------------------
# synthetic statement content (written for this project; no real statement text)
# -------------------------------------------------------------------------------------------------

SECTORS = ("manufacturing", "retail", "mining", "financial services", "construction", "healthcare",
           "education", "technology", "food and agriculture", "logistics")

_NAMES = ("Harbourline", "Coralwood", "Redgum", "Northgate", "Blue Saltbush", "Kestrel", "Ironbark",
          "Meridian Vale", "Tasman Ridge", "Silverleaf", "Quarry Point", "Wattle Creek", "Brightwater",
          "Granite Bay", "Lakeshore", "Pinecrest", "Sunfield", "Westmarch")
_SECTOR_WORDS = {
    "manufacturing": ("Industries", ["steel components", "packaging", "industrial chemicals", "electronic parts", "work wear"]),
    "retail": ("Retail Group", ["apparel", "footwear", "homewares", "consumer electronics", "seasonal decorations"]),
    "mining": ("Resources", ["explosives", "heavy machinery", "tyres", "personal protective equipment", "camp catering"]),
    "financial services": ("Financial", ["IT hardware", "call centre services", "office supplies", "cleaning services", "branded merchandise"]),
    "construction": ("Constructions", ["structural steel", "solar panels", "timber", "labour hire", "scaffolding"]),
    "healthcare": ("Health", ["surgical gloves", "pharmaceuticals", "medical devices", "linen services", "cleaning services"]),
    "education": ("University", ["IT equipment", "campus security", "catering", "uniforms", "laboratory supplies"]),
    "technology": ("Technologies", ["servers", "laptops", "cloud services", "contract software development", "cobalt-containing batteries"]),
    "food and agriculture": ("Foods", ["seasonal harvest labour", "seafood", "cocoa", "palm oil", "packaging"]),
    "logistics": ("Logistics", ["fuel", "vehicle parts", "warehousing", "subcontracted drivers", "pallets"]),
}
_COUNTRIES = ("Australia", "New Zealand", "China", "Vietnam", "India", "Malaysia", "Indonesia", "Thailand",
              "Bangladesh", "the United States", "Germany", "Canada", "Mexico", "Turkey", "the Philippines")
_HIGH_RISK = ("China", "Malaysia", "Bangladesh", "Thailand", "Indonesia", "India", "Vietnam")
_CITIES = ("Melbourne", "Sydney", "Brisbane", "Perth", "Adelaide", "Toronto", "Vancouver", "Leeds", "Auckland")
_PEOPLE = ("Dr. Amelia Hartley", "Mr. Rajesh Iyer", "Ms. Sophie Nguyen", "Prof. Daniel O'Connor",
           "Mrs. Leila Haddad", "Mr. Tomasz Kowalski", "Ms. Grace Whitfield", "Dr. Kenji Tanaka")
_ROLES = ("Chair of the Board", "Chief Executive Officer", "Managing Director", "Director", "Company Secretary")
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December")

_JURISDICTION = {
    "AU": {"suffix": " Pty Ltd.", "act": "s. 16 of the Modern Slavery Act 2018 (Cth)", "id": "ABN",
           "home": "Australia"},
    "UK": {"suffix": " Ltd.", "act": "s. 54 of the Modern Slavery Act 2015", "id": "Company No.",
           "home": "England and Wales"},
    "CA": {"suffix": " Inc.", "act": "s. 11 of the Fighting Against Forced Labour and Child Labour in Supply Chains Act",
           "id": "Business No.", "home": "Canada"},
}


@dataclass
class Statement:
    """Synthetic statement: the blocks to render and the sentences a perfect segmenter would return.

    `sentences` lists (heading, text) in reading order for paragraphs, list items and the
    signature block; headings themselves and table cells are not in it.
    """

    blocks: list[Block]
    sentences: list[tuple[str, str]]
    entity: str
    sector: str
    jurisdiction: str
    headings: list[str] = field(default_factory=list)


class _Filler:
    def __init__(self, rng: random.Random, entity: str, short: str, sector: str, jurisdiction: str, year: int):
        self.rng = rng
        self.entity, self.short, self.sector, self.j, self.year = entity, short, sector, jurisdiction, year
        self.goods = _SECTOR_WORDS[sector][1]

    def slots(self) -> dict[str, Any]:
        r = self.rng
        jur = _JURISDICTION[self.j]
        return {
            "entity": self.entity, "short": self.short, "year": self.year, "prev": self.year - 1,
            "act": jur["act"], "idlabel": jur["id"], "regno": f"{r.randrange(10, 99)} {r.randrange(100, 999)} {r.randrange(100, 999)} {r.randrange(100, 999)}",
            "n_emp": f"{r.randrange(1, 40)},{r.randrange(0, 999):03d}", "n_sites": r.randrange(3, 60),
            "pct": r.randrange(5, 95), "pct2": r.randrange(1, 30), "n_sup": f"{r.randrange(1, 9)},{r.randrange(0, 999):03d}",
            "spend": f"{r.randrange(20, 900)}", "country": r.choice(_COUNTRIES), "country2": r.choice(_COUNTRIES),
            "risky": r.choice(_HIGH_RISK), "good": r.choice(self.goods), "good2": r.choice(self.goods),
            "city": r.choice(_CITIES), "no": r.randrange(1, 40), "level": r.randrange(2, 40), "n": r.randrange(2, 25),
            "month": r.choice(_MONTHS), "day": r.randrange(1, 28), "person": r.choice(_PEOPLE), "role": r.choice(_ROLES),
            "clause": f"{r.randrange(3, 19)}.{r.randrange(1, 9)}", "sector": self.sector,
            "nth": ("second", "third", "fourth", "fifth")[r.randrange(4)], "home": _JURISDICTION[self.j]["home"],
        }

    def fill(self, template: str) -> str:
        return template.format(**self.slots())


_INTRO = [
    "This statement is made by {entity} ({idlabel} {regno}) pursuant to {act} for the financial year ended 30 June {year}.",
    "It sets out the steps {short} has taken to identify, assess and address the risks of modern slavery in its operations and supply chains.",
    "References in this statement to \"{short}\", \"we\" or \"our\" are to {entity} and the entities it owns or controls.",
    "This is our {nth} statement under {act}, and it builds on the work described in our {prev} statement.",
    "We recognise that modern slavery, i.e. forced labour, debt bondage, human trafficking and the worst forms of child labour, is a serious crime and a grave abuse of human rights.",
    "The statement covers the period from 1 July {prev} to 30 June {year} (the \"Reporting Period\").",
]
_STRUCTURE = [
    "{entity} is a proprietary company limited by shares, incorporated in {home}, with its registered office at Level {level}, No. {no} Collins St., {city}.",
    "{short} employs approx. {n_emp} people across {n_sites} sites, of whom about {pct}% are permanent employees.",
    "The group comprises {n} wholly owned subsidiaries, e.g. {short} Services Pty Ltd. and {short} Holdings Co., which operate under the same policies.",
    "Our head office is located at Unit {no}, {level} Harbour Rd., {city}, and we operate regional offices in {country} and {country2}.",
    "{short} operates in the {sector} sector and sells its products in {country}, {country2} and approx. {n} other markets.",
    "Day-to-day management is delegated to the Chief Executive Officer, who reports to the Board at least {n} times a year.",
    "In FY{year} our revenue was approx. AUD {spend} million, and our workforce grew by {pct2}% compared with FY{prev}.",
    "Our operations include manufacturing, warehousing and distribution, as well as a small research facility in {city}.",
]
_SUPPLY = [
    "In the Reporting Period we purchased goods and services from approx. {n_sup} direct suppliers in {n} countries.",
    "Our main procurement categories are {good}, {good2} and professional services, which together make up about {pct}% of our spend.",
    "Approximately {pct2}% of our direct spend is with suppliers based in {risky}, mainly for {good}.",
    "Most of our tier 1 suppliers are located in {country}; however, the raw materials used by them are often sourced from {risky} and other countries.",
    "We have limited visibility beyond tier 2 of our supply chain, particularly for {good}.",
    "Our largest supplier provides {good} from No. {no} Industrial Park, {country2}, and has supplied us for over {n} years.",
]
_RISKS = [
    "We consider that the highest risks of modern slavery sit in the supply chains for {good} and {good2}.",
    "The Global Slavery Index identifies {risky} as a country with a high prevalence of forced labour, and we source {good} from there.",
    "Risk factors include the use of low-skilled migrant workers, recruitment fees paid by workers, excessive overtime and the retention of identity documents.",
    "Services such as cleaning, security and labour hire, e.g. in our warehouses, are known to carry elevated risks of underpayment and debt bondage.",
    "We did not identify any instance of modern slavery in our operations or supply chains during the Reporting Period.",
    "Our operations carry a lower risk because our workforce is mostly skilled, directly employed and covered by enterprise agreements.",
    "The use of subcontractors on our {sector} sites increases the risk that workers are engaged through informal recruitment agents.",
    "Cotton and polysilicon sourced from certain regions, e.g. parts of {risky}, have been linked to state-imposed forced labour.",
]
_RISK_BULLETS = [
    "Sourcing of {good} from {risky}",
    "Migrant workers on temporary visas in our contractors' workforces",
    "Third-party labour hire arrangements",
    "Recruitment fees and related costs charged to workers",
    "Long and complex supply chains for {good2}",
    "Seasonal and casual work with limited oversight",
]
_ACTIONS = [
    "During the Reporting Period we updated our Supplier Code of Conduct, which now explicitly prohibits recruitment fees (cl. {clause}).",
    "We issued a modern slavery questionnaire to {pct}% of our tier 1 suppliers by spend and received {n} responses that required follow-up.",
    "All new supplier contracts include a clause requiring compliance with our Supplier Code of Conduct and allowing us to audit the supplier.",
    "We commissioned {n} independent social audits (SMETA 4-pillar) of suppliers in {risky}, and corrective action plans were agreed for each non-conformance.",
    "Approx. {n_emp} employees completed our online modern slavery training module, and the procurement team received face-to-face training.",
    "Our whistleblower hotline is available 24 hours a day in {n} languages to employees, suppliers' workers and members of the public.",
    "We joined an industry initiative on responsible sourcing of {good} so that we can use shared audit results and increase our leverage.",
    "We screened our supplier master list against country and category risk indicators to prioritise suppliers for further due diligence.",
]
_ACTION_ITEMS = [
    "Mapped our tier 1 suppliers of {good} and {good2}",
    "Rolled out the updated Supplier Code of Conduct to {pct}% of suppliers by spend",
    "Trained {n} procurement staff on modern slavery red flags",
    "Added modern slavery clauses to our standard contract templates",
    "Completed {n} site visits to suppliers in {risky}",
    "Reviewed our grievance mechanism against the UN Guiding Principles",
]
_REMEDIATION = [
    "Where we identify that we have caused or contributed to modern slavery, we will provide for or cooperate in remediation.",
    "Our remediation framework sets out the steps to take, e.g. ensuring the safety of affected workers, reporting to authorities and reviewing the supplier relationship.",
    "In one case, a supplier in {risky} was found to retain workers' passports; the passports were returned and the supplier's practices were re-audited within {n} weeks.",
    "We would consider terminating a supplier relationship only as a last resort, because termination can worsen outcomes for workers.",
]
_EFFECTIVENESS = [
    "We assess the effectiveness of our actions through key performance indicators reviewed by the Risk Committee every quarter.",
    "Our indicators include the percentage of high-risk suppliers assessed ({pct}% in FY{year}), training completion rates and the number of grievances received.",
    "The internal audit team reviewed our modern slavery program in {month} {year} and made {n} recommendations, all of which have been accepted.",
    "We recognise that our current indicators measure activity rather than outcomes for workers, and we will refine them next year.",
    "Corrective actions from supplier audits are tracked to closure, and {pct}% were closed within 90 days.",
]
_CONSULTATION = [
    "This statement was prepared by a working group with representatives of each reporting entity and each owned or controlled entity.",
    "Each subsidiary reviewed the draft statement and confirmed that it accurately describes its operations, risks and actions.",
    "We consulted the boards of {short} Services Pty Ltd. and {short} Holdings Co. before the statement was finalised.",
]
_APPROVAL = [
    "This statement was approved by the Board of Directors of {entity} on {day} {month} {year}.",
    "This statement is signed by {person}, {role}, in accordance with {act}.",
]
_SUPPLIER_TABLE_HEAD = ["Category", "Main sourcing countries", "Share of spend", "Risk rating"]


def sample_statement(
    seed: int,
    sector: str | None = None,
    n_paragraphs: int = 12,
    jurisdiction: str | None = None,
    with_tables: bool = True,
    with_lists: bool = True,
    repeat_templates: bool = True,
) -> Statement:
    """Synthetic modern slavery statement, deterministic for a given seed.

    About 3.5 sentences per paragraph (~120 words) plus headings, bullet and numbered lists and a
    supplier table; n_paragraphs=12 renders to ~2 one-column A4 pages at 10 pt, so the page count
    grows roughly as n_paragraphs / 6. Sentences carry the abbreviations real statements have
    ("Pty Ltd.", "No. 5", "s. 54", "e.g.", "i.e.", "approx.", "Dr.", "cl. 4.2").

    Sentences come from per-section template pools; once a pool is used up, templates repeat with
    new numbers and names. repeat_templates=False stops a section there instead, so no two
    sentences of the statement are near-duplicates (what sentence-alignment benchmarks need).
    """
    rng = random.Random(seed)
    sector = sector or rng.choice(SECTORS)
    jurisdiction = jurisdiction or rng.choice(tuple(_JURISDICTION))
    name = rng.choice(_NAMES)
    entity = f"{name} {_SECTOR_WORDS[sector][0]}{_JURISDICTION[jurisdiction]['suffix']}"
    year = rng.randrange(2020, 2025)
    f = _Filler(rng, entity, name, sector, jurisdiction, year)

    sections = [
        ("Introduction", _INTRO, None),
        ("Our structure, operations and supply chains", _STRUCTURE + _SUPPLY, "table"),
        ("Risks of modern slavery", _RISKS, "bullets"),
        ("Actions taken to assess and address risks", _ACTIONS, "numbered"),
        ("Remediation", _REMEDIATION, None),
        ("Assessing the effectiveness of our actions", _EFFECTIVENESS, None),
        ("Consultation", _CONSULTATION, None),
    ]
    # paragraphs per section: at least one each, the rest spread with weights on the long sections
    weights = [1, 3, 2, 3, 1, 2, 1]
    counts = [1] * len(sections)
    for _ in range(max(0, n_paragraphs - len(sections))):
        counts[rng.choices(range(len(sections)), weights)[0]] += 1

    blocks: list[Block] = []
    sentences: list[tuple[str, str]] = []
    headings: list[str] = []
    for (heading, pool, extra), count in zip(sections, counts):
        if rng.random() < 0.25:
            heading = heading.upper()
        blocks.append(("heading", heading, 1))
        headings.append(heading)
        order = rng.sample(pool, len(pool))  # walk the shuffled pool so paragraphs repeat templates late
        used = 0
        for p in range(count):
            k = rng.randint(2, 5)
            if not repeat_templates:
                k = min(k, len(order) - used)
                if k <= 0:
                    break
            sents = [f.fill(order[(used + j) % len(order)]) for j in range(k)]
            used += k
            blocks.append(("para", " ".join(sents)))
            sentences += [(heading, s) for s in sents]
            if p == 0 and extra and with_lists and extra in ("bullets", "numbered"):
                lead = ("The main risk factors we identified are:" if extra == "bullets"
                        else "In the Reporting Period we took the following actions:")
                src = _RISK_BULLETS if extra == "bullets" else _ACTION_ITEMS
                items = [f.fill(t) for t in rng.sample(src, rng.randint(3, len(src)))]
                if rng.random() < 0.5:  # some writers end list items with full stops
                    items = [i + "." for i in items]
                blocks.append(("para", lead))
                blocks.append((extra, items))
                sentences.append((heading, lead))
                sentences += [(heading, i) for i in items]
            if p == 0 and extra == "table" and with_tables:
                rows = [_SUPPLIER_TABLE_HEAD]
                for good in rng.sample(f.goods, min(len(f.goods), rng.randint(3, 5))):
                    rows.append([good.capitalize(), ", ".join(rng.sample(_COUNTRIES, 2)),
                                 f"{rng.randrange(2, 40)}%", rng.choice(["High", "Medium", "Low"])])
                blocks.append(("table", rows))
    blocks.append(("heading", "Approval", 1))
    headings.append("Approval")
    approval = [f.fill(t) for t in _APPROVAL]
    blocks.append(("para", " ".join(approval)))
    sentences += [("Approval", s) for s in approval]
    return Statement(blocks, sentences, entity, sector, jurisdiction, headings)


def sample_statement_blocks(seed: int, sector: str | None = None, n_paragraphs: int = 12, **kwargs: Any) -> list[Block]:
    """The blocks of `sample_statement(seed, ...)`."""
    return sample_statement(seed, sector=sector, n_paragraphs=n_paragraphs, **kwargs).blocks


def corpus_pdfs(min_pages: int = 200, seed: int = 0, n_paragraphs: int = 24) -> list[dict[str, Any]]:
    """Born-digital statement PDFs, varied in layout, header/footer, font size, tables and lists,
    until their pages add up to at least `min_pages`. Each item: name, layout, pages, pdf, statement.
    """
    import pypdfium2 as pdfium

    rng = random.Random(seed)
    out: list[dict[str, Any]] = []
    total, i = 0, 0
    while total < min_pages:
        stmt = sample_statement(seed * 10_000 + i, n_paragraphs=rng.randint(n_paragraphs // 2, n_paragraphs * 2))
        layout = LAYOUTS[i % 2]
        name = stmt.entity.replace(".", "").replace(" ", "_")
        header = f"{stmt.entity} Modern Slavery Statement" if rng.random() < 0.7 else None
        footer = "Confidential - for publication" if rng.random() < 0.3 else None
        page_numbers = rng.choice([True, "{n}", False])
        pdf = render_pdf(stmt.blocks, layout=layout, header=header, footer=footer, page_numbers=page_numbers,
                         font_size=rng.choice([9, 10, 11]), title=f"Modern Slavery Statement {stmt.entity}",
                         justify=layout == "two_column")
        doc = pdfium.PdfDocument(pdf)
        pages = len(doc)
        doc.close()
        out.append({"name": f"{i:03d}_{name}.pdf", "layout": layout, "pages": pages, "pdf": pdf, "statement": stmt})
        total += pages
        i += 1
    return out
