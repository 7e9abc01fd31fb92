"""Persistence: API keys, documents (by sha256), analysis results, reviewer feedback.

    store = Store("sqlite:///var/disclosure-nlp.db")      # or postgresql://user@host/db
    store.migrate()                                         # Alembic, idempotent
    with store.session() as s: ...                          # one transaction; rollback on error

SQLite (a file) is the embedded default; PostgreSQL is chosen by URL (`DATABASE_URL`). The schema
is created and upgraded only by the Alembic migrations in `disclosure_nlp/migrations`, never by
`create_all`, so a deployed database and a fresh one always match.

Documents are stored once per sha256 of their bytes. A result is stored once per (document sha256,
model sha, jurisdiction asked for, document type asked for): re-uploading the same file with the
same model reuses it instead of analysing again. Each upload still gets its own analysis row (its
own owner, supplier and name), pointing at the shared result.

The library layer knows nothing of HTTP: the API and the CLI both call this module.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from sqlalchemy import (
    JSON,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    create_engine,
    event,
    func,
    or_,
    select,
)
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, deferred, mapped_column, sessionmaker
from sqlalchemy.pool import StaticPool

ROLES = ("reviewer", "service", "admin")
STATUSES = ("queued", "running", "done", "failed")
KEY_PREFIX = "dnlp"


class StoreError(RuntimeError):
    """The database cannot be reached or is not at the expected schema."""


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def as_utc(value: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes; everything stored here is UTC."""
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=timezone.utc)


def default_database_url() -> str:
    """$DATABASE_URL, else a SQLite file in $DISCLOSURE_NLP_DATA_DIR (default ~/.local/share/disclosure-nlp)."""
    url = os.environ.get("DATABASE_URL")
    if url:
        return url
    return f"sqlite:///{default_data_dir() / 'disclosure-nlp.db'}"


def default_data_dir() -> Path:
    env = os.environ.get("DISCLOSURE_NLP_DATA_DIR")
    if env:
        return Path(env)
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "disclosure-nlp"


def normalise_url(url: str) -> str:
    """postgres:// and postgresql:// -> the psycopg 3 driver; everything else unchanged."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def redact_url(url: str) -> str:
    """The URL without its password, for logs and the CLI."""
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001 - only for display
        return "<unparseable database URL>"


# ---------------------------------------------------------------------------------------------
# tables (the migrations in disclosure_nlp/migrations create exactly these; a test checks it)


class Base(DeclarativeBase):
    pass


class ApiKey(Base):
    __tablename__ = "api_keys"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(128))
    role: Mapped[str] = mapped_column(String(16))
    # the public part of the key, used to find the row; the secret part is only stored hashed
    prefix: Mapped[str] = mapped_column(String(16), unique=True, index=True)
    key_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class StoredDocument(Base):
    __tablename__ = "documents"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size_bytes: Mapped[int] = mapped_column(Integer)
    source_type: Mapped[str] = mapped_column(String(16))
    name: Mapped[str | None] = mapped_column(String(255), nullable=True)
    content: Mapped[bytes] = deferred(mapped_column(LargeBinary, nullable=False))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Result(Base):
    __tablename__ = "results"
    __table_args__ = (
        UniqueConstraint("document_sha256", "model_sha", "jurisdiction_key", "document_type_key",
                         name="uq_results_document_model_options"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    document_sha256: Mapped[str] = mapped_column(ForeignKey("documents.sha256", ondelete="CASCADE"), index=True)
    model_sha: Mapped[str] = mapped_column(String(64))
    model_version: Mapped[str] = mapped_column(String(32))
    jurisdiction_key: Mapped[str] = mapped_column(String(16))  # "" = detected
    document_type_key: Mapped[str] = mapped_column(String(16))
    result_json: Mapped[str] = deferred(mapped_column(Text, nullable=False))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Analysis(Base):
    __tablename__ = "analyses"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    document_sha256: Mapped[str] = mapped_column(ForeignKey("documents.sha256"), index=True)
    result_id: Mapped[int | None] = mapped_column(ForeignKey("results.id"), nullable=True)
    status: Mapped[str] = mapped_column(String(16), index=True)
    error_code: Mapped[str | None] = mapped_column(String(64), nullable=True)
    error_message: Mapped[str | None] = mapped_column(Text, nullable=True)
    owner_key_id: Mapped[int | None] = mapped_column(ForeignKey("api_keys.id", ondelete="SET NULL"), nullable=True, index=True)
    owner_name: Mapped[str | None] = mapped_column(String(128), nullable=True)
    name: Mapped[str | None] = mapped_column(String(255), nullable=True)
    supplier_name: Mapped[str | None] = mapped_column(String(255), nullable=True, index=True)
    supplier_id: Mapped[str | None] = mapped_column(String(128), nullable=True, index=True)
    jurisdiction: Mapped[str | None] = mapped_column(String(16), nullable=True)
    document_type: Mapped[str] = mapped_column(String(16))
    reused: Mapped[bool] = mapped_column(default=False)
    risk_score: Mapped[float | None] = mapped_column(Float, nullable=True)
    risk_band: Mapped[str | None] = mapped_column(String(8), nullable=True, index=True)
    pages: Mapped[int | None] = mapped_column(Integer, nullable=True)
    model_version: Mapped[str | None] = mapped_column(String(32), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class Feedback(Base):
    __tablename__ = "feedback"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    analysis_id: Mapped[str] = mapped_column(ForeignKey("analyses.id", ondelete="CASCADE"), index=True)
    document_sha256: Mapped[str] = mapped_column(String(64), index=True)
    sentence: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    # label id -> true (the label applies) / false (it does not)
    labels: Mapped[dict[str, bool]] = mapped_column(JSON)
    evidence_status: Mapped[str | None] = mapped_column(String(16), nullable=True)
    red_flags: Mapped[dict[str, str] | None] = mapped_column(JSON, nullable=True)
    comment: Mapped[str | None] = mapped_column(Text, nullable=True)
    model_sha: Mapped[str | None] = mapped_column(String(64), nullable=True)
    reviewer_key_id: Mapped[int | None] = mapped_column(ForeignKey("api_keys.id", ondelete="SET NULL"), nullable=True)
    reviewer: Mapped[str] = mapped_column(String(128))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)


# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Principal:
    """Who is calling: an API key's id, name and role (never the secret)."""

    key_id: int
    name: str
    role: str

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


def hash_key(secret: str) -> str:
    # Keys are 190+ random bits, so a plain SHA-256 is enough (no password-style stretching needed).
    return hashlib.sha256(secret.encode()).hexdigest()


def new_key_secret() -> tuple[str, str]:
    """(prefix, full key). The full key is shown once; only its hash is stored."""
    prefix = secrets.token_hex(6)
    return prefix, f"{KEY_PREFIX}_{prefix}_{secrets.token_urlsafe(24)}"


def _prefix_of(secret: str) -> str | None:
    parts = secret.split("_", 2)
    if len(parts) != 3 or parts[0] != KEY_PREFIX or not parts[1]:
        return None
    return parts[1]


class Store:
    def __init__(self, url: str | None = None, *, echo: bool = False):
        self.url = normalise_url(url or default_database_url())
        self.engine: Engine = _make_engine(self.url, echo)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    # -- schema -----------------------------------------------------------------------------
    def migrate(self, revision: str = "head") -> None:
        """Bring the schema to `revision` with Alembic (creates it on an empty database)."""
        from alembic import command

        with self.engine.begin() as connection:
            cfg = alembic_config(connection)
            command.upgrade(cfg, revision)

    def downgrade(self, revision: str) -> None:
        """Step the schema back to `revision` ("base" drops every table): for tests and rollbacks."""
        from alembic import command

        with self.engine.begin() as connection:
            command.downgrade(alembic_config(connection), revision)

    def current_revision(self) -> str | None:
        from alembic.runtime.migration import MigrationContext

        with self.engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()

    def ping(self) -> bool:
        try:
            with self.engine.connect() as connection:
                connection.exec_driver_sql("SELECT 1")
            return True
        except Exception:  # noqa: BLE001 - readiness probe: any failure means not ready
            return False

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One transaction: committed when the block ends, rolled back if it raises."""
        with self._sessions() as session, session.begin():
            yield session

    def dispose(self) -> None:
        self.engine.dispose()

    # -- API keys ---------------------------------------------------------------------------
    def create_key(self, name: str, role: str) -> tuple[ApiKey, str]:
        if role not in ROLES:
            raise ValueError(f"role must be one of {', '.join(ROLES)}, not {role!r}")
        name = name.strip()
        if not name or len(name) > 128:
            raise ValueError("a key needs a name of 1-128 characters")
        prefix, secret = new_key_secret()
        row = ApiKey(name=name, role=role, prefix=prefix, key_hash=hash_key(secret), created_at=utcnow())
        with self.session() as s:
            s.add(row)
        return row, secret

    def authenticate(self, secret: str) -> Principal | None:
        prefix = _prefix_of(secret or "")
        if prefix is None:
            return None
        with self.session() as s:
            row = s.scalar(select(ApiKey).where(ApiKey.prefix == prefix))
            if row is None or row.revoked_at is not None:
                return None
            if not hmac.compare_digest(row.key_hash, hash_key(secret)):
                return None
            now = utcnow()
            last = as_utc(row.last_used_at)
            if last is None or (now - last).total_seconds() > 60:  # don't write on every request
                row.last_used_at = now
            return Principal(row.id, row.name, row.role)

    def list_keys(self, include_revoked: bool = False) -> list[ApiKey]:
        with self.session() as s:
            q = select(ApiKey).order_by(ApiKey.id)
            if not include_revoked:
                q = q.where(ApiKey.revoked_at.is_(None))
            return list(s.scalars(q))

    def revoke_key(self, key: int | str) -> ApiKey | None:
        """Revoke by id or by prefix; returns the key, or None when there is no such key."""
        with self.session() as s:
            if isinstance(key, int) or str(key).isdigit():
                row = s.get(ApiKey, int(key))
            else:
                row = s.scalar(select(ApiKey).where(ApiKey.prefix == (_prefix_of(str(key)) or str(key))))
            if row is None:
                return None
            if row.revoked_at is None:
                row.revoked_at = utcnow()
            return row

    def active_key_count(self) -> int:
        with self.session() as s:
            return s.scalar(select(func.count()).select_from(ApiKey).where(ApiKey.revoked_at.is_(None))) or 0

    # -- documents --------------------------------------------------------------------------
    def put_document(self, session: Session, data: bytes, source_type: str, name: str | None) -> str:
        """Store bytes under their sha256 (idempotent, safe against a concurrent identical upload)."""
        sha = hashlib.sha256(data).hexdigest()
        if session.get(StoredDocument, sha) is None:
            try:
                with session.begin_nested():
                    session.add(StoredDocument(sha256=sha, size_bytes=len(data), source_type=source_type,
                                               name=_clip(name, 255), content=data, created_at=utcnow()))
            except IntegrityError:
                pass  # stored by a concurrent request in the meantime
        return sha

    def document_info(self, sha256: str) -> StoredDocument | None:
        with self.session() as s:
            return s.get(StoredDocument, sha256)

    def document_content(self, sha256: str) -> bytes | None:
        with self.session() as s:
            return s.scalar(select(StoredDocument.content).where(StoredDocument.sha256 == sha256))

    # -- results and analyses ---------------------------------------------------------------
    def find_result(self, session: Session, sha256: str, model_sha: str, jurisdiction: str | None,
                    document_type: str) -> Result | None:
        return session.scalar(
            select(Result).where(
                Result.document_sha256 == sha256,
                Result.model_sha == model_sha,
                Result.jurisdiction_key == (jurisdiction or ""),
                Result.document_type_key == document_type,
            )
        )

    def put_result(self, session: Session, sha256: str, score: Any, jurisdiction: str | None,
                   document_type: str) -> Result:
        """Store a DocumentScore for (document, model, options); returns the existing row if present."""
        existing = self.find_result(session, sha256, score.model.sha, jurisdiction, document_type)
        if existing is not None:
            return existing
        row = Result(document_sha256=sha256, model_sha=score.model.sha, model_version=score.model.version,
                     jurisdiction_key=jurisdiction or "", document_type_key=document_type,
                     result_json=score.model_dump_json(), created_at=utcnow())
        try:
            with session.begin_nested():
                session.add(row)
        except IntegrityError:
            return self.find_result(session, sha256, score.model.sha, jurisdiction, document_type)  # type: ignore[return-value]
        return row

    def new_analysis(self, session: Session, *, sha256: str, owner: Principal | None, name: str | None,
                     jurisdiction: str | None, document_type: str, supplier_name: str | None = None,
                     supplier_id: str | None = None, status: str = "queued") -> Analysis:
        row = Analysis(
            id=uuid.uuid4().hex, document_sha256=sha256, status=status,
            owner_key_id=owner.key_id if owner else None, owner_name=owner.name if owner else None,
            name=_clip(name, 255), supplier_name=_clip(supplier_name, 255), supplier_id=_clip(supplier_id, 128),
            jurisdiction=jurisdiction, document_type=document_type, created_at=utcnow(), reused=False,
        )
        session.add(row)
        session.flush()
        return row

    @staticmethod
    def attach_result(analysis: Analysis, result: Result, score: Any, reused: bool) -> None:
        analysis.result_id = result.id
        analysis.status = "done"
        analysis.reused = reused
        analysis.risk_score = float(score.risk.score)
        analysis.risk_band = score.risk.band
        analysis.pages = int(score.document.pages)
        analysis.model_version = score.model.version
        analysis.error_code = analysis.error_message = None
        analysis.finished_at = utcnow()

    def mark_running(self, analysis_id: str) -> bool:
        with self.session() as s:
            row = s.get(Analysis, analysis_id)
            if row is None or row.status not in ("queued", "running"):
                return False
            row.status = "running"
            return True

    def mark_failed(self, analysis_id: str, code: str, message: str) -> None:
        with self.session() as s:
            row = s.get(Analysis, analysis_id)
            if row is not None:
                row.status = "failed"
                row.error_code = code[:64]
                row.error_message = message[:2000]
                row.finished_at = utcnow()

    def get_analysis(self, analysis_id: str) -> Analysis | None:
        with self.session() as s:
            return s.get(Analysis, analysis_id)

    def result_json(self, result_id: int) -> str | None:
        with self.session() as s:
            return s.scalar(select(Result.result_json).where(Result.id == result_id))

    def list_analyses(
        self,
        *,
        supplier: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        status: str | None = None,
        band: str | None = None,
        owner_key_id: int | None = None,
        limit: int = 20,
        offset: int = 0,
    ) -> tuple[list[Analysis], int]:
        """Newest first. `supplier` matches the identifier exactly or the name case-insensitively."""
        conds = []
        if supplier:
            pattern = "%" + supplier.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            conds.append(or_(Analysis.supplier_id == supplier,
                             func.lower(Analysis.supplier_name).like(pattern, escape="\\")))
        if since:
            conds.append(Analysis.created_at >= since)
        if until:
            conds.append(Analysis.created_at <= until)
        if status:
            conds.append(Analysis.status == status)
        if band:
            conds.append(Analysis.risk_band == band)
        if owner_key_id is not None:
            conds.append(Analysis.owner_key_id == owner_key_id)
        with self.session() as s:
            total = s.scalar(select(func.count()).select_from(Analysis).where(*conds)) or 0
            rows = s.scalars(
                select(Analysis).where(*conds).order_by(Analysis.created_at.desc(), Analysis.id)
                .limit(limit).offset(offset)
            )
            return list(rows), total

    def pending_analyses(self) -> list[str]:
        """Analyses left queued or running (e.g. by a restart): the service resumes them."""
        with self.session() as s:
            return list(s.scalars(select(Analysis.id).where(Analysis.status.in_(("queued", "running")))
                                  .order_by(Analysis.created_at)))

    def delete_analysis(self, analysis_id: str) -> bool:
        """Delete an analysis with its feedback; the document and results go too once unreferenced."""
        with self.session() as s:
            row = s.get(Analysis, analysis_id)
            if row is None:
                return False
            sha = row.document_sha256
            s.query(Feedback).filter(Feedback.analysis_id == analysis_id).delete(synchronize_session=False)
            s.delete(row)
            s.flush()
            still_used = s.scalar(select(func.count()).select_from(Analysis).where(Analysis.document_sha256 == sha))
            if not still_used:
                s.query(Result).filter(Result.document_sha256 == sha).delete(synchronize_session=False)
                s.query(StoredDocument).filter(StoredDocument.sha256 == sha).delete(synchronize_session=False)
            return True

    # -- feedback ---------------------------------------------------------------------------
    def add_feedback(self, *, analysis_id: str, document_sha256: str, sentence: int, text: str,
                     labels: dict[str, bool], reviewer: Principal, evidence_status: str | None = None,
                     red_flags: dict[str, str] | None = None, comment: str | None = None,
                     model_sha: str | None = None) -> Feedback:
        row = Feedback(
            analysis_id=analysis_id, document_sha256=document_sha256, sentence=sentence, text=text,
            labels=dict(labels), evidence_status=evidence_status, red_flags=dict(red_flags) if red_flags else None,
            comment=comment, model_sha=model_sha, reviewer_key_id=reviewer.key_id, reviewer=reviewer.name,
            created_at=utcnow(),
        )
        with self.session() as s:
            s.add(row)
        return row

    def list_feedback(self, analysis_id: str | None = None, since: datetime | None = None) -> list[Feedback]:
        with self.session() as s:
            q = select(Feedback).order_by(Feedback.created_at, Feedback.id)
            if analysis_id:
                q = q.where(Feedback.analysis_id == analysis_id)
            if since:
                q = q.where(Feedback.created_at >= since)
            return list(s.scalars(q))

    def feedback_records(self, since: datetime | None = None) -> list:
        """Feedback merged per (document, sentence) as corpus records (`corpus.AnnotatedSentence`).

        Later judgments win per label. `labels` lists the labels confirmed to apply;
        `extra.annotated_labels` lists every label a reviewer judged, so training and evaluation
        treat only those as known (a label nobody looked at is not a negative).
        """
        from .corpus import AnnotatedSentence

        merged: dict[tuple[str, int], dict[str, Any]] = {}
        for fb in self.list_feedback(since=since):
            key = (fb.document_sha256, fb.sentence)
            m = merged.setdefault(key, {"text": fb.text, "labels": {}, "status": None, "flags": {},
                                        "comments": [], "reviewers": [], "analyses": [], "last": None})
            m["labels"].update(fb.labels or {})
            if fb.evidence_status:
                m["status"] = fb.evidence_status
            if fb.red_flags:
                m["flags"].update(fb.red_flags)
            if fb.comment:
                m["comments"].append(fb.comment)
            for field_, value in (("reviewers", fb.reviewer), ("analyses", fb.analysis_id)):
                if value not in m[field_]:
                    m[field_].append(value)
            m["last"] = as_utc(fb.created_at)
        out = []
        for (sha, sentence), m in sorted(merged.items(), key=lambda kv: (kv[0][0], kv[0][1])):
            out.append(AnnotatedSentence(
                doc_id=sha,
                index=sentence,
                text=m["text"],
                labels=sorted(k for k, v in m["labels"].items() if v),
                evidence_status=m["status"],
                red_flags=m["flags"] or None,
                source="reviewer_feedback",
                comment=" | ".join(m["comments"]) or None,
                extra={
                    "annotated_labels": sorted(m["labels"]),
                    "reviewers": m["reviewers"],
                    "analysis_ids": m["analyses"],
                    "last_feedback_at": m["last"].isoformat() if m["last"] else None,
                },
            ))
        return out


def _clip(value: str | None, n: int) -> str | None:
    return value[:n] if value else value


def _make_engine(url: str, echo: bool) -> Engine:
    if url.startswith("sqlite"):
        kwargs: dict[str, Any] = {"connect_args": {"check_same_thread": False, "timeout": 30}}
        memory = url in ("sqlite://", "sqlite:///:memory:") or "mode=memory" in url
        if memory:
            kwargs["poolclass"] = StaticPool
        else:
            path = url.split("///", 1)[-1].split("?", 1)[0]
            if path:
                Path(path).expanduser().parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, echo=echo, **kwargs)

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record):  # pragma: no cover - trivial
            # pysqlite's own transaction handling breaks SAVEPOINTs; SQLAlchemy emits BEGIN instead.
            dbapi_connection.isolation_level = None
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA busy_timeout=30000")
            if not memory:
                cursor.execute("PRAGMA journal_mode=WAL")  # readers don't block the writer
            cursor.close()

        @event.listens_for(engine, "begin")
        def _sqlite_begin(connection):  # pragma: no cover - trivial
            # IMMEDIATE takes the write lock up front, so two writers queue (busy_timeout) instead
            # of one failing when it upgrades a read lock.
            connection.exec_driver_sql("BEGIN IMMEDIATE")

        return engine
    return create_engine(url, echo=echo, pool_pre_ping=True, pool_size=5, max_overflow=10)


def alembic_config(connection=None):
    """An Alembic Config pointing at the packaged migrations (no alembic.ini needed at run time)."""
    from alembic.config import Config

    here = Path(__file__).resolve().parent / "migrations"
    cfg = Config()
    cfg.set_main_option("script_location", str(here))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def export_feedback_jsonl(store: Store, path: str | Path, since: datetime | None = None) -> int:
    """Write reviewer feedback in the corpus JSONL format; returns the number of sentences."""
    from .corpus import write_jsonl

    return write_jsonl(store.feedback_records(since=since), path)

