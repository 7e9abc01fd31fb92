"""Where the classification stage spends its time, and what the shared n-gram analysis saves.

    python benchmarks/stage_profile.py [--sentences 3000] [--threads 2] [--rounds 3]

The stage is what the analysis pipeline runs on every sentence: the criteria ensemble (lexical and
neural members), then red flags, evidence status and finer labels (`SentenceFlagger`). On the first
AIMS.au test sentences in reading order (real statement prose), in one process:

1. each part timed alone (the lexical models inside `shared_analysis()`, as the pipeline runs them);
2. the whole stage with the shared analysis against the same stage with every lexical model cutting
   and looking up its own n-grams (the baseline: `TfidfVectorizer.transform`), alternating, best of
   `--rounds`; the outputs must be identical.

Prints a table and writes benchmarks/results/stage_profile.json. Figures are sentences/s on this
machine and the ratio between the two variants of the same run (the machines are shared and noisy).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from contextlib import nullcontext
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

import numpy as np  # noqa: E402

from disclosure_nlp.classify import load_classifier  # noqa: E402
from disclosure_nlp.classify.lexical import shared_analysis  # noqa: E402
from disclosure_nlp.classify.red_flags import load_flagger  # noqa: E402
from disclosure_nlp.corpus import context_windows, read_corpus, sort_reading_order  # noqa: E402

AIMS_DIR = Path(os.environ.get("DISCLOSURE_NLP_AIMS_DIR", ROOT.parent / "shared" / "data" / "aims"))
OUT = ROOT / "benchmarks" / "results" / "stage_profile.json"


def cpu_flags() -> list[str]:
    """The vector extensions that decide int8 speed (VNNI: 4 int8 products per lane and step)."""
    try:
        text = Path("/proc/cpuinfo").read_text()
    except OSError:
        return []
    flags = set(next((ln.split(":", 1)[1].split() for ln in text.splitlines() if ln.startswith("flags")), []))
    return sorted(f for f in flags if f in {"avx2", "avx512f", "avx512_vnni", "avx_vnni", "amx_int8"})


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sentences", type=int, default=3000)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--out", default=str(OUT))
    args = ap.parse_args()
    os.environ.setdefault("DISCLOSURE_NLP_THREADS", str(args.threads))
    data = AIMS_DIR / "au_test.csv"
    if not data.is_file():
        print(f"skipped: {data} not found (the AIMS data, see ../shared/data/aims/README)")
        return 0
    recs = sort_reading_order(read_corpus(data))[: args.sentences]
    texts, ctx = [r.text for r in recs], context_windows(recs, 100)
    crit = load_classifier(ROOT / "models" / "criteria")
    flagger = load_flagger(ROOT / "models")
    rf = flagger.red_flags
    with shared_analysis():  # load and warm up every model
        crit.predict_proba(texts[:64], ctx[:64])
        flagger.predict_sentences(texts[:64], ctx[:64])

    def rate(fn) -> float:
        t = time.perf_counter()
        fn()
        return round(len(texts) / (time.perf_counter() - t), 1)

    # the criteria ensemble's members (raw scores, before the ensemble's calibration)
    members = zip((m["name"] for m in crit.params.get("members", [])), getattr(crit, "_models", []))
    parts = {f"criteria member {name}": model for name, model in members}
    parts.update({"red-flag topic (lexical)": rf.topic, "red-flag status (lexical)": rf.status,
                  "evidence status (lexical)": flagger.evidence, "finer labels (lexical)": flagger.due_diligence})
    alone = {}
    for name, model in parts.items():
        with shared_analysis():
            alone[name] = rate(lambda m=model: m.predict_raw(texts, ctx))
    # the red-flag encoders run on candidate sentences only: their share shows in the whole stage
    with shared_analysis():
        alone["red flags (all members + rules)"] = rate(lambda: rf.predict(texts, ctx))

    def stage(shared: bool):
        with shared_analysis() if shared else nullcontext():
            p = crit.predict_proba(texts, ctx)
            f = flagger._predict_sentences(texts, ctx)  # without the analysis block predict_sentences opens
        return p, [(x.red_flags, x.evidence_status, sorted(x.labels)) for x in f]

    runs: dict[str, list[float]] = {"per-model analysis (baseline)": [], "shared analysis": []}
    outs = {}
    for _ in range(args.rounds):
        for name, shared in (("per-model analysis (baseline)", False), ("shared analysis", True)):
            t = time.perf_counter()
            outs[name] = stage(shared)
            runs[name].append(len(texts) / (time.perf_counter() - t))
    (pa, fa), (pb, fb) = outs.values()
    same = bool(np.array_equal(pa, pb)) and fa == fb
    best = {k: round(max(v), 1) for k, v in runs.items()}
    res = {"created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
           "machine": {"python": platform.python_version(), "cpus": os.cpu_count(), "threads": args.threads,
                       "cpu_flags": cpu_flags()},
           "sentences": len(texts), "data": "AIMS.au test statements, reading order",
           "parts_alone_sentences_per_s": alone,
           "whole_stage_sentences_per_s": best, "rounds": {k: [round(x, 1) for x in v] for k, v in runs.items()},
           "shared_over_baseline": round(best["shared analysis"] / best["per-model analysis (baseline)"], 3),
           "identical_outputs": same}
    print(f"{len(texts)} sentences, {args.threads} threads, CPU flags {' '.join(res['machine']['cpu_flags'])}")
    print("\npart alone                              sentences/s")
    for k, v in alone.items():
        print(f"  {k:38s} {v:8.1f}")
    print("\nwhole stage (best of %d)                 sentences/s" % args.rounds)
    for k, v in best.items():
        print(f"  {k:38s} {v:8.1f}")
    print(f"  ratio shared / baseline: {res['shared_over_baseline']:.2f}; identical outputs: {same}")
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(res, indent=2) + "\n")
    return 0 if same else 1


if __name__ == "__main__":
    raise SystemExit(main())
