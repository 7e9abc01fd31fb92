"""The one small interface every sentence classifier implements.

    clf = get_classifier("lexical", labels=AIMS_CRITERIA)
    clf.fit(texts, contexts, Y)              # Y: (n, n_labels) 0/1
    P = clf.predict_proba(texts, contexts)   # (n, n_labels) calibrated probabilities in [0, 1]
    clf.save(dir); clf = SentenceClassifier.load(dir)

`contexts` is a list of `corpus.Context` (document id, position, ±N words) or None. Models that use
neighbouring sentences find them through (doc_id, position) among the sentences passed together,
so score a whole document in one call. Training (`train.py`) sets per-label probability
calibration and decision thresholds from held-out folds; `predict` applies the thresholds.
"""

from __future__ import annotations

import json
import re
import unicodedata
from abc import ABC, abstractmethod
from collections.abc import Sequence
from pathlib import Path
from typing import Any, ClassVar

import numpy as np

from ..corpus import Context

META_FILE = "classifier.json"
_WS = re.compile(r"\s+")
_TRAILING = re.compile(r"[\s.;:!?,\u2026]+$")


class ModelError(ValueError):
    """A model directory cannot be loaded or a classifier is used wrongly."""


def prepare_text(text: str) -> str:
    """Normalise a sentence so models do not depend on extraction quirks.

    NFKC (ligatures, full-width forms), one space between words, and no trailing sentence
    punctuation: the AIMS training sentences have no final period while our segmenter keeps it.
    """
    text = unicodedata.normalize("NFKC", text).replace("\ufffe", "")
    text = _WS.sub(" ", text).strip()
    return _TRAILING.sub("", text)


def logit(p: np.ndarray, eps: float = 1e-6) -> np.ndarray:
    p = np.clip(p, eps, 1 - eps)
    return np.log(p) - np.log1p(-p)


def sigmoid(x: np.ndarray) -> np.ndarray:
    return 0.5 * (1.0 + np.tanh(0.5 * x))


def apply_platt(params: np.ndarray, raw: np.ndarray) -> np.ndarray:
    """Calibrated probabilities: per-label Platt parameters (n_labels, 2) of (slope, intercept), as
    `evaluate.fit_platt` returns them, applied to raw probabilities (n, n_labels)."""
    return sigmoid(logit(raw) * params[:, 0] + params[:, 1])


def default_contexts(n: int, contexts: Sequence[Context] | None) -> list[Context]:
    if contexts is None:
        return [Context() for _ in range(n)]
    if len(contexts) != n:
        raise ModelError(f"got {n} texts but {len(contexts)} contexts")
    return list(contexts)


def read_meta(directory: Path, name: str, what: str) -> dict:
    """The JSON description file of a saved model; ModelError when the folder has none."""
    path = directory / name
    if not path.is_file():
        raise ModelError(f"{directory}: not a {what} directory (no {name})")
    return json.loads(path.read_text(encoding="utf-8"))


class SentenceClassifier(ABC):
    """Multi-label sentence classifier. Subclasses implement `_fit`, `_raw_proba`, `_save`, `_load`."""

    name: ClassVar[str] = "base"
    version: str = "0"

    def __init__(self, labels: Sequence[str], **params: Any) -> None:
        self.labels: list[str] = list(labels)
        self.params: dict[str, Any] = dict(params)
        # Per-label Platt scaling on the logit of the raw probability, and decision thresholds;
        # both are fitted by train.py on out-of-fold predictions. Identity / 0.5 until then.
        self.calibration = np.tile(np.array([1.0, 0.0]), (len(self.labels), 1))
        self.thresholds = np.full(len(self.labels), 0.5)
        self.info: dict[str, Any] = {}

    # -- training / inference -----------------------------------------------------------------
    def fit(self, texts: Sequence[str], contexts: Sequence[Context] | None, Y: np.ndarray,
            progress: Any = None) -> SentenceClassifier:
        Y = np.asarray(Y)
        if Y.shape != (len(texts), len(self.labels)):
            raise ModelError(f"Y has shape {Y.shape}, expected ({len(texts)}, {len(self.labels)})")
        self._fit([prepare_text(t) for t in texts], default_contexts(len(texts), contexts),
                  Y.astype(np.float32), progress)
        return self

    def predict_raw(self, texts: Sequence[str], contexts: Sequence[Context] | None = None) -> np.ndarray:
        """Uncalibrated probabilities, (n, n_labels)."""
        if len(texts) == 0:
            return np.zeros((0, len(self.labels)))
        return np.asarray(
            self._raw_proba([prepare_text(t) for t in texts], default_contexts(len(texts), contexts)),
            dtype=np.float64,
        )

    def predict_proba(self, texts: Sequence[str], contexts: Sequence[Context] | None = None) -> np.ndarray:
        """Calibrated probabilities, (n, n_labels), columns in the order of `self.labels`."""
        return self.calibrate(self.predict_raw(texts, contexts))

    def calibrate(self, raw: np.ndarray) -> np.ndarray:
        return apply_platt(self.calibration, raw)

    def predict(self, texts: Sequence[str], contexts: Sequence[Context] | None = None) -> np.ndarray:
        """0/1 decisions after per-label thresholds."""
        return (self.predict_proba(texts, contexts) >= self.thresholds).astype(np.int8)

    # -- persistence ------------------------------------------------------------------------------
    def save(self, directory: str | Path) -> Path:
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        self._save(directory)
        meta = {
            "name": self.name,
            "version": self.version,
            "labels": self.labels,
            "params": self.params,
            "calibration": self.calibration.round(6).tolist(),
            "thresholds": self.thresholds.round(6).tolist(),
            "info": self.info,
        }
        (directory / META_FILE).write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
        return directory

    @classmethod
    def load(cls, directory: str | Path) -> SentenceClassifier:
        from . import get_classifier_class

        directory = Path(directory)
        meta = read_meta(directory, META_FILE, "model")
        klass = get_classifier_class(meta["name"])
        if cls is not SentenceClassifier and not issubclass(klass, cls):
            raise ModelError(f"{directory} holds a {meta['name']!r} model, not {cls.name!r}")
        obj = klass(meta["labels"], **meta.get("params", {}))
        obj.calibration = np.asarray(meta["calibration"], dtype=np.float64)
        obj.thresholds = np.asarray(meta["thresholds"], dtype=np.float64)
        obj.info = meta.get("info", {})
        obj._load(directory)
        return obj

    # -- to implement -----------------------------------------------------------------------------
    @abstractmethod
    def _fit(self, texts: list[str], contexts: list[Context], Y: np.ndarray, progress: Any) -> None: ...

    @abstractmethod
    def _raw_proba(self, texts: list[str], contexts: list[Context]) -> np.ndarray: ...

    @abstractmethod
    def _save(self, directory: Path) -> None: ...

    @abstractmethod
    def _load(self, directory: Path) -> None: ...
