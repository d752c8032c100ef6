"""Every error the web app shows, rendered one way: a friendly page, or JSON under ``/api``.

A user error (:class:`InterviewPrepError`) keeps its status, code and message. FastAPI's
validation errors become ``422 {"error": "invalid_input", "message": ..., "detail": [...]}``.
Anything else is a bug: it is logged with its traceback, and the user sees a plain apology.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..errors import (
    DatabaseUnavailableError,
    InterviewPrepError,
    InvalidInputError,
    LoginRequiredError,
    PasswordChangeRequiredError,
    TooManyAttemptsError,
)
from .auth import PASSWORD_PAGE
from .templating import render_text

logger = logging.getLogger("interview_prep.web")

_HTTP_CODES = {
    400: ("bad_request", "Bad request"),
    403: ("forbidden", "Not allowed"),
    404: ("not_found", "Page not found"),
    405: ("method_not_allowed", "Method not allowed"),
    413: ("too_large", "Request too large"),
}
INTERNAL_MESSAGE = (
    "Something went wrong on our side. The details are in the server log; please try again."
)


def wants_json(path: str) -> bool:
    """API clients get JSON; people get pages."""
    return path == "/api" or path.startswith("/api/") or path == "/openapi.json"


# An error page offers a way back to the part of the site the visitor was in.
_BACK_LINKS = (
    ("/practice", "/practice", "Back to practice"),
    ("/progress", "/progress", "Back to your progress"),
    ("/history", "/progress", "Back to your progress"),
)


def _back_link(path: str) -> tuple[str | None, str | None]:
    for prefix, url, label in _BACK_LINKS:
        if path == prefix or path.startswith(prefix + "/"):
            return url, label
    return None, None


def error_response(
    path: str, status: int, code: str, title: str, message: str, **extra: Any
) -> Response:
    if wants_json(path):
        return JSONResponse({"error": code, "message": message, **extra}, status_code=status)
    back_url, back_label = _back_link(path)
    html = render_text(
        "error.html",
        {
            "status": status,
            "title": title,
            "message": message,
            "code": code,
            "back_url": back_url,
            "back_label": back_label,
        },
    )
    return Response(html, status_code=status, media_type="text/html; charset=utf-8")


def _location(loc: Sequence[Any]) -> str:
    parts = [str(part) for part in loc]
    if parts and parts[0] in ("query", "path", "body", "header", "cookie"):
        where, parts = parts[0], parts[1:]
    else:
        where = ""
    name = ".".join(parts)
    if where == "body":
        return f"field {name!r}" if name else "the request body"
    if where in ("query", "path"):
        return f"{'parameter' if where == 'query' else 'path part'} {name!r}"
    return name or "input"


def validation_message(errors: Sequence[Any]) -> str:
    """One readable sentence for FastAPI's list of validation errors."""
    sentences = []
    for error in errors:
        if error.get("type") == "json_invalid":
            sentences.append("the request body is not valid JSON")
            continue
        sentences.append(f"{_location(error.get('loc', ()))}: {error.get('msg', 'is invalid')}")
    text = "; ".join(sentences) or "the request is invalid"
    return text[0].upper() + text[1:] + "."


def _back_here(request: Request) -> str:
    """The ``?next=`` that brings a person back to this page after a detour (GETs only)."""
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return "" if request.method != "GET" or target == "/" else f"?next={quote(target)}"


async def _app_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, InterviewPrepError)
    path = request.url.path
    if isinstance(exc, LoginRequiredError) and not wants_json(path):
        # A person is sent to log in and brought back; a script gets the 401.
        return RedirectResponse(f"/login{_back_here(request)}", status_code=303)
    if isinstance(exc, PasswordChangeRequiredError) and not wants_json(path):
        # A person goes to choose their password, then on to where they were going.
        return RedirectResponse(f"{PASSWORD_PAGE}{_back_here(request)}", status_code=303)
    response = error_response(path, exc.status, exc.code, exc.title, exc.message)
    if isinstance(exc, TooManyAttemptsError | DatabaseUnavailableError):
        response.headers["Retry-After"] = str(exc.retry_after_seconds)
    if isinstance(exc, LoginRequiredError):
        response.headers["WWW-Authenticate"] = "Bearer"
    return response


async def _validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    detail = [
        {"loc": list(error.get("loc", ())), "msg": error.get("msg"), "type": error.get("type")}
        for error in exc.errors()
    ]
    return error_response(
        request.url.path,
        InvalidInputError.status,
        InvalidInputError.code,
        InvalidInputError.title,
        validation_message(exc.errors()),
        detail=detail,
    )


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    status = exc.status_code
    if status == 400 and "exceeded maximum size" in str(exc.detail):
        # Starlette refuses a form field over 1 MB as a bad request; say what it is.
        status = 413
    code, title = _HTTP_CODES.get(status, ("error", "Something went wrong"))
    if status == 413:
        message = (
            "This form is too large to accept: each field may hold up to 1 MB. "
            "Shorten the text and send it again."
        )
    elif exc.status_code == 404:
        message = (
            f"There is nothing at {request.url.path}. "
            "Check the address, or start again from the question banks."
        )
    elif isinstance(exc.detail, str) and exc.detail:
        message = exc.detail
    else:
        message = title
    response = error_response(request.url.path, status, code, title, message)
    if exc.headers:
        response.headers.update(exc.headers)
    return response


DATABASE_UNAVAILABLE = (
    "The database could not be reached just now, so this request may not have been completed. "
    "Try again in a moment: an answer sent again is never stored twice."
)


async def _database_error(request: Request, exc: Exception) -> Response:
    """A lost database connection (a restart of PostgreSQL, a dropped network) is the server's
    weather, not a bug: a clear 503 that invites a retry, and one line in the log. The pool
    (``pool_pre_ping``) replaces the dead connections, so the next request works again."""
    assert isinstance(exc, DBAPIError)
    if not (isinstance(exc, OperationalError | InterfaceError) or exc.connection_invalidated):
        raise exc  # any other database error is a bug: the catch-all logs its traceback
    reason = (str(exc.orig or exc).strip().splitlines() or ["connection lost"])[0]
    logger.warning("database unavailable on %s %s: %s", request.method, request.url.path, reason)
    return await _app_error(request, DatabaseUnavailableError(DATABASE_UNAVAILABLE))


class CatchAllMiddleware:
    """Turn an unexpected exception into a logged traceback and a friendly 500.

    Starlette's own ``Exception`` handler re-raises after responding, which makes the server log
    the traceback a second time; catching it here logs it once, with the request it came from.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def send_wrapper(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, send_wrapper)
        except Exception:
            logger.exception("Unhandled error on %s %s", scope.get("method"), scope.get("path"))
            if started:
                raise
            response = error_response(
                scope.get("path", ""), 500, "internal", "Something went wrong", INTERNAL_MESSAGE
            )
            await response(scope, receive, send)


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(InterviewPrepError, _app_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(DBAPIError, _database_error)
    app.add_middleware(CatchAllMiddleware)
