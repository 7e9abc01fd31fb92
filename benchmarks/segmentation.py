"""Segmentation benchmark: how many expert reference sentences survive PDF -> read() -> sentences.

Data: `../shared/data/aims/{au,ca}_test.csv` (real statements split into sentences by annotators, in
reading order), and synthetic statements from `disclosure_nlp.testing` (known sentences, with the
abbreviations and lists real statements have) so the benchmark also runs where ../shared is absent.

For every statement we rebuild a document from its reference sentences, render it in each layout,
run `disclosure_nlp.read(pdf_bytes)` (extract + clean + segment) and align the predicted sentences
to the references.

Rebuilding a statement from AIMS rows (the references have lost their final full stop):
  * heading-like reference -> its own heading block, no full stop added. Heading-like: no terminal
    punctuation, at most 10 words, and ALL CAPS, or Title Case with no verb-ish word, or <= 4 words
    with no verb-ish word ("Our Business", "OUR SUPPLY CHAINS", "Page 3 of 5", "Henrik Brandt").
  * list runs: a reference ending in ":" closes its paragraph; the references that follow and end
    in ";", "," or "; and"/"; or" become one bullet list (that is how annotators saw them).
  * a reference starting with a lower-case letter starts a new paragraph (in the source it was a
    separate text block — a table cell or a broken column — since no sentence starts lower-case).
  * every other reference gets "." appended unless it already ends in . ! ? (or those plus a
    closing quote/bracket), and runs of 1-6 of them (seeded per statement) form a paragraph.
Layouts: "one_column" and "two_column" (reportlab, running header and "Page N of M"), "bullets"
(one column; every reference under a heading becomes a bullet item), and "text" (the rebuilt plain
text given to read() as a string: segmentation alone, no PDF).

Matching: texts are normalised (NFKC, whitespace collapsed, leading bullet glyphs and trailing
punctuation/quotes stripped). References are aligned monotonically: for each reference, in order,
the best predicted sentence among the next 30 after the last match is taken if its difflib
SequenceMatcher ratio is >= 0.9 ("near"); "exact" means equal after normalisation. An unmatched
reference is classified as "merged" (it sits inside a longer predicted sentence: under-split),
"split" (2-4 consecutive predicted sentences joined give >= 0.9: over-split) or "lost" (neither).

Output: a table on stdout and benchmarks/results/segmentation.json (counts and rates only — no AIMS
text is written to the repository; `--examples N` prints failure examples to the terminal).

    python benchmarks/segmentation.py                      # all statements, all layouts
    python benchmarks/segmentation.py --limit 10 --layouts one_column,text
"""

from __future__ import annotations

import argparse
import csv
import inspect
import json
import random
import re
import sys
import time
import unicodedata
from collections import Counter, defaultdict
from difflib import SequenceMatcher
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

AIMS = ROOT.parent / "shared" / "data" / "aims"
LAYOUTS = ("one_column", "two_column", "bullets", "text")
NEAR = 0.9
WINDOW = 30

# ------------------------------------------------------------------------------------------------
# rebuilding statements
# ------------------------------------------------------------------------------------------------

_SMALL = {"a", "an", "and", "as", "at", "by", "for", "from", "in", "into", "of", "on", "or", "the", "to",
          "with", "our", "its", "&", "vs", "-", "|", "–"}
_VERBISH = re.compile(
    r"\b(is|are|was|were|be|been|being|has|have|had|do|does|did|will|would|shall|should|can|could|may|"
    r"might|must|we|i|it|they|includes?|provides?|requires?|sets?|operates?|employs?)\b",
    re.I,
)
_TERMINAL = re.compile(r"[.!?][\"'”’)\]]*$")
_LIST_ITEM_END = re.compile(r"([;,]|;\s*(and|or)|\b(and|or))$", re.I)


def looks_like_heading(sentence: str) -> bool:
    s = sentence.strip()
    if not s or s[-1] in ".!?;:,":
        return False
    words = s.split()
    if len(words) > 10:
        return False
    letters = [c for c in s if c.isalpha()]
    if not letters:
        return True
    if sum(c.isupper() for c in letters) / len(letters) > 0.8:
        return True
    if _VERBISH.search(s):
        return False
    significant = [w for w in words if w[0].isalpha() and w.lower() not in _SMALL]
    if significant and all(w[0].isupper() for w in significant):
        return True
    return len(words) <= 4


def with_full_stop(sentence: str) -> str:
    s = sentence.strip()
    return s if _TERMINAL.search(s) or s.endswith((":", ";")) else s + "."


def rebuild(refs: list[str], seed: str) -> tuple[list[tuple], list[bool]]:
    """Blocks for one statement (one_column/two_column/text layouts) and the heading flag of each ref."""
    rng = random.Random(seed)
    blocks: list[tuple] = []
    is_heading = [looks_like_heading(r) for r in refs]
    para: list[str] = []
    target = rng.randint(1, 6)

    def flush() -> None:
        nonlocal para, target
        if para:  # the third element (the sentences) is for the bullets layout; renderers ignore it
            blocks.append(("para", " ".join(para), para))
        para, target = [], rng.randint(1, 6)

    i = 0
    while i < len(refs):
        ref = refs[i].strip()
        if is_heading[i]:
            flush()
            blocks.append(("heading", ref))
            i += 1
            continue
        if ref[:1].islower():
            flush()
        para.append(with_full_stop(ref))
        i += 1
        if ref.endswith(":"):
            flush()
            items = []
            while i < len(refs) and not is_heading[i] and _LIST_ITEM_END.search(refs[i].strip()):
                items.append(refs[i].strip())
                i += 1
            if items:
                blocks.append(("bullets", items))
            continue
        if len(para) >= target:
            flush()
    flush()
    return blocks, is_heading


def bullets_layout(blocks: list[tuple]) -> list[tuple]:
    """Every run of sentences under a heading becomes one bullet list."""
    out: list[tuple] = []
    run: list[str] = []
    for block in blocks:
        if block[0] == "heading":
            if run:
                out.append(("bullets", run))
                run = []
            out.append(block)
        elif block[0] == "para":
            run += block[2] if len(block) > 2 else [block[1]]
        elif block[0] in ("bullets", "numbered"):
            run += list(block[1])
    if run:
        out.append(("bullets", run))
    return out


# ------------------------------------------------------------------------------------------------
# data sets
# ------------------------------------------------------------------------------------------------


def aims_statements(jurisdiction: str) -> dict[str, list[str]]:
    rows = defaultdict(list)
    with open(AIMS / f"{jurisdiction}_test.csv", newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            rows[row["statement_id"]].append((int(row["sentence_index"]), row["sentence"]))
    return {sid: [s for _, s in sorted(items)] for sid, items in rows.items()}


def synthetic_statements(n: int):
    """(id, references, blocks, heading flags): sentences of generated statements, with lists/tables."""
    from disclosure_nlp.testing import sample_statement

    out = []
    for seed in range(n):
        stmt = sample_statement(1000 + seed, n_paragraphs=14, repeat_templates=False)
        refs, flags, blocks = [], [], []
        # references in block order: headings and sentences (table cells are not references)
        pending = [text for _, text in stmt.sentences]
        k = 0
        for block in stmt.blocks:
            if block[0] == "heading":
                refs.append(block[1])
                flags.append(True)
                blocks.append(block)
            elif block[0] == "para":
                sents = []
                while k < len(pending) and pending[k] in block[1]:
                    sents.append(pending[k])
                    k += 1
                refs += sents
                flags += [False] * len(sents)
                blocks.append(("para", block[1], sents))
            else:
                if block[0] in ("bullets", "numbered"):
                    refs += list(block[1])
                    flags += [False] * len(block[1])
                    k += len(block[1])
                blocks.append(block)
        out.append((f"SYN-{seed}", refs, blocks, flags))
    return out


# ------------------------------------------------------------------------------------------------
# matching
# ------------------------------------------------------------------------------------------------

_LEAD = re.compile(r"^[\s•▪◦●○■□\-–—*·]+")
_TRAIL = re.compile(r"[\s.!?;:,\"'”’)\]]+$")


def norm(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).replace("\ufffe", "").replace("\u00ad", "")
    text = " ".join(text.split())
    return _TRAIL.sub("", _LEAD.sub("", text))


def ratio(a: str, b: str) -> float:
    if not a or not b:
        return 0.0
    if 2 * min(len(a), len(b)) / (len(a) + len(b)) < NEAR:
        return 0.0
    sm = SequenceMatcher(None, a, b, autojunk=False)
    if sm.real_quick_ratio() < NEAR or sm.quick_ratio() < NEAR:
        return 0.0
    return sm.ratio()


def align(refs: list[str], preds: list[str]) -> list[dict]:
    """Monotone greedy alignment; one record per reference.

    A match more than 2 predictions ahead of the last one is accepted only if one of the next two
    references also matches just after it: otherwise a repeated line ("... Page 6 of 8") or a
    recurring sentence could drag the pointer far ahead and lose everything in between.
    """
    P = [norm(p) for p in preds]
    R = [norm(r) for r in refs]

    def best_in(r: str, lo: int, hi: int) -> tuple[float, int]:
        best, best_j = 0.0, -1
        for j in range(lo, min(len(P), hi)):
            if P[j] == r:
                return 1.0, j
            sc = ratio(r, P[j])
            if sc > best:
                best, best_j = sc, j
        return best, best_j

    out = []
    ptr = 0
    for i, ref in enumerate(refs):
        r = R[i]
        best, best_j = best_in(r, ptr, ptr + WINDOW)
        if best >= NEAR and best_j - ptr > 2 and i + 1 < len(refs):
            confirmed = any(best_in(R[k], best_j + 1, best_j + 6)[0] >= NEAR for k in (i + 1, i + 2) if k < len(refs))
            if not confirmed:
                near_best, near_j = best_in(r, ptr, ptr + 3)
                best, best_j = (near_best, near_j) if near_best >= NEAR else (0.0, -1)
        rec = {"ref": ref, "score": best, "exact": best_j >= 0 and P[best_j] == r, "near": best >= NEAR}
        if best >= NEAR:
            ptr = best_j + 1
            rec["pred"] = preds[best_j]
        else:
            rec["failure"], rec["pred"] = classify_failure(r, P, preds, ptr)
            rec["tag"] = reference_quirk(ref)
        out.append(rec)
    return out


_INNER_BOUNDARY = re.compile(r"[a-z0-9)][.!?] +[A-Z]")


def reference_quirk(ref: str) -> str:
    """Why the reference itself may be unreachable for any splitter, or "" when it looks ordinary."""
    s = ref.strip()
    if s[:1].islower():
        return "ref_starts_lower"  # a fragment: no splitter starts a sentence there
    if _INNER_BOUNDARY.search(s):
        return "ref_holds_2_sentences"  # "... in-kind. It is through ..." kept as one by annotators
    if looks_like_heading(s):
        return "ref_heading_like"
    return ""


def classify_failure(r: str, P: list[str], preds: list[str], ptr: int) -> tuple[str, str]:
    lo, hi = max(0, ptr - 3), min(len(P), ptr + WINDOW)
    if not r:
        return "lost", ""
    for j in range(lo, hi):
        if len(P[j]) > len(r) * 1.1:
            m = SequenceMatcher(None, r, P[j], autojunk=False).find_longest_match(0, len(r), 0, len(P[j]))
            if m.size >= 0.9 * len(r):
                return "merged", preds[j]
    for j in range(lo, hi):
        joined = P[j]
        for k in range(j + 1, min(hi, j + 4)):
            joined = joined + " " + P[k]
            if len(joined) > len(r) * 1.2:
                break
            if ratio(r, joined) >= NEAR:
                return "split", " ‖ ".join(preds[j : k + 1])
    return "lost", ""


# ------------------------------------------------------------------------------------------------
# running
# ------------------------------------------------------------------------------------------------


def render(blocks: list[tuple], layout: str, sid: str):
    from disclosure_nlp.testing import blocks_text, render_pdf

    if layout == "text":
        return blocks_text(blocks)
    body = bullets_layout(blocks) if layout == "bullets" else blocks
    return render_pdf(body, layout="two_column" if layout == "two_column" else "one_column",
                      header=f"{sid} Modern Slavery Statement", page_numbers=True,
                      justify=layout == "two_column")


def read_with(source, splitter: str | None):
    import disclosure_nlp

    if splitter is None:
        return disclosure_nlp.read(source)
    if "splitter" in inspect.signature(disclosure_nlp.read).parameters:
        return disclosure_nlp.read(source, splitter=splitter)
    from disclosure_nlp.extract import extract
    from disclosure_nlp.segment import segment

    return segment(extract(source), splitter=splitter)


def splitters_available() -> list[str | None]:
    try:
        from disclosure_nlp import segment as seg
    except ImportError:
        return [None]
    names = getattr(seg, "SPLITTERS", None)
    if not names:
        return [None]
    return list(names.keys() if isinstance(names, dict) else names)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--limit", type=int, default=None, help="statements per jurisdiction (default: all)")
    ap.add_argument("--layouts", default=",".join(LAYOUTS), help=f"comma list of {', '.join(LAYOUTS)}")
    ap.add_argument("--jurisdictions", default="au,ca")
    ap.add_argument("--splitters", default=None,
                    help="comma list (default: all in disclosure_nlp.segment.SPLITTERS); the first is the default")
    ap.add_argument("--variant-layouts", default="one_column,text",
                    help="layouts on which non-default splitters are also run (they are slower to compare)")
    ap.add_argument("--synthetic", type=int, default=20, help="synthetic statements to add (0: none)")
    ap.add_argument("--examples", type=int, default=0, help="print N failure examples per pattern (terminal only)")
    ap.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "segmentation.json"))
    args = ap.parse_args(argv)

    layouts = [x for x in args.layouts.split(",") if x]
    bad = set(layouts) - set(LAYOUTS)
    if bad:
        ap.error(f"unknown layouts {sorted(bad)}")
    splitters = args.splitters.split(",") if args.splitters else splitters_available()
    variant_layouts = set(args.variant_layouts.split(","))

    datasets: list[tuple[str, list]] = []
    if AIMS.is_dir():
        for j in [x for x in args.jurisdictions.split(",") if x]:
            if not (AIMS / f"{j}_test.csv").exists():
                print(f"skipping {j}: no {AIMS / f'{j}_test.csv'}")
                continue
            stmts = aims_statements(j)
            items = []
            for sid in sorted(stmts)[: args.limit]:
                blocks, flags = rebuild(stmts[sid], sid)
                items.append((sid, stmts[sid], blocks, flags))
            datasets.append((j, items))
    else:
        print(f"skipping AIMS: {AIMS} is absent (it lives in ../shared, outside the repository)")
    if args.synthetic:
        datasets.append(("synthetic", synthetic_statements(args.synthetic if args.limit is None else min(args.limit, args.synthetic))))
    if not datasets:
        print("nothing to measure")
        return 0

    import disclosure_nlp

    disclosure_nlp.read("Warm up. The pipeline loads here.")
    results: dict = {}
    failures: dict[str, list] = defaultdict(list)
    t_all = time.perf_counter()
    for dname, items in datasets:
        for layout in layouts:
            for si, splitter in enumerate(splitters):
                if si > 0 and layout not in variant_layouts:
                    continue
                key = f"{dname}/{layout}/{splitter or 'default'}"
                c = Counter()
                t_read = t_render = 0.0
                for sid, refs, blocks, flags in items:
                    t0 = time.perf_counter()
                    source = render(blocks, layout, sid)
                    t1 = time.perf_counter()
                    try:
                        doc = read_with(source, splitter)
                    except Exception as exc:  # a benchmark reports, it does not stop
                        c["errors"] += 1
                        print(f"  {key} {sid}: {type(exc).__name__}: {exc}")
                        continue
                    t2 = time.perf_counter()
                    t_render += t1 - t0
                    t_read += t2 - t1
                    preds = [s.text for s in doc.sentences]
                    headings_seen = {norm(s.heading) for s in doc.sentences if s.heading}
                    recs = align(refs, preds)
                    c["statements"] += 1
                    c["pred_sentences"] += len(preds)
                    c["pages"] += len(doc.pages)
                    for rec, is_head in zip(recs, flags):
                        part = "heading" if is_head else "body"
                        c["refs"] += 1
                        c[f"refs_{part}"] += 1
                        c["exact"] += rec["exact"]
                        c["near"] += rec["near"]
                        c[f"near_{part}"] += rec["near"]
                        if is_head and norm(rec["ref"]) in headings_seen:
                            c["heading_as_section"] += 1
                        if not rec["near"]:
                            c[f"fail_{rec['failure']}"] += 1
                            if rec["tag"]:
                                c[f"fail_{rec['failure']}_{rec['tag']}"] += 1
                            else:
                                c["fail_ordinary"] += 1
                            if si == 0:
                                kind = rec["failure"] + (f"/{rec['tag']}" if rec["tag"] else "")
                                failures[f"{dname}/{layout}/{kind}"].append((sid, rec["ref"], rec["pred"]))
                n = max(1, c["refs"])
                results[key] = {
                    "dataset": dname, "layout": layout, "splitter": splitter or "default", **dict(c),
                    "exact_rate": round(c["exact"] / n, 4), "near_rate": round(c["near"] / n, 4),
                    "near_rate_body": round(c["near_body"] / max(1, c["refs_body"]), 4),
                    # near rate if the references the splitter cannot reach (fragments, two sentences
                    # kept as one, heading-like lines) are left out of the count
                    "near_rate_ordinary": round(c["near"] / max(1, c["near"] + c["fail_ordinary"]), 4),
                    "read_s": round(t_read, 2), "render_s": round(t_render, 2),
                }
                r = results[key]
                print(f"{key:42s} refs={r.get('refs', 0):5d} exact={r['exact_rate']:.3f} near={r['near_rate']:.3f} "
                      f"body={r['near_rate_body']:.3f} merged={c['fail_merged']} split={c['fail_split']} "
                      f"lost={c['fail_lost']} read={t_read:.1f}s", flush=True)

    print_table(results)
    if args.examples:
        print("\nfailure examples (default splitter):")
        for key in sorted(failures):
            print(f"-- {key}: {len(failures[key])}")
            for sid, ref, pred in failures[key][: args.examples]:
                print(f"   [{sid}] ref : {ref[:160]!r}")
                if pred:
                    print(f"          pred: {pred[:240]!r}")
    summary = {
        "benchmark": "segmentation",
        "near_threshold": NEAR,
        "aims_present": AIMS.is_dir(),
        "limit": args.limit,
        "splitters": [s or "default" for s in splitters],
        "seconds": round(time.perf_counter() - t_all, 1),
        "failure_counts": {k: len(v) for k, v in sorted(failures.items())},
        "results": results,
    }
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(summary, indent=2) + "\n")
    print(f"\nwrote {out}")
    return 0


def print_table(results: dict) -> None:
    print()
    head = f"{'dataset':10s} {'layout':11s} {'splitter':12s} {'refs':>6s} {'exact':>7s} {'near':>7s} {'near body':>9s} " \
           f"{'ordinary':>8s} {'heads':>7s} {'merged':>7s} {'split':>6s} {'lost':>5s} {'sent/s':>7s}"
    print(head)
    print("-" * len(head))
    for r in results.values():
        heads = f"{r.get('near_heading', 0)}/{r.get('refs_heading', 0)}"
        rate = r.get("pred_sentences", 0) / r["read_s"] if r["read_s"] else 0
        print(f"{r['dataset']:10s} {r['layout']:11s} {r['splitter']:12s} {r.get('refs', 0):6d} {r['exact_rate']:7.1%} "
              f"{r['near_rate']:7.1%} {r['near_rate_body']:9.1%} {r['near_rate_ordinary']:8.1%} {heads:>7s} {r.get('fail_merged', 0):7d} "
              f"{r.get('fail_split', 0):6d} {r.get('fail_lost', 0):5d} {rate:7.0f}")


if __name__ == "__main__":
    raise SystemExit(main())
