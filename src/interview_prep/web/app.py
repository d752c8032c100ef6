"""The app factory: one FastAPI app per database, with pages, API, static files and errors.

``interview-prep serve`` builds it, and so does ``uvicorn --factory
interview_prep.web.app:create_app`` (each worker process then opens the configured database).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI
from starlette.responses import FileResponse, Response
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .. import __version__
from ..accounts.permissions import Action
from ..errors import ConfigurationError
from ..practice.clock import Clock, utc_now
from ..settings import Config, load_config
from ..speech.background import TranscriptionQueue
from ..storage.accounts import DatabaseAccountStore
from ..storage.cohorts import DatabaseCohortStore
from ..storage.database import Database, open_database
from ..storage.practice import DatabasePracticeStore
from ..storage.recordings import DatabaseRecordingStore
from .account import routes as account
from .admin import routes as admin
from .api import routes as api
from .auth import requires
from .authoring import routes as authoring
from .cache import BankCatalog, CurrentQuestions, PageCache
from .cohorts import routes as cohorts
from .errors import install_error_handlers
from .inputs import InputPolicyMiddleware
from .practice import routes as practice
from .progress import routes as progress
from .recordings import routes as recordings
from .request_guard import HostPolicy, RequestGuardMiddleware
from .study import routes as study
from .templating import STATIC_DIR

# Everything the pages use is served by the app itself; nothing inline, nothing from elsewhere.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'"
)
_SECURITY_HEADERS = [
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"x-frame-options", b"DENY"),
]
NO_ACCOUNTS = (
    "team mode needs an account to log in with: add one with "
    "`interview-prep users add NAME --role admin`"
)
_IMMUTABLE = (b"cache-control", b"public, max-age=31536000, immutable")


class SecurityHeadersMiddleware:
    """Add the security headers to every response, and long caching to versioned static files."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        versioned = scope["path"].startswith("/static/") and b"v=" in scope["query_string"]

        async def send_wrapper(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers.extend(_SECURITY_HEADERS)
                if versioned and message["status"] == 200:
                    headers.append(_IMMUTABLE)
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_wrapper)


def favicon() -> Response:
    """Browsers ask for this path whatever the page says (JSON responses have no <head>)."""
    return FileResponse(STATIC_DIR / "favicon.svg", media_type="image/svg+xml")


def create_app(
    database: Database | None = None, *, config: Config | None = None, clock: Clock = utc_now
) -> FastAPI:
    """Build the web app.

    Args:
        database: an open database to serve; the caller keeps ownership. Without it, the app
            opens the configured one (migrating it and loading bundled banks) and closes it on
            shutdown.
        config: settings; by default read from the environment.
        clock: the current time, timezone-aware (tests pin it to replay a timed session).

    Returns:
        The ASGI app.

    Raises:
        ConfigurationError: the configured database cannot be opened, or team mode is on and
            no account can log in.
    """
    config = config or load_config()
    owned = database is None
    if database is None:
        if not config.database_url:
            config.data_path.mkdir(parents=True, exist_ok=True)
        database = open_database(config.resolved_database_url)
    db = database
    transcriptions = TranscriptionQueue()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        transcriptions.shutdown()
        if owned:
            db.close()

    app = FastAPI(
        title="Interview Prep",
        version=__version__,
        description="Question banks, search and grading of a self-hosted interview-practice app.",
        docs_url=None,
        redoc_url=None,
        openapi_url=None,  # served by api.openapi_json, behind its permission like every route
        lifespan=lifespan,
    )
    app.state.db = db
    app.state.config = config
    app.state.banks = BankCatalog(db)
    app.state.pages = PageCache()
    app.state.questions = CurrentQuestions(db, app.state.banks)
    app.state.practice = DatabasePracticeStore(db)
    app.state.accounts = DatabaseAccountStore(db)
    app.state.cohorts = DatabaseCohortStore(db)
    app.state.recordings = DatabaseRecordingStore(db)
    app.state.transcriptions = transcriptions
    app.state.clock = clock
    if config.team and app.state.accounts.active_login_count() == 0:
        if owned:
            db.close()
        raise ConfigurationError(NO_ACCOUNTS)
    install_error_handlers(app)
    app.add_middleware(InputPolicyMiddleware)
    # A request for a foreign host name or a cross-site write is refused before any route (or
    # cache) sees it; the security headers, added after it and so wrapped around it, still apply.
    app.add_middleware(
        RequestGuardMiddleware, policy=HostPolicy.from_settings(config.allowed_hosts, config.host)
    )
    app.add_middleware(SecurityHeadersMiddleware)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.add_api_route(
        "/favicon.ico",
        favicon,
        include_in_schema=False,
        dependencies=[Depends(requires(Action.VIEW_PUBLIC))],
    )
    # Before the study pages: /banks/new is the editor's, not a bank called "new".
    app.include_router(authoring.router)
    app.include_router(study.router)
    app.include_router(practice.router)
    app.include_router(progress.router)
    app.include_router(recordings.router)
    app.include_router(account.router)
    app.include_router(cohorts.router)
    app.include_router(admin.router)
    app.include_router(api.router)
    app.include_router(api.docs_router)
    return app
