"""Dependencies: the app's services, and who is calling (API key -> Principal, role checks)."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import Depends, Request
from fastapi.security import APIKeyCookie, APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer

from disclosure_nlp.store import Principal, Store

from .errors import ApiError
from .service import AnalysisService, Metrics, ModelHolder, RateLimiter
from .settings import Settings

SESSION_COOKIE = "dnlp_key"
CSRF_HEADER = "X-Requested-With"
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")

bearer_scheme = HTTPBearer(auto_error=False, description="An API key: `Authorization: Bearer dnlp_...`")
header_scheme = APIKeyHeader(name="X-API-Key", auto_error=False, description="An API key in the X-API-Key header")
cookie_scheme = APIKeyCookie(name=SESSION_COOKIE, auto_error=False,
                             description="Set by the web page's sign-in form; unsafe methods also need X-Requested-With")


@dataclass
class Services:
    settings: Settings
    store: Store
    models: ModelHolder
    analyses: AnalysisService
    metrics: Metrics
    rate_limiter: RateLimiter
    auth_failures: RateLimiter


def services(request: Request) -> Services:
    return request.app.state.services


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def authenticate(request: Request, svc: Services, key: str | None, via_cookie: bool) -> Principal:
    if not key:
        raise ApiError(401, "unauthorized", "an API key is required (Authorization: Bearer <key> or X-API-Key)",
                       {"WWW-Authenticate": "Bearer"})
    principal = svc.store.authenticate(key)
    if principal is None:
        wait = svc.auth_failures.hit(client_address(request))
        if wait:
            raise ApiError(429, "rate_limited", "too many failed sign-in attempts; try again later",
                           {"Retry-After": str(wait)})
        raise ApiError(401, "unauthorized", "the API key is not valid or has been revoked",
                       {"WWW-Authenticate": "Bearer"})
    if via_cookie and request.method not in SAFE_METHODS and not request.headers.get(CSRF_HEADER):
        # A cookie travels with cross-site form posts; a custom header cannot (CORS is off).
        raise ApiError(403, "csrf", f"requests authenticated by the session cookie need the {CSRF_HEADER} header")
    wait = svc.rate_limiter.hit(principal.key_id)
    if wait:
        raise ApiError(429, "rate_limited", f"rate limit of {svc.rate_limiter.per_minute} requests a minute exceeded",
                       {"Retry-After": str(wait)})
    request.state.principal = principal
    return principal


def current_principal(
    request: Request,
    bearer: HTTPAuthorizationCredentials | None = Depends(bearer_scheme),
    header_key: str | None = Depends(header_scheme),
    cookie_key: str | None = Depends(cookie_scheme),
    svc: Services = Depends(services),
) -> Principal:
    if bearer is not None:
        return authenticate(request, svc, bearer.credentials, via_cookie=False)
    if header_key:
        return authenticate(request, svc, header_key, via_cookie=False)
    return authenticate(request, svc, cookie_key, via_cookie=True)


def require(*roles: str):
    """A dependency that admits only these roles (admin is always admitted)."""

    def check(principal: Principal = Depends(current_principal)) -> Principal:
        if principal.role != "admin" and principal.role not in roles:
            allowed = ", ".join(sorted(set(roles) | {"admin"}))
            raise ApiError(403, "forbidden", f"this needs a key with role {allowed}; yours is {principal.role}")
        return principal

    return check


any_role = require("reviewer", "service")
