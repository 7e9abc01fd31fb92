"""disclosure_nlp.store on a real SQLite file and a real PostgreSQL server (127.0.0.1:5432, db `test`).

PostgreSQL tests skip with a message when no server answers; `.ci/run` starts one. Each PostgreSQL
run works in its own schema, dropped at the end.
"""

from __future__ import annotations

import json
import threading
import uuid
from datetime import datetime, timedelta, timezone
from types import SimpleNamespace

import pytest
from sqlalchemy import text

from disclosure_nlp.corpus import read_jsonl
from disclosure_nlp.store import (
    Analysis,
    ApiKey,
    Base,
    Principal,
    Store,
    StoredDocument,
    export_feedback_jsonl,
    normalise_url,
)

PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def _postgres_available() -> str | None:
    try:
        import psycopg
    except ImportError:
        return "psycopg is not installed"
    try:
        with psycopg.connect("host=127.0.0.1 port=5432 dbname=test user=postgres connect_timeout=2"):
            return None
    except Exception as exc:  # noqa: BLE001
        return f"no PostgreSQL server answers at 127.0.0.1:5432 (database test, trust auth): {str(exc).splitlines()[0]}"


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request, tmp_path):
    if request.param == "sqlite":
        s = Store(f"sqlite:///{tmp_path / 'store.db'}")
        s.migrate()
        yield s
        s.dispose()
        return
    reason = _postgres_available()
    if reason:
        pytest.skip(reason)
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = Store(PG_URL)
    with admin.engine.begin() as c:
        c.execute(text(f'CREATE SCHEMA "{schema}"'))
    s = Store(f"{PG_URL}?options=-csearch_path%3D{schema}")
    try:
        s.migrate()
        yield s
    finally:
        s.dispose()
        with admin.engine.begin() as c:
            c.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def fake_score(model_sha="m1", risk=40.0, band="medium", pages=3):
    """What the store needs of a DocumentScore (the API tests use real ones)."""
    body = {"model": {"sha": model_sha}, "risk": risk}
    return SimpleNamespace(
        model=SimpleNamespace(sha=model_sha, version="0.1.0"),
        risk=SimpleNamespace(score=risk, band=band),
        document=SimpleNamespace(pages=pages),
        model_dump_json=lambda: json.dumps(body),
    )


def add_analysis(store, data=b"%PDF-1.7 fake", owner=None, supplier=("Acme Ltd", "GB-COH-09506232"),
                 score=None, created_at=None):
    with store.session() as s:
        sha = store.put_document(s, data, "pdf", "a.pdf")
        row = store.new_analysis(s, sha256=sha, owner=owner, name="a.pdf", jurisdiction="uk",
                                 document_type="auto", supplier_name=supplier[0], supplier_id=supplier[1])
        if score is not None:
            result = store.put_result(s, sha, score, "uk", "auto")
            store.attach_result(row, result, score, reused=False)
        if created_at:
            row.created_at = created_at
    return row


def test_migrations_create_exactly_the_models_tables(store):
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    assert store.current_revision() == "0001"
    with store.engine.connect() as c:
        diff = compare_metadata(MigrationContext.configure(c, opts={"compare_type": True}), Base.metadata)
    assert diff == [], f"models and migrations disagree: {diff}"
    store.migrate()  # idempotent
    store.downgrade("base")
    with store.engine.connect() as c:
        assert "analyses" not in store.engine.dialect.get_table_names(c)
    store.migrate()
    assert store.current_revision() == "0001"


def test_keys_are_stored_hashed_and_revocable(store):
    row, secret = store.create_key("procurement-bot", "service")
    assert secret.startswith("dnlp_") and len(secret) > 40
    with store.session() as s:
        stored = s.get(ApiKey, row.id)
        assert secret not in (stored.key_hash, stored.prefix) and secret[-20:] not in stored.key_hash
    p = store.authenticate(secret)
    assert p == Principal(row.id, "procurement-bot", "service")
    assert store.authenticate(secret[:-1] + ("A" if secret[-1] != "A" else "B")) is None
    assert store.authenticate("") is None and store.authenticate("nonsense") is None
    assert store.active_key_count() == 1
    assert store.revoke_key(row.id) is not None
    assert store.authenticate(secret) is None
    assert store.active_key_count() == 0
    assert store.revoke_key(9999) is None
    with pytest.raises(ValueError):
        store.create_key("x", "superuser")


def test_documents_are_stored_once_by_sha256(store):
    with store.session() as s:
        a = store.put_document(s, b"hello", "txt", "a.txt")
        b = store.put_document(s, b"hello", "txt", "b.txt")
    assert a == b
    with store.session() as s:
        assert s.query(StoredDocument).count() == 1
    assert store.document_content(a) == b"hello"


def test_concurrent_identical_uploads_store_one_document(store):
    errors = []

    def put():
        try:
            with store.session() as s:
                store.put_document(s, b"same bytes", "txt", None)
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=put) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    with store.session() as s:
        assert s.query(StoredDocument).count() == 1


def test_results_are_reused_per_model_and_options(store):
    with store.session() as s:
        sha = store.put_document(s, b"doc", "txt", None)
        r1 = store.put_result(s, sha, fake_score("m1"), "uk", "auto")
        r2 = store.put_result(s, sha, fake_score("m1"), "uk", "auto")
        r3 = store.put_result(s, sha, fake_score("m2"), "uk", "auto")  # the model changed
        r4 = store.put_result(s, sha, fake_score("m1"), None, "auto")  # other options
        assert r1.id == r2.id and len({r1.id, r3.id, r4.id}) == 3
        assert store.find_result(s, sha, "m1", "uk", "auto").id == r1.id
        assert store.find_result(s, sha, "m3", "uk", "auto") is None


def test_a_failing_transaction_leaves_nothing(store):
    with pytest.raises(RuntimeError):
        with store.session() as s:
            sha = store.put_document(s, b"rolled back", "txt", None)
            store.new_analysis(s, sha256=sha, owner=None, name=None, jurisdiction=None, document_type="auto")
            raise RuntimeError("boom")
    with store.session() as s:
        assert s.query(StoredDocument).count() == 0
        assert s.query(Analysis).count() == 0


def test_list_filters_and_pages(store):
    now = datetime.now(timezone.utc)
    for i in range(5):
        add_analysis(store, data=f"doc {i}".encode(), supplier=(f"Acme {i} Ltd", f"GB-COH-0000000{i}"),
                     score=fake_score(band="high" if i % 2 else "low"), created_at=now - timedelta(days=i))
    add_analysis(store, data=b"other", supplier=("Other Plc", "GB-COH-99999999"), created_at=now - timedelta(days=10))
    rows, total = store.list_analyses(limit=2)
    assert total == 6 and len(rows) == 2 and rows[0].created_at >= rows[1].created_at
    assert store.list_analyses(supplier="acme")[1] == 5
    assert store.list_analyses(supplier="ACME 3")[1] == 1
    assert store.list_analyses(supplier="GB-COH-99999999")[0][0].supplier_name == "Other Plc"
    assert store.list_analyses(supplier="100%_")[1] == 0  # LIKE wildcards are literal
    assert store.list_analyses(since=now - timedelta(days=2, hours=1))[1] == 3
    assert store.list_analyses(until=now - timedelta(days=9))[1] == 1
    assert store.list_analyses(band="high")[1] == 2
    page2, _ = store.list_analyses(limit=4, offset=4)
    assert len(page2) == 2


def test_delete_removes_feedback_and_unreferenced_documents(store):
    key, _ = store.create_key("rev", "reviewer")
    owner = Principal(key.id, key.name, key.role)
    a = add_analysis(store, data=b"shared", owner=owner, score=fake_score())
    b = add_analysis(store, data=b"shared", owner=owner, score=fake_score())
    store.add_feedback(analysis_id=a.id, document_sha256=a.document_sha256, sentence=1, text="t",
                       labels={"policies": True}, reviewer=owner)
    assert store.delete_analysis(a.id)
    assert store.list_feedback(analysis_id=a.id) == []
    assert store.document_info(a.document_sha256) is not None  # b still uses it
    assert store.delete_analysis(b.id)
    assert store.document_info(a.document_sha256) is None
    assert not store.delete_analysis(a.id)


def test_feedback_exports_as_corpus_jsonl(store, tmp_path):
    key, _ = store.create_key("alice", "reviewer")
    alice = Principal(key.id, key.name, key.role)
    a = add_analysis(store, score=fake_score())
    store.add_feedback(analysis_id=a.id, document_sha256=a.document_sha256, sentence=4,
                       text="We audited 40 suppliers.", labels={"audits_monitoring": True, "policies": True},
                       reviewer=alice)
    store.add_feedback(analysis_id=a.id, document_sha256=a.document_sha256, sentence=4,
                       text="We audited 40 suppliers.", labels={"policies": False}, reviewer=alice,
                       evidence_status="implemented", comment="not a policy")
    store.add_feedback(analysis_id=a.id, document_sha256=a.document_sha256, sentence=9, text="Passports were kept.",
                       labels={}, red_flags={"retention_of_identity_documents": "observed"}, reviewer=alice)
    fb = store.list_feedback(analysis_id=a.id)
    assert fb[0].reviewer == "alice" and fb[0].created_at is not None
    path = tmp_path / "feedback.jsonl"
    assert export_feedback_jsonl(store, path) == 2
    records = read_jsonl(path)  # the corpus reader accepts it
    first = records[0]
    assert (first.doc_id, first.index, first.labels) == (a.document_sha256, 4, ["audits_monitoring"])
    assert first.extra["annotated_labels"] == ["audits_monitoring", "policies"]
    assert first.evidence_status == "implemented" and first.source == "reviewer_feedback"
    assert first.extra["reviewers"] == ["alice"]
    assert records[1].red_flags == {"retention_of_identity_documents": "observed"}


def test_pending_analyses_are_found_for_resumption(store):
    a = add_analysis(store)
    assert store.pending_analyses() == [a.id]
    assert store.mark_running(a.id)
    assert store.pending_analyses() == [a.id]
    store.mark_failed(a.id, "corrupt", "bad file")
    assert store.pending_analyses() == []
    assert store.get_analysis(a.id).error_code == "corrupt"


def test_urls_are_normalised_to_psycopg():
    assert normalise_url("postgres://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalise_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalise_url("sqlite:///x.db") == "sqlite:///x.db"
