"""The summary report of a batch run: one self-contained HTML page (plots embedded as base64 PNG).

    html = render_report("results.parquet")

Sections: overview and failures, coverage rate per criterion, verdict rates per jurisdiction, red flags
found, risk distribution, and breakdowns by sector and by year where the metadata has them. Every plot
has a table with the same numbers next to it (plots for reading, tables for checking).
"""

from __future__ import annotations

import base64
import html
import io
from collections import Counter, defaultdict
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from .batch import BatchError, read_results

JURISDICTION_NAMES = {"uk": "UK Modern Slavery Act s54", "au": "Australia Modern Slavery Act s16",
                      "ca": "Canada S-211 s11", "us_ca": "California TISCA 1714.43"}
VERDICTS = ("met", "partial", "missing")
BANDS = ("low", "medium", "high")
COLOURS = {"met": "#2e7d32", "partial": "#f9a825", "missing": "#c62828",
           "low": "#2e7d32", "medium": "#f9a825", "high": "#c62828"}
MAX_GROUPS = 15  # sectors shown (the largest); the rest are pooled as "other"


def _esc(v: Any) -> str:
    return html.escape("" if v is None else str(v))


def _pct(n: int | float, d: int | float) -> str:
    return f"{100 * n / d:.0f}%" if d else "–"


def _table(headers: list[str], rows: list[list[Any]], cls: str = "") -> str:
    head = "".join(f"<th>{_esc(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{_esc(c)}</td>" for c in r) + "</tr>" for r in rows)
    return f'<table class="{cls}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def _png(fig) -> str:
    import matplotlib.pyplot as plt

    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110, bbox_inches="tight")
    plt.close(fig)
    data = base64.b64encode(buf.getvalue()).decode("ascii")
    return f'<img class="plot" alt="plot" src="data:image/png;base64,{data}">'


def _plt():
    import matplotlib

    matplotlib.use("Agg")  # no display; must precede pyplot
    import matplotlib.pyplot as plt

    return plt


def _hbar(labels: list[str], values: list[float], xlabel: str, colour: str = "#1565c0") -> str:
    plt = _plt()
    fig, ax = plt.subplots(figsize=(7, 0.32 * len(labels) + 0.9))
    ax.barh(labels[::-1], values[::-1], color=colour)
    ax.set_xlim(0, 100)
    ax.set_xlabel(xlabel)
    ax.grid(axis="x", alpha=0.3)
    return _png(fig)


def _stacked(labels: list[str], parts: dict[str, list[float]], xlabel: str) -> str:
    plt = _plt()
    fig, ax = plt.subplots(figsize=(7, 0.32 * len(labels) + 1.1))
    left = [0.0] * len(labels)
    for name, vals in parts.items():
        ax.barh(labels[::-1], vals[::-1], left=left[::-1], color=COLOURS.get(name), label=name)
        left = [a + b for a, b in zip(left, vals)]
    ax.set_xlim(0, 100)
    ax.set_xlabel(xlabel)
    ax.legend(loc="lower right", fontsize=8)
    return _png(fig)


def _criteria(rows: list[dict]) -> list[str]:
    seen: list[str] = []
    for r in rows:
        for k in r:
            if k.startswith("cov_") and k[4:] not in seen:
                seen.append(k[4:])
    return seen


def _label_names() -> dict[str, str]:
    try:
        from .taxonomy import load_taxonomy

        return {lab.id: lab.name for lab in load_taxonomy().labels}
    except Exception:  # the report must render even with a different taxonomy installed
        return {}


def _requirement_info() -> dict[str, tuple[str, str]]:
    try:
        from .taxonomy import load_taxonomy

        return {r.id: (j.id, r.citation) for j in load_taxonomy().jurisdictions for r in j.requirements}
    except Exception:
        return {}


def _group_key(value: Any) -> str:
    if value is None or value == "":
        return "(unknown)"
    return str(value)


def _breakdown(rows: list[dict], column: str, criteria: list[str], names: dict[str, str], sort_numeric: bool) -> str:
    groups: dict[str, list[dict]] = defaultdict(list)
    for r in rows:
        groups[_group_key(r.get(column))].append(r)
    if sort_numeric:
        order = sorted(groups, key=lambda g: (g == "(unknown)", g))
    else:
        order = sorted(groups, key=lambda g: (-len(groups[g]), g))
        if len(order) > MAX_GROUPS:
            other = [r for g in order[MAX_GROUPS:] for r in groups[g]]
            order = order[:MAX_GROUPS] + ["other"]
            groups["other"] = other
    headers = [column, "documents", "mean risk"] + [f"{b} risk" for b in BANDS] + ["red flags observed"] + [names.get(c, c) for c in criteria]
    table_rows = []
    risks = []
    for g in order:
        rs = groups[g]
        scores = [r["risk_score"] for r in rs if r.get("risk_score") is not None]
        mean = sum(scores) / len(scores) if scores else None
        risks.append(mean or 0.0)
        bands = Counter(r.get("risk_band") for r in rs)
        flagged = sum(1 for r in rs if (r.get("red_flags_observed") or 0) > 0)
        cov = [_pct(sum(1 for r in rs if r.get(f"cov_{c}")), len(rs)) for c in criteria]
        table_rows.append([g, len(rs), f"{mean:.1f}" if mean is not None else "–"]
                          + [bands.get(b, 0) for b in BANDS] + [flagged] + cov)
    plt = _plt()
    fig, ax = plt.subplots(figsize=(7, 0.32 * len(order) + 0.9))
    ax.barh([str(g) for g in order][::-1], risks[::-1], color="#6a1b9a")
    ax.set_xlabel("mean risk score (0–100)")
    ax.grid(axis="x", alpha=0.3)
    return _png(fig) + _table(headers, table_rows, "wide")


def render_report(results: str | Path, title: str = "Registry analysis") -> str:
    """The HTML report of a results table (Parquet or CSV). Raises BatchError for an unusable file."""
    rows = read_results(results)
    if not rows:
        raise BatchError(f"{Path(results).name}: the results table has no rows")
    if "status" not in rows[0]:
        raise BatchError(f"{Path(results).name}: not a disclosure-nlp batch results table (no status column)")
    ok = [r for r in rows if r.get("status") == "ok"]
    failed = [r for r in rows if r.get("status") != "ok"]
    names = _label_names()
    criteria = _criteria(ok)
    parts: list[str] = []

    # overview
    models = Counter(f"{r.get('model_name')} {r.get('model_version')} ({r.get('model_sha')})" for r in ok)
    pages = sum(r.get("pages") or 0 for r in ok)
    overview = [
        ["documents", len(rows)], ["analysed", len(ok)], ["failed", len(failed)],
        ["pages analysed", pages], ["model", "; ".join(models) or "–"],
    ]
    parts.append("<h2>Overview</h2>" + _table(["", ""], overview))
    if failed:
        codes = Counter(r.get("error_code") or "unknown" for r in failed)
        parts.append("<h3>Failures</h3>" + _table(["error", "documents"], [[k, v] for k, v in codes.most_common()]))
        parts.append(_table(["document", "error", "message"],
                            [[r.get("source"), r.get("error_code"), r.get("error")] for r in failed[:100]], "wide"))
    if not ok:
        parts.append("<p>No document was analysed successfully.</p>")
        return _page(title, parts, results)

    # coverage per criterion
    cov_rows, cov_vals = [], []
    for c in criteria:
        n = sum(1 for r in ok if r.get(f"cov_{c}"))
        confs = [r[f"conf_{c}"] for r in ok if r.get(f"conf_{c}") is not None]
        cov_vals.append(100 * n / len(ok))
        cov_rows.append([names.get(c, c), c, n, _pct(n, len(ok)), f"{sum(confs) / len(confs):.2f}" if confs else "–"])
    parts.append(
        "<h2>Coverage rate per criterion</h2><p>Share of analysed documents in which the criterion is covered.</p>"
        + _hbar([names.get(c, c) for c in criteria], cov_vals, "% of documents covering the criterion")
        + _table(["criterion", "label", "documents covering", "coverage rate", "mean confidence"], cov_rows)
    )

    # verdicts per jurisdiction
    req_info = _requirement_info()
    by_j: dict[str, dict[str, Counter]] = defaultdict(lambda: defaultdict(Counter))
    for r in ok:
        for k, v in r.items():
            if k.startswith("verdict_") and v:
                req = k[len("verdict_"):]
                j = req_info.get(req, (r.get("jurisdiction") or "?", req))[0]
                by_j[j][req][v] += 1
    section = ["<h2>Verdict rates per jurisdiction</h2><p>Each statement is checked against the act it answers "
               "(the one it cites, or the one given); audit reports are not checked.</p>"]
    j_counts = Counter(r.get("jurisdiction") or "none" for r in ok)
    section.append(_table(["jurisdiction", "documents"], [[JURISDICTION_NAMES.get(j, j), n] for j, n in j_counts.most_common()]))
    for j in sorted(by_j):
        reqs = by_j[j]
        labels, table_rows = [], []
        fractions: dict[str, list[float]] = {v: [] for v in VERDICTS}
        for req, counter in reqs.items():
            total = sum(counter.values())
            citation = req_info.get(req, (j, req))[1]
            label = f"{citation} {req.rsplit('_', 1)[-1]}" if citation in {req_info.get(o, ('', ''))[1] for o in reqs if o != req} else citation
            labels.append(label)
            for v in VERDICTS:
                fractions[v].append(100 * counter[v] / total)
            table_rows.append([label, total] + [f"{counter[v]} ({_pct(counter[v], total)})" for v in VERDICTS])
        section.append(f"<h3>{_esc(JURISDICTION_NAMES.get(j, j))}</h3>"
                       + _stacked(labels, fractions, "% of documents checked against the act")
                       + _table(["requirement", "documents"] + list(VERDICTS), table_rows))
    if not by_j:
        section.append("<p>No document was checked against an act.</p>")
    parts.append("".join(section))

    # red flags
    flag_counts: dict[str, Counter] = defaultdict(Counter)
    for r in ok:
        for k, v in r.items():
            if k.startswith("flag_") and v:
                flag_counts[k[5:]][v] += 1
    flagged_docs = [r for r in ok if (r.get("red_flags_observed") or 0) > 0]
    section = [f"<h2>Red flags found</h2><p>{len(flagged_docs)} of {len(ok)} documents ({_pct(len(flagged_docs), len(ok))}) "
               "report at least one observed forced-labour indicator (an audit finding or incident, not a policy).</p>"]
    if flag_counts:
        order = sorted(flag_counts, key=lambda f: (-flag_counts[f]["observed"], f))
        section.append(_table(["indicator", "observed", "prohibited (policy)", "none found"],
                              [[f.replace("_", " "), flag_counts[f]["observed"], flag_counts[f]["prohibited"], flag_counts[f]["none_found"]] for f in order]))
        if any(flag_counts[f]["observed"] for f in order):
            section.append(_hbar([f.replace("_", " ") for f in order],
                                 [100 * flag_counts[f]["observed"] / len(ok) for f in order],
                                 "% of documents with the indicator observed", "#c62828"))
    if flagged_docs:
        top = sorted(flagged_docs, key=lambda r: -(r.get("risk_score") or 0))[:50]
        section.append("<h3>Documents with observed red flags</h3>" + _table(
            ["document", "organisation", "observed", "high severity", "risk"],
            [[r.get("source"), r.get("organisation_name"), r.get("red_flags_observed_list"), r.get("red_flags_high"), r.get("risk_score")] for r in top],
            "wide"))
    parts.append("".join(section))

    # risk distribution
    scores = [r["risk_score"] for r in ok if r.get("risk_score") is not None]
    bands = Counter(r.get("risk_band") for r in ok)
    plt = _plt()
    fig, (a1, a2) = plt.subplots(1, 2, figsize=(9, 3), gridspec_kw={"width_ratios": [3, 1]})
    a1.hist(scores, bins=[i * 5 for i in range(21)], color="#6a1b9a")
    a1.set_xlabel("risk score (0–100)")
    a1.set_ylabel("documents")
    a2.bar(list(BANDS), [bands.get(b, 0) for b in BANDS], color=[COLOURS[b] for b in BANDS])
    a2.set_title("band", fontsize=9)
    srt = sorted(scores)

    def q(p: float) -> str:
        return f"{srt[min(len(srt) - 1, int(p * len(srt)))]:.1f}" if srt else "–"

    parts.append("<h2>Risk distribution</h2>" + _png(fig) + _table(
        ["documents", "mean", "median", "p90", "max"] + [f"{b} band" for b in BANDS],
        [[len(scores), f"{sum(scores) / len(scores):.1f}" if scores else "–", q(0.5), q(0.9), q(1.0)]
         + [f"{bands.get(b, 0)} ({_pct(bands.get(b, 0), len(ok))})" for b in BANDS]]))

    # breakdowns by metadata
    for column, heading, numeric in (("sector", "By sector", False), ("year", "By year", True)):
        if any(r.get(column) not in (None, "") for r in ok):
            parts.append(f"<h2>{heading}</h2>" + _breakdown(ok, column, criteria, names, numeric))
    return _page(title, parts, results)


def _page(title: str, parts: list[str], results: str | Path) -> str:
    generated = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    style = (
        "body{font-family:system-ui,sans-serif;margin:2em auto;max-width:1100px;color:#222;padding:0 1em}"
        "table{border-collapse:collapse;margin:.6em 0 1.4em;font-size:.9em}"
        "th,td{border:1px solid #ccc;padding:.25em .6em;text-align:left;vertical-align:top}"
        "th{background:#f3f3f3}table.wide{display:block;overflow-x:auto;max-width:100%}"
        "img.plot{max-width:100%;display:block;margin:.6em 0}h2{border-bottom:2px solid #eee;padding-bottom:.2em;margin-top:1.6em}"
        ".meta{color:#666;font-size:.85em}"
    )
    return (
        f"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{_esc(title)}</title>"
        f"<style>{style}</style></head><body><h1>{_esc(title)}</h1>"
        f"<p class=\"meta\">From {_esc(Path(results).name)}, generated {generated} by disclosure-nlp batch-report. "
        "Automated reading: check the evidence in each document's DocumentScore before acting on it.</p>"
        + "".join(parts) + "</body></html>\n"
    )
