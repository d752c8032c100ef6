"""A one-time password, handed over by an admin, is good for one thing: choosing one's own."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from interview_prep.accounts import service
from interview_prep.accounts.users import Role
from interview_prep.storage import Database
from interview_prep.storage.accounts import DatabaseAccountStore

from .conftest import soup
from .teams import PASSWORD, add_user, csrf_of, log_in, team_app

OWN_PASSWORD = "my very own secret"


@pytest.fixture
def app(study_db: Database):
    add_user(study_db, "root", Role.ADMIN)
    add_user(study_db, "alice")
    return team_app(study_db)


def _issued_password(html: str) -> str:
    found = soup(html).select_one(".callout .token-value")
    assert found is not None, html
    return found.text


def _choose(client: TestClient, password: str, repeated: str | None = None, next_url: str = "/"):
    return client.post(
        "/account/password",
        data={
            "password": password,
            "repeated": password if repeated is None else repeated,
            "next": next_url,
            "csrf_token": csrf_of(client),
        },
        follow_redirects=False,
    )


def test_a_new_account_chooses_its_password_before_anything_else(app, study_db) -> None:
    with TestClient(app) as admin, TestClient(app) as nina, TestClient(app) as onlooker:
        csrf = log_in(admin, "root")
        made = admin.post("/admin/users", data={"username": "nina", "csrf_token": csrf})
        one_time = _issued_password(made.text)
        assert "choose their own" in soup(made.text).select_one(".callout").text

        log_in(nina, "nina", one_time)
        log_in(onlooker, "nina", one_time)  # someone else who saw it over the admin's shoulder
        # Every page and action leads to the password page first, and comes back after.
        practice = nina.get("/practice?mode=drill", follow_redirects=False)
        assert practice.status_code == 303
        assert practice.headers["location"] == "/account/password?next=/practice%3Fmode%3Ddrill"
        for path in ("/", "/progress", "/account", "/admin/users"):
            response = nina.get(path, follow_redirects=False)
            assert response.status_code == 303, path
            assert response.headers["location"].startswith("/account/password"), path
        # A script with the session's cookie gets a clear JSON refusal, not the page.
        api = nina.get("/api/banks")
        assert api.status_code == 403
        assert api.json()["error"] == "password_change_required"
        assert "/account/password" in api.json()["message"]
        # No API token can be made to get round it.
        token = nina.post(
            "/account/tokens",
            data={"name": "script", "csrf_token": csrf_of(nina)},
            follow_redirects=False,
        )
        assert token.status_code == 303
        assert token.headers["location"].startswith("/account/password")

        page = nina.get("/account/password")
        assert page.status_code == 200
        assert page.headers["cache-control"] == "no-store"
        form = soup(page.text).select_one("form[action='/account/password']")
        assert form.select_one("input[name=csrf_token]") is not None

        # Bad choices say why and change nothing.
        differ = _choose(nina, OWN_PASSWORD, "my very own secrex")
        assert differ.status_code == 422
        assert "differ" in soup(differ.text).select_one("[role=alert]").text
        short = _choose(nina, "short")
        assert short.status_code == 422
        same = _choose(nina, one_time)
        assert same.status_code == 422
        assert "not the one you were given" in soup(same.text).select_one("[role=alert]").text
        assert nina.get("/practice", follow_redirects=False).status_code == 303

        chosen = _choose(nina, OWN_PASSWORD, next_url="/practice?mode=drill")
        assert chosen.status_code == 303
        assert chosen.headers["location"] == "/practice?mode=drill"
        assert nina.get("/practice").status_code == 200
        assert nina.get("/api/banks").status_code == 200
        # Done once: the page now goes to the account page.
        assert nina.get("/account/password", follow_redirects=False).headers["location"] == (
            "/account"
        )
        # The onlooker's session ended; the one-time password no longer opens the account.
        assert (
            onlooker.get("/practice", follow_redirects=False)
            .headers["location"]
            .startswith("/login")
        )
        user = DatabaseAccountStore(study_db).user_by_username("nina")
        assert user is not None and not user.must_change_password
        with pytest.raises(AssertionError):
            log_in(onlooker, "nina", one_time)
        log_in(onlooker, "nina", OWN_PASSWORD)
        assert onlooker.get("/practice").status_code == 200


def test_an_admins_reset_hands_over_a_one_time_password_too(app, study_db) -> None:
    with TestClient(app) as admin, TestClient(app) as alice:
        log_in(alice, "alice")
        assert alice.get("/practice").status_code == 200
        csrf = log_in(admin, "root")
        reset = admin.post("/admin/users/alice/password", data={"csrf_token": csrf})
        one_time = _issued_password(reset.text)
        # Her session ended with the reset; the new password must be replaced at once.
        assert (
            alice.get("/practice", follow_redirects=False).headers["location"].startswith("/login")
        )
        log_in(alice, "alice", one_time)
        assert alice.get("/practice", follow_redirects=False).status_code == 303
        assert _choose(alice, OWN_PASSWORD).status_code == 303
        assert alice.get("/practice").status_code == 200


def test_a_password_the_user_chose_is_never_forced_to_change(app, study_db) -> None:
    # Invitations and accounts made with the user's own password (`users add` without
    # --one-time) go straight in; the password page has nothing to do for them.
    with TestClient(app) as alice:
        log_in(alice, "alice", PASSWORD)
        assert alice.get("/practice").status_code == 200
        assert alice.get("/account/password", follow_redirects=False).headers["location"] == (
            "/account"
        )
        refused = _choose(alice, OWN_PASSWORD)
        assert refused.status_code == 303
        assert refused.headers["location"] == "/account"
    store = DatabaseAccountStore(study_db)
    assert service.log_in(store, "alice", PASSWORD, "127.0.0.1", _now())[0].username == "alice"


def _now():
    from datetime import UTC, datetime

    return datetime.now(UTC)
