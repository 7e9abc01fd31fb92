"""The real-text red-flag sample: which AIMS test sentences were labelled, and how they were chosen.

    python corpora/real/select_sample.py [--aims ../shared/data/aims] > candidates.jsonl

From the 100 AIMS.au / AIMS.ca test statements (8,452 sentences), sentences naming a forced-labour
topic (`flag_rules.names_red_flag_topic`: 2,497) were kept; of those, every sentence with incident wording (INCIDENT: 229,
where real findings would be) plus 250 drawn at random (seed 7) from the rest: 479 sentences. A team
member labelled them from the red-flag definitions without seeing the models
(`aims_redflags_labels.jsonl`: doc_id, index, red_flags; no text - the text stays in the AIMS files,
CC-BY-4.0, and is joined at run time by `benchmarks/red_flags.py`).
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))

from disclosure_nlp.classify.flag_rules import names_red_flag_topic  # noqa: E402
from disclosure_nlp.corpus import read_aims_csv  # noqa: E402

INCIDENT = re.compile(r"\b(identified|found|discovered|uncovered|case|cases|incident|allegation|alleged|reported|"
                      r"complain|remediat|breach|instances?)\b", re.I)


def sample(aims_dir: Path, n_random: int = 250, seed: int = 7):
    recs = [r for f in ("au_test", "ca_test") for r in read_aims_csv(aims_dir / f"{f}.csv")]
    cand = [r for r in recs if names_red_flag_topic(r.text)]
    incident = [r for r in cand if INCIDENT.search(r.text)]
    rng = random.Random(seed)
    rest = rng.sample([r for r in cand if not INCIDENT.search(r.text)], n_random)
    return sorted(incident + rest, key=lambda r: (r.doc_id, r.index))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--aims", default=str(ROOT.parent / "shared" / "data" / "aims"))
    args = ap.parse_args()
    for r in sample(Path(args.aims)):
        print(json.dumps({"doc_id": r.doc_id, "index": r.index, "text": r.text}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
