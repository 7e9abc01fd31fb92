"""DocumentScore -> a readable terminal summary (rich)."""

from __future__ import annotations

from io import StringIO

from rich.console import Console
from rich.table import Table

from .schema import DocumentScore

_COLOURS = {"met": "green", "partial": "yellow", "missing": "red", "low": "green", "medium": "yellow", "high": "red",
            "observed": "red", "prohibited": "green", "none_found": "green"}


def _c(text: str) -> str:
    colour = _COLOURS.get(text)
    return f"[{colour}]{text}[/{colour}]" if colour else text


def render_table(score: DocumentScore, width: int = 110) -> str:
    buf = StringIO()
    console = Console(file=buf, width=width, force_terminal=False, color_system=None, highlight=False)
    d, r = score.document, score.risk
    console.print(f"[bold]{d.name or d.id}[/bold] — {d.document_type.replace('_', ' ')}, "
                  f"jurisdiction {d.jurisdiction or 'none cited'} ({d.jurisdiction_source}), {d.pages} pages, "
                  f"{d.sentences} sentences, {d.extraction_method}"
                  + (f", OCR pages {d.ocr_pages}" if d.ocr_pages else "")
                  + (f", pages without text {d.empty_pages}" if d.empty_pages else ""))
    console.print(f"Risk {r.score:.0f}/100 — {_c(r.band)}" + ("".join(f" ({o})" for o in r.overrides)))
    risk = Table("component", "value", "weight", "points", "why", title="Risk components", title_justify="left")
    for c in r.components:
        risk.add_row(c.name, f"{c.value:.2f}", f"{c.weight:.2f}", f"{c.points:.1f}", c.explanation)
    console.print(risk)
    if score.jurisdictions:
        checklist = Table("requirement", "verdict", "evidence", title=f"Checklist: {score.jurisdictions[0].act}", title_justify="left")
        for v in score.jurisdictions:
            ev = v.evidence[0] if v.evidence else None
            checklist.add_row(f"{v.citation} {v.description}", _c(v.verdict), f"p.{ev.page}: {ev.text}" if ev else v.reason)
        console.print(checklist)
    crit = Table("criterion", "covered", "conf.", "best evidence", title="Criteria", title_justify="left")
    for c in score.criteria:
        ev = c.evidence[0] if c.evidence else None
        crit.add_row(c.label, "yes" if c.covered else "[red]no[/red]", f"{c.confidence:.2f}",
                     f"p.{ev.page}: {ev.text}" if ev else "")
    console.print(crit)
    if score.red_flags:
        flags = Table("indicator", "status", "severity", "evidence", title="Red flags", title_justify="left")
        for f in score.red_flags:
            ev = f.evidence[0] if f.evidence else None
            flags.add_row(f.indicator, _c(f.status), f.severity, f"p.{ev.page}: {ev.text}" if ev else "")
        console.print(flags)
    e = score.entities
    if e.high_risk_matches:
        console.print("High-risk goods: " + "; ".join(
            f"{m.good} / {m.country_name} (p.{m.evidence.page})" for m in e.high_risk_matches))
    console.print("Countries: " + (", ".join(c.value for c in e.countries) or "none")
                  + " · Sectors: " + (", ".join(s.value for s in e.sectors) or "none"))
    console.print(f"Model {score.model.name} {score.model.version} ({score.model.sha})")
    return buf.getvalue()
