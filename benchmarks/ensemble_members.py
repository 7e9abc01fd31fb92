"""Does each member of the criteria ensemble earn its place? One training per direction, many weightings.

    python benchmarks/ensemble_members.py [--config configs/criteria-3members.yaml] [--dump DIR]

For AU -> CA and CA -> AU: the config's ensemble is trained once on 4/5 of the training statements
(the `calibration: holdout` recipe); its members' raw probabilities on the held-out fifth and on the
test jurisdiction are kept, and every weighting is then scored the way the shipped recipe would be
(Platt calibration and per-label thresholds fitted on the held-out fifth; "held-out" is macro-F1
over the labels with positives in the held-out fifth, cross-fitted halves; "test" is macro-F1 over
the 9 shared criteria on the other jurisdiction's statements):
  * the config's weights, each member alone, each member left out (the others at their config
    weights), and equal weights;
  * the weights `choose_weights` picks on the held-out fold (train.choose_member_weights);
  * the best weights in hindsight on the test set (an oracle: an upper bound, not a result);
  * for the config's weights, other decision thresholds (`thresholds()`): shrunk towards 0.5, one
    for all labels, and per-label thresholds chosen on the test set (an oracle again).
Writes benchmarks/results/ensemble_members.json. Skips cleanly when ../shared/data/aims is absent.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from disclosure_nlp.classify.base import apply_platt  # noqa: E402
from disclosure_nlp.corpus import context_windows, label_matrix, sort_reading_order  # noqa: E402
from disclosure_nlp.evaluate import THRESHOLD_GRID, choose_thresholds, macro_f1, per_label_metrics  # noqa: E402
from disclosure_nlp.taxonomy import SHARED_CRITERIA  # noqa: E402
from disclosure_nlp.train import (  # noqa: E402
    DataMissing,
    calibrate_and_threshold,
    choose_member_weights,
    fit_classifier,
    grouped_folds,
    load_config,
    load_training_data,
)


def shared_f1(Y, decisions, labels) -> float:
    m = per_label_metrics(Y, decisions.astype(np.int8), labels)
    return macro_f1(m, [lab for lab in SHARED_CRITERIA if m[lab]["support"] > 0])


def thresholds(P_held, P_test, Yh, Yt, halves, labels) -> dict:
    """Can other decision thresholds carry the config's ensemble further on the test jurisdiction?
    Per-label thresholds from the held-out fifth (the shipped recipe), shrunk half-way to 0.5, one
    threshold for every label (chosen on the held-out fifth), and per-label thresholds chosen on the
    test set itself (an oracle: the most any thresholding can give with these probabilities)."""
    platt, thr, _, _ = calibrate_and_threshold(Yh, P_held, halves)
    Ph, Pt = apply_platt(platt, P_held), apply_platt(platt, P_test)
    one = max(THRESHOLD_GRID, key=lambda t: (macro_f1(per_label_metrics(Yh, (Ph >= t).astype(np.int8), labels)), -abs(t - 0.5)))
    out = {"per_label_heldout": thr, "shrunk_half_to_0.5": (thr + 0.5) / 2,
           "one_threshold_heldout": np.full(len(labels), one), "oracle_per_label_on_test": choose_thresholds(Yt, Pt)}
    return {k: {"test_macro_f1_shared": round(shared_f1(Yt, Pt >= t, labels), 4),
                "thresholds": dict(zip(labels, np.round(t, 3).tolist()))} for k, t in out.items()}


def direction(cfg, train, test, dump: Path | None = None) -> dict:
    t0 = time.time()
    train = sort_reading_order(train)
    texts, ctx = [r.text for r in train], context_windows(train, cfg.context_words)
    Y, groups = label_matrix(train, cfg.labels), [r.doc_id for r in train]
    folds = grouped_folds(groups, cfg.folds, cfg.seed)
    tr, te = np.flatnonzero(folds != 0), np.flatnonzero(folds == 0)
    params = {**cfg.model_params, "choose_weights": False}
    clf = fit_classifier(cfg.model, params, cfg.labels, [texts[i] for i in tr], [ctx[i] for i in tr],
                         Y[tr], cfg.seed, None)
    names = [m["name"] for m in clf.params["members"]]
    held = clf.predict_members([texts[i] for i in te], [ctx[i] for i in te])
    Yh, halves = Y[te], grouped_folds([groups[i] for i in te], 2, cfg.seed)
    test = sort_reading_order(test)
    tested = clf.predict_members([r.text for r in test], context_windows(test, cfg.context_words))
    Yt = label_matrix(test, cfg.labels)
    train_s = round(time.time() - t0, 1)
    if dump is not None:  # raw member probabilities, for studies of calibration and thresholds
        np.savez_compressed(dump, held=np.stack(held), tested=np.stack(tested), Yh=Yh, Yt=Yt, halves=halves,
                            labels=np.array(cfg.labels), members=np.array(names), weights=np.array(clf.weights),
                            held_docs=np.array([groups[i] for i in te]), held_index=np.array([train[i].index for i in te]),
                            tested_docs=np.array([r.doc_id for r in test]), tested_index=np.array([r.index for r in test]))

    def score(w) -> dict:
        platt, thr, P_cal, T = calibrate_and_threshold(Yh, clf.combine(w, held), halves)
        P = apply_platt(platt, clf.combine(w, tested))
        return {"weights": [round(float(x), 2) for x in w],
                "heldout_macro_f1": round(macro_f1(per_label_metrics(Yh, (P_cal >= T).astype(np.int8),
                                                                      cfg.labels)), 4),
                "test_macro_f1_shared": round(shared_f1(Yt, P >= thr, cfg.labels), 4)}

    k = len(names)
    out = {"members": names, "train_seconds": train_s,
           "config_weights": score(list(clf.weights)),
           "equal_weights": score([1.0 / k] * k),
           "alone": {f"{j}:{n}": score([1.0 if i == j else 0.0 for i in range(k)]) for j, n in enumerate(names)},
           "left_out": {f"{j}:{n}": score([0.0 if i == j else w for i, w in enumerate(clf.weights)])
                        for j, n in enumerate(names)} if k > 2 else {}}
    out["thresholds"] = thresholds(clf.combine(clf.weights, held), clf.combine(clf.weights, tested), Yh, Yt,
                                   halves, cfg.labels)
    choice = choose_member_weights(clf, held, Yh, halves, cfg.labels)
    out["chosen_on_heldout"] = score(choice["chosen"])
    import itertools

    grid = [tuple(c / 10 for c in combo) for combo in itertools.product(range(11), repeat=k) if sum(combo) == 10]
    out["oracle_on_test"] = max((score(w) for w in grid), key=lambda s: s["test_macro_f1_shared"])
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--config", default=str(REPO / "configs" / "criteria-3members.yaml"))
    ap.add_argument("--out", default=str(REPO / "benchmarks" / "results" / "ensemble_members.json"))
    ap.add_argument("--dump", metavar="DIR", help="also save each direction's raw member probabilities "
                    "(held-out fifth and test jurisdiction) and labels as DIR/<direction>.npz")
    args = ap.parse_args()
    cfg = load_config(args.config)
    if cfg.model != "ensemble":
        print(f"{args.config}: not an ensemble")
        return 2
    try:
        au = load_training_data([f for f in cfg.train_files if f.name.startswith("au")])
        ca = load_training_data([f for f in cfg.train_files if f.name.startswith("ca")])
    except DataMissing as exc:
        print(f"skipped: {exc}")
        return 0
    res = {"config": cfg.name, "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
    for name, (a, b) in {"au_to_ca": (au, ca), "ca_to_au": (ca, au)}.items():
        print(f"{name}: training {cfg.name} on 4/5 of the statements...", flush=True)
        dump = None
        if args.dump:
            Path(args.dump).mkdir(parents=True, exist_ok=True)
            dump = Path(args.dump) / f"{name}.npz"
        res[name] = r = direction(cfg, a, b, dump)
        print(f"  members {r['members']}  [{r['train_seconds']:.0f} s]")
        for key in ("config_weights", "equal_weights", "chosen_on_heldout", "oracle_on_test"):
            s = r[key]
            print(f"  {key:18s} {s['weights']}  held-out {s['heldout_macro_f1']:.3f}  "
                  f"test {s['test_macro_f1_shared']:.3f}")
        for key, s in r["thresholds"].items():
            print(f"  thresholds {key:26s} test {s['test_macro_f1_shared']:.3f}")
        for what in ("alone", "left_out"):
            for key, s in r[what].items():
                print(f"  {what} {key:16s} {s['weights']}  held-out {s['heldout_macro_f1']:.3f}  "
                      f"test {s['test_macro_f1_shared']:.3f}")
        Path(args.out).write_text(json.dumps(res, indent=2) + "\n")
    print(f"saved {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
