"""Logins queue on the password executor, and the rest of the app goes on meanwhile."""

from __future__ import annotations

import asyncio
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from bs4 import BeautifulSoup
from fastapi.testclient import TestClient

from interview_prep.errors import ClientGoneError
from interview_prep.storage import Database
from interview_prep.web import password_work

from .teams import PASSWORD, add_user, log_in, team_app


def test_a_login_waits_for_a_password_slot_while_pages_are_served(study_db: Database) -> None:
    add_user(study_db, "alice")
    add_user(study_db, "bob")
    app = team_app(study_db)
    release = threading.Event()
    with TestClient(app) as alice, TestClient(app) as bob, ThreadPoolExecutor(2) as users:
        log_in(alice, "alice")
        # Every password slot busy, as with a crowd logging in at once.
        blockers = [
            password_work.EXECUTOR.submit(release.wait, 60) for _ in range(password_work.SLOTS)
        ]
        try:
            token = BeautifulSoup(bob.get("/login").text, "html.parser").select_one(
                "input[name=login_token]"
            )["value"]
            form = {"username": "bob", "password": PASSWORD, "login_token": token}
            login = users.submit(bob.post, "/login", data=form, follow_redirects=False)
            # A logged-in user's pages do not wait behind the logins.
            for _ in range(3):
                assert alice.get("/practice").status_code == 200
            assert not login.done()
        finally:
            release.set()
        assert login.result(timeout=60).status_code == 303
        assert all(blocker.result() for blocker in blockers)
        assert bob.get("/account").status_code == 200


class _GoneClient:
    """A request whose client has disconnected (what Starlette's ``is_disconnected`` says)."""

    url = type("URL", (), {"path": "/login"})()

    async def is_disconnected(self) -> bool:
        return True


def test_a_login_whose_client_left_the_queue_is_never_checked() -> None:
    release = threading.Event()
    checked: list[str] = []
    blockers = [password_work.EXECUTOR.submit(release.wait, 60) for _ in range(password_work.SLOTS)]
    try:
        with pytest.raises(ClientGoneError), ThreadPoolExecutor(1) as own_thread:
            # A thread of its own: a browser test's Playwright may hold this thread's running loop.
            coroutine = password_work.run_password_work(_GoneClient(), checked.append, "bob")  # type: ignore[arg-type]
            own_thread.submit(asyncio.run, coroutine).result()
    finally:
        release.set()
    assert all(blocker.result() for blocker in blockers)
    password_work.EXECUTOR.submit(lambda: None).result()  # the queue has drained
    assert checked == []
