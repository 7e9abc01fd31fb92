"""Fine-tuned MiniLM with one softmax over the labels (`minilm_tuned`): which ONE label a sentence has.

Made for the indicator of a red-flag sentence: a finding, prohibition or none-found statement is
about one indicator, and the question is which. A softmax makes the indicators compete (a one-vs-rest
model can leave all of them below threshold on wording it has not seen), and fine-tuning the whole
encoder on these sentences names the indicator of findings written in new words far better than
frozen vectors or n-grams do (top-1 on the findings of the dev documents, whose templates training
never sees: 0.88-0.89 against 0.80 for the lexical topic model and 0.69 for frozen vectors).

It trains on the rows of `Y` with exactly one positive label (others are skipped), a few epochs with
label smoothing, so it learns the practice a sentence describes rather than its template. With
`none_class: true` the rows with no label train one extra class, "none of these", so the model can
say a sentence has no label at all (what a criteria member needs: most sentences of a statement
address no criterion); the probabilities returned are those of the real labels only. Inference
needs no torch: the encoder is exported to ONNX (int8) and the head runs in NumPy.
"""

from __future__ import annotations

import os
import random
from typing import Any

import numpy as np

from .base import ModelError, SentenceClassifier
from .encoder import EncoderHeadMixin, OnnxEncoder, load_minilm, mean_pooled


class MiniLMTunedClassifier(EncoderHeadMixin, SentenceClassifier):
    name = "minilm_tuned"
    HEAD_FILE = "head.npz"
    version = "1"

    def __init__(self, labels, num_layers: int = 6, max_length: int = 96, epochs: int = 2,
                 lr: float = 5e-5, head_lr: float = 1e-3, train_batch_size: int = 32,
                 label_smoothing: float = 0.1, quantize: bool = True, threads: int = 2,
                 batch_size: int = 64, none_class: bool = False, seed: int = 0, **params: Any) -> None:
        # `batch_size` is the inference batch: int8 activations are quantised per batch, so the
        # model scores with the same batching after training and after loading
        super().__init__(labels, num_layers=num_layers, max_length=max_length, epochs=epochs, lr=lr,
                         head_lr=head_lr, train_batch_size=train_batch_size, label_smoothing=label_smoothing,
                         quantize=quantize, threads=threads, batch_size=batch_size, none_class=bool(none_class),
                         seed=seed, **params)
        self._encoder: OnnxEncoder | None = None
        # W (n_classes, dim), b (n_classes,): n_classes = n_labels, plus 1 with none_class
        self._head: dict[str, np.ndarray] | None = None

    def _fit(self, texts, contexts, Y, progress) -> None:
        try:
            import torch
        except ImportError:
            raise ModelError("minilm_tuned needs the `neural` extra (torch)") from None
        p = self.params
        n_pos = (Y > 0.5).sum(1)
        rows = np.flatnonzero(n_pos == 1)
        if not len(rows):
            raise ModelError("minilm_tuned needs sentences with exactly one label to learn from")
        data = [(texts[i], int(np.argmax(Y[i]))) for i in rows]
        n_classes = len(self.labels)
        if p["none_class"]:
            data += [(texts[i], n_classes) for i in np.flatnonzero(n_pos == 0)]
            n_classes += 1
        seed = int(p["seed"])
        torch.manual_seed(seed)
        rng = random.Random(seed)
        torch.set_num_threads(int(os.environ.get("DISCLOSURE_NLP_THREADS", p["threads"])))
        enc, tok = load_minilm(int(p["num_layers"]))
        head = torch.nn.Linear(enc.config.hidden_size, n_classes)
        opt = torch.optim.AdamW([{"params": enc.parameters(), "lr": float(p["lr"])},
                                 {"params": head.parameters(), "lr": float(p["head_lr"])}], weight_decay=0.01)
        bs, epochs = int(p["train_batch_size"]), int(p["epochs"])
        steps, done = epochs * ((len(data) + bs - 1) // bs), 0
        pooled = mean_pooled(enc).train()
        for _ in range(epochs):
            rng.shuffle(data)
            for b in range(0, len(data), bs):
                batch = data[b:b + bs]
                t = tok([x for x, _ in batch], padding=True, truncation=True, max_length=int(p["max_length"]),
                        return_tensors="pt")
                logits = head(pooled(t["input_ids"], t["attention_mask"]))
                loss = torch.nn.functional.cross_entropy(logits, torch.tensor([y for _, y in batch]),
                                                         label_smoothing=float(p["label_smoothing"]))
                opt.zero_grad()
                loss.backward()
                opt.step()
                done += 1
                if progress:
                    progress(done, steps, f"fine-tuning (loss {loss.item():.3f})")
        self._encoder = OnnxEncoder.export(enc, tok, bool(p["quantize"]), int(p["max_length"]),
                                           int(p["threads"]), int(p["batch_size"]))
        self._head = {"W": head.weight.detach().numpy().astype(np.float32),
                      "b": head.bias.detach().numpy().astype(np.float32)}

    def _raw_proba(self, texts, contexts) -> np.ndarray:
        if self._encoder is None or not self._head:
            raise ModelError("minilm_tuned model is not trained or loaded")
        z = self._encoder.embed(list(texts)) @ self._head["W"].T + self._head["b"]
        z = np.exp(z - z.max(axis=1, keepdims=True))
        return (z / z.sum(axis=1, keepdims=True))[:, :len(self.labels)]
