"""Every error is JSON: {"error": {"code", "message", "status"}} — never a stack trace."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from disclosure_nlp.errors import DocumentError
from disclosure_nlp.pipeline import AnalyzerError

log = logging.getLogger("disclosure_nlp.api")


class ErrorDetail(BaseModel):
    code: str = Field(description="Stable machine-readable code, e.g. unsupported_format, too_large, not_found")
    message: str = Field(description="One line a person can act on")
    status: int
    details: list[dict] | None = Field(default=None, description="Field-level problems for validation errors")


class ErrorResponse(BaseModel):
    error: ErrorDetail

    model_config = {"json_schema_extra": {"examples": [
        {"error": {"code": "unsupported_format", "status": 415,
                   "message": "not a PDF, DOCX, HTML or plain-text document (content not recognised)"}}
    ]}}


class ApiError(Exception):
    """Raised by routes: becomes a JSON error with this status and code."""

    def __init__(self, status: int, code: str, message: str, headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status, self.code, self.message, self.headers = status, code, message, headers


_DEFAULT_CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
                  405: "method_not_allowed", 409: "conflict", 413: "too_large", 415: "unsupported_format",
                  422: "invalid_request", 429: "rate_limited", 503: "not_ready"}


def error_response(status: int, code: str, message: str, headers: dict | None = None,
                   details: list[dict] | None = None) -> JSONResponse:
    body = {"error": {"code": code, "message": message, "status": status}}
    if details:
        body["error"]["details"] = details
    return JSONResponse(body, status_code=status, headers=headers)


def _validation_message(errors: list[dict]) -> tuple[str, list[dict]]:
    details = []
    for e in errors:
        loc = ".".join(str(x) for x in e.get("loc", ()) if x not in ("body",))
        details.append({"field": loc, "message": e.get("msg", "invalid")})
    first = details[0] if details else {"field": "", "message": "invalid request"}
    msg = f"{first['field']}: {first['message']}" if first["field"] else first["message"]
    if len(details) > 1:
        msg += f" (and {len(details) - 1} more)"
    return msg, details


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def _api_error(_request: Request, exc: ApiError):
        return error_response(exc.status, exc.code, exc.message, exc.headers)

    @app.exception_handler(DocumentError)
    async def _document_error(_request: Request, exc: DocumentError):
        return error_response(exc.http_status, exc.code, str(exc))

    @app.exception_handler(AnalyzerError)
    async def _analyzer_error(_request: Request, exc: AnalyzerError):
        log.error("analyzer unavailable: %s", exc)
        return error_response(503, "model_unavailable", "the models are not available on this server")

    @app.exception_handler(RequestValidationError)
    async def _validation(_request: Request, exc: RequestValidationError):
        msg, details = _validation_message(list(exc.errors()))
        return error_response(422, "invalid_request", msg, details=details)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_request: Request, exc: StarletteHTTPException):
        code = _DEFAULT_CODES.get(exc.status_code, "error")
        message = exc.detail if isinstance(exc.detail, str) else code.replace("_", " ")
        return error_response(exc.status_code, code, message, getattr(exc, "headers", None))

    @app.exception_handler(Exception)
    async def _unexpected(_request: Request, exc: Exception):
        log.exception("unhandled error")
        return error_response(500, "internal_error", "the server failed to handle the request; it has been logged")
