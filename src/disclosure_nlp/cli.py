"""The `disclosure-nlp` command: a thin shell over the library.

Input errors print one line on stderr and exit with code 2; they never show a traceback.
"""

from __future__ import annotations

import json
import sys
from enum import Enum
from pathlib import Path

import typer

app = typer.Typer(
    name="disclosure-nlp",
    help="Read modern slavery statements and social-audit reports: extract, classify, score.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

from .cli_common import EXIT_INPUT_ERROR, DocumentType, Jurisdiction, OcrMode, fail  # noqa: F401


def _version(value: bool) -> None:
    if value:
        from . import __version__

        typer.echo(f"disclosure-nlp {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Print the version and exit."),
) -> None:
    """Read modern slavery statements and social-audit reports: extract, classify, score."""


class ExtractFormat(str, Enum):
    text = "text"
    json = "json"


class Extractor(str, Enum):
    auto = "auto"
    pypdfium2 = "pypdfium2"
    pdfplumber = "pdfplumber"


def on_file_or_fail(path: Path, work):
    """`work(path)`, turning a missing file, a folder or an input error into one line and exit 2."""
    from .errors import DocumentError

    if not path.exists():
        raise fail(f"{path}: no such file")
    if path.is_dir():
        raise fail(f"{path}: is a directory, not a document")
    try:
        return work(path)
    except DocumentError as exc:
        raise fail(f"{path.name}: {exc}")
    except OSError as exc:
        raise fail(f"{path}: {exc.strerror or exc}")


def read_or_fail(path: Path, **kwargs):
    """disclosure_nlp.read, turning input errors into one line and exit code 2."""
    from . import read

    return on_file_or_fail(path, lambda p: read(p, **kwargs))


@app.command()
def extract(
    file: Path = typer.Argument(..., help="A PDF, DOCX, HTML or TXT statement."),
    format: ExtractFormat = typer.Option(ExtractFormat.text, "--format", "-f", help="text: the clean text; json: pages, sentences, metadata."),
    extractor: Extractor = typer.Option(Extractor.auto, help="auto: pypdfium2, pdfplumber on pages with ruled tables."),
    ocr: OcrMode = typer.Option(OcrMode.auto, help="auto: OCR only pages without a usable text layer."),
    out: Path | None = typer.Option(None, "--out", "-o", help="Write here instead of stdout."),
) -> None:
    """Extract clean, page-referenced sentences from a document."""
    doc = read_or_fail(file, extractor=extractor.value, ocr=ocr.value)
    if format is ExtractFormat.json:
        rendered = json.dumps(doc.to_dict(), ensure_ascii=False, indent=2)
    else:
        rendered = doc.text
    if out:
        out.write_text(rendered + "\n", encoding="utf-8")
    else:
        sys.stdout.write(rendered + "\n")
    for warning in doc.info.warnings:
        typer.echo(f"warning: {warning}", err=True)


class AnalyzeFormat(str, Enum):
    table = "table"
    json = "json"
    html = "html"


def _analyzer(extractor: str = "auto", ocr: str = "auto"):
    from .pipeline import Analyzer, AnalyzerError

    try:
        return Analyzer(extractor=extractor, ocr=ocr)
    except AnalyzerError as exc:
        raise fail(str(exc))


def _analyze_or_fail(analyzer, path: Path, jurisdiction: str | None, document_type: str):
    return on_file_or_fail(path, lambda p: analyzer.analyze(p, jurisdiction=jurisdiction, document_type=document_type))


def _emit(text: str, out: Path | None) -> None:
    if out:
        out.write_text(text, encoding="utf-8")
        typer.echo(f"wrote {out}", err=True)
    else:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")


@app.command()
def analyze(
    file: Path = typer.Argument(..., help="A statement or audit report (PDF, DOCX, HTML, TXT)."),
    jurisdiction: Jurisdiction | None = typer.Option(None, "--jurisdiction", "-j", help="Check against this act (default: the act the document cites)."),
    document_type: DocumentType = typer.Option(DocumentType.auto, "--document-type", help="statement or audit_report (default: detected)."),
    format: AnalyzeFormat = typer.Option(AnalyzeFormat.table, "--format", "-f", help="table: terminal summary; json: the full DocumentScore; html: a self-contained report."),
    out: Path | None = typer.Option(None, "--out", "-o", help="Write here instead of stdout."),
    ocr: OcrMode = typer.Option(OcrMode.auto, help="auto: OCR only pages without a usable text layer."),
) -> None:
    """Score a document: criteria coverage, jurisdiction checklist, red flags, risk — with evidence."""
    analyzer = _analyzer(ocr=ocr.value)
    score = _analyze_or_fail(analyzer, file, jurisdiction.value if jurisdiction else None, document_type.value)
    if format is AnalyzeFormat.json:
        _emit(score.model_dump_json(indent=2), out)
    elif format is AnalyzeFormat.html:
        from .report import render_html

        _emit(render_html(score), out)
    else:
        from .console import render_table

        _emit(render_table(score), out)


@app.command()
def compare(
    old: Path = typer.Argument(..., help="The earlier statement."),
    new: Path = typer.Argument(..., help="The later statement of the same supplier."),
    jurisdiction: Jurisdiction | None = typer.Option(None, "--jurisdiction", "-j"),
    format: ExtractFormat = typer.Option(ExtractFormat.text, "--format", "-f", help="text or json."),
) -> None:
    """What changed between two statements: criteria gained/lost, commitments kept, red flags."""
    from .compare import compare_scores

    analyzer = _analyzer()
    j = jurisdiction.value if jurisdiction else None
    a = _analyze_or_fail(analyzer, old, j, "auto")
    b = _analyze_or_fail(analyzer, new, j, "auto")
    result = compare_scores(a, b)
    if format is ExtractFormat.json:
        sys.stdout.write(json.dumps(result.to_dict(), indent=2, ensure_ascii=False) + "\n")
        return
    lines = [
        f"{result.old} -> {result.new}",
        f"risk: {result.risk[0]:.0f} ({result.band[0]}) -> {result.risk[1]:.0f} ({result.band[1]})",
        "criteria gained: " + (", ".join(result.criteria_gained) or "none"),
        "criteria lost: " + (", ".join(result.criteria_lost) or "none"),
    ]
    lines += [f"verdict {v['citation']}: {v['old']} -> {v['new']}" for v in result.verdicts_changed]
    lines += [f"new commitment: {t}" for t in result.new_commitments]
    lines += [f"now implemented: {c['reported']}  (promised: {c['promised']})" for c in result.commitments_now_implemented]
    lines += [f"new observed red flag: {f}" for f in result.red_flags_new]
    lines += [f"red flag no longer observed: {f}" for f in result.red_flags_resolved]
    sys.stdout.write("\n".join(lines) + "\n")


def _register_optional_commands() -> None:
    """Command groups living in their own modules (training, batch, service) register themselves."""
    import importlib

    for module in ("cli_models", "cli_batch", "cli_service", "cli_corpus"):
        try:
            mod = importlib.import_module(f".{module}", __package__)
        except ModuleNotFoundError as exc:
            if exc.name == f"{__package__}.{module}":
                continue  # not part of this install
            raise
        mod.register(app)


_register_optional_commands()


if __name__ == "__main__":  # pragma: no cover
    app()
