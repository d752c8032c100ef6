"""Logins queue on the password executor, and the rest of the app goes on meanwhile."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from bs4 import BeautifulSoup
from fastapi.testclient import TestClient

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
