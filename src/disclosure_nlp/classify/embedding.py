"""Frozen MiniLM sentence vectors + one logistic regression per label (`minilm_frozen`).

Why it exists: a lexical model knows the words it has seen; "a guard dragging a worker across the
floor by his collar" shares no n-gram with the violence findings it learned from, but its sentence
vector lies near theirs. Frozen (not fine-tuned) vectors generalise to unseen wording better than
fine-tuned ones on our written corpus, which fine-tuning learns by heart. Inference needs no torch:
the encoder is exported to ONNX (int8) like the fine-tuned model's, and the heads run in NumPy.
Training embeds the texts with that same exported encoder, so the heads see exactly the vectors
they will get at inference.
"""

from __future__ import annotations

import hashlib
from typing import Any

import numpy as np

from .base import ModelError, SentenceClassifier, sigmoid
from .encoder import EncoderHeadMixin, OnnxEncoder, load_minilm

HEAD_FILE = "heads.npz"

# One export per encoder recipe per process, and the vectors it gave: training fits a model on
# train and then on train + dev with the same frozen encoder, so the second fit embeds only dev.
_EXPORTS: dict[tuple, OnnxEncoder] = {}
_VECTORS: dict[tuple[str, str], np.ndarray] = {}


def _frozen_encoder(num_layers: int, quantize: bool, max_length: int, threads: int,
                    batch_size: int) -> OnnxEncoder:
    key = (num_layers, quantize, max_length)
    if key not in _EXPORTS:
        enc, tok = load_minilm(num_layers)
        _EXPORTS.clear()
        _VECTORS.clear()
        _EXPORTS[key] = OnnxEncoder.export(enc, tok, quantize, max_length, threads, batch_size)
    return _EXPORTS[key]


def _unit(E: np.ndarray) -> np.ndarray:
    return E / np.maximum(np.linalg.norm(E, axis=1, keepdims=True), 1e-9)


class MiniLMEmbeddingClassifier(EncoderHeadMixin, SentenceClassifier):
    name = "minilm_frozen"
    HEAD_FILE = HEAD_FILE
    version = "1"

    def __init__(self, labels, num_layers: int = 6, max_length: int = 128, C: float = 4.0,
                 class_weight: str | None = "balanced", quantize: bool = True, batch_size: int = 64,
                 threads: int = 2, seed: int = 0, **params: Any) -> None:
        super().__init__(labels, num_layers=num_layers, max_length=max_length, C=C,
                         class_weight=class_weight, quantize=quantize, batch_size=batch_size,
                         threads=threads, seed=seed, **params)
        self._encoder: OnnxEncoder | None = None
        self._head: dict[str, np.ndarray] | None = None  # W (n_labels, dim), b (n_labels,)

    def embed(self, texts: list[str]) -> np.ndarray:
        """Unit-length sentence vectors (n, 384)."""
        if self._encoder is None:
            raise ModelError("minilm_frozen model is not trained or loaded")
        return _unit(self._encoder.embed(texts))

    def _fit(self, texts, contexts, Y, progress) -> None:
        from sklearn.linear_model import LogisticRegression

        p = self.params
        shared = _frozen_encoder(int(p["num_layers"]), bool(p["quantize"]), int(p["max_length"]),
                                 int(p["threads"]), int(p["batch_size"]))
        self._encoder = OnnxEncoder(shared.onnx_bytes, shared.tokenizer_json, shared.max_length,
                                    shared.threads, int(p["batch_size"]), shared.fp32_bytes)
        # int8 vectors depend on the inference batch (activations are quantised per batch)
        tag = f"{hashlib.sha1(self._encoder.onnx_bytes).hexdigest()}:{self._encoder.batch_size}"
        todo = [t for t in dict.fromkeys(texts) if (tag, t) not in _VECTORS]
        for b in range(0, len(todo), 512):
            part = todo[b:b + 512]
            for t, v in zip(part, self.embed(part)):
                _VECTORS[(tag, t)] = v
            if progress:
                progress(min(b + 512, len(todo)), len(todo), "embedding (frozen encoder)")
        E = np.stack([_VECTORS[(tag, t)] for t in texts]) if texts else np.zeros((0, 384), np.float32)
        L = len(self.labels)
        W, b = np.zeros((L, E.shape[1]), dtype=np.float32), np.zeros(L, dtype=np.float32)
        for j in range(L):
            y = Y[:, j] > 0.5
            if y.all() or not y.any():  # one class only: a constant, the training prior
                prior = min(max(float(y.mean()) if len(y) else 0.0, 1e-4), 1 - 1e-4)
                b[j] = np.log(prior / (1 - prior))
                continue
            lr = LogisticRegression(C=float(p["C"]), class_weight=p["class_weight"], max_iter=2000,
                                    random_state=int(p["seed"]))
            lr.fit(E, y)
            W[j], b[j] = lr.coef_[0], lr.intercept_[0]
        self._head = {"W": W, "b": b}

    def _raw_proba(self, texts, contexts) -> np.ndarray:
        return sigmoid(self.embed(texts) @ self._head["W"].T + self._head["b"])

