"""`Prediction`: what the classification stage says about one sentence (core contract)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Prediction:
    # coverage labels (AIMS criteria and finer due-diligence labels) -> probability
    probabilities: dict[str, float]
    # coverage labels whose probability passed the label's decision threshold
    labels: set[str]
    # implemented | commitment | negative | vague, for sentences that are coverage evidence
    evidence_status: str | None = None
    status_probabilities: dict[str, float] = field(default_factory=dict)
    # red-flag indicator -> (observed | prohibited | none_found, probability)
    red_flags: dict[str, tuple[str, float]] = field(default_factory=dict)
