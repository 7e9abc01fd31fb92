"""Taxonomy, model card, health, readiness, Prometheus metrics."""

from __future__ import annotations

import json
from pathlib import Path

from fastapi import APIRouter, Depends, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from disclosure_nlp.store import Principal
from disclosure_nlp.taxonomy import load_taxonomy

from ..deps import Services, any_role, require, services
from ..schemas import Health, ModelComponent, ModelsResponse
from .common import ERRORS

router = APIRouter()
_CARD_LIMIT = 200_000


@router.get("/v1/taxonomy", tags=["reference"], responses=ERRORS, summary="Labels and the jurisdiction crosswalk")
def taxonomy(principal: Principal = Depends(any_role)) -> dict:
    """Every label (coverage criteria, red flags, evidence statuses) with its definition, and each
    jurisdiction's requirements with the labels that satisfy them."""
    t = load_taxonomy()
    return {
        "version": t.version,
        "labels": [{"id": l.id, "name": l.name, "group": l.group, "definition": l.definition, "source": l.source}
                   for l in t.labels],
        "jurisdictions": [
            {"id": j.id, "name": j.name, "act": j.act, "section": j.section, "note": j.note,
             "requirements": [{"id": r.id, "citation": r.citation, "text": r.text, "labels": list(r.labels),
                               "match": r.match} for r in j.requirements]}
            for j in t.jurisdictions
        ],
    }


def _read_text(path: Path, limit: int = _CARD_LIMIT) -> str | None:
    try:
        return path.read_text(encoding="utf-8")[:limit] if path.is_file() else None
    except OSError:
        return None


@router.get("/v1/models", response_model=ModelsResponse, tags=["reference"], responses=ERRORS,
            summary="The models in use, with their cards and metrics")
def models(svc: Services = Depends(services), principal: Principal = Depends(any_role)) -> ModelsResponse:
    analyzer = svc.models.get()
    components = []
    for a in analyzer.annotators:
        directory = getattr(a, "directory", None)
        card = metrics = None
        if directory is not None:
            directory = Path(directory)
            for d in (directory, directory.parent):  # multi-part models keep one card at the top
                card = card or _read_text(d / "MODEL_CARD.md")
                raw = _read_text(d / "metrics.json", 5_000_000)
                if metrics is None and raw:
                    try:
                        metrics = json.loads(raw)
                    except ValueError:
                        metrics = None
        components.append(ModelComponent(name=a.name, version=str(a.version),
                                         directory=directory.name if directory else None, card=card, metrics=metrics))
    return ModelsResponse(model=analyzer.model_info, components=components)


@router.get("/healthz", response_model=Health, tags=["operations"], summary="Liveness (no key needed)")
def healthz() -> Health:
    return Health(status="ok")


@router.get("/readyz", response_model=Health, tags=["operations"],
            responses={503: {"model": Health, "description": "Not ready: models loading or database down"}},
            summary="Readiness: database reachable and models loaded (no key needed)")
def readyz(svc: Services = Depends(services)):
    db = svc.store.ping()
    model: bool | str = svc.models.ready
    if not model and svc.models.error:
        model = "failed"
    ok = db and model is True
    svc.metrics.model_ready.set(1 if svc.models.ready else 0)
    body = Health(status="ok" if ok else "not_ready", checks={"database": db, "models": model})
    return JSONResponse(body.model_dump(), status_code=200 if ok else 503)


@router.get("/metrics", tags=["operations"], responses={**ERRORS, 200: {"content": {"text/plain": {}}}},
            summary="Prometheus metrics (service or admin key)")
def metrics(svc: Services = Depends(services), principal: Principal = Depends(require("service"))) -> Response:
    svc.metrics.model_ready.set(1 if svc.models.ready else 0)
    return Response(generate_latest(svc.metrics.registry), media_type=CONTENT_TYPE_LATEST)
