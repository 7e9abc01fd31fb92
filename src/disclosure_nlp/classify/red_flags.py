"""Red flags, evidence status and finer due-diligence labels per sentence, for the scoring stage.

    from disclosure_nlp.classify.red_flags import predict_sentences
    for f in predict_sentences(texts):            # shipped models from models/, loaded once
        f.labels, f.evidence_status, f.red_flags  # {"child_labour": ("prohibited", 0.97)}

Three shipped models, each a `SentenceClassifier` directory trained by `disclosure-nlp train`:

* ``models/red_flags``: two lexical classifiers, ``topic`` (which of the 12 indicators a sentence
  talks about) and ``status`` (observed | prohibited | none_found, or none of them for a risk
  description, a training topic or a corrective action), an optional ``semantic`` member (frozen
  sentence vectors, run on candidate sentences only) with an optional ``indicator`` member (a
  fine-tuned encoder that names the indicator there) and the rules of `flag_rules`: the
  ILO-definition lexicon proposes indicators, and a sentence that only states a rule, only reports
  an absence or only names a practice as a topic is never `observed` (zero tolerance).
* ``models/evidence_status``: implemented | commitment | negative | vague (one-vs-rest, argmax).
* ``models/due_diligence``: the seven finer coverage labels (multi-label, per-label thresholds),
  combined with the keyword rules of `dd_rules` as chosen on the dev documents (`info.combine`).
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..corpus import Context
from ..paths import default_models_dir
from .base import ModelError, SentenceClassifier, read_meta
from .dd_rules import rule_labels
from .flag_rules import (
    can_be_none_found,
    guard_status,
    has_finding_cue,
    is_fragment,
    lexicon_indicators,
    mention_only,
    reports_absence,
)
from .lexical import shared_analysis

RED_FLAGS: tuple[str, ...] = (
    "abuse_of_vulnerability", "deception", "restriction_of_movement", "isolation",
    "physical_and_sexual_violence", "intimidation_and_threats", "retention_of_identity_documents",
    "withholding_of_wages", "debt_bondage", "abusive_working_and_living_conditions",
    "excessive_overtime", "child_labour",
)
FLAG_STATUSES: tuple[str, ...] = ("observed", "prohibited", "none_found")
EVIDENCE_STATUSES: tuple[str, ...] = ("implemented", "commitment", "negative", "vague")
DUE_DILIGENCE_LABELS: tuple[str, ...] = (
    "policies", "training", "audits_monitoring", "grievance_mechanism",
    "supplier_contract_clauses", "supply_chain_disclosure", "recruitment_fees",
)
META_FILE = "red_flags.json"


@dataclass
class SentenceFlags:
    """What one sentence reveals: finer coverage labels, evidence status, red flags."""

    coverage: dict[str, float] = field(default_factory=dict)  # finer label -> probability
    labels: set[str] = field(default_factory=set)  # finer labels after per-label thresholds
    evidence_status: str | None = None  # implemented | commitment | negative | vague | None
    evidence_probability: float = 0.0
    evidence_probabilities: dict[str, float] = field(default_factory=dict)
    red_flags: dict[str, tuple[str, float]] = field(default_factory=dict)  # indicator -> (status, p)

    def to_json(self) -> dict:
        return {"coverage": {k: round(v, 4) for k, v in self.coverage.items()},
                "labels": sorted(self.labels), "evidence_status": self.evidence_status,
                "evidence_probability": round(self.evidence_probability, 4),
                "red_flags": {k: {"status": s, "probability": round(p, 4)}
                              for k, (s, p) in self.red_flags.items()}}


SEMANTIC_LABELS: tuple[str, ...] = RED_FLAGS + FLAG_STATUSES


class RedFlagModel:
    """Topic classifier x status classifier, with the prohibition guard. Not a SentenceClassifier:
    its output is a status per indicator, not a probability per label.

    Optional `semantic` member: a classifier over `SEMANTIC_LABELS` (the 12 indicators, then the 3
    statuses) on frozen sentence vectors (`minilm_frozen`). It knows findings by meaning rather
    than by word, so it names the indicator of a finding the lexical models have no words for and
    confirms or denies `observed`. It runs only on the `member_gates` the lexical models point to.

    Optional `indicator` member (with a semantic or a finding member): a fine-tuned encoder with one softmax
    over the 12 indicators (`minilm_tuned`), trained on red-flag sentences. Where it is present, its
    probabilities replace the semantic member's indicator columns: it names the indicator of
    findings in unseen wording much better (see `classify.tuned`).

    Optional `finding` member: a fine-tuned encoder with one softmax over the 3 statuses and "no
    flag" (`minilm_tuned`, `none_class`), trained on the sentences the gate can pass (indicator
    vocabulary, a finding cue, or a red flag). Where it is present, its probabilities replace the
    semantic member's status columns (which `semantic_weight` mixes into `observed`). With both an
    indicator and a finding member the frozen semantic member has nothing left to give and is
    optional. With `policy["finding_gate"]` the members also run where the lexical `observed`
    passes its threshold without indicator vocabulary or a finding cue, and there an `observed`
    flag needs the finding member's `observed` probability >= `policy["finding_observed_min"]`;
    where that probability is below the bar, the indicator member does not run and names nothing
    (most of the sentences the wide gate adds).
    """

    def __init__(self, topic: SentenceClassifier, status: SentenceClassifier, info: dict | None = None,
                 semantic: SentenceClassifier | None = None, indicator: SentenceClassifier | None = None,
                 finding: SentenceClassifier | None = None):
        if list(topic.labels) != list(RED_FLAGS):
            raise ModelError(f"topic model labels must be the 12 red-flag ids, got {topic.labels}")
        if list(status.labels) != list(FLAG_STATUSES):
            raise ModelError(f"status model labels must be {FLAG_STATUSES}, got {status.labels}")
        if semantic is not None and list(semantic.labels) != list(SEMANTIC_LABELS):
            raise ModelError(f"semantic model labels must be {SEMANTIC_LABELS}, got {semantic.labels}")
        both = indicator is not None and finding is not None
        if indicator is not None and ((semantic is None and not both) or list(indicator.labels) != list(RED_FLAGS)):
            raise ModelError("an indicator member needs a semantic or a finding member, and the 12 red-flag "
                             "ids as labels")
        if finding is not None and ((semantic is None and not both) or list(finding.labels) != list(FLAG_STATUSES)):
            raise ModelError(f"a finding member needs a semantic or an indicator member, and {FLAG_STATUSES} "
                             "as labels")
        self.topic, self.status, self.semantic, self.info = topic, status, semantic, dict(info or {})
        self.indicator, self.finding = indicator, finding

    @classmethod
    def load(cls, directory: str | Path) -> RedFlagModel:
        directory = Path(directory)
        info = read_meta(directory, META_FILE, "red-flag model")
        semantic, indicator, finding = (SentenceClassifier.load(directory / m) if (directory / m).is_dir()
                                        else None for m in ("semantic", "indicator", "finding"))
        return cls(SentenceClassifier.load(directory / "topic"),
                   SentenceClassifier.load(directory / "status"), info, semantic, indicator, finding)

    def save(self, directory: str | Path) -> Path:
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        self.topic.save(directory / "topic")
        self.status.save(directory / "status")
        for name, member in (("semantic", self.semantic), ("indicator", self.indicator), ("finding", self.finding)):
            if member is not None:
                member.save(directory / name)
        (directory / META_FILE).write_text(json.dumps(self.info, indent=2) + "\n", encoding="utf-8")
        return directory

    def probabilities(self, texts: Sequence[str], contexts: Sequence[Context] | None = None):
        """Lexical topic and status probabilities, and the semantic member's (NaN rows where the
        gate kept it from running; None without a semantic member)."""
        P_topic, P_status = self.topic.predict_proba(texts, contexts), self.status.predict_proba(texts, contexts)
        return P_topic, P_status, self.semantic_probabilities(texts, P_status)

    def semantic_probabilities(self, texts: Sequence[str], P_status: np.ndarray) -> np.ndarray | None:
        if self.semantic is None and (self.indicator is None or self.finding is None):
            return None
        return semantic_probabilities(self.semantic, texts, P_status, self.status.thresholds, self.indicator,
                                      self.finding, self.info.get("policy"))

    def predict(self, texts: Sequence[str], contexts: Sequence[Context] | None = None,
                guard: bool = True, lexicon: bool = True) -> list[dict[str, tuple[str, float]]]:
        P_topic, P_status, P_sem = self.probabilities(texts, contexts)
        return decide(texts, P_topic, P_status, self.topic.thresholds, self.status.thresholds,
                      guard, lexicon, policy=self.info.get("policy"), P_sem=P_sem)


def any_observed(flags: dict[str, tuple[str, float]]) -> bool:
    """Does a sentence's red-flag prediction ({indicator: (status, probability)}) report a finding?"""
    return any(status == "observed" for status, _ in flags.values())


def can_report_finding(text: str) -> bool:
    """The text condition of the members' gate: indicator vocabulary or a finding cue."""
    return bool(lexicon_indicators(text)) or has_finding_cue(text)


def member_gates(texts: Sequence[str], P_status: np.ndarray, t_status: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sentences the members run on. The narrow gate: some lexical status passes its threshold, and
    the sentence has indicator vocabulary or a finding cue (about 5 % of the sentences of real
    statements, AIMS.au/.ca test; three fifths of the held-out hand-written sets: the encoders' cost
    stays small). And the rows the wide gate (`policy["finding_gate"]`) adds to it: the lexical
    `observed` passes its threshold, without either (together about 10 % of real statement sentences)."""
    ok = (P_status >= t_status).any(axis=1)
    narrow = np.array([bool(ok[i]) and can_report_finding(t) for i, t in enumerate(texts)], dtype=bool)
    obs = FLAG_STATUSES.index("observed")
    return narrow, (P_status[:, obs] >= t_status[obs]) & ~narrow


def semantic_probabilities(semantic: SentenceClassifier | None, texts: Sequence[str], P_status: np.ndarray,
                           t_status: np.ndarray, indicator: SentenceClassifier | None = None,
                           finding: SentenceClassifier | None = None, policy: dict | None = None) -> np.ndarray:
    """The semantic member's probabilities on the `member_gates` (the wide one with
    `policy["finding_gate"]`); NaN rows elsewhere. With an `indicator` member, its probabilities
    fill the indicator columns; with a `finding` member, the status columns (with both, the semantic
    member is not needed: None). With the wide gate and a finding member, the indicator member does
    not run on the rows the wide gate adds where the finding member's `observed` is below
    `policy["finding_observed_min"]` (their `observed` is vetoed): its columns are 0 there, so it
    names no indicator (1,942 of the 2,626 such rows of the corpus, the hand-written sets and the
    AIMS test statements: the flags of 19 of those 41,330 sentences changed, none an `observed`; the
    whole stage 1.10x as fast on real statements)."""
    pol = {**DEFAULT_POLICY, **(policy or {})}
    wide, finding_min = bool(pol["finding_gate"]), float(pol["finding_observed_min"])
    n_ind = len(RED_FLAGS)
    P_sem = np.full((len(texts), len(SEMANTIC_LABELS)), np.nan)
    narrow, extra = member_gates(texts, P_status, t_status)
    rows = np.flatnonzero(narrow | extra if wide else narrow)
    if len(rows):
        chosen = [texts[i] for i in rows]
        if semantic is not None:
            P_sem[rows] = semantic.predict_proba(chosen)
        if finding is not None:
            P_sem[rows, n_ind:] = finding.predict_proba(chosen)
        if indicator is not None:
            run = rows
            if wide and finding is not None and finding_min > 0:
                quiet = extra[rows] & (P_sem[rows, n_ind + FLAG_STATUSES.index("observed")] < finding_min)
                P_sem[rows[quiet], :n_ind] = 0.0
                run = rows[~quiet]
            if len(run):
                P_sem[run, :n_ind] = indicator.predict_proba([texts[i] for i in run])
    return P_sem


# Decision policy. The defaults reproduce the first shipped model; a trained model carries the
# policy chosen on the dev documents in red_flags.json (`info["policy"]`, see train_flags).
DEFAULT_POLICY: dict[str, float | bool] = {
    "split_additive": False,  # "...; in addition, ..." names a second finding: one indicator per part
    "observed_min": 0.0,  # `observed` needs at least this status probability, else no flag
    "observed_min_without_lexicon": 0.0,  # `observed` with no lexicon hit needs this topic probability
    "absence_guard": True,  # `observed` on a sentence that only reports an absence -> none_found
    # `none_found` without absence wording: "off" (kept), "negation" (needs a negation word other
    # than one describing the abuse, "no rest day", or a stated compliant condition: flag_rules.
    # can_be_none_found), "absence" (needs absence wording such as "no evidence of"); vetoed -> the next status, or
    # `observed` when the sentence carries a finding cue ("were found in the safe")
    "none_found_check": "off",
    # ... and whether a vetoed `none_found` may become `observed` (a positively worded absence,
    # "workers said they were free to leave", has no negation: promoting it is a false finding)
    "none_found_veto_observed": True,
    # `observed` on a sentence that only names a practice as a topic (training subject, risk,
    # questionnaire item, "if X is found") -> no flag (flag_rules.mention_only)
    "mention_guard": False,
    # semantic member (when the model has one; it runs on the `member_gates`): there the
    # `observed` probability becomes (1 - w) * lexical + w * semantic with w = `semantic_weight`
    # (only `observed`: mixing all three statuses cost `none_found` recall on real statements,
    # 0.67 -> 0.27 on the first half of corpora/real), and with no indicator vocabulary, its best
    # indicator at >= `semantic_topic_min` names the indicator
    "semantic_weight": 0.0,
    "semantic_topic_min": 1.01,
    # ... and the topic probabilities become (1 - wt) * lexical + wt * semantic, wt =
    # `semantic_topic_weight` (they rank the lexicon's indicators and pass the topic thresholds)
    "semantic_topic_weight": 0.0,
    # ... and where the lexicon names one indicator, the semantic member's best indicator replaces
    # it when at least this probable (the lexicon's words can point the wrong way: "debts" in a
    # wage finding); 1.01 = never
    "semantic_override_min": 1.01,
    # with a finding member: its gate also takes the sentences whose lexical `observed` passes its
    # threshold without indicator vocabulary or a finding cue, and there an `observed` flag needs
    # the finding member's `observed` probability >= `finding_observed_min`
    "finding_gate": False,
    "finding_observed_min": 0.0,
    # an `observed` flag whose probability (topic x status, as reported) is below this is dropped:
    # the weakest findings on real statement prose were mostly false (a royalty "payable", exam gloves)
    "observed_flag_min": 0.0,
}

# Connectors that join two separate findings in one sentence (audit reports do this a lot).
_ADDITIVE = re.compile(r"[;,]?\s*\b(?:in addition|additionally|moreover|furthermore|also)\b,?\s*", re.IGNORECASE)


def _parts(text: str, split: bool) -> list[str]:
    if not split or not _ADDITIVE.search(text):
        return [text]
    return [p for p in _ADDITIVE.split(text) if len(p.strip()) > 15]


def decide(texts: Sequence[str], P_topic: np.ndarray, P_status: np.ndarray, t_topic: np.ndarray,
           t_status: np.ndarray, guard: bool = True, lexicon: bool = True,
           policy: dict | None = None, P_sem: np.ndarray | None = None) -> list[dict[str, tuple[str, float]]]:
    """Per sentence {indicator: (status, probability)} from topic and status probabilities.

    Status: the most probable status that passes its threshold; none (a risk description, a
    training topic, a corrective action) when none passes. Indicator: when the ILO-definition
    lexicon (`flag_rules.lexicon_indicators`) names indicators, the trained topic model picks the
    most probable of them; otherwise the topic model's best indicator, if it passes its threshold.
    One indicator per sentence, except that with `policy["split_additive"]` a sentence joining two
    findings ("...; in addition, ...") gets one per part, each part's own lexicon hits ranked by the
    topic model. (Chosen on the dev documents over "every indicator above threshold".)
    `observed` is the costliest error, so it must also pass `policy["observed_min"]` (status
    probability) and, without a lexicon hit, `policy["observed_min_without_lexicon"]` (topic
    probability), and a fragment of fewer than three words never is; otherwise the sentence gets no
    flag. Finally `observed` becomes `prohibited` when
    the sentence only states a rule (`flag_rules.prohibition_only`): zero tolerance, by design.
    With `P_sem` (the semantic member's probabilities, NaN rows where it did not run), see
    `DEFAULT_POLICY` for how it enters the status and the indicator.
    """
    pol = {**DEFAULT_POLICY, **(policy or {})}
    n_ind = len(RED_FLAGS)
    veto = np.zeros(len(texts), dtype=bool)  # `observed` vetoed by the finding member
    q = float(pol["finding_observed_min"])
    if P_sem is not None and q > 0:
        # the few doubted rows where the members ran, then the narrow gate on those only
        doubted = np.flatnonzero(np.nan_to_num(P_sem[:, n_ind + FLAG_STATUSES.index("observed")], nan=1.0) < q)
        if len(doubted):
            veto[doubted] = ~member_gates([texts[i] for i in doubted], P_status[doubted], t_status)[0]
    w, tau = float(pol["semantic_weight"]), float(pol["semantic_topic_min"])
    wt = float(pol["semantic_topic_weight"])
    if P_sem is not None and (w > 0 or wt > 0):
        ran = ~np.isnan(P_sem[:, 0])
        if w > 0:  # the semantic member confirms or denies `observed` only
            P_status = P_status.copy()
            obs = FLAG_STATUSES.index("observed")
            P_status[ran, obs] = (1 - w) * P_status[ran, obs] + w * P_sem[ran, n_ind + obs]
        if wt > 0:  # and ranks indicators with the lexical topic model
            P_topic = P_topic.copy()
            P_topic[ran] = (1 - wt) * P_topic[ran] + wt * P_sem[ran, :n_ind]
    out: list[dict[str, tuple[str, float]]] = []
    for i, text in enumerate(texts):
        flags: dict[str, tuple[str, float]] = {}
        ok_status = np.flatnonzero(P_status[i] >= t_status)
        if len(ok_status):
            s = int(ok_status[np.argmax(P_status[i, ok_status])])
            status = FLAG_STATUSES[s]
            check = pol["none_found_check"]
            if status == "none_found" and check != "off" and not (
                    reports_absence(text) if check == "absence" else can_be_none_found(text)):
                to_obs = bool(pol["none_found_veto_observed"])
                rest = [k for k in ok_status if FLAG_STATUSES[k] != "none_found"
                        and (to_obs or FLAG_STATUSES[k] != "observed")]
                if rest:
                    s = int(max(rest, key=lambda k: P_status[i, k]))
                elif to_obs and has_finding_cue(text):
                    s = FLAG_STATUSES.index("observed")
                else:
                    out.append(flags)
                    continue
                status = FLAG_STATUSES[s]
            if guard:
                status = guard_status(text, status, absence=bool(pol["absence_guard"]))
                s = FLAG_STATUSES.index(status)
            if status == "observed" and (P_status[i, s] < pol["observed_min"] or is_fragment(text)
                                         or (pol["mention_guard"] and mention_only(text))):
                out.append(flags)
                continue
            chosen: list[tuple[int, float]] = []
            if lexicon:
                parts = _parts(text, bool(pol["split_additive"]))
                for part in parts:
                    hits = [RED_FLAGS.index(k) for k in lexicon_indicators(part)]
                    if hits:
                        j = max(hits, key=lambda h: P_topic[i, h])
                        if j not in (c[0] for c in chosen):
                            # a lexicon hit counts as at threshold
                            chosen.append((j, max(float(P_topic[i, j]), float(t_topic[j]))))
                if len(parts) > 1 and not chosen:
                    hits = [RED_FLAGS.index(k) for k in lexicon_indicators(text)]
                    if hits:
                        j = max(hits, key=lambda h: P_topic[i, h])
                        chosen.append((j, max(float(P_topic[i, j]), float(t_topic[j]))))
            ran_i = P_sem is not None and not np.isnan(P_sem[i, 0])
            if ran_i and len(chosen) == 1:
                j = int(np.argmax(P_sem[i, :n_ind]))
                if j != chosen[0][0] and P_sem[i, j] >= float(pol["semantic_override_min"]):
                    chosen = [(j, max(float(P_topic[i, j]), float(P_sem[i, j])))]
            if not chosen and ran_i:
                j = int(np.argmax(P_sem[i, :n_ind]))
                if P_sem[i, j] >= tau:  # a confident semantic hit counts like a lexicon hit
                    chosen.append((j, max(float(P_topic[i, j]), float(P_sem[i, j]))))
            if not chosen:
                j = int(np.argmax(P_topic[i]))
                need = float(t_topic[j])
                if status == "observed":
                    need = max(need, float(pol["observed_min_without_lexicon"]))
                if P_topic[i, j] >= need:
                    chosen.append((j, float(P_topic[i, j])))
            for j, p_topic in chosen:
                p = p_topic * float(P_status[i, s])
                if status == "observed" and (p < float(pol["observed_flag_min"]) or veto[i]):
                    continue
                flags[RED_FLAGS[j]] = (status, p)
        out.append(flags)
    return out


def evidence_decisions(P: np.ndarray, thresholds: np.ndarray) -> list[tuple[str | None, float]]:
    """A status when any passes its threshold (else None: plain description); then the most
    probable status overall, so a low threshold on one status does not outvote a likelier one."""
    out = []
    for row in P:
        if (row >= thresholds).any():
            j = int(np.argmax(row))
            out.append((EVIDENCE_STATUSES[j], float(row[j])))
        else:
            out.append((None, float(row.max()) if len(row) else 0.0))
    return out


DD_MODES: tuple[str, ...] = ("model", "rules", "or")


def dd_decisions(texts: Sequence[str], P: np.ndarray, thresholds: np.ndarray, labels: Sequence[str],
                 combine: str) -> np.ndarray:
    """Finer-label decisions (n, labels) from the model's probabilities and the keyword rules of
    `dd_rules`: `model` (probability >= threshold), `rules` (a keyword hit) or `or` (either), one
    mode for every label as chosen on the dev documents."""
    if combine not in DD_MODES:
        raise ModelError(f"unknown finer-label decision {combine!r} (use one of {DD_MODES})")
    on = P >= thresholds if combine != "rules" else np.zeros(P.shape, dtype=bool)
    if combine != "model":
        for i, t in enumerate(texts):
            hits = rule_labels(t)
            for j, lab in enumerate(labels):
                if lab in hits:
                    on[i, j] = True
    return on


class SentenceFlagger:
    """The three shipped models together; load once, call `predict_sentences` per document."""

    def __init__(self, red_flags: RedFlagModel, evidence: SentenceClassifier,
                 due_diligence: SentenceClassifier):
        self.red_flags, self.evidence, self.due_diligence = red_flags, evidence, due_diligence

    @classmethod
    def load(cls, models_dir: str | Path | None = None) -> SentenceFlagger:
        root = Path(models_dir) if models_dir else default_models_dir()
        missing = [n for n in ("red_flags", "evidence_status", "due_diligence") if not (root / n).is_dir()]
        if missing:
            raise ModelError(f"{root}: missing model directories {missing} "
                             "(train them with `disclosure-nlp train --config configs/<name>.yaml`)")
        return cls(RedFlagModel.load(root / "red_flags"),
                   SentenceClassifier.load(root / "evidence_status"),
                   SentenceClassifier.load(root / "due_diligence"))

    def predict_sentences(self, texts: Sequence[str],
                          contexts: Sequence[Context] | None = None) -> list[SentenceFlags]:
        texts = list(texts)
        if not texts:
            return []
        with shared_analysis():
            return self._predict_sentences(texts, contexts)

    def _predict_sentences(self, texts: list[str], contexts: Sequence[Context] | None) -> list[SentenceFlags]:
        flags = self.red_flags.predict(texts, contexts)
        P_ev = self.evidence.predict_proba(texts, contexts)
        ev = evidence_decisions(P_ev, self.evidence.thresholds)
        P_dd = self.due_diligence.predict_proba(texts, contexts)
        dd_on = dd_decisions(texts, P_dd, self.due_diligence.thresholds, self.due_diligence.labels,
                             self.due_diligence.info.get("combine", "model"))
        out = []
        for i in range(len(texts)):
            out.append(SentenceFlags(
                coverage={lab: float(P_dd[i, j]) for j, lab in enumerate(self.due_diligence.labels)},
                labels={lab for j, lab in enumerate(self.due_diligence.labels) if dd_on[i, j]},
                evidence_status=ev[i][0], evidence_probability=ev[i][1],
                evidence_probabilities={lab: float(P_ev[i, j]) for j, lab in enumerate(self.evidence.labels)},
                red_flags=flags[i],
            ))
        return out


_DEFAULT: dict[str, SentenceFlagger] = {}
_LOCK = threading.Lock()


def load_flagger(models_dir: str | Path | None = None) -> SentenceFlagger:
    """Cached `SentenceFlagger` for a models directory (default: the repository's `models/`)."""
    key = str(Path(models_dir).resolve()) if models_dir else "<default>"
    with _LOCK:
        if key not in _DEFAULT:
            _DEFAULT[key] = SentenceFlagger.load(models_dir)
        return _DEFAULT[key]


def predict_sentences(texts: Sequence[str], contexts: Sequence[Context] | None = None,
                      models_dir: str | Path | None = None) -> list[SentenceFlags]:
    """Finer labels, evidence status and red flags for each sentence (one document per call is best)."""
    return load_flagger(models_dir).predict_sentences(texts, contexts)
