"""Lexical baseline: TF-IDF word 1-2-grams + char 3-5-grams, one logistic regression per label.

Optionally the ±N-word context window is added as a third, down-weighted TF-IDF block. Fast
(thousands of sentences per second) and a strong baseline for these criteria.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import joblib
import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from ..corpus import Context
from .base import SentenceClassifier

STATE_FILE = "lexical.joblib"


# Shared text analysis. Every lexical model (the criteria member and the three flag models) cuts the
# same sentences into the same word and character n-grams before looking them up in its own
# vocabulary; done per model in Python, the cutting and the look-ups were a third of the whole
# classification stage. Inside `shared_analysis()` each text is cut once per analyzer setting and its
# n-grams numbered in a shared table (`_Grams`); each model then maps those numbers to its own columns
# with one NumPy index, looking up in its vocabulary only n-grams it has not met before (per thread,
# and only for batches up to MAX_SHARED_TEXTS, so memory stays bounded).
_LOCAL = threading.local()
MAX_SHARED_TEXTS = 5000


@contextmanager
def shared_analysis() -> Iterator[None]:
    outer = getattr(_LOCAL, "cache", None)
    if outer is None:
        _LOCAL.cache = {}
    try:
        yield
    finally:
        if outer is None:
            _LOCAL.cache = None


def _analyzer_key(vec: TfidfVectorizer) -> tuple:
    p = vec.get_params()
    return (p["analyzer"], p["ngram_range"], p["lowercase"], p["token_pattern"], p["strip_accents"],
            p["stop_words"] if isinstance(p["stop_words"], (str, type(None))) else id(p["stop_words"]))


class _Grams:
    """The n-grams of one analyzer setting inside a `shared_analysis()` block: every distinct n-gram
    gets a number (in order of first sight), every text its array of numbers, and every vocabulary
    a table from numbers to its columns (-1: not in the vocabulary), extended as new n-grams come."""

    def __init__(self) -> None:
        self.ids: dict[str, int] = {}
        self.texts: dict[str, np.ndarray] = {}
        self.tables: dict[int, tuple[dict, np.ndarray]] = {}
        self.analyze = None  # the same for every vectorizer of this setting

    def encode(self, text: str, vec: TfidfVectorizer) -> np.ndarray:
        seq = self.texts.get(text)
        if seq is None:
            ids = self.ids
            self.analyze = self.analyze or vec.build_analyzer()
            grams = self.analyze(text)
            nums = list(map(ids.get, grams))
            if None in nums:  # n-grams not seen before get the next numbers
                nums = [ids.setdefault(g, len(ids)) if n is None else n for g, n in zip(grams, nums)]
            seq = self.texts[text] = np.array(nums, dtype=np.int64)
        return seq

    def columns(self, vocab: dict) -> np.ndarray:
        known, table = self.tables.get(id(vocab), (None, None))
        if known is not vocab:
            table = np.empty(0, dtype=np.int64)
        if len(table) < len(self.ids):
            new = itertools.islice(self.ids, len(table), None)
            table = np.concatenate([table, np.fromiter((vocab.get(g, -1) for g in new), dtype=np.int64,
                                                       count=len(self.ids) - len(table))])
        self.tables[id(vocab)] = (vocab, table)
        return table


def _transform(vec: TfidfVectorizer, texts: list[str]):
    """`vec.transform(texts)`, reusing the n-grams of `shared_analysis()` when one is open."""
    cache = getattr(_LOCAL, "cache", None)
    if cache is None or len(texts) > MAX_SHARED_TEXTS:
        return vec.transform(texts)
    grams = cache.setdefault(_analyzer_key(vec), _Grams())
    seqs = [grams.encode(t, vec) for t in texts]
    cols = grams.columns(vec.vocabulary_)[np.concatenate(seqs)] if seqs else np.empty(0, dtype=np.int64)
    rows = np.repeat(np.arange(len(texts)), [len(q) for q in seqs])
    keep = cols >= 0
    # COO -> CSR adds up repeated n-grams: the term counts, as CountVectorizer gives them
    X = sp.coo_matrix((np.ones(int(keep.sum()), dtype=vec.dtype), (rows[keep], cols[keep])),
                      shape=(len(texts), len(vec.vocabulary_))).tocsr()
    X.sort_indices()
    return vec._tfidf.transform(X, copy=False)


class LexicalClassifier(SentenceClassifier):
    name = "lexical"
    version = "1"

    def __init__(self, labels, C: float = 4.0, class_weight: str | None = "balanced",
                 char: bool = True, context_weight: float = 0.0, max_char_features: int = 150000,
                 seed: int = 0, **params: Any) -> None:
        super().__init__(labels, C=C, class_weight=class_weight, char=char,
                         context_weight=context_weight, max_char_features=max_char_features,
                         seed=seed, **params)
        self._vecs: dict[str, TfidfVectorizer] = {}
        self._coef: np.ndarray | None = None
        self._intercept: np.ndarray | None = None

    def _vectorizers(self) -> dict[str, TfidfVectorizer]:
        p = self.params
        vecs = {"word": TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True,
                                        lowercase=True, dtype=np.float32)}
        if p["char"]:
            vecs["char"] = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), min_df=2,
                                           sublinear_tf=True, max_features=p["max_char_features"],
                                           dtype=np.float32)
        if p["context_weight"] > 0:
            vecs["context"] = TfidfVectorizer(ngram_range=(1, 1), min_df=2, sublinear_tf=True,
                                              dtype=np.float32)
        return vecs

    def _features(self, texts: list[str], contexts: list[Context], fit: bool = False):
        blocks = []
        for kind, vec in self._vecs.items():
            if kind == "context":
                docs = [f"{c.left} {c.right}" for c in contexts]
                m = vec.fit_transform(docs) if fit else vec.transform(docs)
                m = m * self.params["context_weight"]
            else:
                m = vec.fit_transform(texts) if fit else _transform(vec, texts)
            blocks.append(m)
        return sp.hstack(blocks, format="csr")

    def _fit(self, texts, contexts, Y, progress) -> None:
        self._vecs = self._vectorizers()
        X = self._features(texts, contexts, fit=True)
        L = len(self.labels)
        coef = np.zeros((L, X.shape[1]), dtype=np.float32)
        intercept = np.full(L, -12.0)  # labels without positives: probability ~0
        for j in range(L):
            y = Y[:, j]
            if 0 < y.sum() < len(y):
                lr = LogisticRegression(C=self.params["C"], class_weight=self.params["class_weight"],
                                        solver="liblinear", max_iter=1000,
                                        random_state=self.params["seed"])
                lr.fit(X, y)
                coef[j] = lr.coef_[0]
                intercept[j] = lr.intercept_[0]
            if progress:
                progress(j + 1, L, "lexical: fitting labels")
        self._coef, self._intercept = coef, intercept

    def decision_function(self, texts: list[str], contexts: list[Context]) -> np.ndarray:
        X = self._features(texts, contexts)
        return np.asarray(X @ self._coef.T) + self._intercept

    def _raw_proba(self, texts, contexts) -> np.ndarray:
        return 1.0 / (1.0 + np.exp(-self.decision_function(texts, contexts)))

    def _save(self, directory: Path) -> None:
        # sparse coefficients keep the file small (most char n-grams get tiny weights)
        joblib.dump({"vecs": self._vecs, "coef": sp.csr_matrix(self._coef),
                     "intercept": self._intercept}, directory / STATE_FILE, compress=3)

    def _load(self, directory: Path) -> None:
        state = joblib.load(directory / STATE_FILE)
        self._vecs = state["vecs"]
        self._coef = state["coef"].toarray()
        self._intercept = state["intercept"]
