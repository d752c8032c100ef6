"""Who is asking, and whether they may: the one place every route's permission is checked.

Each route names its action with :func:`requires` (a FastAPI dependency); nothing else in the
web app decides access. The dependency works out the visitor once per request:

* single-user mode (the default): the local user, an admin, with no login, as before accounts;
* team mode (``serve --team``): a browser session cookie, or an API token in an
  ``Authorization: Bearer`` header for scripts; anyone else is anonymous.

It then asks :func:`interview_prep.accounts.permissions.allowed`. An anonymous visitor is sent
to the login page (the API answers 401); a logged-in user refused an action gets "not found",
the same answer as for an id that does not exist, so that nothing is learnt from the refusal.

A request that changes something and is authenticated by the cookie must carry the session's
CSRF token, in the ``csrf_token`` form field or the ``X-CSRF-Token`` header; the browser attaches
cookies to cross-site requests, but a foreign page cannot read the token. API tokens are not
sent by browsers on their own, so calls made with one need no CSRF token.
"""

from __future__ import annotations

import hmac
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request

from ..accounts.permissions import Action, Actor, Resource, allowed, open_before_choosing_a_password
from ..accounts.users import LOCAL_USER_ID, Role, User
from ..errors import CsrfError, LoginRequiredError, NotFoundError, PasswordChangeRequiredError

SESSION_COOKIE = "interview_prep_session"
CSRF_HEADER = "x-csrf-token"
CSRF_FIELD = "csrf_token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
PASSWORD_PAGE = "/account/password"
LOCAL_ACTOR = Actor(LOCAL_USER_ID, Role.ADMIN)


@dataclass(frozen=True)
class Visitor:
    """The requester as the permission check and the pages see them."""

    actor: Actor | None
    user: User | None = None
    via: str = "none"
    """``local`` (single-user mode), ``cookie``, ``token`` or ``none`` (anonymous)."""
    csrf_token: str | None = None
    session_token: str | None = None

    @property
    def team(self) -> bool:
        return self.via != "local"


def _bearer(request: Request) -> str | None:
    scheme, _, value = request.headers.get("authorization", "").partition(" ")
    return value.strip() if scheme.lower() == "bearer" and value.strip() else None


def _actor(request: Request, user: User) -> Actor:
    coached = request.app.state.cohorts.coached_by(user.id) if user.role is Role.COACH else ()
    return Actor(user.id, user.role, frozenset(coached), user.must_change_password)


def resolve_visitor(request: Request) -> Visitor:
    """Work out who is asking (reads the database in team mode; call it off the event loop)."""
    state = request.app.state
    if not state.config.team:
        return Visitor(LOCAL_ACTOR, via="local")
    accounts = state.accounts
    bearer = _bearer(request)
    if bearer is not None:
        user = accounts.api_token_user(bearer)
        return Visitor(_actor(request, user), user, "token") if user else Visitor(None)
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        session = accounts.session(token, state.clock())
        if session is not None:
            return Visitor(
                _actor(request, session.user),
                session.user,
                "cookie",
                csrf_token=session.csrf_token,
                session_token=token,
            )
    return Visitor(None)


async def visitor_of(request: Request) -> Visitor:
    """The request's visitor, worked out once and kept on ``request.state``."""
    found: Visitor | None = getattr(request.state, "visitor", None)
    if found is None:
        found = await run_in_threadpool(resolve_visitor, request)
        request.state.visitor = found
    return found


async def _sent_csrf_token(request: Request) -> str:
    header = request.headers.get(CSRF_HEADER)
    if header:
        return header
    content_type = request.headers.get("content-type", "")
    if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        value = (await request.form()).get(CSRF_FIELD)
        return value if isinstance(value, str) else ""
    return ""


async def authorize(request: Request, action: Action) -> Visitor:
    """Check that the visitor may perform ``action``; the one check every route makes.

    Raises:
        LoginRequiredError: an anonymous visitor and an action that needs a login.
        NotFoundError: a logged-in user who may not perform the action.
        CsrfError: a cookie-authenticated change without the session's CSRF token.
        PasswordChangeRequiredError: a user logged in with a one-time password, asking for
            anything but choosing their own.
    """
    visitor = await visitor_of(request)
    if visitor.via == "cookie" and request.method.upper() not in SAFE_METHODS:
        sent = await _sent_csrf_token(request)
        expected = visitor.csrf_token or ""
        if not (sent and hmac.compare_digest(sent.encode(), expected.encode())):
            raise CsrfError(
                "This form has expired or did not come from this page. Reload the page and try "
                "again."
            )
    if not allowed(visitor.actor, action):
        if visitor.actor is None:
            raise LoginRequiredError("Please log in to see this page.")
        if visitor.actor.must_choose_password and not open_before_choosing_a_password(action):
            raise PasswordChangeRequiredError(
                f"Choose your own password first, at {PASSWORD_PAGE}: the one you were given "
                "works only for that."
            )
        raise NotFoundError(f"There is nothing at {request.url.path}.")
    return visitor


def requires(action: Action) -> Callable[[Request], Awaitable[Visitor]]:
    """A route dependency that checks ``action`` (see :func:`authorize`)."""

    async def check(request: Request) -> Visitor:
        return await authorize(request, action)

    check.action = action  # type: ignore[attr-defined]  # read by the route-coverage test
    return check


def ensure(request: Request, action: Action, resource: Resource) -> None:
    """Check ``action`` on one record, after the route's own check let the request in.

    Raises:
        NotFoundError: not allowed; the same answer as for a record that does not exist.
    """
    if not allowed(actor_of(request), action, resource):
        raise NotFoundError(f"There is nothing at {request.url.path}.")


def actor_of(request: Request) -> Actor:
    """The actor a route's check let through (a route without a check has none)."""
    visitor: Visitor | None = getattr(request.state, "visitor", None)
    if visitor is None or visitor.actor is None:
        raise LoginRequiredError("Please log in to see this page.")
    return visitor.actor
