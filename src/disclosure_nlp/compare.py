"""What changed between two statements of the same supplier (OLD -> NEW)."""

from __future__ import annotations

import difflib
from dataclasses import asdict, dataclass, field

from .schema import DocumentScore

_SIMILAR = 0.8  # sentences this similar are "the same measure, reworded"


@dataclass
class Comparison:
    old: str
    new: str
    risk: tuple[float, float]
    band: tuple[str, str]
    criteria_gained: list[str] = field(default_factory=list)
    criteria_lost: list[str] = field(default_factory=list)
    verdicts_changed: list[dict] = field(default_factory=list)
    new_commitments: list[str] = field(default_factory=list)
    commitments_now_implemented: list[dict] = field(default_factory=list)
    red_flags_new: list[str] = field(default_factory=list)
    red_flags_resolved: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return asdict(self)


def _statuses(score: DocumentScore, status: str) -> list[str]:
    seen: list[str] = []
    for c in score.criteria:
        for e in c.evidence:
            if e.status == status and e.text not in seen:
                seen.append(e.text)
    return seen


def _similar(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a.lower(), b.lower(), autojunk=False).ratio()


def compare_scores(old: DocumentScore, new: DocumentScore) -> Comparison:
    old_cov = {c.label: c.covered for c in old.criteria}
    new_cov = {c.label: c.covered for c in new.criteria}
    out = Comparison(
        old=old.document.name or old.document.id,
        new=new.document.name or new.document.id,
        risk=(old.risk.score, new.risk.score),
        band=(old.risk.band, new.risk.band),
        criteria_gained=[l for l, v in new_cov.items() if v and not old_cov.get(l, False)],
        criteria_lost=[l for l, v in old_cov.items() if v and not new_cov.get(l, False)],
    )
    old_verdicts = {(v.jurisdiction, v.requirement): v.verdict for v in old.jurisdictions}
    for v in new.jurisdictions:
        before = old_verdicts.get((v.jurisdiction, v.requirement))
        if before and before != v.verdict:
            out.verdicts_changed.append({"requirement": v.requirement, "citation": v.citation, "old": before, "new": v.verdict})

    old_commitments = _statuses(old, "commitment")
    new_commitments = _statuses(new, "commitment")
    new_implemented = _statuses(new, "implemented")
    out.new_commitments = [t for t in new_commitments if all(_similar(t, o) < _SIMILAR for o in old_commitments)]
    for promise in old_commitments:
        best = max(new_implemented, key=lambda t: _similar(promise, t), default=None)
        if best is not None and _similar(promise, best) >= 0.5:
            out.commitments_now_implemented.append({"promised": promise, "reported": best})

    def observed(score: DocumentScore) -> set[str]:
        return {f.indicator for f in score.red_flags if f.status == "observed"}

    out.red_flags_new = sorted(observed(new) - observed(old))
    out.red_flags_resolved = sorted(observed(old) - observed(new))
    return out
