"""Which requests the app answers at all: an allow-list of ``Host`` names, and a same-origin rule
for every request that changes something.

The app has no login, so whoever can make the browser send a request can act as the user. Two
tricks get a foreign page that far, and each has its check here:

* **DNS rebinding.** A page on ``evil.example`` re-points its own name at ``127.0.0.1``; the
  browser then calls the app as "same origin" with ``Host: evil.example``. Comparing ``Origin``
  with ``Host`` cannot see this, because both say ``evil.example``. So the ``Host`` must be a name
  the app was told it serves: with no set-up, only loopback names (``localhost``, ``*.localhost``,
  ``127.x.x.x``, ``::1``) and the address the server binds to. More names come from the
  ``allowed_hosts`` setting. A loopback name cannot be rebound, because the browser resolves it
  itself.
* **Cross-site forms.** A POST whose ``Origin`` is not the app's own scheme and allowed host, or
  that the browser marks ``Sec-Fetch-Site: cross-site``/``same-site``, is refused. A request with
  neither header comes from a program such as curl, not from a browser page, and passes.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Receive, Scope, Send

from .errors import error_response

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_WILDCARD_BINDS = frozenset({"", "0.0.0.0", "::"})
# What a browser sends for a request the user made themselves or that came from the app's page.
_OWN_FETCH_SITES = frozenset({"same-origin", "none"})
_FORBIDDEN = ("forbidden", "Not allowed")


def split_host(value: str) -> str:
    """The host name of a ``Host`` (or ``Origin`` authority) value, lower case, without port.

    Returns an empty string for a value that is not a host at all.
    """
    value = value.strip().lower()
    if value.startswith("["):
        end = value.find("]")
        return value[1:end] if end > 0 else ""
    if value.count(":") > 1:
        # A bare IPv6 address is not a valid Host value; do not guess at its port.
        return ""
    name = value.split(":", 1)[0]
    return name[:-1] if name.endswith(".") else name


def is_loopback(name: str) -> bool:
    """Whether a host name always means this machine (so no DNS answer can re-point it)."""
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True)
class HostPolicy:
    """The host names the app answers to.

    ``names`` are matched exactly; an entry that starts with a dot (``.example.org``) also matches
    every name under it; ``*`` matches any name (only behind a proxy that checks ``Host`` itself).
    """

    names: frozenset[str]

    @classmethod
    def from_settings(cls, allowed_hosts: str, bind_host: str = "") -> HostPolicy:
        """Build the policy from the ``allowed_hosts`` setting and the address the server binds."""
        names = {split_host(part) or part.strip() for part in allowed_hosts.split(",")}
        bind = bind_host.strip().strip("[]").lower()
        if bind not in _WILDCARD_BINDS:
            names.add(bind)
        names.discard("")
        return cls(frozenset(names))

    def allows(self, name: str) -> bool:
        if not name:
            return False
        if is_loopback(name) or "*" in self.names or name in self.names:
            return True
        return any(entry.startswith(".") and name.endswith(entry) for entry in self.names)

    def describe(self) -> str:
        extra = sorted(self.names)
        return ", ".join(["loopback names", *extra])


def _origin_matches(origin: str, scheme: str, host: str) -> bool:
    """Whether an ``Origin`` header names this very app: same scheme, same host and port."""
    if "://" not in origin:
        return False
    origin_scheme, authority = origin.split("://", 1)
    return origin_scheme.lower() == scheme and authority.lower().rstrip("/") == host.lower()


class RequestGuardMiddleware:
    """Refuse a request for a host the app does not serve, and a cross-site request that writes."""

    def __init__(self, app: ASGIApp, policy: HostPolicy) -> None:
        self.app = app
        self.policy = policy

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        refusal = self.refusal(scope["method"], scope.get("scheme", "http"), Headers(scope=scope))
        if refusal is None:
            await self.app(scope, receive, send)
            return
        status, message = refusal
        code, title = ("bad_host", "Unknown host name") if status == 400 else _FORBIDDEN
        response = error_response(scope.get("path", ""), status, code, title, message)
        await response(scope, receive, send)

    def refusal(self, method: str, scheme: str, headers: Headers) -> tuple[int, str] | None:
        """The status and message to refuse a request with, or ``None`` to let it through."""
        host = headers.get("host", "")
        if not self.policy.allows(split_host(host)):
            return 400, (
                "This server does not answer to that host name. It answers to "
                f"{self.policy.describe()}; add a name to the allowed_hosts setting "
                "(INTERVIEW_PREP_ALLOWED_HOSTS) to serve it."
            )
        if method.upper() in SAFE_METHODS:
            return None
        forbidden = (
            403,
            "This form can only be sent from the app's own pages. Reload the page and try again.",
        )
        fetch_site = headers.get("sec-fetch-site")
        if fetch_site is not None and fetch_site.lower() not in _OWN_FETCH_SITES:
            return forbidden
        origin = headers.get("origin")
        if origin is not None and not _origin_matches(origin, scheme, host.strip()):
            return forbidden
        return None
