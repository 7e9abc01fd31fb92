"""/v1/documents and /v1/analyses: upload, analyse (now or as a job), list, read, report, delete, feedback."""

from __future__ import annotations

import csv
import hashlib
import io
from datetime import date, datetime, time, timezone
from typing import Literal

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.responses import HTMLResponse
from pydantic import ValidationError
from starlette.datastructures import UploadFile

from disclosure_nlp.errors import DocumentTooLarge
from disclosure_nlp.report import render_html
from disclosure_nlp.store import Principal, StoredDocument, as_utc
from disclosure_nlp.taxonomy import load_taxonomy

from ..deps import Services, any_role, require, services
from ..errors import ApiError
from ..schemas import (
    Analysis,
    AnalysisPage,
    AnalysisTextRequest,
    FeedbackOut,
    FeedbackRequest,
    Supplier,
    UploadedDocument,
)
from ..service import load_score
from .common import ERRORS, NOT_FOUND, UPLOAD_ERRORS, display_name, full, get_row, read_upload, summary

router = APIRouter(prefix="/v1", responses=ERRORS)

# The ILO forced-labour indicators plus child labour (DESIGN.md: the red-flag ids of the contract).
RED_FLAG_IDS = (
    "abuse_of_vulnerability", "deception", "restriction_of_movement", "isolation", "physical_and_sexual_violence",
    "intimidation_and_threats", "retention_of_identity_documents", "withholding_of_wages", "debt_bondage",
    "abusive_working_and_living_conditions", "excessive_overtime", "child_labour",
)
REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'"


async def _form_upload(request: Request, svc: Services) -> tuple[bytes, str | None, dict]:
    form = await request.form(max_files=1, max_fields=20)
    upload = form.get("file")
    if not isinstance(upload, UploadFile):
        raise ApiError(422, "invalid_request", "file: a multipart field named 'file' with the document is required")
    data = await read_upload(upload, svc.settings.max_upload_bytes)
    fields = {k: v for k, v in form.items() if isinstance(v, str) and v.strip()}
    return data, display_name(upload.filename), fields


@router.post(
    "/documents",
    status_code=201,
    response_model=UploadedDocument,
    responses={**UPLOAD_ERRORS, 200: {"model": UploadedDocument, "description": "These bytes were already stored"}},
    tags=["score"],
    summary="Upload a document for /v1/score",
    openapi_extra={"requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
        "type": "object", "required": ["file"],
        "properties": {"file": {"type": "string", "format": "binary", "description": "PDF, DOCX, HTML or TXT"}},
    }}}}},
)
async def upload_document(request: Request, response: Response, svc: Services = Depends(services),
                          principal: Principal = Depends(any_role)) -> UploadedDocument:
    """Stores the bytes (by sha256) and returns the reference to use as `documents[].upload` in /v1/score.

    The type is recognised from the content, not the file name; nothing is analysed yet.
    """
    data, name, _ = await _form_upload(request, svc)
    kind = svc.analyses.sniff(data)
    existed = False
    with svc.store.session() as s:
        existed = s.get(StoredDocument, hashlib.sha256(data).hexdigest()) is not None
        sha = svc.store.put_document(s, data, kind, name)
    if existed:
        response.status_code = 200
    return UploadedDocument(upload=sha, name=name, size_bytes=len(data), source_type=kind, created=not existed)


_ANALYSIS_BODY = {
    "required": True,
    "content": {
        "multipart/form-data": {"schema": {
            "type": "object", "required": ["file"],
            "properties": {
                "file": {"type": "string", "format": "binary", "description": "PDF, DOCX, HTML or TXT (recognised by content)"},
                "jurisdiction": {"type": "string", "enum": [j.id for j in load_taxonomy().jurisdictions]},
                "document_type": {"type": "string", "enum": ["auto", "statement", "audit_report"], "default": "auto"},
                "supplier_name": {"type": "string", "maxLength": 255},
                "supplier_identifier": {"type": "string", "example": "GB-COH-09506232"},
            },
        }},
        "application/json": {"schema": {"$ref": "#/components/schemas/AnalysisTextRequest"},
                             "example": AnalysisTextRequest.model_config["json_schema_extra"]["examples"][0]},
    },
}


@router.post(
    "/analyses",
    response_model=Analysis,
    status_code=201,
    tags=["analyses"],
    summary="Analyse a document (upload or text)",
    responses={**UPLOAD_ERRORS, 200: {"model": Analysis, "description": "An earlier result for the same bytes and model was reused"},
               202: {"model": Analysis, "description": "Accepted as a job: poll the Location until status is done or failed"}},
    openapi_extra={"requestBody": _ANALYSIS_BODY},
)
async def create_analysis(
    request: Request,
    response: Response,
    mode: Literal["auto", "sync", "async"] = Query(
        "auto", description="auto: answer with the result, or 202 + job for uploads over the async threshold; "
                            "sync: always wait; async: always answer 202 at once"),
    svc: Services = Depends(services),
    principal: Principal = Depends(any_role),
):
    """Multipart upload (`file`) or JSON text. Answers 201 with the stored analysis, 200 when an
    earlier result for the same bytes, model and options is reused, or 202 with a queued job."""
    ctype = request.headers.get("content-type", "")
    if ctype.startswith("multipart/form-data"):
        data, name, fields = await _form_upload(request, svc)
        try:
            params = AnalysisTextRequest(
                text="-", name=fields.get("name") or name, jurisdiction=fields.get("jurisdiction"),
                document_type=fields.get("document_type", "auto"),
                supplier=Supplier(name=fields["supplier_name"], identifier=fields.get("supplier_identifier"))
                if fields.get("supplier_name") else None,
            )
        except ValidationError as exc:
            raise _validation(exc) from None
        kind = svc.analyses.sniff(data)
    elif ctype.startswith("application/json"):
        try:
            raw = await request.body()
            params = AnalysisTextRequest.model_validate_json(raw)
        except ValidationError as exc:
            raise _validation(exc) from None
        if len(params.text) > svc.settings.max_text_chars:
            raise DocumentTooLarge(f"the text is over the {svc.settings.max_text_chars:,}-character limit")
        # Always bytes: the library reads a str that names an existing file as a path.
        data, kind = params.text.encode("utf-8"), "txt"
    else:
        raise ApiError(415, "unsupported_media_type", "send multipart/form-data with a 'file', or application/json with 'text'")

    kwargs = dict(kind=kind, owner=principal, name=params.name, jurisdiction=params.jurisdiction,
                  document_type=params.document_type,
                  supplier_name=params.supplier.name if params.supplier else None,
                  supplier_id=params.supplier.identifier if params.supplier else None)
    run_async = mode == "async" or (mode == "auto" and len(data) > svc.settings.async_threshold_bytes)
    if run_async:
        row = svc.analyses.enqueue(data, **kwargs)
    else:
        row = await svc.analyses.analyze_now(data, **kwargs)
    body = full(row, svc.store, request)
    if row.status in ("queued", "running"):
        response.status_code = 202
        response.headers["Location"] = body.links["self"]
        response.headers["Retry-After"] = "1"
    else:
        response.status_code = 200 if row.reused else 201
    return body


def _validation(exc: ValidationError) -> ApiError:
    e = exc.errors()[0]
    loc = ".".join(str(x) for x in e.get("loc", ()))
    return ApiError(422, "invalid_request", f"{loc}: {e.get('msg')}" if loc else str(e.get("msg")))


@router.get("/analyses", response_model=AnalysisPage, tags=["analyses"], summary="List analyses, newest first")
def list_analyses(
    request: Request,
    supplier: str | None = Query(None, max_length=255, description="Supplier identifier (exact) or part of the name"),
    since: date | datetime | None = Query(None, description="Created on or after (date or date-time, UTC)"),
    until: date | datetime | None = Query(None, description="Created on or before (a date includes the whole day)"),
    status: Literal["queued", "running", "done", "failed"] | None = None,
    band: Literal["low", "medium", "high"] | None = None,
    mine: bool = Query(False, description="Only analyses created with this key"),
    limit: int = Query(20, ge=1, le=100),
    offset: int = Query(0, ge=0),
    svc: Services = Depends(services),
    principal: Principal = Depends(any_role),
) -> AnalysisPage:
    rows, total = svc.store.list_analyses(
        supplier=supplier, since=_as_datetime(since, end=False), until=_as_datetime(until, end=True),
        status=status, band=band, owner_key_id=principal.key_id if mine else None, limit=limit, offset=offset,
    )
    nxt = None
    if offset + len(rows) < total:
        nxt = str(request.url.include_query_params(offset=offset + limit, limit=limit))
    return AnalysisPage(items=[summary(r, request) for r in rows], total=total, limit=limit, offset=offset, next=nxt)


def _as_datetime(value: date | datetime | None, end: bool) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=timezone.utc)
    return datetime.combine(value, time.max if end else time.min, tzinfo=timezone.utc)


@router.get("/analyses/{analysis_id}", response_model=Analysis, responses=NOT_FOUND, tags=["analyses"],
            summary="One analysis (status, and the full result once done)")
def get_analysis(analysis_id: str, request: Request,
                 download: bool = Query(False, description="Send as a file download (analysis-<id>.json)"),
                 svc: Services = Depends(services), principal: Principal = Depends(any_role)):
    body = full(get_row(svc.store, analysis_id), svc.store, request)
    if download:
        return Response(body.model_dump_json(indent=2), media_type="application/json",
                        headers={"Content-Disposition": f'attachment; filename="analysis-{analysis_id}.json"'})
    return body


@router.delete("/analyses/{analysis_id}", status_code=204, responses=NOT_FOUND, tags=["analyses"],
               summary="Delete an analysis (its owner or an admin)")
def delete_analysis(analysis_id: str, svc: Services = Depends(services),
                    principal: Principal = Depends(any_role)) -> Response:
    """Deletes the analysis and its feedback; the document bytes and results go too once no other analysis uses them."""
    row = get_row(svc.store, analysis_id)
    if not principal.is_admin and row.owner_key_id != principal.key_id:
        raise ApiError(403, "forbidden", "only the analysis's owner or an admin may delete it")
    svc.store.delete_analysis(analysis_id)
    return Response(status_code=204)


def _done_score(svc: Services, analysis_id: str):
    row = get_row(svc.store, analysis_id)
    if row.status != "done":
        raise ApiError(409, "not_finished", f"the analysis is {row.status}"
                       + (f": {row.error_message}" if row.error_message else ""))
    return row, load_score(svc.store, row)


@router.get("/analyses/{analysis_id}/report", response_class=HTMLResponse, responses=NOT_FOUND, tags=["analyses"],
            summary="The self-contained HTML report")
def report(analysis_id: str, download: bool = False, svc: Services = Depends(services),
           principal: Principal = Depends(any_role)) -> HTMLResponse:
    _, score = _done_score(svc, analysis_id)
    headers = {"Content-Security-Policy": REPORT_CSP}
    if download:
        headers["Content-Disposition"] = f'attachment; filename="report-{analysis_id}.html"'
    return HTMLResponse(render_html(score), headers=headers)


def _cell(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text  # no formulas in spreadsheets


@router.get("/analyses/{analysis_id}/evidence.csv", responses={**NOT_FOUND, 200: {"content": {"text/csv": {}}}},
            tags=["analyses"], summary="Every finding with its evidence, one row per quote (CSV)")
def evidence_csv(analysis_id: str, svc: Services = Depends(services),
                 principal: Principal = Depends(any_role)) -> Response:
    _, score = _done_score(svc, analysis_id)
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["section", "id", "name", "finding", "confidence", "page", "sentence", "status", "quote"])

    def rows(section, ident, name, finding, confidence, evidence):
        if not evidence:
            w.writerow([_cell(x) for x in (section, ident, name, finding, confidence, "", "", "", "")])
        for e in evidence:
            w.writerow([_cell(x) for x in (section, ident, name, finding, confidence, e.page, e.sentence,
                                           e.status or "", e.text)])

    for c in score.criteria:
        rows("criterion", c.label, c.name, "covered" if c.covered else "not covered", f"{c.confidence:.3f}", c.evidence)
    for r in score.jurisdictions:
        rows("requirement", r.requirement, f"{r.act} {r.citation}", r.verdict, "", r.evidence)
    for f in score.red_flags:
        rows("red_flag", f.indicator, f.name, f"{f.status} ({f.severity})", f"{f.probability:.3f}", f.evidence)
    for m in score.entities.high_risk_matches:
        rows("high_risk_match", f"{m.good}/{m.country}", f"{m.good} from {m.country_name}", "listed", "", [m.evidence])
    return Response(buf.getvalue(), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="evidence-{analysis_id}.csv"'})


@router.post("/analyses/{analysis_id}/feedback", response_model=FeedbackOut, status_code=201, responses=NOT_FOUND,
             tags=["feedback"], summary="Confirm or correct a sentence's labels")
def add_feedback(analysis_id: str, body: FeedbackRequest, svc: Services = Depends(services),
                 principal: Principal = Depends(require("reviewer"))) -> FeedbackOut:
    """Stored with the reviewer (the key's name) and time; `disclosure-nlp corpus export-feedback`
    writes all feedback as corpus JSONL for training."""
    row, score = _done_score(svc, analysis_id)
    taxonomy = load_taxonomy()
    known_labels = set(taxonomy.label_ids()) | {c.label for c in score.criteria}
    known_flags = set(taxonomy.label_ids("red_flag")) | set(RED_FLAG_IDS) | {f.indicator for f in score.red_flags}
    unknown = [k for k in body.labels if k not in known_labels]
    unknown += [k for k in body.red_flags or {} if k not in known_flags]
    if unknown:
        raise ApiError(422, "unknown_label", f"unknown label id(s): {', '.join(sorted(unknown))} (see /v1/taxonomy)")
    text = body.text or _sentence_text(score, body.sentence)
    if text is None:
        raise ApiError(422, "unknown_sentence",
                       f"sentence {body.sentence} is not quoted in this analysis; include its text")
    fb = svc.store.add_feedback(
        analysis_id=row.id, document_sha256=row.document_sha256, sentence=body.sentence, text=text,
        labels=body.labels, reviewer=principal, evidence_status=body.evidence_status, red_flags=body.red_flags,
        comment=body.comment, model_sha=score.model.sha,
    )
    return _feedback_out(fb)


@router.get("/analyses/{analysis_id}/feedback", response_model=list[FeedbackOut], responses=NOT_FOUND,
            tags=["feedback"], summary="Feedback given on an analysis")
def list_feedback(analysis_id: str, svc: Services = Depends(services),
                  principal: Principal = Depends(any_role)) -> list[FeedbackOut]:
    get_row(svc.store, analysis_id)
    return [_feedback_out(f) for f in svc.store.list_feedback(analysis_id=analysis_id)]


def _feedback_out(fb) -> FeedbackOut:
    return FeedbackOut(id=fb.id, analysis_id=fb.analysis_id, sentence=fb.sentence, text=fb.text, labels=fb.labels,
                       evidence_status=fb.evidence_status, red_flags=fb.red_flags, comment=fb.comment,
                       reviewer=fb.reviewer, created_at=as_utc(fb.created_at))


def _sentence_text(score, index: int) -> str | None:
    groups = [c.evidence for c in score.criteria] + [r.evidence for r in score.jurisdictions]
    groups += [f.evidence for f in score.red_flags] + [score.document.jurisdiction_evidence]
    groups += [[m.evidence] for m in score.entities.high_risk_matches]
    for evidence in groups:
        for e in evidence:
            if e.sentence == index:
                return e.text
    return None
