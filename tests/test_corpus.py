from __future__ import annotations

import csv
import random

import numpy as np
import pytest

from disclosure_nlp.corpus import (
    AnnotatedSentence,
    CorpusError,
    annotated_labels,
    context_windows,
    label_matrix,
    read_aims_csv,
    read_corpus,
    read_jsonl,
    write_jsonl,
)
from disclosure_nlp.taxonomy import AIMS_CRITERIA
from synthetic_statements import AIMS_DIR, make_corpus

AIMS_COLUMNS = ["statement_id", "sentence_index", "sentence", *AIMS_CRITERIA, "annotator_comment"]


def _write_aims_csv(path, rows):
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=AIMS_COLUMNS)
        w.writeheader()
        for r in rows:
            w.writerow({**{c: 0 for c in AIMS_CRITERIA}, "annotator_comment": "", **r})


def test_jsonl_round_trip(tmp_path):
    recs = make_corpus(n_docs=2)
    recs[0].evidence_status = "commitment"
    recs[1].red_flags = {"debt_bondage": "observed"}
    path = tmp_path / "c.jsonl"
    assert write_jsonl(recs, path) == len(recs)
    back = read_jsonl(path)
    assert back == recs
    assert read_corpus(path) == recs


def test_jsonl_errors_name_the_line(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text('{"doc_id": "a", "index": 0, "text": "x", "labels": []}\n{"doc_id": "a"}\n')
    with pytest.raises(CorpusError, match=r"bad.jsonl:2: missing field"):
        read_jsonl(path)
    path.write_text('{"doc_id": "a", "index": 0, "text": "x", "labels": [], "evidence_status": "maybe"}\n')
    with pytest.raises(CorpusError, match="evidence_status"):
        read_jsonl(path)
    path.write_text("not json\n")
    with pytest.raises(CorpusError, match="not valid JSON"):
        read_jsonl(path)


def test_aims_csv_reader(tmp_path):
    path = tmp_path / "uk_test.csv"
    _write_aims_csv(path, [
        {"statement_id": "UK-1", "sentence_index": 0, "sentence": "Approved by the board", "approval": 1},
        {"statement_id": "UK-1", "sentence_index": 1, "sentence": "Signed, CEO", "signature": 1,
         "approval": 1, "annotator_comment": "future action"},
        {"statement_id": "UK-2", "sentence_index": 0, "sentence": "We buy cotton", "c2_supply_chains": 1},
    ])
    recs = read_corpus(path)
    assert [r.doc_id for r in recs] == ["UK-1", "UK-1", "UK-2"]
    assert recs[1].labels == ["approval", "signature"]
    assert recs[1].evidence_status == "commitment"
    assert recs[0].source == "uk_test"
    assert annotated_labels(recs, AIMS_CRITERIA) == list(AIMS_CRITERIA)


def test_aims_csv_with_a_subset_of_label_columns(tmp_path):
    path = tmp_path / "subset.csv"
    path.write_text("statement_id,sentence_index,sentence,approval,signature\nX,0,hello,1,0\n")
    recs = read_aims_csv(path)
    assert recs[0].labels == ["approval"]
    assert annotated_labels(recs, AIMS_CRITERIA) == ["approval", "signature"]


def test_aims_csv_errors(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("id,text\n1,hello\n")
    with pytest.raises(CorpusError, match="missing column"):
        read_corpus(path)
    path.write_text("statement_id,sentence_index,sentence,approval\nX,0,hi,yes\n")
    with pytest.raises(CorpusError, match="must be 0 or 1"):
        read_corpus(path)
    with pytest.raises(CorpusError, match="no such file"):
        read_corpus(tmp_path / "missing.csv")
    (tmp_path / "x.txt").write_text("hi")
    with pytest.raises(CorpusError, match="unknown corpus format"):
        read_corpus(tmp_path / "x.txt")


def test_negative_evidence_format(tmp_path):
    path = tmp_path / "neg.csv"
    path.write_text(
        "statement_id,sentence_index,sentence,criterion,negative\n"
        "CA-1,3,We have not yet mapped our suppliers,c2 (supply chains),1\n"
        "CA-1,3,We have not yet mapped our suppliers,c3 (risk description),0\n"
        "CA-1,1,We sell shoes,c2 (operations),0\n"
    )
    recs = read_corpus(path)
    assert [r.index for r in recs] == [1, 3]
    assert recs[1].evidence_status == "negative"
    assert recs[1].extra["negative_evidence"] == {"c2_supply_chains": 1, "c3_risk_description": 0}
    assert recs[1].labels == [] and annotated_labels(recs, AIMS_CRITERIA) == []


def test_context_windows_stay_in_document_and_reading_order():
    recs = [
        AnnotatedSentence("A", 0, "one two three", []),
        AnnotatedSentence("A", 1, "four five", []),
        AnnotatedSentence("A", 2, "six seven eight", []),
        AnnotatedSentence("B", 0, "other document", []),
    ]
    shuffled = recs[:]
    random.Random(1).shuffle(shuffled)
    ctx = {(r.doc_id, r.index): c for r, c in zip(shuffled, context_windows(shuffled, 3))}
    mid = ctx[("A", 1)]
    assert (mid.left, mid.right) == ("one two three", "six seven eight")
    assert mid.doc_id == "A" and mid.position == 1
    assert ctx[("A", 0)].left == "" and ctx[("A", 0)].right == "four five six"
    assert ctx[("A", 2)].left == "three four five"
    assert ctx[("B", 0)].left == ctx[("B", 0)].right == ""
    assert context_windows([("d", 0, "x y"), ("d", 1, "z")], 0)[0].right == ""


def test_label_matrix():
    recs = [AnnotatedSentence("A", 0, "x", ["signature", "approval"]), AnnotatedSentence("A", 1, "y", [])]
    Y = label_matrix(recs, ["approval", "signature", "c2_structure"])
    assert Y.tolist() == [[1, 1, 0], [0, 0, 0]]
    assert Y.dtype == np.int8


@pytest.mark.aims
def test_reads_the_real_aims_files():
    if not AIMS_DIR.is_dir():
        pytest.skip(f"AIMS data not available at {AIMS_DIR}")
    au = read_corpus(AIMS_DIR / "au_test.csv")
    ca = read_corpus(AIMS_DIR / "ca_test.csv")
    assert len(au) == 4794 and len({r.doc_id for r in au}) == 50
    assert len(ca) == 3658 and len({r.doc_id for r in ca}) == 50
    assert not {r.doc_id for r in au} & {r.doc_id for r in ca}
    assert sum("c6_consultation" in r.labels for r in ca) == 0
    neg = read_corpus(AIMS_DIR / "ca_negative_evidence.csv")
    assert any(r.evidence_status == "negative" for r in neg)
