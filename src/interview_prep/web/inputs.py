"""The input policy at the web edge: every path, query string and form body passes through
:func:`~interview_prep.input_policy.clean_text` before a route reads it.

Done once here rather than in each handler, so a route added later is covered too. A URL or a
form can only carry a NUL (``%00``); undecodable bytes already arrive as U+FFFD. JSON bodies,
which can also carry ``\\ud800`` escapes, are cleaned by their models (see ``routes/api.py``).
Numbers are range-checked by each parameter's declared bounds.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..input_policy import clean_text

_FORM = b"application/x-www-form-urlencoded"
# Forms larger than this are left to Starlette's own limits (it refuses fields over 1 MB).
_MAX_FORM_BYTES = 8 * 1024 * 1024


def clean_query(query: bytes) -> bytes:
    """A query string or form body with the policy applied to every name and value."""
    if b"%00" not in query.lower() and b"\x00" not in query:
        return query
    pairs = parse_qsl(query.decode("latin-1"), keep_blank_values=True, encoding="utf-8")
    cleaned = [(clean_text(name), clean_text(value)) for name, value in pairs]
    return urlencode(cleaned).encode("ascii")


class InputPolicyMiddleware:
    """Apply the input policy to the path, the query string and URL-encoded form bodies."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        scope = dict(scope)
        scope["path"] = clean_text(scope["path"])
        scope["query_string"] = clean_query(scope.get("query_string", b""))
        content_type = dict(scope.get("headers", [])).get(b"content-type", b"")
        if content_type.split(b";")[0].strip().lower() != _FORM:
            await self.app(scope, receive, send)
            return
        body, more, first = await _read_form(receive)
        if more:
            # Too large to clean here; Starlette refuses it on its own terms.
            replay = [first]
        else:
            replay = [{"type": "http.request", "body": clean_query(body), "more_body": False}]

        async def receive_cleaned() -> Message:
            if replay:
                return replay.pop(0)
            return await receive()

        await self.app(scope, receive_cleaned, send)


async def _read_form(receive: Receive) -> tuple[bytes, bool, Message]:
    """Read a form body up to the size limit; returns it, whether more follows, and (when it
    does) one message holding everything read so far."""
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            return b"", True, message
        chunk = message.get("body", b"")
        chunks.append(chunk)
        size += len(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks), False, message
        if size > _MAX_FORM_BYTES:
            body = b"".join(chunks)
            return body, True, {"type": "http.request", "body": body, "more_body": True}
