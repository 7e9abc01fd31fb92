"""Sentence classifiers, swappable by name.

    clf = get_classifier("lexical", labels=[...], **params)   # a new, untrained model
    clf = load_classifier("models/criteria")                  # a trained one, by directory

Names: `lexical` (TF-IDF + logistic regression), `minilm_context` (fine-tuned MiniLM with a
document-context layer; needs the `neural` extra to train, only onnxruntime to predict),
`minilm_frozen` (frozen MiniLM sentence vectors + logistic regression per label; same needs),
`minilm_tuned` (fine-tuned MiniLM, one softmax: the single label of a sentence; same needs) and
`ensemble` (a weighted combination of trained members).
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

from .base import ModelError, SentenceClassifier, prepare_text

# name -> "module:Class"; imported lazily so the lexical model never pulls in torch.
_REGISTRY: dict[str, str] = {
    "lexical": "disclosure_nlp.classify.lexical:LexicalClassifier",
    "minilm_context": "disclosure_nlp.classify.neural:MiniLMContextClassifier",
    "minilm_frozen": "disclosure_nlp.classify.embedding:MiniLMEmbeddingClassifier",
    "minilm_tuned": "disclosure_nlp.classify.tuned:MiniLMTunedClassifier",
    "ensemble": "disclosure_nlp.classify.ensemble:EnsembleClassifier",
}


def available_classifiers() -> list[str]:
    return list(_REGISTRY)


def register_classifier(name: str, target: str | type[SentenceClassifier]) -> None:
    """Add a classifier under `name` ("package.module:Class" or the class itself)."""
    if isinstance(target, type):
        target = f"{target.__module__}:{target.__qualname__}"
    _REGISTRY[name] = target


def get_classifier_class(name: str) -> type[SentenceClassifier]:
    try:
        target = _REGISTRY[name]
    except KeyError:
        raise ModelError(
            f"unknown classifier {name!r} (available: {', '.join(_REGISTRY)})") from None
    module, _, attr = target.partition(":")
    return getattr(importlib.import_module(module), attr)


def get_classifier(name: str, labels, **params: Any) -> SentenceClassifier:
    return get_classifier_class(name)(labels, **params)


def load_classifier(directory: str | Path) -> SentenceClassifier:
    return SentenceClassifier.load(directory)


__all__ = [
    "ModelError",
    "SentenceClassifier",
    "available_classifiers",
    "get_classifier",
    "get_classifier_class",
    "load_classifier",
    "prepare_text",
    "register_classifier",
]
