"""Browser fixtures: Debian's Chromium driven by Playwright against a live server.

The server is the real app under uvicorn, in a thread, on a free loopback port, serving a SQLite
file in a temporary folder that holds the bundled ML Engineer bank and an XSS probe bank.
Screenshots go to ``test-artifacts/screenshots/`` (git-ignored).
"""

from __future__ import annotations

import contextlib
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from playwright.sync_api import ConsoleMessage, Error, Page

from interview_prep.formats.validation import validate_bank_data
from interview_prep.storage import Database, open_database, repository
from interview_prep.web.app import create_app

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
BANK = "ml-engineer"
XSS_PAYLOAD = (
    "<script>window.__xss = 'script'; alert(1)</script>"
    " <img src=x onerror=\"window.__xss = 'img'; alert(2)\">"
)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    chromium = shutil.which("chromium")
    if chromium is None:
        pytest.fail("Debian's chromium is needed for the browser tests: apt-get install chromium")
    return {
        **browser_type_launch_args,
        "executable_path": chromium,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-quic",
            "--no-first-run",
        ],
    }


def xss_bank_data() -> dict[str, Any]:
    return {
        "id": "xss-probe",
        "title": f"XSS probe {XSS_PAYLOAD}",
        "description": f"Every field carries {XSS_PAYLOAD}",
        "questions": [
            {
                "id": "payload",
                "category": "Probe <img src=x onerror=\"window.__xss = 'category'\">",
                "tags": ["probe"],
                "question": f"Question {XSS_PAYLOAD}",
                "answer": f"Answer {XSS_PAYLOAD}\n\nSecond paragraph {XSS_PAYLOAD}",
                "key_points": [{"text": f"Point {XSS_PAYLOAD}"}],
                "misconceptions": [{"claim": XSS_PAYLOAD, "correction": XSS_PAYLOAD}],
                "follow_ups": [XSS_PAYLOAD],
                "errata": [{"quote": "Second paragraph", "correction": XSS_PAYLOAD}],
            }
        ],
    }


@pytest.fixture(scope="session")
def live_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    """The live server's database: the bundled banks and the XSS probe."""
    folder = tmp_path_factory.mktemp("live")
    database = open_database(f"sqlite:///{folder / 'live.db'}")
    repository.import_bank(database, validate_bank_data(xss_bank_data(), source="xss probe"))
    try:
        yield database
    finally:
        database.close()


@contextlib.contextmanager
def serve(app: Any) -> Iterator[str]:
    """Serve ``app`` with uvicorn in a thread on a free loopback port; yields its base URL."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the server did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


@pytest.fixture(scope="session")
def live_server(live_db: Database) -> Iterator[str]:
    """The app served by uvicorn in a thread; yields its base URL."""
    with serve(create_app(live_db)) as url:
        yield url


@pytest.fixture(scope="session")
def base_url(live_server: str) -> str:
    """Pages open relative to the live server (pytest-playwright reads this fixture)."""
    return live_server


@pytest.fixture(autouse=True)
def no_browser_errors(page: Page) -> Iterator[list[str]]:
    """Fail a test on any console error or uncaught exception (CSP violations included)."""
    errors: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            errors.append(f"console: {message.text}")

    def on_error(error: Error) -> None:
        errors.append(f"page error: {error.message}")

    page.on("console", on_console)
    page.on("pageerror", on_error)
    yield errors
    assert errors == []


def screenshot(page: Page, name: str, *, full_page: bool = False) -> Path:
    """Save a screenshot as a test artifact and return its path."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path
