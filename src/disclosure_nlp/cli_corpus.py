"""`corpus` commands; `cli.py` adds them to the main app with `register(app)`.

    disclosure-nlp corpus export-feedback --out corpora/feedback.jsonl
"""

from __future__ import annotations

import sys
from datetime import datetime, timezone
from pathlib import Path

import typer


from .cli_common import fail as _fail


def register(app: typer.Typer) -> None:
    corpus = typer.Typer(help="Annotated-corpus tools.", no_args_is_help=True)
    app.add_typer(corpus, name="corpus")

    @corpus.command("export-feedback")
    def export_feedback(
        out: Path = typer.Option(Path("-"), "--out", "-o", help="JSONL file to write ('-' for stdout)."),
        since: str | None = typer.Option(None, help="Only feedback given on or after this date (YYYY-MM-DD)."),
        database_url: str | None = typer.Option(None, "--database-url", envvar="DATABASE_URL",
                                                help="Default: the service's SQLite file."),
    ) -> None:
        """Write reviewer feedback as corpus JSONL (one record per sentence; see corpus.py).

        Labels a reviewer confirmed are in `labels`; every label a reviewer judged (right or wrong)
        is in `extra.annotated_labels`, so training treats only those as known.
        """
        from .store import Store, default_database_url

        since_dt = None
        if since:
            try:
                since_dt = datetime.fromisoformat(since).replace(tzinfo=timezone.utc)
            except ValueError:
                raise _fail(f"--since must be a date like 2025-01-31, not {since!r}")
        try:
            store = Store(database_url or default_database_url())
            store.migrate()
            records = store.feedback_records(since=since_dt)
        except Exception as exc:  # noqa: BLE001 - one line, no traceback
            raise _fail(f"cannot read the database: {exc.__class__.__name__}: {str(exc).splitlines()[0]}")
        import json

        lines = [json.dumps(r.to_json(), ensure_ascii=False) for r in records]
        if str(out) == "-":
            sys.stdout.write("".join(line + "\n" for line in lines))
        else:
            out.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
            typer.echo(f"wrote {len(lines)} sentences to {out}", err=True)
