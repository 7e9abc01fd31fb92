"""Shared helpers of the routers: reading uploads safely, turning rows into response bodies."""

from __future__ import annotations

import re

from fastapi import Request
from starlette.datastructures import UploadFile

from disclosure_nlp.errors import DocumentTooLarge
from disclosure_nlp.store import Analysis as AnalysisRow
from disclosure_nlp.store import Store, as_utc

from ..errors import ApiError, ErrorResponse
from ..schemas import Analysis, AnalysisSummary, JobError, Supplier
from ..service import load_score

ERRORS = {
    401: {"model": ErrorResponse, "description": "No API key, or a revoked one"},
    403: {"model": ErrorResponse, "description": "The key's role may not do this"},
    429: {"model": ErrorResponse, "description": "Rate limit exceeded (see Retry-After)"},
}
UPLOAD_ERRORS = {
    413: {"model": ErrorResponse, "description": "Over the byte or page limit"},
    415: {"model": ErrorResponse, "description": "Not a PDF, DOCX, HTML or text document (judged by content)"},
    422: {"model": ErrorResponse, "description": "Invalid request, or an unreadable document (encrypted, corrupt, empty)"},
}
NOT_FOUND = {404: {"model": ErrorResponse, "description": "No such analysis"}}

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def display_name(filename: str | None) -> str | None:
    """A file name for display only: never used to build a path."""
    if not filename:
        return None
    name = _CONTROL.sub("", filename.replace("\\", "/").rsplit("/", 1)[-1]).strip()
    return name[:255] or None


async def read_upload(upload: UploadFile, limit: int) -> bytes:
    chunks, size = [], 0
    while True:
        chunk = await upload.read(1 << 20)
        if not chunk:
            break
        size += len(chunk)
        if size > limit:
            raise DocumentTooLarge(f"the upload is over the {limit:,}-byte limit")
        chunks.append(chunk)
    return b"".join(chunks)


def links(request: Request, analysis_id: str) -> dict[str, str]:
    base = str(request.base_url).rstrip("/")
    return {
        "self": f"{base}/v1/analyses/{analysis_id}",
        "report": f"{base}/v1/analyses/{analysis_id}/report",
        "evidence_csv": f"{base}/v1/analyses/{analysis_id}/evidence.csv",
        "web": f"{base}/analyses/{analysis_id}",
    }


def summary(row: AnalysisRow, request: Request) -> AnalysisSummary:
    supplier = Supplier.model_construct(name=row.supplier_name, identifier=row.supplier_id) if row.supplier_name else None
    return AnalysisSummary(
        id=row.id, status=row.status, name=row.name, sha256=row.document_sha256, supplier=supplier,
        owner=row.owner_name, jurisdiction=row.jurisdiction, document_type=row.document_type, pages=row.pages,
        risk_score=row.risk_score, risk_band=row.risk_band, model_version=row.model_version, reused=bool(row.reused),
        created_at=as_utc(row.created_at), finished_at=as_utc(row.finished_at),
        error=JobError(code=row.error_code, message=row.error_message or "") if row.error_code else None,
        links=links(request, row.id),
    )


def full(row: AnalysisRow, store: Store, request: Request) -> Analysis:
    return Analysis(**summary(row, request).model_dump(), result=load_score(store, row))


def get_row(store: Store, analysis_id: str) -> AnalysisRow:
    row = store.get_analysis(analysis_id) if re.fullmatch(r"[0-9a-f]{32}", analysis_id) else None
    if row is None:
        raise ApiError(404, "not_found", f"no analysis {analysis_id!r}")
    return row
