"""What the routes stand on: the model holder, the analysis runner (sync and as jobs), metrics, rate limits.

Routes stay thin: they validate, authorise and call `AnalysisService`; the service calls the
library's `Analyzer` and `disclosure_nlp.store`.
"""

from __future__ import annotations

import asyncio
import copy
import hashlib
import logging
import threading
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

from disclosure_nlp.errors import DocumentError
from disclosure_nlp.extract.formats import sniff
from disclosure_nlp.limits import Limits
from disclosure_nlp.pipeline import Analyzer, AnalyzerError
from disclosure_nlp.schema import DocumentScore
from disclosure_nlp.store import Analysis, Principal, Store

from .settings import Settings

log = logging.getLogger("disclosure_nlp.api")

# One Analyzer per models folder per process: loading takes seconds and models are read-only.
# Apps with other input limits get a shallow copy sharing the loaded models.
_analyzers: dict[str | None, Analyzer] = {}
_analyzers_lock = threading.Lock()


def cached_analyzer(models_dir: Path | None, limits: Limits) -> Analyzer:
    key = str(models_dir) if models_dir else None
    with _analyzers_lock:
        if key not in _analyzers:
            _analyzers[key] = Analyzer(models_dir, limits=limits)
        analyzer = _analyzers[key]
    if analyzer.limits != limits:
        analyzer = copy.copy(analyzer)
        analyzer.limits = limits
    return analyzer


class ModelHolder:
    """Loads the Analyzer once (in the background at start-up), so /healthz answers at once."""

    def __init__(self, settings: Settings, analyzer: Analyzer | None = None):
        self._settings = settings
        self._analyzer = analyzer
        self._error: Exception | None = None
        self._done = threading.Event()
        self._lock = threading.Lock()
        if analyzer is not None:
            self._done.set()

    def start(self) -> None:
        if not self._done.is_set():
            threading.Thread(target=self._load, name="model-loader", daemon=True).start()

    def _load(self) -> None:
        with self._lock:
            if self._done.is_set():
                return
            try:
                self._analyzer = cached_analyzer(self._settings.models_dir, self._settings.limits())
            except Exception as exc:  # noqa: BLE001 - reported by /readyz and every analysis
                log.error("cannot load the models: %s", exc)
                self._error = exc
            finally:
                self._done.set()

    @property
    def ready(self) -> bool:
        return self._done.is_set() and self._analyzer is not None

    @property
    def error(self) -> str | None:
        return str(self._error) if self._error else None

    def get(self) -> Analyzer:
        if not self._done.is_set():
            self._load()  # blocks until the loader thread (or this call) has finished
        if self._analyzer is None:
            raise AnalyzerError(str(self._error or "the models failed to load"))
        return self._analyzer


class Metrics:
    """Prometheus metrics, in a registry of this app (several apps can live in one test process)."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter("dnlp_http_requests", "HTTP requests", ["method", "route", "status"],
                                registry=self.registry)
        self.latency = Histogram("dnlp_http_request_duration_seconds", "HTTP request latency", ["method", "route"],
                                 buckets=(.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30, 60),
                                 registry=self.registry)
        self.analyses = Counter("dnlp_analyses", "Analyses finished", ["outcome"], registry=self.registry)
        self.analysis_seconds = Histogram("dnlp_analysis_duration_seconds", "Time in the Analyzer per document",
                                          buckets=(.1, .25, .5, 1, 2, 5, 10, 30, 60, 120, 300),
                                          registry=self.registry)
        self.jobs_waiting = Gauge("dnlp_jobs_waiting", "Analysis jobs queued or running", registry=self.registry)
        self.model_ready = Gauge("dnlp_model_ready", "1 when the models are loaded", registry=self.registry)


class RateLimiter:
    """Fixed one-minute windows per key; enough to stop a runaway client, cheap, in memory."""

    def __init__(self, per_minute: int):
        self.per_minute = per_minute
        self._counts: dict[Any, tuple[int, int]] = defaultdict(lambda: (0, 0))
        self._lock = threading.Lock()

    def hit(self, key: Any) -> int | None:
        """None when allowed; otherwise the seconds until the window resets."""
        if self.per_minute <= 0:
            return None
        now = time.time()
        window = int(now // 60)
        with self._lock:
            w, n = self._counts[key]
            if w != window:
                w, n = window, 0
            n += 1
            self._counts[key] = (w, n)
            if len(self._counts) > 10000:  # forget old windows
                for k in [k for k, (wk, _) in self._counts.items() if wk != window]:
                    del self._counts[k]
        if n > self.per_minute:
            return max(1, int(60 - now % 60))
        return None


def load_score(store: Store, analysis: Analysis) -> DocumentScore | None:
    if analysis.result_id is None:
        return None
    raw = store.result_json(analysis.result_id)
    if raw is None:
        return None
    score = DocumentScore.model_validate_json(raw)
    if analysis.name:
        score.document.name = analysis.name  # results are shared between uploads; the name is per upload
    return score


class AnalysisService:
    def __init__(self, store: Store, models: ModelHolder, settings: Settings, metrics: Metrics):
        self.store, self.models, self.settings, self.metrics = store, models, settings, metrics
        self.executor = ThreadPoolExecutor(max_workers=settings.analysis_workers, thread_name_prefix="analysis")
        self._waiting = 0
        self._waiting_lock = threading.Lock()

    # -- helpers ------------------------------------------------------------------------------
    def _analyze(self, source: bytes, jurisdiction: str | None, document_type: str, name: str | None) -> DocumentScore:
        analyzer = self.models.get()
        t0 = time.perf_counter()
        try:
            score = analyzer.analyze(source, jurisdiction=jurisdiction, document_type=document_type, name=name)
        except DocumentError:
            self.metrics.analyses.labels("rejected").inc()
            raise
        self.metrics.analysis_seconds.observe(time.perf_counter() - t0)
        self.metrics.analyses.labels("analysed").inc()
        return score

    def sniff(self, data: bytes) -> str:
        """The type by content (pdf | docx | html | txt); raises UnsupportedFormat / EmptyDocument."""
        return sniff(data)

    def _track(self, delta: int) -> None:
        with self._waiting_lock:
            self._waiting += delta
            self.metrics.jobs_waiting.set(self._waiting)

    # -- synchronous analysis -----------------------------------------------------------------
    async def analyze_now(self, data: bytes, *, kind: str, owner: Principal, name: str | None,
                          jurisdiction: str | None, document_type: str, supplier_name: str | None = None,
                          supplier_id: str | None = None) -> Analysis:
        """Analyse (or reuse an earlier result) and store; raises DocumentError for unreadable input."""
        reused = self._try_reuse(data, kind=kind, owner=owner, name=name, jurisdiction=jurisdiction,
                                 document_type=document_type, supplier_name=supplier_name, supplier_id=supplier_id)
        if reused is not None:
            return reused
        self._track(+1)
        try:
            future = self.executor.submit(self._analyze, data, jurisdiction, document_type, name)
            score = await asyncio.wrap_future(future)
        finally:
            self._track(-1)
        with self.store.session() as s:
            sha = self.store.put_document(s, data, kind, name)
            result = self.store.put_result(s, sha, score, jurisdiction, document_type)
            row = self.store.new_analysis(s, sha256=sha, owner=owner, name=name, jurisdiction=jurisdiction,
                                          document_type=document_type, supplier_name=supplier_name,
                                          supplier_id=supplier_id, status="running")
            self.store.attach_result(row, result, score, reused=False)
        return row

    def _try_reuse(self, data: bytes, *, kind: str, owner: Principal, name: str | None, jurisdiction: str | None,
                   document_type: str, supplier_name: str | None, supplier_id: str | None) -> Analysis | None:
        """A new analysis row over an earlier result for the same bytes, model and options, if any."""
        if not self.models.ready:
            return None
        model_sha = self.models.get().model_info.sha
        sha = hashlib.sha256(data).hexdigest()
        with self.store.session() as s:
            result = self.store.find_result(s, sha, model_sha, jurisdiction, document_type)
            if result is None:
                return None
            score = DocumentScore.model_validate_json(result.result_json)
            self.store.put_document(s, data, kind, name)
            row = self.store.new_analysis(s, sha256=sha, owner=owner, name=name, jurisdiction=jurisdiction,
                                          document_type=document_type, supplier_name=supplier_name,
                                          supplier_id=supplier_id, status="running")
            self.store.attach_result(row, result, score, reused=True)
        self.metrics.analyses.labels("reused").inc()
        return row

    # -- jobs ---------------------------------------------------------------------------------
    def enqueue(self, data: bytes, *, kind: str, owner: Principal, name: str | None, jurisdiction: str | None,
                document_type: str, supplier_name: str | None = None, supplier_id: str | None = None) -> Analysis:
        """Store the document and a queued analysis (one transaction), then run it in the background.

        Returns a finished analysis at once when an earlier result can be reused.
        """
        reused = self._try_reuse(data, kind=kind, owner=owner, name=name, jurisdiction=jurisdiction,
                                 document_type=document_type, supplier_name=supplier_name, supplier_id=supplier_id)
        if reused is not None:
            return reused
        with self.store.session() as s:
            sha = self.store.put_document(s, data, kind, name)
            row = self.store.new_analysis(s, sha256=sha, owner=owner, name=name, jurisdiction=jurisdiction,
                                          document_type=document_type, supplier_name=supplier_name,
                                          supplier_id=supplier_id, status="queued")
        self.submit(row.id)
        return row

    def submit(self, analysis_id: str) -> None:
        self._track(+1)
        self.executor.submit(self._run_job, analysis_id)

    def _run_job(self, analysis_id: str) -> None:
        try:
            if not self.store.mark_running(analysis_id):
                return  # deleted, or finished by an earlier run
            row = self.store.get_analysis(analysis_id)
            data = self.store.document_content(row.document_sha256) if row else None
            if row is None or data is None:
                return
            try:
                score = self._analyze(data, row.jurisdiction, row.document_type, row.name)
            except DocumentError as exc:
                self.store.mark_failed(analysis_id, exc.code, str(exc))
                return
            except AnalyzerError as exc:
                self.store.mark_failed(analysis_id, "model_unavailable", str(exc))
                return
            with self.store.session() as s:
                current = s.get(Analysis, analysis_id)
                if current is None:
                    return  # deleted while it ran
                result = self.store.put_result(s, current.document_sha256, score, current.jurisdiction,
                                               current.document_type)
                self.store.attach_result(current, result, score, reused=False)
        except Exception:  # noqa: BLE001 - a job must end in a state the client can see
            log.exception("analysis job %s failed", analysis_id)
            try:
                self.store.mark_failed(analysis_id, "internal_error", "the analysis failed unexpectedly; it has been logged")
            except Exception:  # noqa: BLE001
                log.exception("cannot record the failure of job %s", analysis_id)
        finally:
            self._track(-1)

    def resume_pending(self) -> int:
        """Re-run jobs a previous process left queued or running (nothing is lost on restart)."""
        ids = self.store.pending_analyses()
        for analysis_id in ids:
            self.submit(analysis_id)
        return len(ids)

    def shutdown(self) -> None:
        # Jobs not started stay `queued` in the database and resume at the next start.
        self.executor.shutdown(wait=False, cancel_futures=True)
