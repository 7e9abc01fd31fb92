"""Raw page text -> clean blocks (headings, paragraphs, bullets, table rows) -> document text.

PDF text arrives as lines. Here we: normalise characters (ligatures, odd spaces, soft hyphens), join
hyphenated line breaks, drop running headers/footers and page numbers, merge lines into paragraphs,
keep each bullet and table row as its own block (so it becomes its own sentence), detect headings,
and continue paragraphs across page breaks. The result is one text with page offsets.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

from ..document import Block, Page
from .pdf import TABLE_ROW_MARK

BULLET_CHARS = "•●○◦▪▫■□‣⁃∙·➢►▶✓✔❖◆◇→-–—*"
_BULLET = re.compile(rf"^\s*(?:[{re.escape(BULLET_CHARS)}]|\(?[a-zA-Z]\)|\(?(?:i|ii|iii|iv|v|vi|vii|viii|ix|x)\)|\d{{1,2}}[.)])\s+")
_BULLET_ONLY = re.compile(rf"^\s*[{re.escape(BULLET_CHARS)}]\s*$")
_NUMBERED_HEADING = re.compile(r"^\s*(?:\d{1,2}(?:\.\d{1,2})*\.?|[A-Z]\.|(?:section|part)\s+\d+[.:]?)\s+\S")
_PAGE_NUMBER = re.compile(
    r"^\s*(?:[-–—]\s*)?(?:page\s+)?\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?(?:\s*[-–—])?\s*$", re.IGNORECASE
)
_SENTENCE_END = re.compile(r"[.!?;:…][\"'”’)\]]*$")
_SPACES = re.compile(r"[ \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")
_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1d\x1f\x7f]")
_KEEP_HYPHEN_PREFIXES = {
    "co", "non", "pre", "re", "self", "third", "well", "long", "short", "multi", "cross", "anti", "sub",
    "ex", "full", "part", "high", "low", "semi", "post", "inter", "intra", "tier", "on", "off", "in",
    "out", "up", "down", "follow", "year", "end", "first", "second", "top", "mid", "e", "x",
}
_SMALL_WORDS = {
    "a", "an", "and", "as", "at", "by", "for", "in", "of", "on", "or", "the", "to", "with", "our", "its",
    "from", "into", "&", "vs",
}


@dataclass
class RawBlock:
    """A block before assembly. `pieces` are (page, text) so a paragraph may span a page break."""

    kind: str  # heading | paragraph | bullet | table_row
    pieces: list[tuple[int, str]] = field(default_factory=list)

    @property
    def text(self) -> str:
        return " ".join(text for _, text in self.pieces)


def normalise_text(text: str) -> str:
    """Character clean-up that keeps line structure: NFKC (ligatures), spaces, dashes, controls."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = unicodedata.normalize("NFKC", text)
    text = _ZERO_WIDTH.sub("", text)
    text = _CONTROL.sub(" ", text)
    return _SPACES.sub(" ", text)


def _join_hyphenated(lines: list[str]) -> list[str]:
    """Join a line ending in a hyphen (soft U+FFFE/U+00AD or hard '-') with the next line."""
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        while i + 1 < len(lines) and line and line[-1] in "\ufffe\u00ad-" and lines[i + 1][:1].islower():
            nxt = lines[i + 1].lstrip()
            head = line[:-1]
            if line[-1] == "-":
                stem = re.search(r"([A-Za-z]+)$", head)
                if stem is None:
                    break
                keep = stem.group(1).lower() in _KEEP_HYPHEN_PREFIXES
                line = head + ("-" if keep else "") + nxt
            else:
                line = head + nxt
            i += 1
        out.append(line.replace("\ufffe", "").replace("\u00ad", ""))
        i += 1
    return out


def _furniture_key(line: str) -> str:
    return re.sub(r"\d+", "#", line.strip().lower())


def _running_furniture(pages: list[list[str]], edge: int = 2) -> set[str]:
    """Keys of lines repeated at the top or bottom of many pages (running headers/footers)."""
    texts = [lines for lines in pages if lines]
    if len(texts) < 2:
        return set()
    counts: Counter[str] = Counter()
    for lines in texts:
        # body text that happens to recur (a line of a list, a repeated sentence) ends a sentence or
        # continues one; running headers and footers do neither
        keys = {
            _furniture_key(line)
            for line in lines[:edge] + lines[-edge:]
            if not _SENTENCE_END.search(line) and not line[:1].islower()
        }
        counts.update(k for k in keys if k)
    threshold = max(2, (len(texts) + 1) // 2)
    return {key for key, n in counts.items() if n >= threshold}


def _is_title_like(line: str) -> bool:
    words = re.findall(r"[A-Za-z][A-Za-z'’&-]*", line)
    if not words:
        return False
    letters = "".join(words)
    if letters.isupper() and len(letters) > 1:
        return True
    content = [w for w in words if w.lower() not in _SMALL_WORDS]
    if not content:
        return False
    capitalised = sum(1 for w in content if w[0].isupper())
    return capitalised / len(content) >= 0.6


def _looks_like_heading(line: str, prev: str | None, nxt: str | None, width: int, styled: bool = False) -> bool:
    """Layout-free heading test; `styled` (set larger or bolder than the body) relaxes it."""
    stripped = line.strip()
    if not stripped or stripped[-1] in ".,;" or stripped.startswith(TABLE_ROW_MARK):
        return False
    first = stripped[0]
    if not (first.isupper() or first.isdigit()):
        return False
    if styled:
        return len(stripped.split()) <= 20 and not (nxt is not None and nxt[:1].islower() and len(stripped) > 0.6 * width)
    if len(stripped) > 100 or len(stripped.split()) > 12:
        return False
    if prev is not None and not _SENTENCE_END.search(prev) and len(prev) > 0.6 * width:
        return False  # a long line that did not end a sentence: this one is its continuation
    if nxt is not None and nxt[:1].islower():
        return False
    if len(stripped) > 0.75 * width and not stripped.isupper():
        return False
    if stripped.endswith(":") and not _is_title_like(stripped[:-1]):
        return False
    return _is_title_like(stripped) or bool(_NUMBERED_HEADING.match(stripped)) or len(stripped.split()) <= 8


def blocks_from_lines(
    pages: list[list[str] | None], furniture: bool = True, styled: list[set[str]] | None = None
) -> list[RawBlock]:
    """Turn pages of text lines into blocks. An empty string line forces a paragraph break.

    styled: per page, the raw lines the extractor saw set larger or bolder than body text.
    """
    line_pages = [[normalise_text(line).strip() for line in lines] if lines else [] for lines in pages]
    styled_pages = [{normalise_text(line).strip() for line in lines} for lines in (styled or [])]
    line_pages = [_join_hyphenated(lines) for lines in line_pages]
    drop = _running_furniture([[l for l in lines if l] for lines in line_pages]) if furniture else set()

    blocks: list[RawBlock] = []
    for page_index, lines in enumerate(line_pages):
        page = page_index + 1
        page_styled = styled_pages[page_index] if page_index < len(styled_pages) else set()
        content = [l for l in lines if l]
        edge = set(content[:2] + content[-2:])
        kept: list[str] = []
        for line in lines:
            if furniture and line and line in edge and (_furniture_key(line) in drop or _PAGE_NUMBER.match(line)):
                continue
            kept.append(line)
        lengths = sorted(len(l) for l in kept if l)
        width = lengths[int(len(lengths) * 0.9)] if lengths else 80
        width = max(width, 30)

        current: RawBlock | None = None
        first_on_page = True
        for i, line in enumerate(kept):
            if not line:
                current = None
                continue
            prev = kept[i - 1] if i > 0 and kept[i - 1] else None
            nxt = kept[i + 1] if i + 1 < len(kept) and kept[i + 1] else None
            is_styled = line in page_styled
            if _BULLET_ONLY.match(line):  # a bullet glyph on its own line: the item follows
                current = RawBlock("bullet")
                blocks.append(current)
                first_on_page = False
                continue
            if line.startswith(TABLE_ROW_MARK):
                cells = line[len(TABLE_ROW_MARK) :].strip()
                if cells.strip(" |"):
                    blocks.append(RawBlock("table_row", [(page, cells)]))
                current = None
                first_on_page = False
                continue
            last = current.pieces[-1][1] if current is not None and current.pieces else None
            if current is not None and current.kind != "table_row" and last is not None and open_end(last):
                # "... suppliers in" / "Thailand": a line ending mid-phrase always continues
                current.pieces.append((page, line))
                first_on_page = False
                continue
            is_bullet = bool(_BULLET.match(line))
            if is_bullet and _NUMBERED_HEADING.match(line) and _looks_like_heading(line, prev, nxt, width, is_styled):
                is_bullet = False  # "2. Our supply chain" is a numbered heading, not a list item
            if is_bullet:
                current = RawBlock("bullet", [(page, _BULLET.sub("", line, count=1))])
                blocks.append(current)
            elif (
                current is not None and current.kind == "heading" and is_styled and last in page_styled
                and line[:1].islower()
            ):
                current.pieces.append((page, line))  # "Our structure, operations and" / "supply chains"
            elif (current is None or current.kind != "bullet" or current.pieces) and _looks_like_heading(
                line, prev if not first_on_page or current else None, nxt, width, is_styled
            ):
                wrapped = (
                    current is not None and current.kind == "heading"
                    and len(last) >= 0.5 * width  # a wrapped heading filled its first line
                    and not _NUMBERED_HEADING.match(line)
                    and not last.endswith(":")
                    and ((line.isupper() and last.isupper()) or (is_styled and last in page_styled))
                )
                if wrapped:
                    current.pieces.append((page, line))  # a heading wrapped onto two lines
                else:
                    current = RawBlock("heading", [(page, line)])
                    blocks.append(current)
            elif first_on_page and current is None and blocks and _continues(blocks[-1], line):
                blocks[-1].pieces.append((page, line))  # paragraph runs on from the previous page
                current = blocks[-1]
            elif (
                current is None
                or current.kind in ("heading", "table_row")
                # after a short list item, a capitalised line starts a new paragraph
                or (current.kind == "bullet" and len(last or "") < 0.75 * width and not line[:1].islower())
            ):
                current = RawBlock("paragraph", [(page, line)])
                blocks.append(current)
            else:
                current.pieces.append((page, line))
            first_on_page = False
            # a short line that ends a sentence closes its paragraph
            if (
                current is not None and current.kind != "heading" and _SENTENCE_END.search(line)
                and len(line) < 0.8 * width and not open_end(line)
            ):
                current = None
    return [b for b in blocks if b.pieces]


_CONNECTORS = {
    "and", "or", "of", "the", "a", "an", "to", "in", "for", "with", "on", "by", "from", "at", "as", "our",
    "its", "their", "&", "including", "such", "that", "which", "per", "than", "between", "under",
}


def open_end(line: str) -> bool:
    """Does the line stop mid-phrase (a comma, a connective, an abbreviation), so the next continues it?"""
    from ..segment import HARD_ABBREVIATIONS, NUMBER_ABBREVIATIONS

    if line.endswith((",", "-", "–", "/", "(")):
        return True
    word = line.rsplit(None, 1)[-1].lower()
    if word in _CONNECTORS:
        return True
    return word.endswith(".") and (word[:-1] in HARD_ABBREVIATIONS or word[:-1] in NUMBER_ABBREVIATIONS)


def _continues(block: RawBlock, line: str) -> bool:
    """Does `line`, first on a page, continue `block` from the page before?"""
    if block.kind not in ("paragraph", "bullet") or not block.pieces:
        return False
    last = block.pieces[-1][1]
    return not _SENTENCE_END.search(last) and (line[:1].islower() or line[:1].isdigit())


def assemble(blocks: list[RawBlock], n_pages: int) -> tuple[str, list[Block], list[tuple[int, int]]]:
    """Join blocks into one text (blocks separated by a blank line; pieces by a space).

    Returns the text, the located blocks, and each page's (start, end) span in the text.
    """
    parts: list[str] = []
    located: list[Block] = []
    page_start: dict[int, int] = {}
    page_end: dict[int, int] = {}
    offset = 0
    for block in blocks:
        if parts:
            parts.append("\n\n")
            offset += 2
        start = offset
        for j, (page, piece) in enumerate(block.pieces):
            if j:
                parts.append(" ")
                offset += 1
            page_start.setdefault(page, offset)
            parts.append(piece)
            offset += len(piece)
            page_end[page] = offset
        located.append(Block(block.kind, start, offset, block.pieces[0][0]))
    spans: list[tuple[int, int]] = []
    cursor = 0
    for page in range(1, n_pages + 1):
        if page in page_start:
            start = max(page_start[page], cursor)
            spans.append((start, page_end[page]))
            cursor = page_end[page]
        else:
            spans.append((cursor, cursor))
    return "".join(parts), located, spans


def make_pages(spans: list[tuple[int, int]], methods: list[str], text: str) -> list[Page]:
    return [
        Page(number=i + 1, start=s, end=e, method=methods[i], chars=e - s)
        for i, (s, e) in enumerate(spans)
    ]
