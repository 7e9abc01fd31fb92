"""Weighted combination of classifiers: lexical evidence and neural evidence together.

Members are any registered classifiers; the ensemble's raw score per label is
sigmoid(sum_m w_m * logit(p_m)), so a confident member can outvote an unsure one. Calibration and
thresholds are then fitted on the combined score like for any other classifier.

The weights are fixed in the config, or, with `choose_weights: true` and `calibration: holdout`,
chosen by the training run on the held-out fold (`train.choose_member_weights`): the weights in the
config are then only where the search starts, and the chosen ones are saved with the model.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from .base import ModelError, SentenceClassifier, default_contexts, logit, prepare_text, sigmoid


class EnsembleClassifier(SentenceClassifier):
    name = "ensemble"
    version = "1"

    def __init__(self, labels, members: list[dict] | None = None, seed: int = 0,
                 choose_weights: bool = False, **params: Any) -> None:
        members = members or [{"name": "lexical", "weight": 0.5},
                              {"name": "minilm_context", "weight": 0.5}]
        for m in members:
            if "name" not in m:
                raise ModelError("each ensemble member needs a 'name'")
            if m["name"] == self.name:
                raise ModelError("an ensemble cannot contain an ensemble")
        super().__init__(labels, members=members, seed=seed, choose_weights=bool(choose_weights), **params)
        self._models: list[SentenceClassifier] = []

    @property
    def weights(self) -> np.ndarray:
        w = np.array([float(m.get("weight", 1.0)) for m in self.params["members"]])
        return w / w.sum()

    def _fit(self, texts, contexts, Y, progress) -> None:
        from . import get_classifier

        self._models = []
        for k, m in enumerate(self.params["members"]):
            clf = get_classifier(m["name"], self.labels,
                                 **{"seed": self.params["seed"], **(m.get("params") or {})})
            sub = (lambda d, t, w, _n=m["name"]: progress(d, t, f"{_n}: {w}")) if progress else None
            clf._fit(texts, contexts, Y, sub)
            self._models.append(clf)

    def set_weights(self, weights) -> None:
        if len(weights) != len(self.params["members"]) or min(weights) < 0 or sum(weights) <= 0:
            raise ModelError(f"ensemble weights must be {len(self.params['members'])} non-negative numbers, "
                             f"not all zero; got {list(weights)}")
        self.params["members"] = [{**m, "weight": round(float(w), 4)}
                                  for m, w in zip(self.params["members"], weights)]

    @staticmethod
    def combine(weights, member_raw: list[np.ndarray]) -> np.ndarray:
        w = np.asarray(weights, dtype=np.float64)
        w = w / w.sum()
        return sigmoid(sum(wi * logit(p) for wi, p in zip(w, member_raw) if wi > 0))

    def predict_members(self, texts, contexts=None) -> list[np.ndarray]:
        """Each member's uncalibrated probabilities (what `predict_raw` combines)."""
        return self.member_raw([prepare_text(t) for t in texts], default_contexts(len(texts), contexts))

    def member_raw(self, texts, contexts) -> list[np.ndarray]:
        return [np.asarray(m._raw_proba(texts, contexts), dtype=np.float64) for m in self._models]

    def _raw_proba(self, texts, contexts) -> np.ndarray:
        w = self.weights
        # a member with weight 0 is not run (chosen weights can switch one off)
        raw = [np.asarray(m._raw_proba(texts, contexts), dtype=np.float64) if wk > 0 else None
               for m, wk in zip(self._models, w)]
        return self.combine(w, raw)

    def _save(self, directory: Path) -> None:
        for k, m in enumerate(self._models):
            m.save(directory / f"member_{k}_{m.name}")

    def _load(self, directory: Path) -> None:
        self._models = []
        for k, m in enumerate(self.params["members"]):
            sub = directory / f"member_{k}_{m['name']}"
            if not sub.is_dir():
                raise ModelError(f"{directory}: missing ensemble member {sub.name}")
            self._models.append(SentenceClassifier.load(sub))
