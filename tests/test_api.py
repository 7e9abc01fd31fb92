"""The FastAPI service end to end, in process (TestClient), on a real SQLite file and the shipped models.

Covers authentication and roles, uploads and their limits, reuse by sha256, jobs, listing, reports,
feedback and its export, /v1/score, reference endpoints, metrics, errors and the OpenAPI document.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # `api/` sits next to src/ in the repository
    sys.path.insert(0, str(ROOT))

pytest.importorskip("fastapi")
from fastapi.testclient import TestClient  # noqa: E402

from api import Settings, create_app  # noqa: E402
from disclosure_nlp.testing import encrypted_pdf, render_pdf, sample_statement, truncated_pdf  # noqa: E402

IDENT = "GB-COH-09506232"


@pytest.fixture(scope="module")
def pdf_bytes() -> bytes:
    return render_pdf(sample_statement(7, n_paragraphs=14, jurisdiction="UK").blocks)


@pytest.fixture(scope="module")
def statement_text() -> str:
    st = sample_statement(11, n_paragraphs=10, jurisdiction="UK")
    return "\n\n".join(s for _, s in st.sentences)


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    db = tmp_path_factory.mktemp("api") / "api.db"
    app = create_app(Settings(database_url=f"sqlite:///{db}", rate_limit_per_minute=0, max_pages=40,
                              max_upload_bytes=3_000_000, async_threshold_bytes=2_000_000))
    store = app.state.services.store
    keys = {}
    for name, role in [("admin", "admin"), ("alice", "reviewer"), ("bob", "reviewer"), ("bot", "service")]:
        keys[name] = store.create_key(name, role)[1]
    with TestClient(app) as client:
        yield app, client, {k: {"Authorization": f"Bearer {v}"} for k, v in keys.items()}, db


def wait_done(client, headers, analysis_id, timeout=120):
    deadline = time.time() + timeout
    while time.time() < deadline:
        body = client.get(f"/v1/analyses/{analysis_id}", headers=headers).json()
        if body["status"] in ("done", "failed"):
            return body
        time.sleep(0.2)
    raise AssertionError(f"analysis {analysis_id} did not finish")


@pytest.fixture(scope="module")
def analysed(env, pdf_bytes):
    _, client, H, _ = env
    r = client.post("/v1/analyses", headers=H["alice"],
                    files={"file": ("statement.pdf", pdf_bytes, "application/pdf")},
                    data={"supplier_name": "Acme Apparel Ltd", "supplier_identifier": IDENT, "jurisdiction": "uk"})
    assert r.status_code == 201, r.text
    return r.json()


def assert_error(r, status, code=None):
    assert r.status_code == status, r.text
    body = r.json()
    assert set(body) == {"error"} and body["error"]["status"] == status and body["error"]["message"]
    if code:
        assert body["error"]["code"] == code, body
    return body["error"]


# -- health, auth, roles ------------------------------------------------------------------------

def test_health_and_docs_need_no_key(env):
    _, client, _, _ = env
    assert client.get("/healthz").json()["status"] == "ok"
    for _ in range(300):  # models load in the background
        r = client.get("/readyz")
        if r.status_code == 200:
            break
        time.sleep(0.1)
    assert r.status_code == 200 and r.json()["checks"] == {"database": True, "models": True}
    assert client.get("/openapi.json").status_code == 200
    assert client.get("/docs").status_code == 200


@pytest.mark.parametrize("method,path", [
    ("GET", "/v1/analyses"), ("POST", "/v1/analyses"), ("GET", "/v1/analyses/0123456789abcdef0123456789abcdef"),
    ("POST", "/v1/score"), ("POST", "/v1/documents"), ("GET", "/v1/taxonomy"), ("GET", "/v1/models"),
    ("GET", "/metrics"),
])
def test_every_other_endpoint_needs_a_key(env, method, path):
    _, client, _, _ = env
    r = client.request(method, path)
    assert_error(r, 401, "unauthorized")
    assert r.headers["www-authenticate"] == "Bearer"
    assert_error(client.request(method, path, headers={"Authorization": "Bearer dnlp_0000_nope"}), 401)


def test_keys_work_in_both_headers_and_revocation_is_immediate(env):
    app, client, _, _ = env
    store = app.state.services.store
    row, secret = store.create_key("temp", "reviewer")
    assert client.get("/v1/taxonomy", headers={"X-API-Key": secret}).status_code == 200
    store.revoke_key(row.id)
    assert_error(client.get("/v1/taxonomy", headers={"X-API-Key": secret}), 401)


def test_roles(env, analysed):
    _, client, H, _ = env
    fb = {"sentence": 0, "labels": {"policies": True}, "text": "We have a policy."}
    assert_error(client.post(f"/v1/analyses/{analysed['id']}/feedback", json=fb, headers=H["bot"]), 403, "forbidden")
    assert_error(client.get("/metrics", headers=H["alice"]), 403)
    assert client.get("/metrics", headers=H["bot"]).status_code == 200
    assert_error(client.delete(f"/v1/analyses/{analysed['id']}", headers=H["bob"]), 403)


def test_cookie_auth_needs_the_csrf_header_for_writes(env, statement_text):
    app, client, _, _ = env
    _, secret = app.state.services.store.create_key("carol", "reviewer")
    c = TestClient(app, cookies={"dnlp_key": secret})
    assert c.get("/v1/analyses").status_code == 200
    assert_error(c.post("/v1/analyses", json={"text": statement_text}), 403, "csrf")


# -- analyses -----------------------------------------------------------------------------------

def test_upload_gives_a_stored_analysis_with_evidence(analysed, pdf_bytes):
    import hashlib

    a = analysed
    assert a["status"] == "done" and a["reused"] is False and a["owner"] == "alice"
    assert a["sha256"] == hashlib.sha256(pdf_bytes).hexdigest()
    assert a["supplier"] == {"name": "Acme Apparel Ltd", "identifier": IDENT}
    result = a["result"]
    assert result["document"]["pages"] >= 2 and result["document"]["name"] == "statement.pdf"
    assert result["jurisdictions"] and all(r["jurisdiction"] == "uk" for r in result["jurisdictions"])
    quotes = [e for c in result["criteria"] for e in c["evidence"]]
    assert quotes and all(e["page"] >= 1 and e["text"] for e in quotes)
    assert result["risk"]["band"] in ("low", "medium", "high") and result["model"]["sha"]
    assert set(a["links"]) >= {"self", "report", "evidence_csv", "web"}


def test_reupload_reuses_the_result(env, analysed, pdf_bytes):
    app, client, H, _ = env
    analysed_before = app.state.services.metrics.analyses.labels("analysed")._value.get()
    r = client.post("/v1/analyses", headers=H["bob"], data={"jurisdiction": "uk"},
                    files={"file": ("renamed.pdf", pdf_bytes, "application/pdf")})
    assert r.status_code == 200 and r.json()["reused"] is True
    assert r.json()["id"] != analysed["id"] and r.json()["owner"] == "bob"
    assert r.json()["result"]["document"]["name"] == "renamed.pdf"
    assert r.json()["result"]["risk"] == analysed["result"]["risk"]
    assert app.state.services.metrics.analyses.labels("analysed")._value.get() == analysed_before


def test_json_text_is_never_read_as_a_path(env):
    _, client, H, _ = env
    r = client.post("/v1/analyses", json={"text": "/etc/passwd"}, headers=H["alice"])
    assert r.status_code == 201, r.text
    assert r.json()["result"]["document"]["sentences"] == 1
    assert "root:" not in r.text


def test_jurisdiction_names_are_forgiven_like_on_the_cli(env):
    _, client, H, _ = env
    text = ("This statement is published under the California Transparency in Supply Chains Act. "
            "We audit our suppliers every year.")
    r = client.post("/v1/analyses", json={"text": text, "jurisdiction": " California"}, headers=H["alice"])
    assert r.status_code == 201, r.text
    assert r.json()["jurisdiction"] == "us_ca"
    assert {j["jurisdiction"] for j in r.json()["result"]["jurisdictions"]} == {"us_ca"}
    r = client.post("/v1/analyses", json={"text": text, "jurisdiction": "GB"}, headers=H["alice"])
    assert r.status_code == 201 and r.json()["jurisdiction"] == "uk", r.text


def test_async_mode_answers_202_and_the_job_finishes(env, statement_text):
    _, client, H, _ = env
    r = client.post("/v1/analyses?mode=async", headers=H["alice"],
                    json={"text": statement_text, "name": "job.txt", "supplier": {"name": "Jobco"}})
    assert r.status_code == 202, r.text
    assert r.headers["location"].endswith(f"/v1/analyses/{r.json()['id']}")
    assert r.json()["status"] in ("queued", "running", "done") and r.json()["result"] is None or r.json()["status"] == "done"
    done = wait_done(client, H["alice"], r.json()["id"])
    assert done["status"] == "done" and done["result"]["document"]["sentences"] > 10


def test_unreadable_documents_fail_jobs_with_a_message(env):
    _, client, H, _ = env
    r = client.post("/v1/analyses?mode=async", headers=H["alice"],
                    files={"file": ("locked.pdf", encrypted_pdf(), "application/pdf")})
    assert r.status_code == 202
    done = wait_done(client, H["alice"], r.json()["id"])
    assert done["status"] == "failed" and done["error"]["code"] == "encrypted" and done["error"]["message"]


@pytest.mark.parametrize("name,data,status,code", [
    ("x.bin", bytes(range(256)) * 8, 415, "unsupported_format"),
    ("fake.pdf", b"just some text, not a PDF at all", 415, "unsupported_format"),
    ("empty.pdf", b"", 422, "empty"),
    ("locked.pdf", "encrypted", 422, "encrypted"),
    ("broken.pdf", "truncated", 422, None),
])
def test_bad_uploads_get_clear_json_errors(env, name, data, status, code):
    _, client, H, _ = env
    if data == "encrypted":
        data = encrypted_pdf()
    elif data == "truncated":
        data = truncated_pdf(0.4)
    r = client.post("/v1/analyses", headers=H["alice"], files={"file": (name, data, "application/pdf")})
    err = assert_error(r, status, code)
    assert "Traceback" not in err["message"]


def test_limits_give_413(env, pdf_bytes):
    from disclosure_nlp.testing import many_pages_pdf

    _, client, H, _ = env
    assert_error(client.post("/v1/analyses", headers=H["alice"],
                             files={"file": ("long.pdf", many_pages_pdf(60), "application/pdf")}), 413, "too_large")
    big = b"%PDF-1.7\n" + b"0" * 3_500_000
    assert_error(client.post("/v1/analyses", headers=H["alice"],
                             files={"file": ("big.pdf", big, "application/pdf")}), 413, "too_large")
    assert_error(client.post("/v1/analyses", headers=H["alice"], json={"text": "x" * 2_000_001}), 413, "too_large")


def test_request_shape_errors(env):
    _, client, H, _ = env
    assert_error(client.post("/v1/analyses", headers=H["alice"], content=b"hello",
                             params={}, ), 415, "unsupported_media_type")
    assert_error(client.post("/v1/analyses", headers=H["alice"], json={"txt": "typo"}), 422, "invalid_request")
    assert_error(client.post("/v1/analyses", headers=H["alice"], json={"text": "x", "jurisdiction": "fr"}), 422)
    assert_error(client.post("/v1/analyses", headers=H["alice"], data={"name": "no file"},
                             files={"other": ("a.txt", b"abc", "text/plain")}), 422)
    assert_error(client.get("/v1/analyses/not-an-id", headers=H["alice"]), 404, "not_found")
    assert_error(client.get("/v1/analyses", headers=H["alice"], params={"limit": 1000}), 422, "invalid_request")


def test_list_filter_and_paginate(env, analysed):
    _, client, H, _ = env
    r = client.get("/v1/analyses", headers=H["bot"], params={"supplier": "acme apparel"}).json()
    assert r["total"] >= 1 and all(i["supplier"]["name"] == "Acme Apparel Ltd" for i in r["items"])
    assert client.get("/v1/analyses", headers=H["bot"], params={"supplier": IDENT}).json()["total"] >= 1
    assert client.get("/v1/analyses", headers=H["bot"], params={"since": "2999-01-01"}).json()["total"] == 0
    today = time.strftime("%Y-%m-%d", time.gmtime())
    assert client.get("/v1/analyses", headers=H["bot"], params={"until": today}).json()["total"] >= 1
    page = client.get("/v1/analyses", headers=H["bot"], params={"limit": 1}).json()
    assert len(page["items"]) == 1 and page["total"] > 1 and "offset=1" in page["next"]
    assert "result" not in page["items"][0]
    mine = client.get("/v1/analyses", headers=H["bot"], params={"mine": True}).json()
    assert all(i["owner"] == "bot" for i in mine["items"])


def test_report_and_csv(env, analysed):
    _, client, H, _ = env
    r = client.get(f"/v1/analyses/{analysed['id']}/report", headers=H["alice"])
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert "<script" not in r.text.lower() and "default-src 'none'" in r.headers["content-security-policy"]
    quote = analysed["result"]["criteria"][0]["evidence"][0]["text"] if analysed["result"]["criteria"][0]["evidence"] else ""
    assert quote[:30].replace("&", "&amp;") in r.text
    c = client.get(f"/v1/analyses/{analysed['id']}/evidence.csv", headers=H["alice"])
    assert c.status_code == 200 and c.text.startswith("section,id,name,finding")
    assert "attachment" in c.headers["content-disposition"]
    j = client.get(f"/v1/analyses/{analysed['id']}", headers=H["alice"], params={"download": True})
    assert "attachment" in j.headers["content-disposition"] and json.loads(j.text)["id"] == analysed["id"]


def test_delete_by_owner_then_gone(env, statement_text):
    _, client, H, _ = env
    a = client.post("/v1/analyses", headers=H["bob"], json={"text": statement_text + " Deleted soon."}).json()
    assert client.delete(f"/v1/analyses/{a['id']}", headers=H["bob"]).status_code == 204
    assert_error(client.get(f"/v1/analyses/{a['id']}", headers=H["bob"]), 404)
    b = client.post("/v1/analyses", headers=H["bob"], json={"text": statement_text + " Admin deletes."}).json()
    assert client.delete(f"/v1/analyses/{b['id']}", headers=H["admin"]).status_code == 204


# -- feedback -----------------------------------------------------------------------------------

def test_feedback_is_stored_with_who_and_when_and_exports(env, analysed, tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from disclosure_nlp.cli import app as cli_app
    from disclosure_nlp.corpus import read_jsonl

    _, client, H, db = env
    crit = next(c for c in analysed["result"]["criteria"] if c["evidence"])
    ev = crit["evidence"][0]
    r = client.post(f"/v1/analyses/{analysed['id']}/feedback", headers=H["alice"],
                    json={"sentence": ev["sentence"], "labels": {crit["label"]: False}, "comment": "off topic"})
    assert r.status_code == 201, r.text
    fb = r.json()
    assert fb["reviewer"] == "alice" and fb["text"] == ev["text"] and fb["created_at"]
    assert_error(client.post(f"/v1/analyses/{analysed['id']}/feedback", headers=H["alice"],
                             json={"sentence": 0, "labels": {"not_a_label": True}}), 422, "unknown_label")
    assert_error(client.post(f"/v1/analyses/{analysed['id']}/feedback", headers=H["alice"],
                             json={"sentence": 99999, "labels": {"c4_risk_mitigation": True}}), 422, "unknown_sentence")
    assert_error(client.post(f"/v1/analyses/{analysed['id']}/feedback", headers=H["alice"],
                             json={"sentence": 1}), 422)
    listed = client.get(f"/v1/analyses/{analysed['id']}/feedback", headers=H["bot"]).json()
    assert listed[-1]["id"] == fb["id"]

    out = tmp_path / "feedback.jsonl"
    res = CliRunner().invoke(cli_app, ["corpus", "export-feedback", "--out", str(out),
                                       "--database-url", f"sqlite:///{db}"])
    assert res.exit_code == 0, res.output
    records = read_jsonl(out)
    rec = next(r for r in records if r.index == ev["sentence"] and r.doc_id == analysed["sha256"])
    assert crit["label"] not in rec.labels and crit["label"] in rec.extra["annotated_labels"]
    assert rec.text == ev["text"] and "alice" in rec.extra["reviewers"]


# -- score --------------------------------------------------------------------------------------

def test_score_with_text_upload_and_earlier_analysis(env, analysed, pdf_bytes, statement_text):
    _, client, H, _ = env
    up = client.post("/v1/documents", headers=H["bot"], files={"file": ("s.pdf", pdf_bytes, "application/pdf")})
    assert up.status_code == 200 and up.json()["upload"] == analysed["sha256"]  # bytes already stored
    new = client.post("/v1/documents", headers=H["bot"], files={"file": ("t.txt", (statement_text + " Uploaded.").encode(), "text/plain")})
    assert new.status_code == 201 and new.json()["source_type"] == "txt"
    body = {
        "supplier": {"name": "Acme Apparel Ltd", "identifier": IDENT},
        "jurisdiction": "uk",
        "documents": [
            {"analysis_id": analysed["id"]},
            {"upload": new.json()["upload"]},
            {"text": "Our SMETA audit in March 2024 found that workers' passports were retained by the employer "
                     "and 12 workers had paid recruitment fees.", "document_type": "audit_report"},
        ],
    }
    r = client.post("/v1/score", headers=H["bot"], json=body)
    assert r.status_code == 200, r.text
    s = r.json()
    assert s["api_version"] == "1" and s["supplier"]["identifier"] == IDENT and s["jurisdiction"] == "uk"
    assert 0 <= s["risk"]["score"] <= 100 and s["risk"]["band"] in ("low", "medium", "high") and s["risk"]["components"]
    assert s["risk_from"] in [d["analysis_id"] for d in s["documents"]] and len(s["documents"]) == 3
    assert s["documents"][0]["analysis_id"] == analysed["id"] and s["documents"][0]["reused"] is False
    assert all(m["verdict"] in ("missing", "partial") and m["citation"] for m in s["missing_requirements"])
    assert isinstance(s["observed_red_flags"], list) and s["model"]["version"]
    # the documents are kept as analyses under the supplier
    listed = client.get("/v1/analyses", headers=H["bot"], params={"supplier": IDENT}).json()
    assert listed["total"] >= 3


def test_score_input_errors(env):
    _, client, H, _ = env
    ok_doc = [{"text": "We have a policy."}]
    assert_error(client.post("/v1/score", headers=H["bot"], json={"supplier": {"name": "X", "identifier": "09506232"},
                                                                  "documents": ok_doc}), 422, "invalid_request")
    assert_error(client.post("/v1/score", headers=H["bot"], json={"supplier": {"name": "X"}, "documents": []}), 422)
    assert_error(client.post("/v1/score", headers=H["bot"], json={"supplier": {"name": "X"},
                                                                  "documents": [{"text": "a", "upload": "0" * 64}]}), 422)
    assert_error(client.post("/v1/score", headers=H["bot"], json={"supplier": {"name": "X"},
                                                                  "documents": [{"upload": "0" * 64}]}), 422, "unknown_upload")
    assert_error(client.post("/v1/score", headers=H["bot"], json={"supplier": {"name": "X"},
                                                                  "documents": [{"analysis_id": "0" * 32}]}), 422, "unknown_analysis")
    assert_error(client.post("/v1/score", headers=H["bot"], json={"supplier": {"name": "X"},
                                                                  "documents": ok_doc * 11}), 422, "too_many_documents")


# -- reference, metrics, OpenAPI ----------------------------------------------------------------

def test_taxonomy_and_model_card(env):
    _, client, H, _ = env
    t = client.get("/v1/taxonomy", headers=H["bot"]).json()
    ids = {l["id"] for l in t["labels"]}
    assert {"c4_risk_mitigation", "c5_effectiveness"} <= ids
    assert {l["group"] for l in t["labels"]} <= {"coverage", "red_flag", "evidence_status"}
    assert {j["id"] for j in t["jurisdictions"]} >= {"uk", "au", "ca"}
    m = client.get("/v1/models", headers=H["bot"]).json()
    assert m["model"]["sha"] and m["components"] and m["components"][0]["card"]


def test_metrics_are_prometheus_text(env, analysed):
    _, client, H, _ = env
    text = client.get("/metrics", headers=H["admin"]).text
    assert "dnlp_http_requests_total{" in text and 'route="/v1/analyses"' in text
    assert "dnlp_analysis_duration_seconds_bucket" in text and "dnlp_model_ready 1.0" in text


def test_openapi_is_complete(env):
    _, client, _, _ = env
    spec = client.get("/openapi.json").json()
    paths = spec["paths"]
    for p in ["/v1/analyses", "/v1/analyses/{analysis_id}", "/v1/analyses/{analysis_id}/report",
              "/v1/analyses/{analysis_id}/feedback", "/v1/score", "/v1/documents", "/v1/taxonomy", "/v1/models",
              "/healthz", "/readyz", "/metrics"]:
        assert p in paths, p
    assert "/" not in paths and "/login" not in paths
    schemas = spec["components"]["schemas"]
    for name in ("AnalysisTextRequest", "ScoreRequest", "ScoreResponse", "ErrorResponse", "Supplier", "DocumentScore"):
        assert name in schemas, name
    assert schemas["ScoreRequest"].get("examples") and schemas["ScoreResponse"].get("examples")
    body = paths["/v1/analyses"]["post"]["requestBody"]["content"]
    assert {"multipart/form-data", "application/json"} <= set(body)
    assert {"HTTPBearer", "APIKeyHeader"} <= set(spec["components"]["securitySchemes"])
    for path, ops in paths.items():
        for method, op in ops.items():
            assert op.get("summary") or op.get("description"), (method, path)
            if path.startswith("/v1"):
                assert "401" in op["responses"] and op.get("security"), (method, path)
    # every $ref resolves
    refs = set()

    def walk(x):
        if isinstance(x, dict):
            if "$ref" in x:
                refs.add(x["$ref"].rsplit("/", 1)[-1])
            for v in x.values():
                walk(v)
        elif isinstance(x, list):
            for v in x:
                walk(v)

    walk(spec)
    assert refs <= set(schemas), refs - set(schemas)


def test_cors_is_off_by_default(env):
    _, client, H, _ = env
    r = client.options("/v1/analyses", headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"})
    assert "access-control-allow-origin" not in r.headers
    r = client.get("/v1/taxonomy", headers={**H["bot"], "Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in r.headers


# -- apps with other settings -------------------------------------------------------------------

def test_rate_limit_and_body_limit(tmp_path):
    app = create_app(Settings(database_url=f"sqlite:///{tmp_path / 'r.db'}", rate_limit_per_minute=3,
                              max_upload_bytes=10_000, preload_model=False))
    _, secret = app.state.services.store.create_key("k", "reviewer")
    H = {"X-API-Key": secret}
    with TestClient(app) as c:
        codes = [c.get("/v1/taxonomy", headers=H).status_code for _ in range(4)]
        assert codes == [200, 200, 200, 429]
        r = c.get("/v1/taxonomy", headers=H)
        assert_error(r, 429, "rate_limited") and int(r.headers["retry-after"]) >= 1
        # the whole-body cap answers before the body is read (and before authentication)
        assert_error(c.post("/v1/analyses", content=b"x" * 2_000_000,
                            headers={"Content-Type": "application/json"}), 413, "too_large")


def test_unfinished_jobs_resume_at_start(tmp_path, statement_text):
    from disclosure_nlp.store import Store

    url = f"sqlite:///{tmp_path / 'resume.db'}"
    store = Store(url)
    store.migrate()
    with store.session() as s:
        sha = store.put_document(s, statement_text.encode(), "txt", "left.txt")
        row = store.new_analysis(s, sha256=sha, owner=None, name="left.txt", jurisdiction=None, document_type="auto")
    _, secret = store.create_key("k", "reviewer")
    app = create_app(Settings(database_url=url))
    with TestClient(app) as c:  # the lifespan resumes queued analyses
        done = wait_done(c, {"X-API-Key": secret}, row.id)
    assert done["status"] == "done"
