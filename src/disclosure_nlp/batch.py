"""Registry runs: score a folder, a zip or a CSV manifest of statements, resumably, in parallel.

    summary = run_batch("registry/", "results.parquet", workers=2)            # local processes
    summary = run_batch("manifest.csv", "results.parquet", scheduler="tcp://host:8786")  # Dask

What lands next to RESULTS (say `results.parquet`):

    results.parquet          one row per input document: identifiers, metadata, per-criterion
                             coverage and confidence, verdicts, red-flag counts, risk, model, status
    results.scores.jsonl     the full DocumentScore of every document analysed (one JSON per line)
    results.journal.jsonl    the append-only run journal: one record per analysis, flushed as it ends
    results.lock             held while a run writes (a second run on the same RESULTS is refused)

Nothing is lost on a kill: each analysis is written to the scores file and then to the journal (fsync'd)
as soon as it finishes; the table is (re)built from the journal at the end. A resumed run skips every
document whose analysis key — content sha256, plus the jurisdiction / document type when they were
given — is in the journal; failed ones are retried only when asked (`retry_failed`). Identical files
are analysed once and give one row each (a group statement filed by several organisations keeps every
organisation's metadata).

Isolation: locally each worker is a process of its own with the models loaded once. The coordinator
gives a worker one document at a time, so when a worker dies (segfault, OOM kill), runs past the
per-document time limit or past the memory limit, exactly that document is recorded as failed, the
worker is replaced and the run goes on. PDF parsing is bounded again inside each worker by the sandbox.
On Dask, a document whose worker dies is retried by the scheduler and recorded as failed once Dask
gives up on it (KilledWorker); a hang is bounded only by the sandbox's parse limits there.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import signal
import sys
import time
import traceback
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from .document import Document

# Kept light on purpose: worker processes set thread limits before numpy / the models are imported.

DOCUMENT_SUFFIXES = (".pdf", ".docx", ".txt", ".html", ".htm")
RESULT_FORMATS = ("parquet", "csv")
DEFAULT_TIMEOUT_S = 900.0  # per document, the whole analysis (OCR of a long scan included)
STARTUP_TIMEOUT_S = 600.0  # a worker loading its models
DASK_CONNECT_TIMEOUT_S = 10.0
RED_FLAG_IDS = (
    "abuse_of_vulnerability", "deception", "restriction_of_movement", "isolation",
    "physical_and_sexual_violence", "intimidation_and_threats", "retention_of_identity_documents",
    "withholding_of_wages", "debt_bondage", "abusive_working_and_living_conditions", "excessive_overtime",
    "child_labour",
)


class BatchError(Exception):
    """The run cannot start or continue (bad input path, bad manifest, no models, unreachable cluster).

    `str(error)` is one line for the user; the CLI exits with code 2.
    """


# --- manifest metadata -------------------------------------------------------------------------------

def _norm(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


# Canonical metadata column -> accepted manifest headers (compared lower-case, punctuation removed).
# The UK Home Office registry's statement-summary export uses StatementID, OrganisationName,
# CompaniesHouseNumber, SectorDescription/Sectors, Turnover, StatementURL, StatementStartDate/EndDate;
# AU and CA registry exports and hand-made manifests use the shorter names.
METADATA_COLUMNS: dict[str, tuple[str, ...]] = {
    "statement_id": ("statementid", "statement", "id", "submissionid", "recordid"),
    "organisation_name": (
        "organisationname", "organizationname", "organisation", "organization", "companyname", "company",
        "entityname", "reportingentity", "reportingentities", "entity", "name",
    ),
    "organisation_id": (
        "companieshousenumber", "companynumber", "companiesnumber", "crn", "abn", "acn", "businessnumber",
        "organisationid", "organizationid", "entityid", "identifier",
    ),
    "year": ("year", "statementyear", "reportingyear", "financialyear", "yearcovered", "reportingperiodyear"),
    "period_start": ("statementstartdate", "startdate", "reportingperiodstart", "periodstart"),
    "period_end": ("statementenddate", "enddate", "reportingperiodend", "periodend"),
    "sector": ("sectordescription", "sectors", "sector", "industry", "industrysector", "industries"),
    "turnover_band": ("turnover", "turnoverband", "annualturnover", "revenue", "revenueband", "annualrevenue"),
    "statement_url": ("statementurl", "url", "link", "statementlink"),
    "jurisdiction": ("jurisdiction", "act", "regime"),
}
PATH_COLUMNS = (
    "path", "localpath", "filepath", "file", "filename", "localfile", "document", "documentpath", "pdf",
    "pdfpath", "statementfile", "statementpath",
)


def _year_of(value: str | None) -> int | None:
    if not value:
        return None
    m = re.search(r"\b(19[5-9]\d|20\d\d)\b", str(value))
    return int(m.group(1)) if m else None


# --- inputs ------------------------------------------------------------------------------------------

@dataclass
class Item:
    """One input document: where its bytes are, and what the manifest says about it."""

    source: str                    # relative path, zip member, or the manifest's path value
    name: str                      # file name passed to the Analyzer
    path: Path | None = None       # a file on disk ...
    zip_path: Path | None = None   # ... or a member of a zip
    member: str | None = None
    metadata: dict[str, Any] = field(default_factory=dict)
    jurisdiction: str | None = None
    error: tuple[str, str] | None = None   # (code, message) when the input itself is unusable
    sha256: str | None = None
    size: int | None = None

    def stat_size(self) -> int:
        if self.path is not None:
            return self.path.stat().st_size
        with zipfile.ZipFile(self.zip_path) as zf:
            return zf.getinfo(self.member).file_size

    def read_bytes(self) -> bytes:
        if self.path is not None:
            return self.path.read_bytes()
        with zipfile.ZipFile(self.zip_path) as zf:
            return zf.read(self.member)


def _is_document(name: str) -> bool:
    base = name.rsplit("/", 1)[-1]
    return not base.startswith(".") and base.lower().endswith(DOCUMENT_SUFFIXES)


def discover(source: str | Path) -> tuple[list[Item], int]:
    """The documents of a folder, zip or CSV manifest, and how many other files were ignored."""
    src = Path(source)
    if not src.exists():
        raise BatchError(f"{src}: no such file or folder")
    if src.is_dir():
        files = sorted(p for p in src.rglob("*") if p.is_file() and "__MACOSX" not in p.parts)
        docs = [p for p in files if _is_document(p.relative_to(src).as_posix())]
        items = [Item(source=p.relative_to(src).as_posix(), name=p.name, path=p) for p in docs]
        return items, len(files) - len(docs)
    suffix = src.suffix.lower()
    if suffix == ".zip" or (suffix not in (".csv", ".tsv") and zipfile.is_zipfile(src)):
        try:
            with zipfile.ZipFile(src) as zf:
                names = [i.filename for i in zf.infolist() if not i.is_dir() and "__MACOSX" not in i.filename]
        except (zipfile.BadZipFile, OSError) as exc:
            raise BatchError(f"{src.name}: not a readable zip file ({exc})")
        docs = sorted(n for n in names if _is_document(n))
        items = [Item(source=n, name=n.rsplit("/", 1)[-1], zip_path=src, member=n) for n in docs]
        return items, len(names) - len(docs)
    if suffix in (".csv", ".tsv"):
        return read_manifest(src), 0
    raise BatchError(f"{src.name}: INPUT must be a folder, a .zip or a .csv manifest")


def read_manifest(path: Path) -> list[Item]:
    """Items of a CSV manifest: a column of local file paths (relative to the CSV) plus metadata."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise BatchError(f"{path}: {exc.strerror or exc}")
    text = raw.decode("utf-8-sig", errors="replace")
    try:
        dialect = csv.Sniffer().sniff(text[:8192], delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel_tab if path.suffix.lower() == ".tsv" else csv.excel
    reader = csv.DictReader(io.StringIO(text), dialect=dialect)
    headers = [h for h in (reader.fieldnames or []) if h is not None]
    if not headers:
        raise BatchError(f"{path.name}: the manifest is empty")
    by_norm = {}
    for h in headers:
        by_norm.setdefault(_norm(h), h)
    path_col = next((by_norm[a] for a in PATH_COLUMNS if a in by_norm), None)
    if path_col is None:
        raise BatchError(
            f"{path.name}: no column of local file paths (expected one of: path, file, filename, local_path; "
            f"found: {', '.join(headers[:12])})"
        )
    mapping: dict[str, str] = {}
    for canonical, aliases in METADATA_COLUMNS.items():
        for a in aliases:
            h = by_norm.get(a)
            if h and h != path_col and h not in mapping.values():
                mapping[canonical] = h
                break
    extra = [h for h in headers if h != path_col and h not in mapping.values()]
    base = path.parent
    items: list[Item] = []
    for n, row in enumerate(reader, start=2):
        value = (row.get(path_col) or "").strip()
        meta: dict[str, Any] = {}
        for canonical, h in mapping.items():
            v = (row.get(h) or "").strip()
            meta[canonical] = v or None
        if meta.get("year") is not None or "year" in mapping:
            meta["year"] = _year_of(meta.get("year"))
        if meta.get("year") is None:
            meta["year"] = _year_of(meta.get("period_end")) or _year_of(meta.get("period_start"))
        for h in extra:
            meta["meta_" + (re.sub(r"[^a-z0-9]+", "_", h.strip().lower()).strip("_") or "column")] = (row.get(h) or "").strip() or None
        jurisdiction = _jurisdiction_id(meta.pop("jurisdiction", None))
        if not value:
            items.append(Item(source=f"{path.name}:{n}", name="", metadata=meta,
                              error=("not_found", f"manifest line {n} has no file path")))
            continue
        p = Path(value).expanduser()
        p = p if p.is_absolute() else base / p
        item = Item(source=value, name=p.name, path=p, metadata=meta, jurisdiction=jurisdiction)
        if not p.is_file():
            item.error = ("not_found", f"no such file: {value}")
        items.append(item)
    return items


_JURISDICTION_ALIASES = {
    "uk": "uk", "unitedkingdom": "uk", "gb": "uk", "england": "uk", "modernslaveryact2015": "uk",
    "au": "au", "australia": "au", "aus": "au", "modernslaveryact2018": "au",
    "ca": "ca", "canada": "ca", "s211": "ca",
    "california": "us_ca", "usca": "us_ca", "tisca": "us_ca", "californiatisca": "us_ca",
}


def _jurisdiction_id(value: str | None) -> str | None:
    if not value:
        return None
    return _JURISDICTION_ALIASES.get(_norm(value))


# --- the work done on a worker ------------------------------------------------------------------------

_analyzers: dict[tuple, Any] = {}


def _limit_threads(threads: int) -> None:
    """One BLAS/OpenMP/torch thread pool per worker sized to its share of the cores."""
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS"):
        os.environ[var] = str(threads)
    if "torch" in sys.modules:
        try:
            sys.modules["torch"].set_num_threads(threads)
        except Exception:  # pragma: no cover - best effort
            pass


def worker_analyzer(ocr: str = "auto", extractor: str = "auto"):
    """The process's Analyzer for these options, loaded on first use and kept (one per worker)."""
    key = (ocr, extractor, os.environ.get("DISCLOSURE_NLP_MODELS"))
    analyzer = _analyzers.get(key)
    if analyzer is None:
        from .pipeline import Analyzer

        analyzer = _analyzers[key] = Analyzer(ocr=ocr, extractor=extractor)
    return analyzer


def worker_model_info(ocr: str = "auto", extractor: str = "auto") -> dict:
    """Load the models (once) and say which; raises BatchError when they cannot be loaded."""
    from .pipeline import AnalyzerError

    try:
        analyzer = worker_analyzer(ocr, extractor)
    except AnalyzerError as exc:
        raise BatchError(str(exc)) from None
    return analyzer.model_info.model_dump()


def _peak_rss_mb() -> float | None:
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def _one_line(text: str, limit: int = 500) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def analyze_payload(
    data: bytes, name: str, jurisdiction: str | None = None, document_type: str = "auto",
    ocr: str = "auto", extractor: str = "auto",
) -> dict:
    """Analyse one document on a worker. Never raises for a bad document: returns a result record.

    {"status": "ok", "score": <DocumentScore JSON>, "fields": {...}} or
    {"status": "failed", "error_code": ..., "error": ...}; both with elapsed_s, worker, peak_rss_mb.
    """
    from .errors import DocumentError

    t0 = time.perf_counter()
    out: dict[str, Any]
    try:
        analyzer = worker_analyzer(ocr, extractor)
        score = analyzer.analyze(data, jurisdiction=jurisdiction, document_type=document_type, name=name or None)
        out = {"status": "ok", "score": score.model_dump_json(), "fields": score_fields(score)}
    except DocumentError as exc:
        out = {"status": "failed", "error_code": exc.code, "error": _one_line(exc)}
    except MemoryError:
        out = {"status": "failed", "error_code": "resources_exhausted", "error": "the analysis ran out of memory"}
    except Exception as exc:  # a bug or a model failure on this document: record it, keep going
        tb = traceback.extract_tb(exc.__traceback__)
        where = f" at {Path(tb[-1].filename).name}:{tb[-1].lineno}" if tb else ""
        out = {"status": "failed", "error_code": "internal_error",
               "error": _one_line(f"{type(exc).__name__}: {exc}{where}")}
    out["elapsed_s"] = round(time.perf_counter() - t0, 4)
    out["worker"] = f"{os.uname().nodename}:{os.getpid()}" if hasattr(os, "uname") else str(os.getpid())
    out["peak_rss_mb"] = _peak_rss_mb()
    return out


def score_fields(score) -> dict[str, Any]:
    """The flat, per-document part of a result row, from a DocumentScore."""
    d = score.document
    f: dict[str, Any] = {
        "document_type": d.document_type,
        "jurisdiction": d.jurisdiction,
        "jurisdiction_source": d.jurisdiction_source,
        "source_type": d.source_type,
        "extraction_method": d.extraction_method,
        "pages": d.pages,
        "sentences": d.sentences,
        "ocr_pages": len(d.ocr_pages),
        "empty_pages": len(d.empty_pages),
        "warnings": len(d.warnings),
    }
    covered = 0
    for c in score.criteria:
        f[f"cov_{c.label}"] = bool(c.covered)
        f[f"conf_{c.label}"] = round(float(c.confidence), 4)
        covered += bool(c.covered)
    f["criteria_covered"] = covered
    f["criteria_total"] = len(score.criteria)
    counts = {"met": 0, "partial": 0, "missing": 0}
    for v in score.jurisdictions:
        f[f"verdict_{v.requirement}"] = v.verdict
        counts[v.verdict] += 1
    for k, n in counts.items():
        f[f"verdicts_{k}"] = n
    statuses = {"observed": [], "prohibited": [], "none_found": []}
    high = 0
    for rf in score.red_flags:
        f[f"flag_{rf.indicator}"] = rf.status
        statuses[rf.status].append(rf.indicator)
        high += rf.status == "observed" and rf.severity == "high"
    f["red_flags_observed"] = len(statuses["observed"])
    f["red_flags_high"] = high
    f["red_flags_prohibited"] = len(statuses["prohibited"])
    f["red_flags_none_found"] = len(statuses["none_found"])
    f["red_flags_observed_list"] = ";".join(statuses["observed"]) or None
    f["high_risk_matches"] = len(score.entities.high_risk_matches)
    f["specificity"] = round(float(score.specificity.score), 2)
    f["risk_score"] = round(float(score.risk.score), 2)
    f["risk_band"] = score.risk.band
    f["model_name"] = score.model.name
    f["model_version"] = score.model.version
    f["model_sha"] = score.model.sha
    return f


# --- tasks and executors --------------------------------------------------------------------------------

@dataclass
class Task:
    key: str
    item: Item                    # the first item with this content (its bytes are read at submission)
    jurisdiction: str | None
    document_type: str


@dataclass
class RunOptions:
    ocr: str = "auto"
    extractor: str = "auto"
    timeout_s: float = DEFAULT_TIMEOUT_S
    max_worker_memory_mb: float | None = None
    # the per-document function run on the workers, "module:function" with analyze_payload's signature
    work: str = "disclosure_nlp.batch:analyze_payload"


def resolve_work(spec: str) -> Callable[..., dict]:
    import importlib

    module, _, name = spec.partition(":")
    return getattr(importlib.import_module(module), name)


ResultCallback = Callable[[Task, dict], None]


def _failed(code: str, message: str, **extra: Any) -> dict:
    return {"status": "failed", "error_code": code, "error": message, **extra}


def _rss_mb(pid: int) -> float | None:
    """Resident memory of a process and its children (the worker's PDF sandbox included)."""
    total = 0.0
    pids = [pid]
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as fh:
            pids += [int(p) for p in fh.read().split()]
    except (OSError, ValueError):
        pass
    found = False
    for p in pids:
        try:
            with open(f"/proc/{p}/statm") as fh:
                total += int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
                found = True
        except (OSError, ValueError, IndexError):
            continue
    return total if found else None


def _local_worker_main(conn, threads: int, ocr: str, extractor: str, work: str) -> None:  # pragma: no cover - child
    _limit_threads(threads)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the coordinator's to handle
    try:
        fn = resolve_work(work)
        info = worker_model_info(ocr, extractor)
        # Warm the lazy parts (sentence splitter, PDF sandbox) so the first document's clock is fair.
        worker_analyzer(ocr, extractor).analyze("Warm-up. This text is analysed once when the worker starts.")
        conn.send(("ready", info))
    except BaseException as exc:
        try:
            conn.send(("error", _one_line(str(exc) or type(exc).__name__)))
        finally:
            return
    while True:
        try:
            msg = conn.recv()
        except (EOFError, OSError):
            return  # the coordinator is gone
        if msg is None:
            return
        task_id, data, name, jurisdiction, document_type = msg
        result = fn(data, name, jurisdiction, document_type, ocr, extractor)
        try:
            conn.send(("done", task_id, result))
        except (OSError, EOFError):
            return


class _LocalWorker:
    def __init__(self, ctx, threads: int, opts: RunOptions):
        parent, child = ctx.Pipe(duplex=True)
        self.proc = ctx.Process(target=_local_worker_main, args=(child, threads, opts.ocr, opts.extractor, opts.work),
                                daemon=True, name="disclosure-nlp-batch-worker")
        self.proc.start()
        child.close()  # so a dead worker reads as EOF here
        self.conn = parent
        self.ready = False
        self.task: tuple[int, Task] | None = None
        self.started = time.monotonic()
        self.task_started = 0.0
        self.peak_rss_mb = 0.0
        self.documents = 0

    def kill(self) -> None:
        if self.proc.is_alive():
            self.proc.kill()
        self.proc.join(5)
        self.conn.close()


def _exit_reason(exitcode: int | None) -> str:
    if exitcode is None:
        return "the worker stopped responding"
    if exitcode < 0:
        try:
            name = signal.Signals(-exitcode).name
        except ValueError:
            name = f"signal {-exitcode}"
        hint = " (killed: out of memory?)" if -exitcode == signal.SIGKILL else ""
        return f"the worker process died on this document with {name}{hint}"
    return f"the worker process exited with code {exitcode} on this document"


class LocalExecutor:
    """N worker processes, one document each at a time; dead, hung or bloated workers are replaced."""

    def __init__(self, workers: int, opts: RunOptions):
        import multiprocessing

        self.n = max(1, int(workers))
        self.opts = opts
        self.ctx = multiprocessing.get_context("spawn")  # no forked copies of the parent's state/threads
        self.threads = max(1, (os.cpu_count() or 1) // self.n)
        self.workers: list[_LocalWorker] = []
        self.model_info: dict | None = None
        self.replaced = 0
        self.stats: list[dict] = []

    def start(self) -> None:
        self.workers = [_LocalWorker(self.ctx, self.threads, self.opts) for _ in range(self.n)]

    def _handle_startup(self, w: _LocalWorker, msg) -> None:
        if msg[0] == "ready":
            w.ready = True
            if self.model_info is None:
                self.model_info = msg[1]
        elif msg[0] == "error":
            self.close()
            raise BatchError(f"a worker could not load the models: {msg[1]}")

    def wait_ready(self) -> dict:
        """Block until one worker has loaded the models; returns their ModelInfo."""
        from multiprocessing.connection import wait

        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        while self.model_info is None:
            if time.monotonic() > deadline:
                self.close()
                raise BatchError(f"no worker loaded the models within {STARTUP_TIMEOUT_S:g} s")
            conns = {w.conn: w for w in self.workers if not w.ready}
            for conn in wait(list(conns) + [w.proc.sentinel for w in conns.values()], timeout=1.0):
                w = conns.get(conn)
                if w is None:
                    continue
                try:
                    self._handle_startup(w, w.conn.recv())
                except (EOFError, OSError):
                    self.close()
                    raise BatchError(f"a worker died while loading the models ({_exit_reason(w.proc.exitcode)})")
            for w in conns.values():
                if not w.proc.is_alive() and not w.conn.poll():
                    self.close()
                    raise BatchError(f"a worker died while loading the models ({_exit_reason(w.proc.exitcode)})")
        return self.model_info

    def _replace(self, w: _LocalWorker) -> None:
        self._retire(w)
        w.kill()
        i = self.workers.index(w)
        self.workers[i] = _LocalWorker(self.ctx, self.threads, self.opts)
        self.replaced += 1

    def _retire(self, w: _LocalWorker) -> None:
        self.stats.append({"pid": w.proc.pid, "documents": w.documents, "peak_rss_mb": round(w.peak_rss_mb, 1)})

    def _drain(self, w: _LocalWorker, on_result: ResultCallback) -> None:
        """Handle every message a worker has sent; stops quietly at EOF (a dead worker)."""
        while True:
            try:
                if not w.conn.poll(0):
                    return
                msg = w.conn.recv()
            except (EOFError, OSError):
                return
            if msg[0] in ("ready", "error"):
                self._handle_startup(w, msg)
            elif msg[0] == "done" and w.task is not None and msg[1] == w.task[0]:
                task = w.task[1]
                w.task = None
                w.documents += 1
                result = msg[2]
                if result.get("peak_rss_mb"):
                    w.peak_rss_mb = max(w.peak_rss_mb, result["peak_rss_mb"])
                on_result(task, result)

    def run(self, tasks: Iterable[Task], on_result: ResultCallback) -> None:
        from multiprocessing.connection import wait

        it = iter(tasks)
        exhausted = False
        seq = 0
        last_poll = 0.0
        while True:
            # give each idle, ready worker its next document
            for w in self.workers:
                if w.ready and w.task is None and not exhausted:
                    task = next(it, None)
                    if task is None:
                        exhausted = True
                        break
                    try:
                        data = task.item.read_bytes()
                    except OSError as exc:
                        on_result(task, _failed("unreadable", _one_line(f"cannot read {task.item.source}: {exc}")))
                        continue
                    seq += 1
                    try:
                        w.conn.send((seq, data, task.item.name, task.jurisdiction, task.document_type))
                    except (OSError, EOFError):
                        pass  # it died just now; found below with the task still assigned
                    w.task = (seq, task)
                    w.task_started = time.monotonic()
            busy = [w for w in self.workers if w.task is not None]
            if exhausted and not busy:
                return
            waitables = {w.conn: w for w in self.workers}
            sentinels = {w.proc.sentinel: w for w in self.workers}
            ready = wait(list(waitables) + list(sentinels), timeout=0.5)
            for obj in ready:
                w = waitables.get(obj)
                if w is not None and w in self.workers:
                    self._drain(w, on_result)
            now = time.monotonic()
            for w in list(self.workers):
                if w.proc.is_alive():
                    continue
                self._drain(w, on_result)  # its last words, if any, before it counts as dead
                code = w.proc.exitcode
                if w.task is not None:
                    task = w.task[1]
                    w.task = None
                    on_result(task, _failed("worker_died", _exit_reason(code), elapsed_s=round(now - w.task_started, 3)))
                elif not w.ready:
                    self.close()
                    raise BatchError(f"a worker died while loading the models ({_exit_reason(code)})")
                self._replace(w)
            for w in list(self.workers):
                if w.task is not None and now - w.task_started > self.opts.timeout_s:
                    task = w.task[1]
                    w.task = None
                    self._replace(w)
                    on_result(task, _failed("task_timeout", f"the analysis took longer than the {self.opts.timeout_s:g} s limit",
                                            elapsed_s=round(now - w.task_started, 3)))
            if now - last_poll >= 0.5:
                last_poll = now
                for w in list(self.workers):
                    rss = _rss_mb(w.proc.pid) if w.proc.pid else None
                    if rss is None:
                        continue
                    w.peak_rss_mb = max(w.peak_rss_mb, rss)
                    limit = self.opts.max_worker_memory_mb
                    if limit and rss > limit and w.task is not None:
                        task = w.task[1]
                        w.task = None
                        self._replace(w)
                        on_result(task, _failed("resources_exhausted",
                                                f"the worker used {rss:.0f} MB, over the {limit:g} MB limit, on this document",
                                                elapsed_s=round(now - w.task_started, 3)))

    def close(self) -> None:
        for w in self.workers:
            if w.proc.pid is not None and w.proc.is_alive():
                rss = _rss_mb(w.proc.pid)
                if rss:
                    w.peak_rss_mb = max(w.peak_rss_mb, rss)
            self._retire(w)
            try:
                if w.proc.is_alive() and w.task is None:
                    w.conn.send(None)
            except (OSError, EOFError):
                pass
        for w in self.workers:
            w.proc.join(3 if (w.task is None and w.ready) else 0)  # still loading: no need to wait
            w.kill()
        self.workers = []


def _dask_warm(ocr: str, extractor: str) -> dict:
    """Runs on every Dask worker: load the models once, report them (or the error)."""
    try:
        return worker_model_info(ocr, extractor)
    except BatchError as exc:
        return {"error": str(exc)}


class DaskExecutor:
    """The same work on an existing Dask distributed cluster (bytes travel with the tasks)."""

    def __init__(self, address: str, opts: RunOptions, window: int | None = None):
        self.address = address
        self.opts = opts
        self.window = window
        self.client = None
        self.model_info: dict | None = None
        self.stats: list[dict] = []
        self.peaks: dict[str, dict] = {}
        self.replaced = 0
        self.n = 0

    def start(self) -> None:
        try:
            from distributed import Client
        except ImportError:
            raise BatchError("--scheduler needs the Dask distributed package: pip install 'disclosure-nlp[dask]'") from None
        try:
            self.client = Client(self.address, timeout=f"{DASK_CONNECT_TIMEOUT_S:g}s", set_as_default=False)
        except (OSError, TimeoutError, ValueError) as exc:
            raise BatchError(f"cannot reach the Dask scheduler at {self.address}: {_one_line(exc)}") from None

    def wait_ready(self) -> dict:
        try:
            self.client.wait_for_workers(1, timeout=60)
        except (TimeoutError, OSError) as exc:
            raise BatchError(f"no Dask workers joined the scheduler at {self.address} ({_one_line(exc)})") from None
        infos = self.client.run(_dask_warm, self.opts.ocr, self.opts.extractor)
        errors = [i["error"] for i in infos.values() if "error" in i]
        if errors:
            raise BatchError(f"a Dask worker could not load the models: {errors[0]}")
        shas = {i["sha"] for i in infos.values()}
        if len(shas) > 1:
            raise BatchError(f"the Dask workers have different models ({', '.join(sorted(shas))}); give them the same models")
        self.model_info = next(iter(infos.values()))
        self.n = len(infos)
        return self.model_info

    def run(self, tasks: Iterable[Task], on_result: ResultCallback) -> None:
        from distributed import as_completed

        threads = sum(self.client.nthreads().values()) or 1
        window = self.window or max(2, 2 * threads)
        it = iter(tasks)
        pending: dict[Any, Task] = {}
        ac = None

        def submit_next() -> bool:
            while True:
                task = next(it, None)
                if task is None:
                    return False
                try:
                    data = task.item.read_bytes()
                except OSError as exc:
                    on_result(task, _failed("unreadable", _one_line(f"cannot read {task.item.source}: {exc}")))
                    continue
                fut = self.client.submit(
                    resolve_work(self.opts.work), data, task.item.name, task.jurisdiction, task.document_type,
                    self.opts.ocr, self.opts.extractor, pure=False, key=f"disclosure-nlp-{task.key[:24]}-{time.time_ns()}",
                )
                pending[fut] = task
                if ac is not None:
                    ac.add(fut)
                return True

        for _ in range(window):
            if not submit_next():
                break
        if not pending:
            return
        ac = as_completed(list(pending), loop=self.client.loop)
        for fut in ac:
            task = pending.pop(fut)
            if fut.status == "error":
                exc = fut.exception()
                if type(exc).__name__ == "KilledWorker":
                    result = _failed("worker_died", "the Dask workers running this document died (tried several times)")
                else:
                    result = _failed("internal_error", _one_line(f"{type(exc).__name__}: {exc}"))
            elif fut.status == "cancelled":
                result = _failed("worker_died", "the Dask task was cancelled")
            else:
                result = fut.result()
            fut.release()
            w = self.peaks.setdefault(result.get("worker") or "?", {"worker": result.get("worker"), "documents": 0, "peak_rss_mb": 0.0})
            w["documents"] += 1
            w["peak_rss_mb"] = max(w["peak_rss_mb"], result.get("peak_rss_mb") or 0.0)
            on_result(task, result)
            submit_next()
        self.stats = list(self.peaks.values())

    def close(self) -> None:
        if self.client is not None:
            self.client.close()
            self.client = None


# --- the results files ----------------------------------------------------------------------------------

@dataclass
class ResultPaths:
    table: Path
    format: str

    @classmethod
    def for_out(cls, out: str | Path, fmt: str | None = None) -> ResultPaths:
        out = Path(out)
        if fmt is None:
            fmt = "csv" if out.suffix.lower() == ".csv" else "parquet"
        if fmt not in RESULT_FORMATS:
            raise BatchError(f"format must be one of {', '.join(RESULT_FORMATS)}, not {fmt}")
        return cls(out, fmt)

    def _sibling(self, suffix: str) -> Path:
        stem = self.table.name[: -len(self.table.suffix)] if self.table.suffix else self.table.name
        return self.table.with_name(stem + suffix)

    @property
    def journal(self) -> Path:
        return self._sibling(".journal.jsonl")

    @property
    def scores(self) -> Path:
        return self._sibling(".scores.jsonl")

    @property
    def lock(self) -> Path:
        return self._sibling(".lock")


def read_journal(path: Path, repair: bool = False) -> dict[str, dict]:
    """Analysis key -> last record. A torn last line (a kill mid-write) is dropped (and cut with repair)."""
    records: dict[str, dict] = {}
    if not path.exists():
        return records
    good_end = 0
    with open(path, "rb") as fh:
        for line in fh:
            if not line.endswith(b"\n"):
                break
            try:
                rec = json.loads(line)
            except ValueError:
                break
            records[rec["key"]] = rec
            good_end += len(line)
    if repair and good_end != path.stat().st_size:
        with open(path, "r+b") as fh:
            fh.truncate(good_end)
    return records


class Journal:
    """Append-only: the score line first, then the journal record (flushed and fsync'd)."""

    def __init__(self, paths: ResultPaths):
        self.paths = paths
        self.scores = open(paths.scores, "ab")
        self.journal = open(paths.journal, "ab")

    def append(self, record: dict, score_json: str | None) -> None:
        if score_json is not None:
            self.scores.seek(0, os.SEEK_END)
            record["score_offset"] = self.scores.tell()
            self.scores.write(score_json.encode("utf-8") + b"\n")
            self.scores.flush()
            os.fsync(self.scores.fileno())
        self.journal.write(json.dumps(record, ensure_ascii=False).encode("utf-8") + b"\n")
        self.journal.flush()
        os.fsync(self.journal.fileno())

    def close(self) -> None:
        self.scores.close()
        self.journal.close()


def _repair_scores(paths: ResultPaths, records: dict[str, dict]) -> None:
    """Cut score lines written after the last journal record (a kill between the two writes)."""
    if not paths.scores.exists():
        return
    end = 0
    with open(paths.scores, "rb") as fh:
        for rec in records.values():
            off = rec.get("score_offset")
            if off is not None and off >= end:
                fh.seek(off)
                end = off + len(fh.readline())
    if paths.scores.stat().st_size > end:
        with open(paths.scores, "r+b") as fh:
            fh.truncate(end)


class _RunLock:
    def __init__(self, path: Path):
        self.path = path
        self.fh = None

    def __enter__(self):
        self.fh = open(self.path, "a+")
        try:
            import fcntl

            fcntl.flock(self.fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except ImportError:  # pragma: no cover - not POSIX: no protection against two runs
            pass
        except OSError:
            self.fh.close()
            raise BatchError(f"another batch run is writing {self.path.with_suffix('')}; wait for it or stop it") from None
        return self

    def __exit__(self, *exc):
        self.fh.close()
        try:
            self.path.unlink()
        except OSError:
            pass


# --- building the table -----------------------------------------------------------------------------------

BASE_COLUMNS = ("source", "name", "sha256", "status", "error_code", "error")
METADATA_ORDER = tuple(k for k in METADATA_COLUMNS if k != "jurisdiction")
RUN_COLUMNS = ("elapsed_s", "worker", "analyzed_at")


def analysis_key(sha256: str, jurisdiction: str | None, document_type: str) -> str:
    parts = [sha256]
    if jurisdiction:
        parts.append(f"j={jurisdiction}")
    if document_type and document_type != "auto":
        parts.append(f"t={document_type}")
    return "|".join(parts)


def build_rows(items: list[Item], keys: list[str | None], records: dict[str, dict]) -> tuple[list[dict], list[str]]:
    """One row per input item (analysis fields joined by key) and the column order."""
    meta_cols: list[str] = [c for c in METADATA_ORDER if any(c in it.metadata for it in items)]
    for it in items:
        for c in it.metadata:
            if c not in meta_cols and c not in METADATA_COLUMNS:
                meta_cols.append(c)
    field_cols: list[str] = []
    seen: set[str] = set()
    for rec in records.values():
        for c in rec.get("fields") or {}:
            if c not in seen:
                seen.add(c)
                field_cols.append(c)
    # stable, readable order: document facts, criteria, verdicts, flags, risk, model
    position = {c: i for i, c in enumerate(field_cols)}

    def rank(c: str) -> tuple[int, int]:
        for n, prefix in enumerate(("cov_", "conf_", "criteria_", "verdict_", "verdicts_", "flag_", "red_flags_")):
            if c.startswith(prefix):
                return (n + 1, position[c])
        if c.startswith(("high_risk", "specificity", "risk_", "model_")):
            return (9, position[c])
        return (0, position[c])

    field_cols.sort(key=rank)
    columns = list(BASE_COLUMNS) + meta_cols + field_cols + list(RUN_COLUMNS)
    rows: list[dict] = []
    for it, key in zip(items, keys):
        row: dict[str, Any] = dict.fromkeys(columns)
        row.update(source=it.source, name=it.name or None, sha256=it.sha256)
        for c in meta_cols:
            row[c] = it.metadata.get(c)
        rec = records.get(key) if key else None
        if it.error:
            row.update(status="failed", error_code=it.error[0], error=it.error[1])
        elif rec is None:
            row.update(status="pending")
        else:
            row.update(status=rec["status"], error_code=rec.get("error_code"), error=rec.get("error"))
            for c, v in (rec.get("fields") or {}).items():
                row[c] = v
            row.update(elapsed_s=rec.get("elapsed_s"), worker=rec.get("worker"), analyzed_at=rec.get("analyzed_at"))
        rows.append(row)
    return rows, columns


def _arrow_type(column: str, values: list):
    import pyarrow as pa

    kinds = {type(v) for v in values if v is not None}
    if column == "year" or kinds == {int}:
        return pa.int64()
    if kinds == {bool}:
        return pa.bool_()
    if kinds and kinds <= {int, float}:
        return pa.float64()
    return pa.string()


def write_table(rows: list[dict], columns: list[str], path: Path, fmt: str) -> None:
    """Write atomically (temporary file, then rename) so a reader never sees half a table."""
    tmp = path.with_name(path.name + ".tmp")
    if fmt == "parquet":
        try:
            import pyarrow as pa
            import pyarrow.parquet as pq
        except ImportError:
            raise BatchError("Parquet output needs pyarrow (pip install 'disclosure-nlp[batch]'), or use --format csv") from None
        arrays = []
        for c in columns:
            values = [r.get(c) for r in rows]
            t = _arrow_type(c, values)
            if t == pa.string():
                values = [None if v is None else str(v) for v in values]
            arrays.append(pa.array(values, type=t))
        pq.write_table(pa.Table.from_arrays(arrays, names=columns), tmp, compression="zstd")
    else:
        with open(tmp, "w", newline="", encoding="utf-8") as fh:
            w = csv.DictWriter(fh, fieldnames=columns, extrasaction="ignore")
            w.writeheader()
            for r in rows:
                w.writerow({k: ("" if v is None else v) for k, v in r.items()})
    os.replace(tmp, path)


def read_results(path: str | Path) -> list[dict]:
    """Rows of a results table (Parquet or CSV), CSV values typed back (numbers, booleans, empty=None)."""
    path = Path(path)
    if not path.is_file():
        raise BatchError(f"{path}: no such file")
    if path.suffix.lower() == ".csv":
        with open(path, newline="", encoding="utf-8") as fh:
            return [{k: _typed(v) for k, v in row.items()} for row in csv.DictReader(fh)]
    try:
        import pyarrow.parquet as pq
    except ImportError:
        raise BatchError("reading Parquet needs pyarrow (pip install 'disclosure-nlp[batch]')") from None
    try:
        return pq.read_table(path).to_pylist()
    except Exception as exc:  # pyarrow raises several types for a non-Parquet file
        raise BatchError(f"{path.name}: not a readable results table ({_one_line(exc, 200)})") from None


_NUM = re.compile(r"^-?\d+(\.\d+)?([eE][-+]?\d+)?$")


def _typed(v: str | None):
    if v is None or v == "":
        return None
    if v in ("True", "False"):
        return v == "True"
    if _NUM.match(v):
        return float(v) if any(ch in v for ch in ".eE") else int(v)
    return v


# --- the run -----------------------------------------------------------------------------------------------

@dataclass
class BatchSummary:
    documents: int = 0          # input items (rows)
    analysed: int = 0           # analyses run now
    ok: int = 0                 # rows with status ok
    failed: int = 0             # rows with status failed
    skipped: int = 0            # analyses skipped (done in an earlier run)
    duplicates: int = 0         # items sharing content with another item
    ignored_files: int = 0
    pages: int = 0              # pages analysed now
    sentences: int = 0
    seconds: float = 0.0        # wall time of the analysis phase
    workers: int = 0
    worker_stats: list[dict] = field(default_factory=list)
    replaced_workers: int = 0
    model: dict = field(default_factory=dict)
    table: str = ""
    scores: str = ""
    failures: dict[str, int] = field(default_factory=dict)

    @property
    def pages_per_s(self) -> float:
        return self.pages / self.seconds if self.seconds else 0.0

    @property
    def sentences_per_s(self) -> float:
        return self.sentences / self.seconds if self.seconds else 0.0

    @property
    def docs_per_hour(self) -> float:
        return self.analysed / self.seconds * 3600 if self.seconds else 0.0

    def line(self) -> str:
        return (
            f"{self.documents} documents: {self.ok} ok, {self.failed} failed, {self.skipped} skipped (done before)"
            f" | analysed {self.analysed} in {self.seconds:.1f} s: {self.pages_per_s:.2f} pages/s,"
            f" {self.sentences_per_s:.1f} sentences/s, {self.docs_per_hour:.0f} documents/hour"
        )


class Progress:
    """What run_batch reports as it goes (the CLI draws a bar from it)."""

    def start(self, phase: str, total: int) -> None: ...
    def advance(self, phase: str, n: int = 1, **counts: int) -> None: ...
    def stop(self) -> None: ...


def run_batch(
    input: str | Path,
    out: str | Path,
    *,
    workers: int | None = None,
    scheduler: str | None = None,
    resume: bool = False,
    overwrite: bool = False,
    retry_failed: bool = False,
    fmt: str | None = None,
    jurisdiction: str | None = None,
    document_type: str = "auto",
    ocr: str = "auto",
    extractor: str = "auto",
    timeout_s: float = DEFAULT_TIMEOUT_S,
    max_worker_memory_mb: float | None = None,
    progress: Progress | None = None,
    work: str | None = None,
) -> BatchSummary:
    """Analyse every document of INPUT into OUT (see the module docstring). Raises BatchError."""
    from .limits import Limits

    progress = progress or Progress()
    paths = ResultPaths.for_out(out, fmt)
    if paths.table.exists() and paths.table.is_dir():
        raise BatchError(f"{paths.table}: is a folder; give a file name for the results")
    if not paths.table.parent.is_dir():
        raise BatchError(f"{paths.table.parent}: no such folder")
    items, ignored = discover(input)
    summary = BatchSummary(documents=len(items), ignored_files=ignored, table=str(paths.table), scores=str(paths.scores))
    if fmt == "parquet" or paths.format == "parquet":
        try:
            import pyarrow  # noqa: F401  (fail now, not after hours of work)
        except ImportError:
            raise BatchError("Parquet output needs pyarrow (pip install 'disclosure-nlp[batch]'), or use --format csv") from None
    opts = RunOptions(ocr=ocr, extractor=extractor, timeout_s=timeout_s, max_worker_memory_mb=max_worker_memory_mb)
    if work:
        opts.work = work
    max_bytes = Limits().max_bytes

    with _RunLock(paths.lock):
        if paths.journal.exists() and paths.journal.stat().st_size and not resume and not overwrite:
            raise BatchError(f"{paths.journal.name} holds an earlier run: pass --resume to continue it or --overwrite to start again")
        if overwrite:
            for p in (paths.journal, paths.scores, paths.table):
                if p.exists():
                    p.unlink()
        if scheduler:
            executor: Any = DaskExecutor(scheduler, opts)
            summary.workers = 0
        else:
            n = workers or os.cpu_count() or 1
            executor = LocalExecutor(min(n, max(1, len(items))), opts)
            summary.workers = executor.n
        executor.start()  # local workers load their models while the inputs are hashed
        journal = None
        try:
            # 1. hash every input (and check sizes) so the skip decision and the bar's total are exact
            progress.start("hashing", len(items))
            keys: list[str | None] = []
            for it in items:
                key = None
                if it.error is None:
                    try:
                        it.size = it.stat_size()
                        if it.size > max_bytes:
                            it.error = ("too_large", f"the file is {it.size:,} bytes; the limit is {max_bytes:,}")
                        else:
                            it.sha256 = Document.hash_bytes(it.read_bytes())
                            key = analysis_key(it.sha256, jurisdiction or it.jurisdiction, document_type)
                    except (OSError, KeyError, zipfile.BadZipFile) as exc:
                        it.error = ("unreadable", _one_line(f"cannot read {it.source}: {exc}"))
                keys.append(key)
                progress.advance("hashing")
            progress.stop()

            records = read_journal(paths.journal, repair=True)
            _repair_scores(paths, records)

            # 2. what is left to do: one task per distinct analysis key
            todo: dict[str, Task] = {}
            for it, key in zip(items, keys):
                if key is None:
                    continue
                rec = records.get(key)
                if rec is not None and (rec["status"] == "ok" or not retry_failed):
                    continue
                if key in todo:
                    continue
                todo[key] = Task(key, it, jurisdiction or it.jurisdiction, document_type)
            distinct = {k for k in keys if k}
            summary.skipped = len(distinct) - len(todo)
            summary.duplicates = sum(1 for k in keys if k) - len(distinct)
            if todo:
                model = executor.wait_ready()
                other = {r.get("model_sha") for r in records.values()} - {model["sha"], None}
                if other:
                    raise BatchError(
                        f"{paths.journal.name} was written with another model ({', '.join(sorted(other))}; "
                        f"now {model['sha']}): use a new --out, or --overwrite"
                    )
            else:  # nothing to analyse: rebuild the table without waiting for the models
                shas = sorted({r.get("model_sha") for r in records.values() if r.get("model_sha")})
                model = {"sha": shas[-1] if shas else None}
            summary.model = model

            # 3. run
            journal = Journal(paths)
            progress.start("analysing", len(todo))
            counts = {"ok": 0, "failed": 0}
            t0 = time.perf_counter()

            def on_result(task: Task, result: dict) -> None:
                record = {
                    "key": task.key,
                    "sha256": task.key.split("|", 1)[0],
                    "source": task.item.source,
                    "status": result["status"],
                    "error_code": result.get("error_code"),
                    "error": result.get("error"),
                    "model_sha": (result.get("fields") or {}).get("model_sha") or model["sha"],
                    "fields": result.get("fields"),
                    "elapsed_s": result.get("elapsed_s"),
                    "worker": result.get("worker"),
                    "analyzed_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                }
                journal.append(record, result.get("score") if result["status"] == "ok" else None)
                records[task.key] = record
                summary.analysed += 1
                counts[result["status"]] = counts.get(result["status"], 0) + 1
                if result["status"] == "ok":
                    summary.pages += record["fields"].get("pages") or 0
                    summary.sentences += record["fields"].get("sentences") or 0
                progress.advance("analysing", ok=counts["ok"], failed=counts["failed"])

            if todo:
                executor.run(todo.values(), on_result)
            summary.seconds = time.perf_counter() - t0
            progress.stop()
        finally:
            progress.stop()
            executor.close()
            if journal is not None:
                journal.close()
        summary.worker_stats = executor.stats
        summary.replaced_workers = executor.replaced
        summary.workers = executor.n

        # 4. the table, rebuilt from the journal
        rows, columns = build_rows(items, keys, records)
        write_table(rows, columns, paths.table, paths.format)
    for r in rows:
        if r["status"] == "ok":
            summary.ok += 1
        else:
            summary.failed += 1
            summary.failures[r["error_code"] or "unknown"] = summary.failures.get(r["error_code"] or "unknown", 0) + 1
    return summary


def iter_scores(path: str | Path) -> Iterator[dict]:
    """The DocumentScore dicts of a `.scores.jsonl` file."""
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)
