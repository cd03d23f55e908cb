"""Every error the API answers is JSON {code, message, field} with a 4xx status."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError

from commonground.core.errors import ApplicationError


class ErrorOut(Schema):
    code: str
    message: str
    field: str | None = None


# What every operation declares besides success, so the OpenAPI document lists each status it
# can answer: domain errors (400), no credentials (401), hidden or missing (404), schema errors
# (422), throttled (429).
ERRORS: dict[int, type[Schema]] = {
    400: ErrorOut,
    401: ErrorOut,
    404: ErrorOut,
    422: ErrorOut,
    429: ErrorOut,
}
# Writes over the session also answer 403: the CSRF check, or a role the caller lacks.
SESSION_WRITE_ERRORS: dict[int, type[Schema]] = {**ERRORS, 403: ErrorOut}
# ...and 409 where the state may not allow the change (answering twice, a closed item).
WRITE_ERRORS: dict[int, type[Schema]] = {**SESSION_WRITE_ERRORS, 409: ErrorOut}


def _error(api: NinjaAPI, request: HttpRequest, status: int, body: dict[str, Any]) -> HttpResponse:
    return api.create_response(request, body, status=status)


def _field_of(loc: list[Any] | tuple[Any, ...]) -> str | None:
    # Only the location and the parameter name lead the path: a field may be called "body".
    head = [p for p in loc[:2] if p not in ("body", "query", "path", "payload", "form")]
    parts = [str(p) for p in [*head, *loc[2:]]]
    return ".".join(parts) or None


# Errors ninja raises itself (the session's CSRF check, say) get a code like our own.
_HTTP_CODES = {
    401: "unauthenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
}


def install(api: NinjaAPI) -> None:
    @api.exception_handler(ApplicationError)
    def application_error(request: HttpRequest, exc: ApplicationError) -> HttpResponse:
        return _error(api, request, exc.status, exc.as_dict())

    @api.exception_handler(ValidationError)
    def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        first = exc.errors[0] if exc.errors else {}
        message = str(first.get("msg", "Invalid input.")).removeprefix("Value error, ")
        return _error(
            api,
            request,
            422,
            {"code": "invalid", "message": message, "field": _field_of(first.get("loc", ()))},
        )

    @api.exception_handler(AuthenticationError)
    def auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return _error(
            api,
            request,
            401,
            {
                "code": "unauthenticated",
                "message": "Log in or send a valid API token.",
                "field": None,
            },
        )

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        return _error(
            api,
            request,
            exc.status_code,
            {
                "code": _HTTP_CODES.get(exc.status_code, "error"),
                "message": str(exc),
                "field": None,
            },
        )
