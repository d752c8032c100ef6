"""CSRF tokens for the forms a visitor sends before having a session: logging in, and making an
account from an invitation link.

With no session there is no session token to repeat, so each such page sets a random value in
a cookie of its own (HttpOnly, SameSite=Strict, limited to the form's path) and repeats it in a
hidden field; the form is accepted only when the two match. A foreign page can neither read the
cookie nor set it, and the browser does not send a strict cookie with a cross-site post, so a
forged form (login CSRF: signing the victim in to an account the attacker controls) is refused.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from starlette.requests import Request
from starlette.responses import Response

from ..errors import CsrfError

LIFETIME_SECONDS = 3600


@dataclass(frozen=True)
class FormToken:
    """One kind of pre-session form: its cookie's name and the path the cookie is sent to."""

    cookie: str
    path: str
    expired: str
    """What a refusal says."""

    def new(self) -> str:
        """A fresh token for a form (set it with :meth:`set_cookie` on the page's response)."""
        return secrets.token_urlsafe(32)

    def set_cookie(self, request: Request, response: Response, token: str) -> None:
        response.set_cookie(
            self.cookie,
            token,
            max_age=LIFETIME_SECONDS,
            path=self.path,
            httponly=True,
            samesite="strict",
            # Behind HTTPS (uvicorn's --proxy-headers passes the scheme on), never in clear.
            secure=request.url.scheme == "https",
        )

    def check(self, request: Request, sent: str) -> None:
        """Refuse a form whose token is missing or is not this browser's.

        Raises:
            CsrfError: no cookie, no token, or the two differ.
        """
        cookie = request.cookies.get(self.cookie, "")
        if not (cookie and sent and secrets.compare_digest(cookie.encode(), sent.encode())):
            raise CsrfError(self.expired)

    def clear(self, response: Response) -> None:
        response.delete_cookie(self.cookie, path=self.path)


LOGIN_FORM = FormToken(
    "interview_prep_login", "/login", "The login form has expired. Reload the page and try again."
)
JOIN_FORM = FormToken(
    "interview_prep_join",
    "/join",
    "This sign-up form has expired or did not come from this site. Reload the page and try again.",
)
