"""Cohorts through the real app: a coach makes one, invites people, assigns work, sees progress."""

from __future__ import annotations

import csv
import io
import re

import pytest
from fastapi.testclient import TestClient

from interview_prep.accounts.users import Role
from interview_prep.storage import Database
from interview_prep.storage.accounts import DatabaseAccountStore

from .conftest import soup
from .teams import PASSWORD, add_user, log_in, team_app


@pytest.fixture
def app(study_db: Database):
    add_user(study_db, "carol", Role.COACH)
    add_user(study_db, "dave", Role.COACH)
    add_user(study_db, "alice")
    return team_app(study_db)


def _practise(client: TestClient, csrf: str, answer: str) -> None:
    started = client.post(
        "/practice/sessions",
        data={"bank": "ml-basics", "count": "1", "mode": "drill", "csrf_token": csrf},
        follow_redirects=False,
    )
    url = started.headers["location"]
    client.get(url)
    client.post(f"{url}/answer", data={"index": "0", "answer": answer, "csrf_token": csrf})


def test_a_coach_invites_assigns_and_follows_a_cohort(app) -> None:
    with TestClient(app) as coach, TestClient(app) as newcomer, TestClient(app) as alice:
        csrf = log_in(coach, "carol")
        made = coach.post(
            "/cohorts",
            data={"name": "Spring <b>cohort</b>", "csrf_token": csrf},
            follow_redirects=False,
        )
        assert made.status_code == 303
        cohort_url = made.headers["location"]
        page = soup(coach.post(f"{cohort_url}/invitations", data={"csrf_token": csrf}).text)
        link = page.select_one(".token-value").text
        token = re.search(r"/join/([\w-]+)$", link).group(1)
        assigned = coach.post(
            f"{cohort_url}/assignments",
            data={"bank": "ml-basics", "category": "", "due": "2099-01-31", "csrf_token": csrf},
            follow_redirects=False,
        )
        assert assigned.status_code == 303

        # Someone new makes an account from the link; Alice joins with hers.
        joined = newcomer.post(
            f"/join/{token}",
            data={
                "username": "nina",
                "name": "Nina N",
                "password": PASSWORD,
                "join_token": join_token(newcomer, token),
            },
            follow_redirects=False,
        )
        assert joined.status_code == 303
        nina_csrf = newcomer.get("/account").text
        nina_csrf = soup(nina_csrf).select_one("meta[name=csrf-token]")["content"]
        _practise(newcomer, nina_csrf, "a wrong answer about something else")
        alice_csrf = log_in(alice, "alice")
        assert "Join the cohort" in alice.get(f"/join/{token}").text
        alice.post(f"/join/{token}", data={"csrf_token": alice_csrf})
        _practise(alice, alice_csrf, "gradients shrink exponentially through layers")

        page = soup(coach.get(cohort_url).text)
        assert page.select_one("h1").text == "Spring <b>cohort</b>"
        people = [
            row.select_one("th").text for row in page.select("section table")[0].select("tbody tr")
        ]
        assert people == ["alice", "Nina N"]
        assert "2 practised in the last 7 days" in page.text
        export = coach.get(f"{cohort_url}/export")
        assert export.headers["content-type"].startswith("text/csv")
        rows = list(csv.DictReader(io.StringIO(export.text)))
        assert [row["name"] for row in rows] == ["alice", "Nina N"]
        assert all(row["attempts"] == "1" for row in rows)

        # Another coach, and a candidate, find nothing there.
        with TestClient(app) as other:
            log_in(other, "dave")
            assert other.get(cohort_url).status_code == 404
            assert other.get(f"{cohort_url}/export").status_code == 404
            assert "Spring" not in other.get("/cohorts").text
        assert alice.get(cohort_url).status_code == 404
        assert (
            alice.post("/cohorts", data={"name": "x", "csrf_token": alice_csrf}).status_code == 404
        )


def join_token(client: TestClient, invitation: str) -> str:
    """The sign-up form's own CSRF token, as the invitation page gives it to this browser."""
    field = soup(client.get(f"/join/{invitation}").text).select_one("input[name=join_token]")
    assert field is not None
    return str(field["value"])


def _invitation(app) -> str:
    with TestClient(app) as coach:
        csrf = log_in(coach, "carol")
        cohort_url = coach.post("/cohorts", data={"name": "A", "csrf_token": csrf}).url.path
        page = soup(coach.post(f"{cohort_url}/invitations", data={"csrf_token": csrf}).text)
        return re.search(r"/join/([\w-]+)$", page.select_one(".token-value").text).group(1)


def test_the_sign_up_form_refuses_a_missing_or_foreign_token(app, study_db: Database) -> None:
    invitation = _invitation(app)
    form = {"username": "mallory", "name": "M", "password": PASSWORD}
    with TestClient(app) as victim, TestClient(app) as attacker:
        own = join_token(victim, invitation)
        foreign = join_token(attacker, invitation)
        attempts = [
            {},  # no token at all: a forged form on a foreign page
            {"join_token": foreign},  # the attacker's own token, with the victim's cookie
            {"join_token": "forged"},
        ]
        for extra in attempts:
            refused = victim.post(f"/join/{invitation}", data={**form, **extra})
            assert refused.status_code == 403
            assert "sign-up form has expired" in refused.text
            assert "interview_prep_session" not in refused.headers.get("set-cookie", "")
        # Without the cookie (a cross-site post carries no strict cookie), even a real token fails.
        with TestClient(app) as cookieless:
            response = cookieless.post(f"/join/{invitation}", data={**form, "join_token": own})
            assert response.status_code == 403
        assert DatabaseAccountStore(study_db).user_by_username("mallory") is None
        # The victim's own form still works, once.
        joined = victim.post(
            f"/join/{invitation}", data={**form, "join_token": own}, follow_redirects=False
        )
        assert joined.status_code == 303
        assert DatabaseAccountStore(study_db).user_by_username("mallory") is not None


def test_a_refused_sign_up_keeps_a_working_form(app) -> None:
    invitation = _invitation(app)
    with TestClient(app) as visitor:
        token = join_token(visitor, invitation)
        short = visitor.post(
            f"/join/{invitation}",
            data={"username": "nina", "password": "short", "join_token": token},
        )
        assert short.status_code == 422
        again = soup(short.text).select_one("input[name=join_token]")["value"]
        joined = visitor.post(
            f"/join/{invitation}",
            data={"username": "nina", "password": PASSWORD, "join_token": again},
            follow_redirects=False,
        )
        assert joined.status_code == 303


def test_a_bad_invitation_or_form_is_a_clear_error(app) -> None:
    with TestClient(app) as visitor:
        assert visitor.get("/join/not-a-token").status_code == 404
    with TestClient(app) as coach:
        csrf = log_in(coach, "carol")
        url = coach.post("/cohorts", data={"name": "A", "csrf_token": csrf}).url.path
        bad = coach.post(
            f"{url}/assignments", data={"bank": "ml-basics", "due": "soon", "csrf_token": csrf}
        )
        assert bad.status_code == 422
        assert "is not a date" in soup(bad.text).select_one("[role=alert]").text
        assert coach.post("/cohorts", data={"name": " ", "csrf_token": csrf}).status_code == 422
