"""What every command module shares: the input-error convention and the option choices."""

from __future__ import annotations

from enum import Enum

import typer

EXIT_INPUT_ERROR = 2


def fail(message: str) -> typer.Exit:
    """Print one line on stderr; return the Exit to raise (exit code 2)."""
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(EXIT_INPUT_ERROR)


class OcrMode(str, Enum):
    auto = "auto"
    always = "always"
    never = "never"


class DocumentType(str, Enum):
    auto = "auto"
    statement = "statement"
    audit_report = "audit_report"


class Jurisdiction(str, Enum):
    uk = "uk"
    au = "au"
    ca = "ca"
    us_ca = "us_ca"
    california = "california"  # alias of us_ca (California Civil Code 1714.43)
