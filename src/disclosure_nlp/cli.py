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

EXIT_INPUT_ERROR = 2


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


class OcrMode(str, Enum):
    auto = "auto"
    always = "always"
    never = "never"


def fail(message: str) -> "typer.Exit":
    """Print one line on stderr; return the Exit to raise (exit code 2)."""
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(EXIT_INPUT_ERROR)


def read_or_fail(path: Path, **kwargs):
    """disclosure_nlp.read, turning input errors into one line and exit code 2."""
    from . import read
    from .errors import DocumentError

    if not path.exists():
        raise fail(f"{path}: no such file")
    if path.is_dir():
        raise fail(f"{path}: is a directory, not a document")
    try:
        return read(path, **kwargs)
    except DocumentError as exc:
        raise fail(f"{path.name}: {exc}")
    except OSError as exc:
        raise fail(f"{path}: {exc.strerror or exc}")


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


def _register_optional_commands() -> None:
    """Commands from modules that need the heavier model dependencies register themselves here."""
    try:
        from . import cli_models
    except ImportError:  # pragma: no cover - module not present in a trimmed install
        return
    cli_models.register(app)


_register_optional_commands()


if __name__ == "__main__":  # pragma: no cover
    app()
