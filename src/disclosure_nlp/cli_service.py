"""`serve` and `keys` commands; `cli.py` adds them to the main app with `register(app)`.

    disclosure-nlp serve                      # SQLite in ~/.local/share/disclosure-nlp, http://127.0.0.1:8000
    disclosure-nlp keys create --name procurement-bot --role service
    disclosure-nlp keys list
    disclosure-nlp keys revoke 3
"""

from __future__ import annotations

import sys
from pathlib import Path

import typer

LOOPBACK = ("127.0.0.1", "localhost", "::1")


from .cli_common import fail as _fail


def _import_api():
    """The `api` package: installed, or next to src/ in a source checkout."""
    try:
        import api
    except ModuleNotFoundError as exc:
        if exc.name != "api":
            raise
        root = Path(__file__).resolve().parents[2]
        if not (root / "api" / "app.py").is_file():
            raise _fail("the web service package `api` is not installed with this copy of disclosure-nlp")
        sys.path.insert(0, str(root))
        import api
    return api


def _store(database_url: str | None):
    from .store import Store, default_database_url

    try:
        store = Store(database_url or default_database_url())
        store.migrate()
    except Exception as exc:  # noqa: BLE001 - one line, no traceback
        raise _fail(f"cannot open the database: {exc.__class__.__name__}: {str(exc).splitlines()[0]}")
    return store


def ensure_first_key(store) -> str | None:
    """Create an admin key when the database has none; returns it (shown once), else None."""
    if store.active_key_count():
        return None
    _, secret = store.create_key("local-admin", "admin")
    return secret


DATABASE_OPTION = typer.Option(None, "--database-url", envvar="DATABASE_URL",
                               help="SQLAlchemy URL (default: a SQLite file in ~/.local/share/disclosure-nlp).")


def register(app: typer.Typer) -> None:
    @app.command("serve")
    def serve(
        host: str = typer.Option("127.0.0.1", help="Address to listen on (loopback by default)."),
        port: int = typer.Option(8000, min=1, max=65535),
        database_url: str | None = DATABASE_OPTION,
        models: Path | None = typer.Option(None, "--models", envvar="DISCLOSURE_NLP_MODELS",
                                           help="Model folder (default: the shipped models/)."),
        workers: int = typer.Option(2, "--analysis-workers", min=1, help="Documents analysed at once."),
        log_level: str = typer.Option("info", help="uvicorn log level"),
    ) -> None:
        """Start the API and the reviewer web page; prints the URL and, on first run, an admin key."""
        import uvicorn

        api = _import_api()
        store = _store(database_url)
        overrides = {"analysis_workers": workers}
        if database_url:
            overrides["database_url"] = database_url
        if models:
            overrides["models_dir"] = models
        settings = api.Settings(**overrides)
        from .store import redact_url

        secret = ensure_first_key(store)
        shown_host = f"[{host}]" if ":" in host else host
        url = f"http://{'127.0.0.1' if host in ('0.0.0.0', '::') else shown_host}:{port}"
        typer.echo(f"disclosure-nlp service at {url}/  (API docs: {url}/docs)")
        typer.echo(f"database: {redact_url(store.url)}")
        if secret:
            typer.echo("")
            typer.echo("First run: created an admin API key. It is shown only once; keep it safe:")
            typer.echo(f"    {secret}")
            typer.echo("Sign in to the web page with it, or send it as 'Authorization: Bearer <key>'.")
            typer.echo("Create more with `disclosure-nlp keys create --name NAME --role reviewer|service|admin`.")
            typer.echo("")
        if host not in LOOPBACK:
            typer.echo("warning: listening beyond this machine; put the service behind HTTPS "
                       "(and set DISCLOSURE_NLP_COOKIE_SECURE=true)", err=True)
        application = api.create_app(settings, store=store)
        uvicorn.run(application, host=host, port=port, log_level=log_level, server_header=False,
                    timeout_keep_alive=5, limit_concurrency=200)

    keys = typer.Typer(help="Manage API keys (stored hashed; a key is shown once, when created).",
                       no_args_is_help=True)
    app.add_typer(keys, name="keys")

    @keys.command("create")
    def create(
        name: str = typer.Option(..., "--name", help="Who or what uses the key (shown in analyses and feedback)."),
        role: str = typer.Option("reviewer", "--role", help="reviewer | service | admin"),
        database_url: str | None = DATABASE_OPTION,
    ) -> None:
        """Create a key and print it (once)."""
        store = _store(database_url)
        try:
            row, secret = store.create_key(name, role)
        except ValueError as exc:
            raise _fail(str(exc))
        typer.echo(f"created key {row.id} ({row.name}, {row.role}):", err=True)
        typer.echo(secret)

    @keys.command("list")
    def list_(
        all_: bool = typer.Option(False, "--all", help="Include revoked keys."),
        database_url: str | None = DATABASE_OPTION,
    ) -> None:
        """List keys (id, prefix, name, role, dates); secrets are never shown."""
        store = _store(database_url)
        typer.echo(f"{'id':>4}  {'prefix':<14}{'role':<10}{'created':<18}{'last used':<18}{'revoked':<18}name")
        fmt = lambda d: d.strftime("%Y-%m-%d %H:%M") if d else "-"  # noqa: E731
        for k in store.list_keys(include_revoked=all_):
            typer.echo(f"{k.id:>4}  {k.prefix:<14}{k.role:<10}{fmt(k.created_at):<18}{fmt(k.last_used_at):<18}"
                       f"{fmt(k.revoked_at):<18}{k.name}")

    @keys.command("revoke")
    def revoke(
        key: str = typer.Argument(..., help="Key id (from `keys list`), prefix, or the key itself."),
        database_url: str | None = DATABASE_OPTION,
    ) -> None:
        """Revoke a key: it stops working at once."""
        store = _store(database_url)
        row = store.revoke_key(key)
        if row is None:
            raise _fail(f"no key {key!r}")
        typer.echo(f"revoked key {row.id} ({row.name}, {row.role})")
