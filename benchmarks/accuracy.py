"""Accuracy, speed and memory of the criteria models, in one run.

    python benchmarks/accuracy.py [--config configs/criteria.yaml] [--baseline configs/criteria-lexical.yaml]
    python benchmarks/accuracy.py --only red_flags [--only speed]   # after only those models changed

For the shipped recipe (`--config`) and the lexical baseline (`--baseline`), each trained with its
full recipe (out-of-fold calibration and thresholds on the training statements only):
  * train on Australian statements -> test on Canadian ones, and the reverse
    (macro-F1 over the 9 criteria both countries annotate, and per label);
  * 5-fold cross-validation over AU+CA grouped by statement (each fold's calibration and
    thresholds fitted on the other folds' predictions);
  * the published AIMS references for the same test sets, for scale;
  * speed (sentences/s on the configured threads, batch and one sentence at a time) and peak
    memory of the shipped model in `models/criteria`, the speed of the whole classification stage
    (criteria + red flags + evidence status + finer labels, as the pipeline runs them), and the
    int8-vs-fp32 cost of quantisation.
Writes benchmarks/results/accuracy.json. Skips cleanly when ../shared/data/aims is absent.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(Path(__file__).parent))  # sibling benchmarks: stage_profile, red_flags

from disclosure_nlp.corpus import context_windows, label_matrix, sort_reading_order  # noqa: E402
from disclosure_nlp.evaluate import report  # noqa: E402
from disclosure_nlp.taxonomy import SHARED_CRITERIA  # noqa: E402
from disclosure_nlp.train import (  # noqa: E402
    DataMissing,
    fit_and_calibrate,
    grouped_folds,
    load_config,
    load_training_data,
)

# Published macro-F1 on the same gold test sets; those models were trained on ~4,300 other
# Australian statements (750k sentences). Source: the AIMS data README (Bora et al.).
PUBLISHED = [
    {"model": "BERT fine-tuned, ±100 words context", "AU": 0.708, "CA": 0.700},
    {"model": "Llama-3.2-3B fine-tuned", "AU": 0.713, "CA": 0.719},
    {"model": "ModernBERT-large distilled (AIMSDistill)", "AU": 0.731, "CA": 0.730},
    {"model": "GPT-4o zero-shot chain-of-thought", "AU": 0.559, "CA": 0.560},
]


def log(msg: str) -> None:
    print(msg, flush=True)


def _neural_members(clf):
    members = getattr(clf, "_models", None) or [clf]
    return [m for m in members if hasattr(m, "use_fp32_encoder")]


def cross(cfg, train, test, label):
    t0 = time.time()
    clf, _ = fit_and_calibrate(cfg.model, cfg.model_params, cfg.labels, train, cfg.context_words,
                               cfg.folds, cfg.seed, cfg.calibration)
    texts, ctx = [r.text for r in test], context_windows(test, cfg.context_words)
    Y = label_matrix(test, cfg.labels)
    rep = report(Y, clf.predict_proba(texts, ctx), clf.thresholds, cfg.labels)
    out = {"macro_f1_shared": rep["macro_f1_shared_criteria"], "ece": rep["ece"],
           "per_label_f1": {k: v["f1"] for k, v in rep["per_label"].items() if v["support"] > 0},
           "train_seconds": round(time.time() - t0, 1)}
    neural = _neural_members(clf)
    if neural and all(m.use_fp32_encoder() for m in neural):
        rep32 = report(Y, clf.predict_proba(texts, ctx), clf.thresholds, cfg.labels)
        out["macro_f1_shared_fp32_encoder"] = rep32["macro_f1_shared_criteria"]
    log(f"  {label}: macro-F1 {out['macro_f1_shared']}"
        + (f" (fp32 encoder {out['macro_f1_shared_fp32_encoder']})" if "macro_f1_shared_fp32_encoder" in out else "")
        + f"  [{out['train_seconds']:.0f} s]")
    return out


def cross_validation(cfg, records, k=5):
    """Outer 5-fold CV grouped by statement; each outer fold runs the model's full recipe
    (its own calibration and thresholds from the training statements only)."""
    from disclosure_nlp.evaluate import macro_f1, per_label_metrics

    t0 = time.time()
    records = sort_reading_order(records)
    folds = grouped_folds([r.doc_id for r in records], k, cfg.seed + 1000)
    Y = label_matrix(records, cfg.labels)
    P = np.zeros(Y.shape)
    pred = np.zeros(Y.shape, dtype=int)
    for f in range(k):
        train = [r for r, g in zip(records, folds) if g != f]
        test_idx = np.flatnonzero(folds == f)
        test = [records[i] for i in test_idx]
        assert not {r.doc_id for r in train} & {r.doc_id for r in test}
        clf, _ = fit_and_calibrate(cfg.model, cfg.model_params, cfg.labels, train,
                                   cfg.context_words, cfg.folds, cfg.seed, cfg.calibration)
        P[test_idx] = clf.predict_proba([r.text for r in test], context_windows(test, cfg.context_words))
        pred[test_idx] = (P[test_idx] >= clf.thresholds).astype(int)
        log(f"    fold {f + 1}/{k} done [{time.time() - t0:.0f} s]")
    m = per_label_metrics(Y, pred, cfg.labels)
    from disclosure_nlp.evaluate import expected_calibration_error

    out = {"macro_f1_all": macro_f1(m), "macro_f1_shared": macro_f1(m, list(SHARED_CRITERIA)),
           "ece": expected_calibration_error(Y, P), "per_label_f1": {k2: v["f1"] for k2, v in m.items()},
           "seconds": round(time.time() - t0, 1)}
    log(f"  5-fold CV AU+CA: macro-F1 {out['macro_f1_all']} (9 shared {out['macro_f1_shared']})"
        f"  [{out['seconds']:.0f} s]")
    return out


SPEED_CODE = r"""
import json, os, sys, time
sys.path.insert(0, {src!r})
def peak_mb():
    # VmHWM, not ru_maxrss: Linux keeps ru_maxrss across exec, so a child started by a big
    # parent would report the parent's peak
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024, 1)
from disclosure_nlp.classify import load_classifier
from disclosure_nlp.corpus import read_corpus, context_windows, sort_reading_order
t0 = time.time()
clf = load_classifier({model!r})
recs = sort_reading_order(read_corpus({data!r}))[:{n}]
texts = [r.text for r in recs]; ctx = context_windows(recs, 100)
clf.predict_proba(texts[:64], ctx[:64])  # warm-up
load_s = time.time() - t0
t = time.time(); clf.predict_proba(texts, ctx); batch = len(texts) / (time.time() - t)
one = texts[:{n_single}]; t = time.time()
for s in one: clf.predict_proba([s])
single = len(one) / (time.time() - t)
# the whole classification stage as the analysis pipeline runs it: criteria model, red flags,
# evidence status and finer labels on the same sentences, sharing their n-gram analysis
from disclosure_nlp.classify.lexical import shared_analysis
from disclosure_nlp.classify.red_flags import load_flagger
flagger = load_flagger({models!r})
flagger.predict_sentences(texts[:64], ctx[:64])
stage = 0.0
for _ in range(2):
    t = time.time()
    with shared_analysis():
        clf.predict_proba(texts, ctx)
        flagger.predict_sentences(texts, ctx)
    stage = max(stage, len(texts) / (time.time() - t))
print(json.dumps({{"sentences": len(texts), "batch_sentences_per_s": round(batch, 1),
    "single_sentence_per_s": round(single, 1), "load_and_warmup_s": round(load_s, 2),
    "whole_stage_sentences_per_s": round(stage, 1), "peak_rss_mb": peak_mb()}}))
"""


def speed(model_dir: Path, data: Path, threads: int) -> dict:
    code = SPEED_CODE.format(src=str(REPO / "src"), model=str(model_dir), data=str(data),
                             models=str(model_dir.parent), n=4000, n_single=300)
    env = {**os.environ, "OMP_NUM_THREADS": str(threads), "MKL_NUM_THREADS": str(threads),
           "DISCLOSURE_NLP_THREADS": str(threads), "HF_HUB_OFFLINE": "1"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    if out.returncode != 0:
        return {"error": out.stderr.strip().splitlines()[-1] if out.stderr.strip() else "failed"}
    res = json.loads(out.stdout.strip().splitlines()[-1])
    res["threads"] = threads
    res["model_size_mb"] = round(sum(f.stat().st_size for f in model_dir.rglob("*") if f.is_file()) / 1e6, 1)
    res["largest_file_mb"] = round(max(f.stat().st_size for f in model_dir.rglob("*") if f.is_file()) / 1e6, 1)
    return res


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--config", default=str(REPO / "configs" / "criteria.yaml"))
    ap.add_argument("--baseline", default=str(REPO / "configs" / "criteria-lexical.yaml"))
    ap.add_argument("--model-dir", default=str(REPO / "models" / "criteria"))
    ap.add_argument("--out", default=str(REPO / "benchmarks" / "results" / "accuracy.json"))
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--skip-cv", action="store_true", help="skip the 5-fold CV (the slowest part)")
    ap.add_argument("--only", choices=("red_flags", "speed"), action="append",
                    help="re-run only these sections (repeatable) after a model changed, keeping the rest "
                         "of --out; each section records when it ran")
    args = ap.parse_args()
    try:
        import torch

        torch.set_num_threads(args.threads)
    except ImportError:
        pass

    configs = {"baseline": load_config(args.baseline), "model": load_config(args.config)}
    data_files = configs["model"].train_files
    try:
        au = load_training_data([f for f in data_files if f.name.startswith("au")])
        ca = load_training_data([f for f in data_files if f.name.startswith("ca")])
    except DataMissing as exc:
        print(f"skipped: {exc}")
        return 0
    assert not {r.doc_id for r in au} & {r.doc_id for r in ca}

    results: dict = {"created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                     "machine": {"python": platform.python_version(), "cpus": os.cpu_count(),
                                 "threads": args.threads},
                     "data": {"au": {"sentences": len(au), "statements": len({r.doc_id for r in au})},
                              "ca": {"sentences": len(ca), "statements": len({r.doc_id for r in ca})}},
                     "published_references": PUBLISHED, "runs": {}}
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    if args.only:
        if not out.is_file():
            print(f"--only needs an earlier full run in {out}")
            return 2
        results = json.loads(out.read_text())

    def save() -> None:  # after every step, so a long run leaves usable partial results
        b, m = results["runs"].get("baseline", {}), results["runs"].get("model", {})
        if "ca_to_au" in m and "ca_to_au" in b:
            results["gain_over_baseline"] = {
                d: round(m[d]["macro_f1_shared"] - b[d]["macro_f1_shared"], 4)
                for d in ("au_to_ca", "ca_to_au")}
        out.write_text(json.dumps(results, indent=2) + "\n")

    for key, cfg in ({} if args.only else configs).items():  # --only keeps the runs of --out
        log(f"{key}: {cfg.model} ({cfg.name}, calibration: {cfg.calibration}, {cfg.folds} folds)")
        results["runs"][key] = {"config": cfg.name, "classifier": cfg.model, "params": cfg.model_params,
                                "calibration": cfg.calibration}
        results["runs"][key]["au_to_ca"] = cross(cfg, au, ca, "AU -> CA")
        save()
        results["runs"][key]["ca_to_au"] = cross(cfg, ca, au, "CA -> AU")
        save()
    model_dir = Path(args.model_dir)
    now = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    if (model_dir / "classifier.json").is_file() and (not args.only or "speed" in args.only):
        log(f"speed of {model_dir} ({args.threads} threads)...")
        from stage_profile import cpu_flags  # the int8 speed depends on them (VNNI, AMX)

        results["speed"] = {**speed(model_dir, data_files[0], args.threads), "created": now,
                            "cpu_flags": cpu_flags()}
        log(f"  {results['speed']}")
        save()
    # Red flags, evidence status and finer labels (issue 4) in the same run: held-out corpus
    # documents and the real AIMS.ca negative-evidence labels (benchmarks/red_flags.py).
    if not args.only or "red_flags" in args.only:
        import red_flags as red_flags_bench

        results["red_flags"] = {**red_flags_bench.run(), "created": now}
        save()
    if not args.skip_cv and not args.only:
        for key, cfg in configs.items():
            log(f"{key}: 5-fold cross-validation over AU+CA")
            results["runs"][key]["cv5_au_ca"] = cross_validation(cfg, au + ca)
            save()
    print_table(results)
    log(f"saved {out}")
    return 0


def print_table(r: dict) -> None:
    rows = [("model", "AU -> CA", "CA -> AU", "5-fold CV (9 shared / all)")]
    for key, run in r["runs"].items():
        cv = run.get("cv5_au_ca")
        rows.append((f"{run['config']} ({run['classifier']})", f"{run['au_to_ca']['macro_f1_shared']:.3f}",
                     f"{run['ca_to_au']['macro_f1_shared']:.3f}",
                     f"{cv['macro_f1_shared']:.3f} / {cv['macro_f1_all']:.3f}" if cv else "–"))
    for p in r["published_references"]:
        rows.append((f"published: {p['model']} (750k AU sentences)", f"{p['CA']:.3f}*", f"{p['AU']:.3f}*", "–"))
    w = [max(len(x[i]) for x in rows) for i in range(4)]
    print()
    for i, row in enumerate(rows):
        print(" | ".join(c.ljust(w[j]) for j, c in enumerate(row)))
        if i == 0:
            print("-+-".join("-" * x for x in w))
    print("* published figures: macro-F1 on the same test set (CA or AU), all criteria with positives,"
          " models trained on other Australian statements.")
    print(f"gain over baseline (9 shared criteria): {r.get('gain_over_baseline')}")
    labels = list(r["runs"]["model"]["au_to_ca"]["per_label_f1"])
    print("\nper label F1          " + "  ".join(f"{k[:10]:>10}" for k in ("base A>C", "model A>C", "base C>A", "model C>A")))
    for lab in labels:
        vals = [r["runs"][k][d]["per_label_f1"].get(lab) for k, d in
                (("baseline", "au_to_ca"), ("model", "au_to_ca"), ("baseline", "ca_to_au"), ("model", "ca_to_au"))]
        print(f"{lab:21} " + "  ".join(f"{v:10.3f}" if v is not None else f"{'–':>10}" for v in vals))
    if "speed" in r:
        print(f"\nspeed: {json.dumps(r['speed'])}")


if __name__ == "__main__":
    raise SystemExit(main())
