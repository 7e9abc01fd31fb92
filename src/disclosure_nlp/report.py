"""DocumentScore -> a self-contained HTML report (inline CSS and SVG; no scripts, no network).

A reviewer attaches it to a procurement file: risk with its components, the checklist per
jurisdiction, each criterion with its quoted evidence and page numbers, red flags, entities and
high-risk matches, and a chart of coverage.
"""

from __future__ import annotations

from html import escape

from .schema import DocumentScore, Evidence

_CSS = """
body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;margin:2rem auto;max-width:62rem;color:#1b1b1b;line-height:1.45;padding:0 1rem}
h1{font-size:1.5rem;margin-bottom:.2rem}h2{font-size:1.2rem;border-bottom:2px solid #ddd;padding-bottom:.2rem;margin-top:2rem}
.meta{color:#555;font-size:.9rem}table{border-collapse:collapse;width:100%;margin:.5rem 0}
th,td{text-align:left;vertical-align:top;padding:.35rem .5rem;border-bottom:1px solid #e4e4e4;font-size:.92rem}
th{background:#f5f5f5}.badge{display:inline-block;padding:.15rem .55rem;border-radius:.8rem;font-weight:600;font-size:.85rem}
.met,.low,.covered,.none_found,.prohibited{background:#dff3e4;color:#14532d}.partial,.medium{background:#fff4d6;color:#7a4b00}
.missing,.high,.observed,.not-covered{background:#fde2e1;color:#8b1a1a}
blockquote{margin:.3rem 0;padding:.2rem .7rem;border-left:3px solid #bbb;color:#333;font-size:.9rem}
.page{color:#666;font-size:.8rem;white-space:nowrap}.score{font-size:2.2rem;font-weight:700}
.small{font-size:.85rem;color:#555}
"""


def _badge(text: str, cls: str | None = None) -> str:
    return f'<span class="badge {escape(cls or text)}">{escape(text)}</span>'


def _quotes(evidence: list[Evidence], limit: int = 3) -> str:
    if not evidence:
        return '<span class="small">no evidence found</span>'
    parts = []
    for e in evidence[:limit]:
        status = f" · {escape(e.status)}" if e.status else ""
        parts.append(
            f'<blockquote>“{escape(e.text)}” <span class="page">p. {e.page} · {e.probability:.2f}{status}</span></blockquote>'
        )
    return "".join(parts)


def _coverage_chart(score: DocumentScore) -> str:
    rows = score.criteria
    bar_h, gap, label_w, width = 16, 6, 210, 420
    height = len(rows) * (bar_h + gap) + 10
    items = []
    for i, c in enumerate(rows):
        y = 5 + i * (bar_h + gap)
        value = c.confidence if c.covered else 1 - c.confidence
        colour = "#2f855a" if c.covered else "#c53030"
        items.append(
            f'<text x="{label_w - 6}" y="{y + 12}" text-anchor="end" font-size="11">{escape(c.name[:34])}</text>'
            f'<rect x="{label_w}" y="{y}" width="{max(1.0, value * width):.1f}" height="{bar_h}" fill="{colour}">'
            f"<title>{escape(c.label)}: {value:.2f}</title></rect>"
            f'<text x="{label_w + max(1.0, value * width) + 4:.1f}" y="{y + 12}" font-size="10">{value:.2f}</text>'
        )
    return (
        f'<svg role="img" aria-label="Coverage probability per criterion" width="{label_w + width + 40}" '
        f'height="{height}" xmlns="http://www.w3.org/2000/svg">{"".join(items)}</svg>'
    )


def render_html(score: DocumentScore) -> str:
    d = score.document
    r = score.risk
    title = escape(d.name or d.id)
    out = [
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>",
        "<meta name='viewport' content='width=device-width, initial-scale=1'>",
        f"<title>disclosure-nlp report — {title}</title><style>{_CSS}</style></head><body>",
        f"<h1>{title}</h1>",
        f"<p class='meta'>{escape(d.document_type.replace('_', ' '))} ({d.document_type_source}) · "
        f"jurisdiction: {escape(d.jurisdiction or 'none cited')} ({d.jurisdiction_source}) · {d.pages} pages · "
        f"{d.sentences} sentences · extracted with {escape(d.extraction_method)}"
        + (f" · OCR pages {d.ocr_pages}" if d.ocr_pages else "")
        + (f" · <strong>pages without text: {d.empty_pages}</strong>" if d.empty_pages else "")
        + f"<br>sha256 {d.sha256} · model {escape(score.model.name)} {escape(score.model.version)} ({escape(score.model.sha)}) · "
        f"{score.created_at:%Y-%m-%d %H:%M UTC}</p>",
        "<h2>Risk</h2>",
        f"<p><span class='score'>{r.score:.0f}</span>/100 {_badge(r.band + ' risk', r.band)}</p>",
        "<table><tr><th>component</th><th>value</th><th>weight</th><th>points</th><th>why</th></tr>",
    ]
    for c in r.components:
        out.append(
            f"<tr><td>{escape(c.name.replace('_', ' '))}</td><td>{c.value:.2f}</td><td>{c.weight:.2f}</td>"
            f"<td>{c.points:.1f}</td><td>{escape(c.explanation)}</td></tr>"
        )
    out.append("</table>")
    for o in r.overrides:
        out.append(f"<p class='small'>Override: {escape(o)}</p>")

    if score.jurisdictions:
        act = score.jurisdictions[0].act
        out.append(f"<h2>Checklist: {escape(act)}</h2><table><tr><th>requirement</th><th>verdict</th><th>evidence</th></tr>")
        for v in score.jurisdictions:
            out.append(
                f"<tr><td><strong>{escape(v.citation)}</strong> {escape(v.description)}</td>"
                f"<td>{_badge(v.verdict)}<div class='small'>{escape(v.reason)}</div></td><td>{_quotes(v.evidence, 2)}</td></tr>"
            )
        out.append("</table>")

    out.append("<h2>Red flags</h2>")
    if score.red_flags:
        out.append("<table><tr><th>indicator</th><th>status</th><th>severity</th><th>evidence</th></tr>")
        for f in score.red_flags:
            out.append(
                f"<tr><td>{escape(f.name)}</td><td>{_badge(f.status.replace('_', ' '), f.status)}</td>"
                f"<td>{_badge(f.severity)}</td><td>{_quotes(f.evidence)}</td></tr>"
            )
        out.append("</table>")
    else:
        out.append("<p class='small'>No forced-labour indicator is mentioned.</p>")

    out.append("<h2>Coverage of reporting criteria</h2>" + _coverage_chart(score))
    out.append("<table><tr><th>criterion</th><th>covered</th><th>evidence (best first)</th></tr>")
    for c in score.criteria:
        badge = _badge("covered" if c.covered else "not covered", "covered" if c.covered else "not-covered")
        out.append(f"<tr><td>{escape(c.name)}<div class='small'>{escape(c.label)}</div></td><td>{badge} {c.confidence:.2f}</td><td>{_quotes(c.evidence)}</td></tr>")
    out.append("</table>")

    q, s = score.evidence_quality, score.specificity
    out.append(
        "<h2>Evidence quality</h2>"
        f"<p>{q.coverage_sentences} evidence sentences: implemented {q.implemented:.0%}, commitment {q.commitment:.0%}, "
        f"negative {q.negative:.0%}, vague {q.vague:.0%}. Specificity {s.score:.0f}/100 "
        f"({s.concrete_sentences} of {s.coverage_sentences} sentences carry concrete details: "
        + escape(", ".join(f"{k} {v}" for k, v in s.signals.items()))
        + ").</p>"
    )

    e = score.entities
    out.append("<h2>Entities and high-risk exposure</h2>")
    if e.high_risk_matches:
        out.append("<table><tr><th>good</th><th>country</th><th>listed for</th><th>evidence</th></tr>")
        for m in e.high_risk_matches:
            listed = " and ".join(x for x, flag in (("child labour", m.child_labour), ("forced labour", m.forced_labour)) if flag)
            out.append(f"<tr><td>{escape(m.good)}</td><td>{escape(m.country_name)} ({m.country})</td><td>{listed}</td><td>{_quotes([m.evidence], 1)}</td></tr>")
        out.append("</table>")
    rows = [
        ("countries", ", ".join(f"{escape(c.name or c.value)} ({c.value})" for c in e.countries)),
        ("sectors", ", ".join(escape(s.value) + (" (high risk)" if s.high_risk else "") for s in e.sectors)),
        ("goods", ", ".join(escape(g.value) for g in e.goods)),
        ("organisations and sites", ", ".join(escape(o.value) for o in e.organisations[:20])),
        ("worker counts", ", ".join(f"{escape(w.value)} {escape(w.unit or '')}" for w in e.worker_counts)),
        ("audit counts", ", ".join(f"{escape(a.value)} {escape(a.unit or '')}" for a in e.audit_counts)),
    ]
    out.append("<table>" + "".join(f"<tr><th>{k}</th><td>{v or '—'}</td></tr>" for k, v in rows) + "</table>")
    out.append(f"<p class='small'>High-risk reference: {escape(e.reference)}.</p>")
    out.append(
        "<p class='small'>Generated by disclosure-nlp. Scores come from trained models and documented rules; "
        "every number is backed by the quoted sentences. Criteria models learned from the AIMS.au/AIMS.ca "
        "datasets (Bora et al., CC-BY-4.0).</p></body></html>"
    )
    return "".join(out)
