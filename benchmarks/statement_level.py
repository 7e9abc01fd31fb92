"""How often is "criterion covered by the statement" right? Statement-level roll-up on AIMS gold.

A statement covers a criterion when at least one of its gold sentences has the label. We train a
sentence model on one jurisdiction's statements and predict the other's (AU -> CA, CA -> AU: no
statement is seen in training), then roll the sentence predictions up to statement level with three
rules and score each against the gold statement-level truth:

  any      - at least one sentence passes the label's threshold (what score.py uses)
  two      - at least two sentences pass it
  max>=0.5 - the best sentence's calibrated probability is at least 0.5

    PYTHONPATH=src .venv/bin/python benchmarks/statement_level.py [--model lexical] [--folds 3]

Prints a table and writes benchmarks/results/statement_level.json. Skips with a message when
../shared/data/aims is absent.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from disclosure_nlp.corpus import context_windows, read_aims_csv, sort_reading_order  # noqa: E402
from disclosure_nlp.taxonomy import SHARED_CRITERIA  # noqa: E402
from disclosure_nlp.train import fit_and_calibrate, load_config  # noqa: E402

RULES = ("any", "two", "max>=0.5")


def rollup(records, P, T, labels):
    """statement -> label -> {rule: bool}, and the gold truth statement -> label -> bool."""
    by_doc = defaultdict(list)
    for i, r in enumerate(records):
        by_doc[r.doc_id].append(i)
    pred, gold = {}, {}
    for doc, idxs in by_doc.items():
        pred[doc], gold[doc] = {}, {}
        for j, label in enumerate(labels):
            probs = P[idxs, j]
            passed = int((probs >= T[j]).sum())
            pred[doc][label] = {"any": passed >= 1, "two": passed >= 2, "max>=0.5": bool(probs.max() >= 0.5)}
            gold[doc][label] = any(label in records[i].labels for i in idxs)
    return pred, gold


def score(pred, gold, labels):
    out = {}
    for rule in RULES:
        per_label = {}
        for label in labels:
            tp = fp = fn = tn = 0
            for doc in gold:
                p, g = pred[doc][label][rule], gold[doc][label]
                tp += p and g
                fp += p and not g
                fn += (not p) and g
                tn += (not p) and (not g)
            prec = tp / (tp + fp) if tp + fp else 0.0
            rec = tp / (tp + fn) if tp + fn else 0.0
            f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
            per_label[label] = {
                "accuracy": round((tp + tn) / max(1, len(gold)), 4), "precision": round(prec, 4),
                "recall": round(rec, 4), "f1": round(f1, 4), "statements_covered": tp + fn,
            }
        out[rule] = {
            "accuracy": round(float(np.mean([m["accuracy"] for m in per_label.values()])), 4),
            "macro_f1": round(float(np.mean([m["f1"] for m in per_label.values()])), 4),
            "per_label": per_label,
        }
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--config", default=str(ROOT / "configs" / "criteria-lexical.yaml"),
                        help="training config whose model recipe to use (default: the lexical baseline)")
    parser.add_argument("--folds", type=int, default=3)
    parser.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "statement_level.json"))
    args = parser.parse_args()

    aims = Path(os.environ.get("DISCLOSURE_NLP_AIMS_DIR", ROOT.parent / "shared" / "data" / "aims"))
    if not (aims / "au_test.csv").is_file() or not (aims / "ca_test.csv").is_file():
        print(f"skipped: AIMS gold files not found in {aims} (au_test.csv, ca_test.csv)")
        return 0
    cfg = load_config(args.config)
    data = {j: sort_reading_order(read_aims_csv(aims / f"{j}_test.csv")) for j in ("au", "ca")}
    labels = list(SHARED_CRITERIA)
    results = {"model": cfg.model, "config": str(Path(args.config).relative_to(ROOT)), "labels": labels, "directions": {}}
    for train_j, test_j in (("au", "ca"), ("ca", "au")):
        t0 = time.perf_counter()
        clf, _ = fit_and_calibrate(cfg.model, cfg.model_params, labels, data[train_j],
                                   cfg.context_words, args.folds, cfg.seed)
        test = data[test_j]
        P = clf.predict_proba([r.text for r in test], context_windows(test, cfg.context_words))
        pred, gold = rollup(test, P, clf.thresholds, labels)
        res = score(pred, gold, labels)
        res["statements"] = len(gold)
        res["seconds"] = round(time.perf_counter() - t0, 1)
        results["directions"][f"{train_j}->{test_j}"] = res
        print(f"\n{train_j.upper()} -> {test_j.upper()}: {len(gold)} test statements ({res['seconds']} s)")
        print(f"{'criterion':22s} " + " ".join(f"{r + ' acc/F1':>16s}" for r in RULES) + "   covered")
        for label in labels:
            cells = " ".join(f"{res[r]['per_label'][label]['accuracy']:7.2f} / {res[r]['per_label'][label]['f1']:5.2f}" for r in RULES)
            print(f"{label:22s} {cells}   {res['any']['per_label'][label]['statements_covered']:3d}/{len(gold)}")
        print(f"{'mean':22s} " + " ".join(f"{res[r]['accuracy']:7.2f} / {res[r]['macro_f1']:5.2f}" for r in RULES))
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(results, indent=2) + "\n")
    print(f"\nwrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
