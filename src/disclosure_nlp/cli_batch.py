"""`disclosure-nlp batch` and `disclosure-nlp batch-report`: registry runs and their summary report.

Input errors (bad INPUT, bad manifest, unreachable scheduler, no models) print one line on stderr and
exit with code 2. Per-document failures are not errors: they are rows with status "failed".
"""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path

import typer

from .cli_common import DocumentType, Jurisdiction, OcrMode
from .cli_common import fail as _fail


class ResultFormat(str, Enum):
    parquet = "parquet"
    csv = "csv"




class RichProgress:
    """A rich progress bar on stderr: done/total, documents per second, elapsed, ETA, ok/failed."""

    def __init__(self, enabled: bool = True):
        from rich.console import Console
        from rich.progress import (
            BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn,
        )

        self.console = Console(stderr=True)
        self.enabled = enabled and self.console.is_terminal
        self.bar = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[rate]}"),
            TimeElapsedColumn(),
            TextColumn("ETA"),
            TimeRemainingColumn(),
            TextColumn("{task.fields[counts]}"),
            console=self.console,
            transient=False,
            disable=not self.enabled,
        )
        self.task = None
        self.started = False
        self.t0 = 0.0
        self.done = 0
        self.last_line = 0.0

    def start(self, phase: str, total: int) -> None:
        import time

        self.stop()
        self.phase = phase
        self.total = total
        self.done = 0
        self.t0 = time.perf_counter()
        if self.enabled:
            self.bar.start()
            self.started = True
            self.task = self.bar.add_task(phase, total=total, rate="", counts="")
        elif phase == "analysing":
            self.console.print(f"analysing {total} documents", highlight=False)

    def advance(self, phase: str, n: int = 1, **counts: int) -> None:
        import time

        self.done += n
        elapsed = time.perf_counter() - self.t0
        rate = self.done / elapsed if elapsed > 0 else 0.0
        shown = ", ".join(f"{k} {v}" for k, v in counts.items())
        if self.enabled and self.task is not None:
            self.bar.update(self.task, advance=n, rate=f"{rate:.2f} docs/s" if phase == "analysing" else "", counts=shown)
        elif phase == "analysing" and (elapsed - self.last_line >= 30 or self.done == self.total):
            # no terminal (a log file, a scheduler): one line every 30 s instead of a bar
            self.last_line = elapsed
            eta = (self.total - self.done) / rate if rate else 0.0
            self.console.print(f"{self.done}/{self.total} documents, {rate:.2f} docs/s, ETA {eta:.0f} s, {shown}", highlight=False)

    def stop(self) -> None:
        if self.started:
            self.bar.stop()
            self.started = False
            if self.task is not None:
                self.bar.remove_task(self.task)
                self.task = None


def register(app: typer.Typer) -> None:
    @app.command()
    def batch(
        input: Path = typer.Argument(..., help="A folder of documents, a .zip, or a CSV manifest with a column of file paths and optional metadata."),
        out: Path = typer.Option(..., "--out", "-o", help="Results table: .parquet (default) or .csv; DocumentScore JSONL and the run journal are written beside it."),
        workers: int = typer.Option(0, "--workers", "-w", help="Local worker processes (default: one per CPU core). Each loads the models once."),
        scheduler: str | None = typer.Option(None, "--scheduler", help="Run on an existing Dask distributed cluster, e.g. tcp://10.0.0.5:8786."),
        resume: bool = typer.Option(False, "--resume", help="Continue an earlier run into the same --out: documents already done (by content hash) are skipped."),
        retry_failed: bool = typer.Option(False, "--retry-failed", help="With --resume: analyse documents that failed before again."),
        overwrite: bool = typer.Option(False, "--overwrite", help="Discard the results of an earlier run into --out and start again."),
        format: ResultFormat | None = typer.Option(None, "--format", "-f", help="parquet or csv (default: from the --out suffix; parquet)."),
        jurisdiction: Jurisdiction | None = typer.Option(None, "--jurisdiction", "-j", help="Check every document against this act (default: a manifest jurisdiction column, else the act each document cites)."),
        document_type: DocumentType = typer.Option(DocumentType.auto, "--document-type", help="statement or audit_report (default: detected per document)."),
        ocr: OcrMode = typer.Option(OcrMode.auto, help="auto: OCR only pages without a usable text layer."),
        timeout: float = typer.Option(900.0, "--timeout", help="Seconds one document may take (local workers); past it the document is recorded as failed."),
        max_worker_memory: float = typer.Option(0, "--max-worker-memory", help="MB a local worker (with its PDF parser) may use; above it the document is recorded as failed. 0: no limit."),
        progress: bool = typer.Option(True, "--progress/--no-progress", help="Show a progress bar (on a terminal)."),
    ) -> None:
        """Score a whole registry: one row per document, resumable, in parallel (local processes or Dask)."""
        from .batch import BatchError, run_batch

        if workers < 0:
            raise _fail("--workers must be 1 or more")
        if retry_failed and not resume:
            raise _fail("--retry-failed needs --resume")
        if resume and overwrite:
            raise _fail("--resume and --overwrite contradict each other")
        if scheduler and workers:
            raise _fail("--workers is for local runs; a Dask cluster has the workers it was started with")
        bar = RichProgress(enabled=progress)
        try:
            summary = run_batch(
                input, out, workers=workers or None, scheduler=scheduler, resume=resume, overwrite=overwrite,
                retry_failed=retry_failed, fmt=format.value if format else None,
                jurisdiction=jurisdiction.value if jurisdiction else None, document_type=document_type.value,
                ocr=ocr.value, timeout_s=timeout, max_worker_memory_mb=max_worker_memory or None, progress=bar,
            )
        except BatchError as exc:
            bar.stop()
            raise _fail(str(exc))
        except KeyboardInterrupt:
            bar.stop()
            typer.echo(f"interrupted: finished documents are kept; rerun with --resume to continue into {out}", err=True)
            raise typer.Exit(130)
        if summary.ignored_files:
            typer.echo(f"note: ignored {summary.ignored_files} files that are not PDF, DOCX, HTML or TXT", err=True)
        if summary.failures:
            typer.echo("failed: " + ", ".join(f"{k} {v}" for k, v in sorted(summary.failures.items())), err=True)
        typer.echo(summary.line(), err=True)
        typer.echo(f"wrote {summary.table} and {Path(summary.scores).name}", err=True)

    @app.command("batch-report")
    def batch_report(
        results: Path = typer.Argument(..., help="The results table of `disclosure-nlp batch` (.parquet or .csv)."),
        out: Path = typer.Option(..., "--out", "-o", help="The HTML report to write."),
        title: str = typer.Option("Registry analysis", "--title", help="Report title."),
    ) -> None:
        """A self-contained HTML summary of a batch run: coverage, verdicts, red flags, risk, by sector and year."""
        from .batch import BatchError
        from .batch_report import render_report

        try:
            html = render_report(results, title=title)
        except BatchError as exc:
            raise _fail(str(exc))
        try:
            out.write_text(html, encoding="utf-8")
        except OSError as exc:
            raise _fail(f"{out}: {exc.strerror or exc}")
        typer.echo(f"wrote {out}", err=True)


if __name__ == "__main__":  # pragma: no cover
    sys.exit("use: disclosure-nlp batch | batch-report")
