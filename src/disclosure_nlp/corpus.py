"""Annotated-sentence corpora: one JSONL schema, an AIMS CSV adapter, and context windows.

JSONL schema (one JSON object per line, one line per sentence, documents in reading order):

    doc_id           str   statement / report the sentence comes from (splits never cut a doc)
    index            int   position of the sentence in its document (reading order)
    text             str   the sentence
    labels           [str] taxonomy label ids that apply (empty list: none apply)
    evidence_status  str?  implemented | commitment | negative | vague
    red_flags        {indicator: observed|prohibited|none_found}?
    source           str?  where the annotation comes from (e.g. "aims_au", "synthetic")
    split            str?  train | dev | test, when the corpus fixes one
    comment          str?  free-text annotator note
    extra            {}?   anything else, kept verbatim

The AIMS CSV adapter reads any CSV with `statement_id, sentence_index, sentence` and 0/1 columns
named after taxonomy labels (the AIMS.au / AIMS.ca gold files), and the AIMS.ca negative-evidence
file (`criterion, negative` columns).
"""

from __future__ import annotations

import csv
import json
import re
import sys
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from .taxonomy import load_taxonomy

EVIDENCE_STATUSES = ("implemented", "commitment", "negative", "vague")
RED_FLAG_STATUSES = ("observed", "prohibited", "none_found")
_REQUIRED_AIMS_COLUMNS = ("statement_id", "sentence_index", "sentence")
# Free-text AIMS annotator comments that say something about evidence status.
_COMMENT_STATUS = {"negative evidence": "negative", "future action": "commitment", "vague": "vague"}
# Criterion names as written in the AIMS.ca negative-evidence file.
_AIMS_CRITERION_NAMES = {
    "approval": "approval",
    "signature": "signature",
    "c1 (reporting entity)": "c1_reporting_entity",
    "c2 (structure)": "c2_structure",
    "c2 (operations)": "c2_operations",
    "c2 (supply chains)": "c2_supply_chains",
    "c3 (risk description)": "c3_risk_description",
    "c4 (risk mitigation)": "c4_risk_mitigation",
    "c4 (remediation)": "c4_remediation",
    "c5 (effectiveness)": "c5_effectiveness",
    "c6 (consultation)": "c6_consultation",
}


class CorpusError(ValueError):
    """A corpus file cannot be read; the message says which file and what is wrong."""


@dataclass(slots=True)
class AnnotatedSentence:
    doc_id: str
    index: int
    text: str
    labels: list[str] = field(default_factory=list)
    evidence_status: str | None = None
    red_flags: dict[str, str] | None = None
    source: str | None = None
    split: str | None = None
    comment: str | None = None
    extra: dict | None = None

    def to_json(self) -> dict:
        return {k: v for k, v in asdict(self).items() if v is not None}

    @classmethod
    def from_json(cls, obj: dict, where: str = "") -> AnnotatedSentence:
        missing = [k for k in ("doc_id", "index", "text", "labels") if k not in obj]
        if missing:
            raise CorpusError(f"{where}: missing field(s) {', '.join(missing)}")
        if not isinstance(obj["labels"], list):
            raise CorpusError(f"{where}: 'labels' must be a list of label ids")
        status = obj.get("evidence_status")
        if status is not None and status not in EVIDENCE_STATUSES:
            raise CorpusError(f"{where}: unknown evidence_status {status!r}")
        flags = obj.get("red_flags")
        if flags is not None:
            bad = {k: v for k, v in flags.items() if v not in RED_FLAG_STATUSES}
            if bad:
                raise CorpusError(f"{where}: unknown red-flag status in {bad}")
        try:
            index = int(obj["index"])
        except (TypeError, ValueError):
            raise CorpusError(f"{where}: 'index' must be an integer") from None
        return cls(
            doc_id=str(obj["doc_id"]),
            index=index,
            text=str(obj["text"]),
            labels=[str(x) for x in obj["labels"]],
            evidence_status=status,
            red_flags=flags,
            source=obj.get("source"),
            split=obj.get("split"),
            comment=obj.get("comment"),
            extra=obj.get("extra"),
        )


@dataclass(frozen=True, slots=True)
class Context:
    """Where a sentence sits: its document and position, and ±N words around it.

    Models that look at neighbouring sentences use (doc_id, position) to find them among the
    sentences scored together; models that read context as text use `left` / `right`.
    """

    doc_id: str | None = None
    position: int | None = None
    left: str = ""
    right: str = ""


# ---------------------------------------------------------------------------------------------
# JSONL


def write_jsonl(records: Iterable[AnnotatedSentence], path: str | Path) -> int:
    n = 0
    with open(path, "w", encoding="utf-8") as fh:
        for rec in records:
            fh.write(json.dumps(rec.to_json(), ensure_ascii=False) + "\n")
            n += 1
    return n


def read_jsonl(path: str | Path) -> list[AnnotatedSentence]:
    path = Path(path)
    out = []
    with open(path, encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            if not line.strip():
                continue
            where = f"{path.name}:{lineno}"
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                raise CorpusError(f"{where}: not valid JSON ({exc.msg})") from None
            if not isinstance(obj, dict):
                raise CorpusError(f"{where}: each line must be a JSON object")
            out.append(AnnotatedSentence.from_json(obj, where))
    return out


# ---------------------------------------------------------------------------------------------
# AIMS CSV


def _raise_csv_field_limit() -> None:
    limit = sys.maxsize
    while True:
        try:
            csv.field_size_limit(limit)
            return
        except OverflowError:
            limit //= 10


def read_aims_csv(path: str | Path, source: str | None = None) -> list[AnnotatedSentence]:
    """Read an AIMS-format CSV: label columns are whichever taxonomy label ids appear as columns."""
    path = Path(path)
    _raise_csv_field_limit()
    with open(path, encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        columns = reader.fieldnames or []
        missing = [c for c in _REQUIRED_AIMS_COLUMNS if c not in columns]
        if missing:
            raise CorpusError(
                f"{path.name}: not an AIMS-format CSV, missing column(s) {', '.join(missing)} "
                f"(expected statement_id, sentence_index, sentence and 0/1 label columns)"
            )
        rows = list(reader)
    source = source or path.stem
    if "criterion" in columns and "negative" in columns:
        return _negative_evidence_records(rows, path, source)

    taxonomy = load_taxonomy()
    label_cols = [c for c in columns if c in taxonomy]
    if not label_cols:
        raise CorpusError(
            f"{path.name}: no label columns found (expected 0/1 columns such as "
            f"{', '.join(taxonomy.label_ids('coverage')[:3])}, ...)"
        )
    out = []
    for lineno, row in enumerate(rows, 2):
        labels = []
        for c in label_cols:
            v = (row.get(c) or "").strip()
            if v not in ("0", "1", "", "0.0", "1.0"):
                raise CorpusError(f"{path.name}:{lineno}: column {c} must be 0 or 1, got {v!r}")
            if v in ("1", "1.0"):
                labels.append(c)
        comment = (row.get("annotator_comment") or "").strip() or None
        out.append(
            AnnotatedSentence(
                doc_id=row["statement_id"],
                index=_int(row["sentence_index"], path, lineno),
                text=row["sentence"] or "",
                labels=labels,
                evidence_status=_COMMENT_STATUS.get((comment or "").lower()),
                source=source,
                comment=comment,
                extra={"annotated_labels": label_cols},
            )
        )
    return out


def _int(v: str, path: Path, lineno: int) -> int:
    try:
        return int(float(v))
    except (TypeError, ValueError):
        raise CorpusError(f"{path.name}:{lineno}: sentence_index must be an integer") from None


def _negative_evidence_records(rows: list[dict], path: Path, source: str) -> list[AnnotatedSentence]:
    """One record per sentence; `extra.negative_evidence` maps criterion -> 0/1.

    This file annotates evidence status only: criteria labels are not given (labels stay empty
    and `extra.annotated_labels` is empty, so evaluation does not treat them as negatives).
    """
    merged: dict[tuple[str, int], AnnotatedSentence] = {}
    for lineno, row in enumerate(rows, 2):
        key = (row["statement_id"], _int(row["sentence_index"], path, lineno))
        crit_raw = (row.get("criterion") or "").strip().lower()
        crit = _AIMS_CRITERION_NAMES.get(crit_raw, crit_raw.replace(" ", "_"))
        negative = (row.get("negative") or "0").strip() in ("1", "1.0")
        rec = merged.get(key)
        if rec is None:
            rec = AnnotatedSentence(
                doc_id=key[0], index=key[1], text=row["sentence"] or "", labels=[], source=source,
                extra={"annotated_labels": [], "negative_evidence": {}},
            )
            merged[key] = rec
        rec.extra["negative_evidence"][crit] = int(negative)
        if negative:
            rec.evidence_status = "negative"
    return sorted(merged.values(), key=lambda r: (r.doc_id, r.index))


def read_corpus(path: str | Path) -> list[AnnotatedSentence]:
    """Read a corpus file by extension: .csv (AIMS format) or .jsonl / .json (JSONL schema)."""
    path = Path(path)
    if not path.is_file():
        raise CorpusError(f"{path}: no such file")
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return read_aims_csv(path)
    if suffix in (".jsonl", ".json", ".ndjson"):
        return read_jsonl(path)
    raise CorpusError(f"{path.name}: unknown corpus format (use an AIMS-format .csv or a .jsonl)")


def read_corpus_files(files: Sequence[Path], error: type[Exception] = CorpusError,
                      missing_hint: str = "") -> list[AnnotatedSentence]:
    """All records of several corpus files, in reading order. A missing file or a bad one raises
    `error` (the caller's own exception type) with a one-line message; `missing_hint` is appended
    when files are missing (where to get them)."""
    missing = [f for f in files if not Path(f).is_file()]
    if missing:
        names = ", ".join(Path(f).name for f in missing)
        raise error(f"not found in {Path(missing[0]).parent}: {names}" + (f"; {missing_hint}" if missing_hint else ""))
    out: list[AnnotatedSentence] = []
    for f in files:
        try:
            out.extend(read_corpus(f))
        except CorpusError as exc:
            raise error(str(exc)) from None
    return sort_reading_order(out)


# ---------------------------------------------------------------------------------------------
# helpers for models


def sort_reading_order(records: Sequence[AnnotatedSentence]) -> list[AnnotatedSentence]:
    """Documents in first-seen order, sentences by index within each document."""
    first_seen: dict[str, int] = {}
    for i, r in enumerate(records):
        first_seen.setdefault(r.doc_id, i)
    return sorted(records, key=lambda r: (first_seen[r.doc_id], r.index))


_WS = re.compile(r"\s+")


def context_windows(
    records: Sequence[AnnotatedSentence | tuple[str, int, str]], n_words: int = 30
) -> list[Context]:
    """±`n_words` words around each sentence, taken from the same document in reading order.

    Accepts AnnotatedSentence records or (doc_id, index, text) tuples; returns one Context per
    input, in input order.
    """
    items = [
        (r.doc_id, r.index, r.text) if isinstance(r, AnnotatedSentence) else tuple(r)
        for r in records
    ]
    by_doc: dict[str, list[int]] = defaultdict(list)
    for i, (doc, _, _) in enumerate(items):
        by_doc[doc].append(i)
    out: list[Context | None] = [None] * len(items)
    for doc, idxs in by_doc.items():
        idxs.sort(key=lambda i: items[i][1])
        words = [_WS.split(items[i][2].strip()) if items[i][2].strip() else [] for i in idxs]
        for pos, i in enumerate(idxs):
            left: list[str] = []
            j = pos - 1
            while j >= 0 and len(left) < n_words:
                left = words[j] + left
                j -= 1
            right: list[str] = []
            j = pos + 1
            while j < len(idxs) and len(right) < n_words:
                right = right + words[j]
                j += 1
            out[i] = Context(
                doc_id=doc,
                position=pos,
                left=" ".join(left[-n_words:]) if n_words > 0 else "",
                right=" ".join(right[:n_words]) if n_words > 0 else "",
            )
    return out  # type: ignore[return-value]


def label_matrix(records: Sequence[AnnotatedSentence], labels: Sequence[str]) -> np.ndarray:
    """(n_records, n_labels) 0/1 matrix in the order of `labels`."""
    col = {lab: j for j, lab in enumerate(labels)}
    y = np.zeros((len(records), len(labels)), dtype=np.int8)
    for i, r in enumerate(records):
        for lab in r.labels:
            j = col.get(lab)
            if j is not None:
                y[i, j] = 1
    return y


def annotated_labels(records: Sequence[AnnotatedSentence], labels: Sequence[str]) -> list[str]:
    """Labels the file actually annotates: AIMS CSVs say so per record; JSONL annotates all."""
    declared = None
    for r in records:
        if r.extra and "annotated_labels" in r.extra:
            declared = set(r.extra["annotated_labels"]) if declared is None else declared | set(
                r.extra["annotated_labels"])
    if declared is None:
        return list(labels)
    return [lab for lab in labels if lab in declared]


def doc_ids(records: Sequence[AnnotatedSentence]) -> list[str]:
    return [r.doc_id for r in records]
