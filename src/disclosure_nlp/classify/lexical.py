"""Lexical baseline: TF-IDF word 1-2-grams + char 3-5-grams, one logistic regression per label.

Optionally the ±N-word context window is added as a third, down-weighted TF-IDF block. Fast
(thousands of sentences per second) and a strong baseline for these criteria.
"""

from __future__ import annotations

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
# vocabulary; the cutting is about half of a model's time. Inside `shared_analysis()` the n-grams of
# each text are computed once per analyzer setting and reused by every model (per thread, and only
# for batches up to MAX_SHARED_TEXTS, so memory stays bounded).
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


def _transform(vec: TfidfVectorizer, texts: list[str]):
    """`vec.transform(texts)`, reusing the n-grams of `shared_analysis()` when one is open."""
    cache = getattr(_LOCAL, "cache", None)
    if cache is None or len(texts) > MAX_SHARED_TEXTS:
        return vec.transform(texts)
    store = cache.setdefault(_analyzer_key(vec), {})
    analyze = None
    vocab = vec.vocabulary_
    indices: list[int] = []
    values: list[float] = []
    indptr = [0]
    for t in texts:
        grams = store.get(t)
        if grams is None:
            analyze = analyze or vec.build_analyzer()
            grams = store[t] = analyze(t)
        counts: dict[int, int] = {}
        for g in grams:
            j = vocab.get(g)
            if j is not None:
                counts[j] = counts.get(j, 0) + 1
        indices.extend(counts)
        values.extend(counts.values())
        indptr.append(len(indices))
    X = sp.csr_matrix((np.asarray(values, dtype=vec.dtype), np.asarray(indices, dtype=np.int32),
                       np.asarray(indptr, dtype=np.int64)), shape=(len(texts), len(vocab)))
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
