"""Metrics for multi-label sentence classifiers, calibration helpers, and `evaluate` on a file.

Macro-F1 is averaged over the labels that have at least one positive in the evaluated file (a
label the file never uses has no defined recall). Expected calibration error (ECE) uses 10
equal-width bins over every (sentence, label) probability.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from .corpus import annotated_labels, context_windows, label_matrix, read_corpus, sort_reading_order
from .taxonomy import SHARED_CRITERIA

DEFAULT_CONTEXT_WORDS = 100


def per_label_metrics(Y: np.ndarray, pred: np.ndarray, labels: Sequence[str]) -> dict[str, dict]:
    out = {}
    for j, lab in enumerate(labels):
        y, p = Y[:, j].astype(bool), pred[:, j].astype(bool)
        tp = int((y & p).sum())
        fp = int((~y & p).sum())
        fn = int((y & ~p).sum())
        prec = tp / (tp + fp) if tp + fp else 0.0
        rec = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        out[lab] = {"precision": round(prec, 4), "recall": round(rec, 4), "f1": round(f1, 4),
                    "support": int(y.sum()), "predicted": int(p.sum())}
    return out


def macro_f1(metrics: dict[str, dict], labels: Sequence[str] | None = None) -> float | None:
    """Mean F1 over `labels` (default: all) that have positives; None if none has."""
    labels = list(metrics) if labels is None else [lab for lab in labels if lab in metrics]
    f1s = [metrics[lab]["f1"] for lab in labels if metrics[lab]["support"] > 0]
    return round(float(np.mean(f1s)), 4) if f1s else None


def expected_calibration_error(Y: np.ndarray, P: np.ndarray, n_bins: int = 10) -> float:
    y, p = np.asarray(Y, dtype=float).ravel(), np.asarray(P, dtype=float).ravel()
    if y.size == 0:
        return 0.0
    bins = np.minimum((p * n_bins).astype(int), n_bins - 1)
    ece = 0.0
    for b in range(n_bins):
        m = bins == b
        if m.any():
            ece += m.sum() / y.size * abs(p[m].mean() - y[m].mean())
    return round(float(ece), 4)


# Decision thresholds tried per label (and by studies of thresholds, benchmarks/ensemble_members.py).
THRESHOLD_GRID = np.round(np.arange(0.05, 0.951, 0.025), 3)


def choose_thresholds(Y: np.ndarray, P: np.ndarray, default: float = 0.5,
                      grid: np.ndarray | None = None) -> np.ndarray:
    """Per-label threshold maximising F1 on (held-out) predictions; `default` where no positives.

    Ties go to the threshold closest to 0.5, and the choice is smoothed by averaging F1 over
    neighbouring grid points, so one lucky sentence does not move the threshold.
    """
    grid = THRESHOLD_GRID if grid is None else grid
    out = np.full(Y.shape[1], default)
    for j in range(Y.shape[1]):
        y = Y[:, j].astype(bool)
        if not y.any():
            continue
        f1 = []
        for t in grid:
            p = P[:, j] >= t
            tp = (y & p).sum()
            denom = p.sum() + y.sum()
            f1.append(2 * tp / denom if denom else 0.0)
        f1 = np.convolve(np.pad(f1, 1, mode="edge"), np.ones(3) / 3, mode="valid")
        best = np.flatnonzero(f1 >= f1.max() - 1e-9)
        out[j] = grid[best[np.argmin(np.abs(grid[best] - 0.5))]]
    return out


def fit_platt(Y: np.ndarray, raw: np.ndarray) -> np.ndarray:
    """Per-label Platt scaling on logit(raw): returns (n_labels, 2) of (slope, intercept)."""
    from sklearn.linear_model import LogisticRegression

    from .classify.base import logit

    params = np.tile(np.array([1.0, 0.0]), (Y.shape[1], 1))
    for j in range(Y.shape[1]):
        y = Y[:, j]
        if y.sum() < 3 or y.sum() > len(y) - 3:
            continue
        lr = LogisticRegression(C=1e4, max_iter=1000)
        lr.fit(logit(raw[:, j])[:, None], y)
        params[j] = (lr.coef_[0, 0], lr.intercept_[0])
    return params


def report(Y: np.ndarray, P: np.ndarray, thresholds: np.ndarray, labels: Sequence[str],
           scored_labels: Sequence[str] | None = None) -> dict[str, Any]:
    """Per-label P/R/F1, macro-F1 (all labels with positives, and the 9 shared criteria), ECE."""
    scored = list(labels) if scored_labels is None else [lab for lab in labels if lab in scored_labels]
    idx = [labels.index(lab) for lab in scored]
    pred = (P >= thresholds).astype(np.int8)
    metrics = per_label_metrics(Y[:, idx], pred[:, idx], scored)
    shared = [lab for lab in SHARED_CRITERIA if lab in metrics]
    return {
        "sentences": int(Y.shape[0]),
        "labels_with_positives": [lab for lab in scored if metrics[lab]["support"] > 0],
        "macro_f1": macro_f1(metrics),
        "macro_f1_shared_criteria": macro_f1(metrics, shared) if shared else None,
        "ece": expected_calibration_error(Y[:, idx], P[:, idx]),
        "per_label": metrics,
    }


def evaluate_file(model_dir: str | Path, data_path: str | Path) -> dict[str, Any]:
    """Score an AIMS-format CSV or corpus JSONL with a saved model."""
    from .classify import load_classifier

    clf = load_classifier(model_dir)
    records = sort_reading_order(read_corpus(data_path))
    if not records:
        raise ValueError(f"{data_path}: no sentences")
    scored = annotated_labels(records, clf.labels)
    if not scored:
        raise ValueError(f"{Path(data_path).name}: annotates none of the model's labels "
                         f"({', '.join(clf.labels)})")
    ctx_words = int(clf.info.get("context_words", DEFAULT_CONTEXT_WORDS))
    P = clf.predict_proba([r.text for r in records], context_windows(records, ctx_words))
    Y = label_matrix(records, clf.labels)
    out = report(Y, P, clf.thresholds, clf.labels, scored)
    out = {"model": {"name": clf.name, "version": clf.version, "dir": str(model_dir)},
           "data": str(data_path), "documents": len({r.doc_id for r in records}), **out}
    return out
