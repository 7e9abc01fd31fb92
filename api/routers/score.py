"""POST /v1/score: the stable endpoint for procurement systems (supplier + documents -> risk)."""

from __future__ import annotations

from datetime import datetime, timezone

from fastapi import APIRouter, Depends, Request

from disclosure_nlp.errors import DocumentTooLarge
from disclosure_nlp.schema import DocumentScore
from disclosure_nlp.store import Principal

from ..deps import Services, any_role, services
from ..errors import ApiError
from ..schemas import (
    EvidenceRef,
    MissingRequirement,
    ObservedRedFlag,
    ScoredDocument,
    ScoreRequest,
    ScoreResponse,
)
from ..service import load_score
from .common import ERRORS, UPLOAD_ERRORS

router = APIRouter(prefix="/v1", tags=["score"], responses=ERRORS)

_VERDICT_RANK = {"missing": 0, "partial": 1, "met": 2}
_SEVERITY_RANK = {"none": 0, "low": 1, "medium": 2, "high": 3}


@router.post("/score", response_model=ScoreResponse, responses=UPLOAD_ERRORS,
             summary="Score a supplier's documents (stable, versioned: api_version 1)")
async def score(body: ScoreRequest, request: Request, svc: Services = Depends(services),
                principal: Principal = Depends(any_role)) -> ScoreResponse:
    """Each document is given as an upload reference (from POST /v1/documents), as text, or as an
    earlier analysis id. Each is analysed (or its stored result reused) and kept as an analysis
    under the supplier. The answer combines them:

    - `risk`: the riskiest document's score, band and weighted components (`risk_from` names it);
    - `missing_requirements`: requirements of the jurisdiction that no document meets; the verdict
      is the best any document reached (`partial` or `missing`);
    - `observed_red_flags`: forced-labour indicators reported as observed in any document, with quotes.

    Fields are only ever added within api_version 1; none is renamed or removed.
    """
    if len(body.documents) > svc.settings.max_score_documents:
        raise ApiError(422, "too_many_documents", f"at most {svc.settings.max_score_documents} documents per request")
    scored: list[tuple[str, DocumentScore, bool]] = []
    for i, ref in enumerate(body.documents):
        row, score_ = await _analyse_ref(svc, principal, body, ref, i)
        scored.append((row.id, score_, bool(row.reused)))
    return _combine(body, scored)


async def _analyse_ref(svc: Services, principal: Principal, body: ScoreRequest, ref, i: int):
    jurisdiction = body.jurisdiction
    kwargs = dict(owner=principal, supplier_name=body.supplier.name, supplier_id=body.supplier.identifier,
                  jurisdiction=jurisdiction, document_type=ref.document_type)
    if ref.analysis_id:
        row = svc.store.get_analysis(ref.analysis_id)
        if row is None:
            raise ApiError(422, "unknown_analysis", f"documents[{i}].analysis_id: no analysis {ref.analysis_id}")
        if row.status != "done":
            raise ApiError(409, "not_finished", f"documents[{i}].analysis_id: the analysis is {row.status}")
        if jurisdiction in (None, row.jurisdiction) and ref.document_type in ("auto", row.document_type):
            return row, load_score(svc.store, row)
        data = svc.store.document_content(row.document_sha256)  # same bytes, other options
        info = svc.store.document_info(row.document_sha256)
        kind, name = info.source_type, ref.name or row.name
    elif ref.upload:
        info = svc.store.document_info(ref.upload)
        if info is None:
            raise ApiError(422, "unknown_upload", f"documents[{i}].upload: no uploaded document {ref.upload}")
        data = svc.store.document_content(ref.upload)
        kind, name = info.source_type, ref.name or info.name
    else:
        if len(ref.text) > svc.settings.max_text_chars:
            raise DocumentTooLarge(f"documents[{i}].text is over the {svc.settings.max_text_chars:,}-character limit")
        data, kind, name = ref.text.encode("utf-8"), "txt", ref.name
    row = await svc.analyses.analyze_now(data, kind=kind, name=name, **kwargs)
    return row, load_score(svc.store, row)


def _combine(body: ScoreRequest, scored: list[tuple[str, DocumentScore, bool]]) -> ScoreResponse:
    riskiest_id, riskiest, _ = max(scored, key=lambda t: t[1].risk.score)

    best: dict[tuple[str, str], object] = {}
    for _, s, _ in scored:
        for r in s.jurisdictions:
            key = (r.jurisdiction, r.requirement)
            if key not in best or _VERDICT_RANK[r.verdict] > _VERDICT_RANK[best[key].verdict]:
                best[key] = r
    missing = [
        MissingRequirement(jurisdiction=r.jurisdiction, requirement=r.requirement, citation=r.citation,
                           description=r.description, verdict=r.verdict, reason=r.reason)
        for r in best.values() if r.verdict != "met"
    ]

    flags: dict[str, ObservedRedFlag] = {}
    for analysis_id, s, _ in scored:
        for f in s.red_flags:
            if f.status != "observed":
                continue
            refs = [EvidenceRef(analysis_id=analysis_id, page=e.page, sentence=e.sentence, text=e.text) for e in f.evidence]
            if f.indicator not in flags:
                flags[f.indicator] = ObservedRedFlag(indicator=f.indicator, name=f.name, severity=f.severity,
                                                     probability=f.probability, evidence=refs)
            else:
                cur = flags[f.indicator]
                if _SEVERITY_RANK[f.severity] > _SEVERITY_RANK[cur.severity]:
                    cur.severity = f.severity
                cur.probability = max(cur.probability, f.probability)
                cur.evidence.extend(refs)

    documents = [
        ScoredDocument(analysis_id=aid, sha256=s.document.sha256, name=s.document.name,
                       document_type=s.document.document_type, jurisdiction=s.document.jurisdiction,
                       pages=s.document.pages, risk_score=s.risk.score, risk_band=s.risk.band, reused=reused)
        for aid, s, reused in scored
    ]
    return ScoreResponse(
        supplier=body.supplier, jurisdiction=body.jurisdiction, risk=riskiest.risk, risk_from=riskiest_id,
        missing_requirements=missing, observed_red_flags=sorted(flags.values(), key=lambda f: -_SEVERITY_RANK[f.severity]),
        documents=documents, model=riskiest.model, scored_at=datetime.now(timezone.utc),
    )
