"""Analyzer: extract -> segment -> classify -> score, with the models loaded once.

    analyzer = Analyzer()                              # shipped models from models/
    score = analyzer.analyze("statement.pdf")          # path, bytes or text -> DocumentScore
    score = analyzer.analyze(data, jurisdiction="uk", document_type="audit_report")

An Analyzer is reusable and thread-safe: models are read-only after loading, segmentation and the
PDF sandbox serialise themselves, and nothing else is shared between calls.
"""

from __future__ import annotations

import hashlib
import threading
from pathlib import Path
from typing import Any, Protocol

from . import __version__, read
from .classify.lexical import shared_analysis
from .corpus import Context
from .document import Document
from .entities import document_entities
from .limits import Limits
from .paths import default_models_dir
from .prediction import Prediction
from .schema import DocumentScore, ModelInfo
from .score import score_document
from .taxonomy import Taxonomy, load_taxonomy

CRITERIA_MODEL_DIRS = ("criteria", "criteria-lexical")  # first one present wins


class AnalyzerError(RuntimeError):
    """The Analyzer cannot be built (no models found, a model fails to load)."""


class Annotator(Protocol):
    """One classification stage: fills fields of each sentence's Prediction."""

    name: str
    version: str
    coverage_labels: list[str]

    def annotate(self, texts: list[str], contexts: list[Context], preds: list[Prediction]) -> None: ...


class CriteriaAnnotator:
    """A trained `SentenceClassifier` over coverage labels (probabilities and thresholded labels)."""

    def __init__(self, directory: Path):
        from .classify import load_classifier

        self.directory = directory
        self.model = load_classifier(directory)
        self.name = f"{directory.name}:{self.model.name}"
        self.version = str(self.model.version)
        self.coverage_labels = list(self.model.labels)
        self.context_words = int(self.model.info.get("context_words", self.model.params.get("context_words", 100)))

    def annotate(self, texts: list[str], contexts: list[Context], preds: list[Prediction]) -> None:
        if not texts:
            return
        probs = self.model.predict_proba(texts, contexts)
        thresholds = self.model.thresholds
        for row, pred, in zip(probs, preds):
            for j, label in enumerate(self.coverage_labels):
                p = float(row[j])
                pred.probabilities[label] = p
                if p >= thresholds[j]:
                    pred.labels.add(label)


def _hash_dir(directory: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(p for p in directory.rglob("*") if p.is_file()):
        digest.update(path.relative_to(directory).as_posix().encode())
        with open(path, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                digest.update(chunk)
    return digest.hexdigest()[:16]


class Analyzer:
    def __init__(
        self,
        models_dir: str | Path | None = None,
        *,
        annotators: list[Annotator] | None = None,
        taxonomy: Taxonomy | None = None,
        limits: Limits | None = None,
        extractor: str = "auto",
        ocr: str = "auto",
    ):
        self.taxonomy = taxonomy or load_taxonomy()
        self.limits = limits or Limits()
        self.extractor = extractor
        self.ocr = ocr
        self.models_dir = Path(models_dir) if models_dir else default_models_dir()
        self.annotators: list[Any] = annotators if annotators is not None else self._load_annotators()
        if not self.annotators:
            raise AnalyzerError(
                f"no models found in {self.models_dir} (expected one of {', '.join(CRITERIA_MODEL_DIRS)}); "
                "run `disclosure-nlp train --config configs/criteria.yaml` or set DISCLOSURE_NLP_MODELS"
            )
        labels: list[str] = []
        for a in self.annotators:
            labels += [l for l in a.coverage_labels if l not in labels]
        self.coverage_labels = labels
        dirs = [d for a in self.annotators for d in ([a.directory] if getattr(a, "directory", None) else getattr(a, "directories", []))]
        combined = hashlib.sha256("".join(_hash_dir(d) for d in dirs).encode()).hexdigest()[:16] if dirs else "none"
        self.model_info = ModelInfo(
            name="disclosure-nlp",
            version=__version__,
            sha=combined,
            components={a.name: a.version for a in self.annotators},
        )

    def _load_annotators(self) -> list[Any]:
        from .classify import ModelError

        annotators: list[Any] = []
        for name in CRITERIA_MODEL_DIRS:
            directory = self.models_dir / name
            if (directory / "classifier.json").is_file():
                try:
                    annotators.append(CriteriaAnnotator(directory))
                except (ModelError, OSError, ValueError) as exc:
                    raise AnalyzerError(f"cannot load the model in {directory}: {exc}") from exc
                break
        annotators.extend(_extra_annotators(self.models_dir))
        return annotators

    # -- stages ---------------------------------------------------------------------------------------
    def read(self, source, name: str | None = None) -> Document:
        return read(source, extractor=self.extractor, ocr=self.ocr, limits=self.limits, name=name)

    def predict(self, doc: Document) -> list[Prediction]:
        words = max((getattr(a, "context_words", 0) for a in self.annotators), default=0)
        texts = [s.text for s in doc.sentences]
        contexts = []
        for i in range(len(texts)):
            left, right = doc.context(i, words) if words else ("", "")
            contexts.append(Context(doc_id=doc.id, position=i, left=left, right=right))
        preds = [Prediction(probabilities={}, labels=set()) for _ in texts]
        with shared_analysis():  # the lexical models cut each sentence into n-grams once
            for annotator in self.annotators:
                annotator.annotate(texts, contexts, preds)
        return preds

    def analyze_document(
        self, doc: Document, jurisdiction: str | None = None, document_type: str = "auto"
    ) -> DocumentScore:
        preds = self.predict(doc)
        return score_document(
            doc, preds, self.taxonomy, document_entities(doc), self.model_info,
            coverage_labels=self.coverage_labels, jurisdiction=jurisdiction, document_type=document_type,
        )

    def analyze(
        self, source, jurisdiction: str | None = None, document_type: str = "auto", name: str | None = None
    ) -> DocumentScore:
        """Analyse a path, bytes or text. Raises DocumentError subclasses for unreadable input."""
        return self.analyze_document(self.read(source, name=name), jurisdiction, document_type)


class FlagAnnotator:
    """Red flags, evidence status and the finer due-diligence labels (classify/red_flags.py)."""

    FLAG_DIRS = ("red_flags", "evidence_status", "due_diligence")

    def __init__(self, models_dir: Path):
        from .classify.red_flags import SentenceFlagger

        self.flagger = SentenceFlagger.load(models_dir)
        self.directories = [models_dir / name for name in self.FLAG_DIRS]
        self.name = "red_flags+evidence_status+due_diligence"
        self.version = "+".join(
            str(getattr(m, "version", "0"))
            for m in (self.flagger.red_flags.topic, self.flagger.evidence, self.flagger.due_diligence)
        )
        self.coverage_labels = list(self.flagger.due_diligence.labels)

    def annotate(self, texts: list[str], contexts: list[Context], preds: list[Prediction]) -> None:
        for flags, pred in zip(self.flagger.predict_sentences(texts, contexts), preds):
            pred.probabilities.update(flags.coverage)
            pred.labels |= flags.labels
            pred.evidence_status = flags.evidence_status
            pred.status_probabilities = flags.evidence_probabilities
            pred.red_flags = dict(flags.red_flags)


def _extra_annotators(models_dir: Path) -> list[Any]:
    """Red-flag, evidence-status and due-diligence stages, where their models are shipped."""
    if not all((models_dir / name).is_dir() for name in FlagAnnotator.FLAG_DIRS):
        return []
    from .classify import ModelError

    try:
        return [FlagAnnotator(models_dir)]
    except (ModelError, OSError, ValueError) as exc:
        raise AnalyzerError(f"cannot load the red-flag models in {models_dir}: {exc}") from exc


_shared: Analyzer | None = None
_shared_lock = threading.Lock()


def shared_analyzer() -> Analyzer:
    """One Analyzer per process (the CLI, batch workers and the API use it)."""
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = Analyzer()
        return _shared
