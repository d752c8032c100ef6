"""The users page: an admin lists accounts, adds one, disables or enables it, resets its
password and changes its role.

Every route names :data:`Action.MANAGE_USERS`, so anyone but an admin is answered "not found"
by the one permission check, and every form carries the session's CSRF token. A new account or
a reset password is a random one-time password, shown once on the page (never stored but as its
hash) for the admin to hand over; the page is not cached. In single-user mode there are no
accounts to manage, and the page says so.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from ...accounts import service
from ...accounts.permissions import Action
from ...accounts.users import User, parse_role
from ...errors import ConflictError, InvalidInputError, NotFoundError
from ..auth import actor_of, requires
from ..templating import render

router = APIRouter(include_in_schema=False)
NO_STORE = {"Cache-Control": "no-store"}
MANAGE = [Depends(requires(Action.MANAGE_USERS))]
PAGE = "/admin/users"


def _team_only(request: Request) -> None:
    if not request.app.state.config.team:
        raise NotFoundError("Accounts are for team mode (interview-prep serve --team).")


def _page(request: Request, *, status: int = 200, **extra: Any) -> Response:
    state = request.app.state
    users: list[User] = state.accounts.users() if state.config.team else []
    context = {"users": users, "me": actor_of(request).user_id, "active_nav": "users", **extra}
    return render(request, "admin/users.html", context, status_code=status, headers=NO_STORE)


def _refused(request: Request, error: InvalidInputError | ConflictError, **form: str) -> Response:
    return _page(request, status=error.status, error=error.message, form=form)


@router.get(PAGE, response_class=HTMLResponse, dependencies=MANAGE)
def users_page(request: Request) -> Response:
    """Every account with its role and status, and the forms that change them."""
    return _page(request)


@router.post(PAGE, response_class=HTMLResponse, dependencies=MANAGE)
def create_user(
    request: Request,
    username: Annotated[str, Form(max_length=200)] = "",
    name: Annotated[str, Form(max_length=400)] = "",
    role: Annotated[str, Form(max_length=40)] = "candidate",
) -> Response:
    """Add an account with a one-time password, shown once."""
    _team_only(request)
    state = request.app.state
    password = service.one_time_password()
    try:
        user = service.add_user(
            state.accounts,
            username,
            password,
            state.clock(),
            role=parse_role(role),
            display_name=name,
            one_time=True,
        )
    except (InvalidInputError, ConflictError) as error:
        return _refused(request, error, username=username, name=name, role=role)
    return _page(request, issued={"user": user, "password": password, "new": True})


@router.post(f"{PAGE}/{{username}}/password", response_class=HTMLResponse, dependencies=MANAGE)
def reset_password(request: Request, username: str) -> Response:
    """Give an account a new one-time password; its browser sessions end."""
    _team_only(request)
    password = service.one_time_password()
    user = service.reset_password(request.app.state.accounts, username, password, one_time=True)
    return _page(request, issued={"user": user, "password": password, "new": False})


@router.post(f"{PAGE}/{{username}}/disable", dependencies=MANAGE)
def disable_user(request: Request, username: str) -> Response:
    """Disable an account: it cannot log in, and its sessions and API tokens end."""
    _team_only(request)
    try:
        service.set_disabled(
            request.app.state.accounts, username, True, by=actor_of(request).user_id
        )
    except InvalidInputError as error:
        return _refused(request, error)
    return RedirectResponse(PAGE, status_code=303)


@router.post(f"{PAGE}/{{username}}/enable", dependencies=MANAGE)
def enable_user(request: Request, username: str) -> Response:
    """Let a disabled account log in again."""
    _team_only(request)
    service.set_disabled(request.app.state.accounts, username, False)
    return RedirectResponse(PAGE, status_code=303)


@router.post(f"{PAGE}/{{username}}/role", dependencies=MANAGE)
def change_role(
    request: Request, username: str, role: Annotated[str, Form(max_length=40)] = ""
) -> Response:
    """Make an account a candidate, a coach or an admin."""
    _team_only(request)
    try:
        service.set_role(
            request.app.state.accounts, username, parse_role(role), by=actor_of(request).user_id
        )
    except InvalidInputError as error:
        return _refused(request, error)
    return RedirectResponse(PAGE, status_code=303)
