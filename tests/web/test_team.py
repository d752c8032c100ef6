"""Team mode through the real app: logging in and out, cookies, throttling, CSRF, API tokens."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from interview_prep.accounts.throttle import ACCOUNT_LIMIT
from interview_prep.accounts.users import Role
from interview_prep.errors import ConfigurationError
from interview_prep.storage import Database
from interview_prep.storage.accounts import DatabaseAccountStore

from .conftest import soup
from .teams import PASSWORD, add_user, log_in, team_app


@pytest.fixture
def app(study_db: Database):
    add_user(study_db, "alice")
    add_user(study_db, "bob")
    add_user(study_db, "root", Role.ADMIN)
    return team_app(study_db)


@pytest.fixture
def client(app) -> Iterator[TestClient]:
    with TestClient(app) as test_client:
        yield test_client


def test_team_mode_needs_an_account(study_db: Database) -> None:
    with pytest.raises(ConfigurationError, match="users add"):
        team_app(study_db)


def test_a_visitor_is_sent_to_log_in_and_scripts_get_401(client: TestClient) -> None:
    response = client.get("/progress", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=/progress"
    response = client.get("/api/banks")
    assert response.status_code == 401
    assert response.json()["error"] == "login_required"
    # What describes the app, not anyone's data, stays open.
    assert client.get("/openapi.json").status_code == 200
    assert client.get("/docs").status_code == 200


def test_logging_in_sets_a_strict_session_cookie(client: TestClient) -> None:
    form = soup(client.get("/login").text)
    assert form.select_one("input[name=password][type=password]") is not None
    token = form.select_one("input[name=login_token]")["value"]
    response = client.post(
        "/login",
        data={"username": "Alice", "password": PASSWORD, "login_token": token, "next": "/progress"},
        follow_redirects=False,
    )
    assert response.status_code == 303 and response.headers["location"] == "/progress"
    cookie = next(
        value
        for name, value in response.headers.multi_items()
        if name == "set-cookie" and value.startswith("interview_prep_session=")
    )
    attributes = {part.strip().split("=")[0].lower() for part in cookie.split(";")}
    assert {"httponly", "path", "max-age"} <= attributes
    assert "samesite=lax" in cookie.lower() and "secure" not in attributes
    assert client.get("/progress").status_code == 200


def test_behind_https_the_cookie_is_secure(app) -> None:
    with TestClient(app, base_url="https://testserver") as client:
        form = soup(client.get("/login").text)
        token = form.select_one("input[name=login_token]")["value"]
        response = client.post(
            "/login",
            data={"username": "alice", "password": PASSWORD, "login_token": token},
            follow_redirects=False,
        )
    (cookie,) = [
        value.lower()
        for name, value in response.headers.multi_items()
        if name == "set-cookie" and value.startswith("interview_prep_session=")
    ]
    assert "secure" in [part.strip() for part in cookie.split(";")]


@pytest.mark.parametrize("target", ["//evil.example/", "https://evil.example/", "/\\evil"])
def test_after_login_only_local_paths_are_followed(client: TestClient, target: str) -> None:
    token = soup(client.get("/login").text).select_one("input[name=login_token]")["value"]
    response = client.post(
        "/login",
        data={"username": "alice", "password": PASSWORD, "login_token": token, "next": target},
        follow_redirects=False,
    )
    assert response.headers["location"] == "/"


def test_a_login_form_from_elsewhere_is_refused(client: TestClient) -> None:
    client.get("/login")
    response = client.post(
        "/login", data={"username": "alice", "password": PASSWORD, "login_token": "forged"}
    )
    assert response.status_code == 403
    assert client.get("/api/banks").status_code == 401


def test_wrong_passwords_are_throttled(client: TestClient) -> None:
    for _ in range(ACCOUNT_LIMIT):
        token = soup(client.get("/login").text).select_one("input[name=login_token]")["value"]
        response = client.post(
            "/login", data={"username": "alice", "password": "wrong guess", "login_token": token}
        )
        assert response.status_code == 401
        assert "Wrong username or password" in soup(response.text).select_one("[role=alert]").text
    token = soup(client.get("/login").text).select_one("input[name=login_token]")["value"]
    response = client.post(
        "/login", data={"username": "alice", "password": PASSWORD, "login_token": token}
    )
    assert response.status_code == 429
    assert int(response.headers["retry-after"]) > 0


def test_a_change_needs_the_sessions_csrf_token(client: TestClient) -> None:
    csrf = log_in(client, "alice")
    data = {"bank": "ml-basics", "count": "1", "mode": "drill"}
    assert client.post("/practice/sessions", data=data).status_code == 403
    refused = client.post("/practice/sessions", data={**data, "csrf_token": "x" * 43})
    assert refused.status_code == 403
    response = client.post(
        "/practice/sessions", data={**data, "csrf_token": csrf}, follow_redirects=False
    )
    assert response.status_code == 303
    # Every form the session page shows carries the token.
    page = soup(client.get(response.headers["location"]).text)
    forms = page.select("form[method=post]")
    assert forms and all(
        form.select_one("input[name=csrf_token]")["value"] == csrf for form in forms
    )


def test_logout_everywhere_ends_every_session(app) -> None:
    with TestClient(app) as laptop, TestClient(app) as phone:
        log_in(laptop, "alice")
        csrf = log_in(phone, "alice")
        response = phone.post(
            "/logout/everywhere", data={"csrf_token": csrf}, follow_redirects=False
        )
        assert response.status_code == 303 and response.headers["location"] == "/login"
        assert laptop.get("/api/banks").status_code == 401
        assert phone.get("/api/banks").status_code == 401


def test_logout_ends_only_this_browser(app) -> None:
    with TestClient(app) as laptop, TestClient(app) as phone:
        csrf = log_in(laptop, "alice")
        log_in(phone, "alice")
        laptop.post("/logout", data={"csrf_token": csrf})
        assert laptop.get("/api/banks").status_code == 401
        assert phone.get("/api/banks").status_code == 200


def test_an_api_token_in_the_header_needs_no_csrf_token(client: TestClient) -> None:
    csrf = log_in(client, "alice")
    page = soup(client.post("/account/tokens", data={"name": "nightly", "csrf_token": csrf}).text)
    token = page.select_one(".token-value").text
    with TestClient(client.app) as script:
        headers = {"Authorization": f"Bearer {token}"}
        assert script.get("/api/banks", headers=headers).status_code == 200
        graded = script.post(
            "/api/grade",
            json={"question_id": "ml-basics/gradient-descent", "answer": "step downhill"},
            headers=headers,
        )
        assert graded.status_code == 200 and "score" in graded.json()
        wrong = {"Authorization": "Bearer ipt_not-a-token"}
        assert script.get("/api/banks", headers=wrong).status_code == 401


def test_a_disabled_account_is_out_at_once(client: TestClient, study_db: Database) -> None:
    log_in(client, "alice")
    assert client.get("/api/banks").status_code == 200
    store = DatabaseAccountStore(study_db)
    store.set_disabled(store.user_by_username("alice").id, True)
    assert client.get("/api/banks").status_code == 401


def test_a_new_users_practice_starts_empty(client: TestClient) -> None:
    csrf = log_in(client, "alice")
    assert client.get("/login", follow_redirects=False).headers["location"] == "/"
    page = soup(client.get("/account").text)
    assert page.select_one(".account-facts").text.count("alice") == 2
    assert csrf in str(page.select_one("body")["hx-headers"])
    history = soup(client.get("/history").text)
    assert history.select("table tbody tr") == []
