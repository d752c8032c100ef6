"""Logging in and out, and one's own account: log out everywhere, API tokens for scripts.

In single-user mode there is nothing to log into: the login page goes home, and the account
page says so.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from ...accounts import service
from ...accounts.permissions import Action
from ...errors import InvalidInputError, LoginError, TooManyAttemptsError
from ...storage.accounts import SESSION_LIFETIME
from ..auth import PASSWORD_PAGE, SESSION_COOKIE, Visitor, requires, visitor_of
from ..form_tokens import LOGIN_FORM
from ..password_work import run_password_work
from ..templating import render

router = APIRouter(include_in_schema=False)
NO_STORE = {"Cache-Control": "no-store"}
PUBLIC = [Depends(requires(Action.VIEW_PUBLIC))]
OWN_ACCOUNT = [Depends(requires(Action.MANAGE_OWN_ACCOUNT))]
CHOOSE = [Depends(requires(Action.CHOOSE_PASSWORD))]


def safe_next(raw: str | None) -> str:
    """Where to go after logging in: a path on this site only (never ``//elsewhere``)."""
    if not raw or not raw.startswith("/") or raw.startswith("//") or "\\" in raw:
        return "/"
    return raw


def _secure(request: Request) -> bool:
    # Behind HTTPS (uvicorn's --proxy-headers passes the scheme on), cookies never go out in clear.
    return request.url.scheme == "https"


def _login_page(
    request: Request, next_url: str, *, error: str = "", username: str = "", status: int = 200
) -> Response:
    token = LOGIN_FORM.new()
    response = render(
        request,
        "account/login.html",
        {"login_token": token, "next_url": next_url, "error": error, "username": username},
        status_code=status,
        headers=NO_STORE,
    )
    LOGIN_FORM.set_cookie(request, response, token)
    return response


@router.get("/login", response_class=HTMLResponse, dependencies=PUBLIC)
async def login_page(request: Request, next: str | None = None) -> Response:
    """The login form (team mode); already logged in, or in single-user mode, go on."""
    visitor = await visitor_of(request)
    if visitor.actor is not None:
        return RedirectResponse(safe_next(next), status_code=303)
    return _login_page(request, safe_next(next))


@router.post("/login", dependencies=PUBLIC)
async def log_in(
    request: Request,
    username: Annotated[str, Form(max_length=200)] = "",
    password: Annotated[str, Form(max_length=2000)] = "",
    login_token: Annotated[str, Form(max_length=200)] = "",
    next: Annotated[str, Form(max_length=2000)] = "/",
) -> Response:
    """Check the password, start a session and go where the visitor was going.

    The check runs on the password executor (:mod:`..password_work`): many logins at once
    queue there instead of filling the thread pool that every other request needs.
    """
    state = request.app.state
    next_url = safe_next(next)
    if not state.config.team:
        return RedirectResponse(next_url, status_code=303)
    LOGIN_FORM.check(request, login_token)
    address = request.client.host if request.client else "unknown"
    try:
        _, token = await run_password_work(
            request, service.log_in, state.accounts, username, password, address, state.clock()
        )
    except LoginError as error:
        return _login_page(
            request, next_url, error=error.message, username=username, status=error.status
        )
    except TooManyAttemptsError as error:
        response = _login_page(
            request, next_url, error=error.message, username=username, status=error.status
        )
        response.headers["Retry-After"] = str(error.retry_after_seconds)
        return response
    response = logged_in(request, token, next_url)
    LOGIN_FORM.clear(response)
    return response


def logged_in(request: Request, token: str, next_url: str) -> Response:
    """Go to ``next_url`` with the new session's cookie: HttpOnly, SameSite=Lax, Secure over
    HTTPS."""
    response = RedirectResponse(next_url, status_code=303, headers=NO_STORE)
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=int(SESSION_LIFETIME.total_seconds()),
        path="/",
        httponly=True,
        samesite="lax",
        secure=_secure(request),
    )
    return response


def _password_page(
    request: Request, next_url: str, *, error: str = "", status: int = 200
) -> Response:
    context = {"active_nav": "account", "next_url": next_url, "error": error}
    return render(request, "account/password.html", context, status_code=status, headers=NO_STORE)


@router.get(PASSWORD_PAGE, response_class=HTMLResponse, dependencies=CHOOSE)
def password_page(request: Request, next: str | None = None) -> Response:
    """Choose one's own password, after logging in with a one-time one."""
    visitor: Visitor = request.state.visitor
    if visitor.user is None or not visitor.user.must_change_password:
        return RedirectResponse("/account", status_code=303)
    return _password_page(request, safe_next(next))


@router.post(PASSWORD_PAGE, response_class=HTMLResponse, dependencies=CHOOSE)
async def choose_password(
    request: Request,
    password: Annotated[str, Form(max_length=2000)] = "",
    repeated: Annotated[str, Form(max_length=2000)] = "",
    next: Annotated[str, Form(max_length=2000)] = "/",
) -> Response:
    """Replace the one-time password; every session ends and this browser gets a new one."""
    visitor: Visitor = request.state.visitor
    if visitor.user is None or not visitor.user.must_change_password:
        return RedirectResponse("/account", status_code=303)
    state = request.app.state
    next_url = safe_next(next)
    try:
        token = await run_password_work(
            request,
            service.choose_password,
            state.accounts,
            visitor.user,
            password,
            repeated,
            state.clock(),
        )
    except InvalidInputError as error:
        return _password_page(request, next_url, error=error.message, status=error.status)
    return logged_in(request, token, next_url)


def _logged_out(request: Request) -> Response:
    response = RedirectResponse("/login" if request.app.state.config.team else "/", 303)
    response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="lax")
    return response


@router.post("/logout", dependencies=OWN_ACCOUNT)
def log_out(request: Request) -> Response:
    """End this browser's session."""
    visitor: Visitor = request.state.visitor
    if visitor.session_token:
        request.app.state.accounts.end_session(visitor.session_token)
    return _logged_out(request)


@router.post("/logout/everywhere", dependencies=OWN_ACCOUNT)
def log_out_everywhere(request: Request) -> Response:
    """End every session of this account, on every device."""
    visitor: Visitor = request.state.visitor
    if visitor.user is not None:
        request.app.state.accounts.end_all_sessions(visitor.user.id)
    return _logged_out(request)


@router.get("/account", response_class=HTMLResponse, dependencies=OWN_ACCOUNT)
def account_page(request: Request) -> Response:
    """Who is logged in, log out everywhere, and API tokens."""
    return render(request, "account/account.html", {"active_nav": "account"}, headers=NO_STORE)


@router.post("/account/tokens", response_class=HTMLResponse, dependencies=OWN_ACCOUNT)
def create_token(request: Request, name: Annotated[str, Form(max_length=200)] = "") -> Response:
    """Make an API token and show it once."""
    visitor: Visitor = request.state.visitor
    if visitor.user is None:  # single-user mode: the API needs no token
        return RedirectResponse("/account", status_code=303)
    label = service.check_token_name(name)
    token = request.app.state.accounts.create_api_token(
        visitor.user.id, label, request.app.state.clock()
    )
    context = {"active_nav": "account", "new_token": token, "token_name": label}
    return render(request, "account/account.html", context, headers=NO_STORE)
