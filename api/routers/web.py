"""The reviewer web page: server-rendered templates, a little JS (static/app.js), no build step.

It signs in with an API key (kept in an HttpOnly, SameSite=Strict cookie) and then uses the same
/v1 endpoints as any client.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.templating import Jinja2Templates

from disclosure_nlp.store import Principal
from disclosure_nlp.taxonomy import load_taxonomy

from ..deps import SESSION_COOKIE, Services, client_address, services
from ..service import load_score
from .common import get_row, summary

router = APIRouter(include_in_schema=False)
templates = Jinja2Templates(directory=Path(__file__).resolve().parents[1] / "templates")
SESSION_HOURS = 12


def _principal(request: Request, svc: Services) -> Principal | None:
    key = request.cookies.get(SESSION_COOKIE)
    return svc.store.authenticate(key) if key else None


def _to_login() -> RedirectResponse:
    return RedirectResponse("/login", status_code=303)


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request):
    return templates.TemplateResponse(request, "login.html", {"error": None})


@router.post("/login", response_class=HTMLResponse)
async def login(request: Request, svc: Services = Depends(services)):
    form = await request.form(max_files=0, max_fields=5)
    key = str(form.get("key") or "").strip()
    principal = svc.store.authenticate(key) if key else None
    if principal is None:
        wait = svc.auth_failures.hit(client_address(request))
        error = "Too many failed attempts; wait a minute." if wait else "That key is not valid or has been revoked."
        return templates.TemplateResponse(request, "login.html", {"error": error}, status_code=429 if wait else 401)
    response = RedirectResponse("/", status_code=303)
    response.set_cookie(SESSION_COOKIE, key, max_age=SESSION_HOURS * 3600, httponly=True, samesite="strict",
                        secure=svc.settings.cookie_secure, path="/")
    return response


@router.post("/logout")
def logout():
    response = _to_login()
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.get("/", response_class=HTMLResponse)
def index(
    request: Request,
    supplier: str | None = Query(None, max_length=255),
    band: str | None = Query(None, pattern="^(low|medium|high)$"),
    page: int = Query(1, ge=1, le=10_000),
    svc: Services = Depends(services),
):
    principal = _principal(request, svc)
    if principal is None:
        return _to_login()
    per_page = 25
    rows, total = svc.store.list_analyses(supplier=supplier or None, band=band or None,
                                          limit=per_page, offset=(page - 1) * per_page)
    taxonomy = load_taxonomy()
    return templates.TemplateResponse(request, "index.html", {
        "principal": principal, "items": [summary(r, request) for r in rows], "total": total, "page": page,
        "pages": max(1, -(-total // per_page)), "supplier": supplier or "", "band": band or "",
        "jurisdictions": taxonomy.jurisdictions,
        "max_mb": svc.settings.max_upload_bytes / 1024 / 1024, "max_pages": svc.settings.max_pages,
    })


@router.get("/analyses/{analysis_id}", response_class=HTMLResponse)
def analysis_page(analysis_id: str, request: Request, svc: Services = Depends(services)):
    principal = _principal(request, svc)
    if principal is None:
        return _to_login()
    row = get_row(svc.store, analysis_id)
    score = load_score(svc.store, row) if row.status == "done" else None
    can_delete = principal.is_admin or row.owner_key_id == principal.key_id
    can_review = principal.role in ("reviewer", "admin")
    return templates.TemplateResponse(request, "analysis.html", {
        "principal": principal, "a": summary(row, request), "score": score, "can_delete": can_delete,
        "can_review": can_review,
    })
