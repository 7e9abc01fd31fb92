"""Ruled tables found from a page's drawn lines with pdfium, read cell by cell.

pdfplumber's table finder is accurate but parses every character of the page through pdfminer
(about 1 s a page here), which made table pages 40x slower than the rest. Tables in statements
(suppliers, countries, tiers, spend) are nearly always ruled, so the ruling lines are enough: collect
the horizontal and vertical line segments pdfium draws, group crossing lines into grids, and ask
pdfium for the text inside each cell. Merged cells are handled where a grid line is missing.
"""

from __future__ import annotations

import ctypes
from dataclasses import dataclass

_TOL = 2.0  # points
_MIN_LEN = 6.0


@dataclass
class Segment:
    horizontal: bool
    pos: float  # y for horizontal, x for vertical
    lo: float  # x0 / y0
    hi: float  # x1 / y1


def _segments(page) -> list[Segment]:
    """Axis-aligned line segments (and rectangle edges) drawn on the page, in page coordinates."""
    import pypdfium2.raw as c

    out: list[Segment] = []
    n = c.FPDFPage_CountObjects(page.raw)
    x, y = ctypes.c_float(), ctypes.c_float()
    matrix = c.FS_MATRIX()
    for i in range(n):
        obj = c.FPDFPage_GetObject(page.raw, i)
        if c.FPDFPageObj_GetType(obj) != c.FPDF_PAGEOBJ_PATH:
            continue
        if not c.FPDFPageObj_GetMatrix(obj, ctypes.byref(matrix)):
            continue
        a, b, cc, d, e, f = matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f
        count = c.FPDFPath_CountSegments(obj)
        if count <= 0 or count > 5000:
            continue
        start = prev = None
        for k in range(count):
            seg = c.FPDFPath_GetPathSegment(obj, k)
            if not c.FPDFPathSegment_GetPoint(seg, ctypes.byref(x), ctypes.byref(y)):
                continue
            point = (a * x.value + cc * y.value + e, b * x.value + d * y.value + f)
            kind = c.FPDFPathSegment_GetType(seg)
            if kind == c.FPDF_SEGMENT_MOVETO:
                start = prev = point
                continue
            if kind == c.FPDF_SEGMENT_LINETO and prev is not None:
                _add(out, prev, point)
            prev = point
            if c.FPDFPathSegment_GetClose(seg) and start is not None:
                _add(out, point, start)
                prev = start
    return out


def _add(out: list[Segment], p: tuple[float, float], q: tuple[float, float]) -> None:
    (x0, y0), (x1, y1) = p, q
    if abs(y1 - y0) <= 1.0 and abs(x1 - x0) >= _MIN_LEN:
        out.append(Segment(True, (y0 + y1) / 2, min(x0, x1), max(x0, x1)))
    elif abs(x1 - x0) <= 1.0 and abs(y1 - y0) >= _MIN_LEN:
        out.append(Segment(False, (x0 + x1) / 2, min(y0, y1), max(y0, y1)))


def _crosses(h: Segment, v: Segment) -> bool:
    return h.lo - _TOL <= v.pos <= h.hi + _TOL and v.lo - _TOL <= h.pos <= v.hi + _TOL


def _cluster(values: list[float]) -> list[float]:
    out: list[float] = []
    for value in sorted(values):
        if out and value - out[-1] <= _TOL:
            continue
        out.append(value)
    return out


def _grids(segments: list[Segment]) -> list[tuple[list[Segment], list[Segment]]]:
    """Connected groups of crossing horizontal and vertical segments."""
    hs = [s for s in segments if s.horizontal]
    vs = [s for s in segments if not s.horizontal]
    parent = list(range(len(hs) + len(vs)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, h in enumerate(hs):
        for j, v in enumerate(vs):
            if _crosses(h, v):
                parent[find(i)] = find(len(hs) + j)
    groups: dict[int, tuple[list[Segment], list[Segment]]] = {}
    for i, h in enumerate(hs):
        groups.setdefault(find(i), ([], []))[0].append(h)
    for j, v in enumerate(vs):
        groups.setdefault(find(len(hs) + j), ([], []))[1].append(v)
    return [g for g in groups.values() if len(_cluster([h.pos for h in g[0]])) >= 2 and len(_cluster([v.pos for v in g[1]])) >= 2]


def _has_vertical(vs: list[Segment], x: float, y_lo: float, y_hi: float) -> bool:
    mid = (y_lo + y_hi) / 2
    return any(abs(v.pos - x) <= _TOL and v.lo - _TOL <= mid <= v.hi + _TOL for v in vs)


def read_tables(page, textpage) -> list[tuple[tuple[float, float, float, float], list[list[str]]]]:
    """[(bbox (left, bottom, right, top), rows of cell texts)] for each ruled table on the page."""
    tables = []
    for hs, vs in _grids(_segments(page)):
        ys = sorted(_cluster([h.pos for h in hs]), reverse=True)  # top to bottom
        xs = _cluster([v.pos for v in vs])
        rows: list[list[str]] = []
        for top, bottom in zip(ys, ys[1:]):
            if top - bottom < 4:
                continue
            cells: list[str] = []
            left = xs[0]
            for i, right in enumerate(xs[1:], start=1):
                if i < len(xs) - 1 and not _has_vertical(vs, right, bottom, top):
                    continue  # merged cell: no rule between this column and the next
                text = textpage.get_text_bounded(left=left, bottom=bottom, right=right, top=top)
                cells.append(" ".join(text.split()))
                left = right
            if any(cells):
                rows.append(cells)
        if rows:
            tables.append(((xs[0], ys[-1], xs[-1], ys[0]), rows))
    return tables
