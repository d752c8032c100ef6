"""The users page through the real app: an admin adds, disables, enables, resets and re-roles
accounts; everyone else is answered "not found"; every form needs the session's CSRF token."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from interview_prep.accounts.users import Role
from interview_prep.storage import Database
from interview_prep.storage.accounts import DatabaseAccountStore

from .conftest import soup
from .teams import add_user, csrf_of, log_in, team_app


@pytest.fixture
def app(study_db: Database):
    add_user(study_db, "root", Role.ADMIN)
    add_user(study_db, "carol", Role.COACH)
    add_user(study_db, "alice")
    return team_app(study_db)


def _rows(html: str) -> dict[str, dict[str, str]]:
    rows = {}
    for row in soup(html).select("table.user-table tbody tr"):
        role = row.select_one("select[name=role] option[selected]")
        rows[row["data-username"]] = {
            "role": role["value"] if role else "",
            "status": row.select_one(".user-status").text.strip(),
        }
    return rows


def _one_time_password(html: str) -> str:
    found = soup(html).select_one(".callout .token-value")
    assert found is not None, html
    return found.text


def test_an_admin_manages_accounts_in_the_browser_pages(app, study_db: Database) -> None:
    with TestClient(app) as admin, TestClient(app) as newcomer, TestClient(app) as alice:
        csrf = log_in(admin, "root")
        page = admin.get("/admin/users")
        assert page.status_code == 200
        assert page.headers["cache-control"] == "no-store"
        assert _rows(page.text) == {
            "root": {"role": "admin", "status": "Active"},
            "carol": {"role": "coach", "status": "Active"},
            "alice": {"role": "candidate", "status": "Active"},
        }
        # Every form on the page carries the session's CSRF token.
        forms = soup(page.text).select("main form")
        assert len(forms) == 1 + 3 * 3 - 1  # add; per row role, disable, reset (not self-disable)
        assert all(form.select_one("input[name=csrf_token]")["value"] == csrf for form in forms)

        made = admin.post(
            "/admin/users",
            data={"username": "Nina", "name": "Nina <b>N</b>", "role": "coach", "csrf_token": csrf},
        )
        assert made.status_code == 200
        password = _one_time_password(made.text)
        assert len(password) >= 20
        assert _rows(made.text)["nina"] == {"role": "coach", "status": "Active"}
        assert "Nina <b>N</b>" in soup(made.text).select_one("tr[data-username=nina]").text
        log_in(newcomer, "nina", password)
        chosen = newcomer.post(
            "/account/password",
            data={
                "password": "nina's own one",
                "repeated": "nina's own one",
                "csrf_token": csrf_of(newcomer),
            },
            follow_redirects=False,
        )
        assert chosen.status_code == 303
        assert newcomer.get("/cohorts", follow_redirects=False).status_code == 200  # a coach now

        alice_csrf = log_in(alice, "alice")
        disabled = admin.post(
            "/admin/users/alice/disable", data={"csrf_token": csrf}, follow_redirects=False
        )
        assert disabled.status_code == 303
        assert _rows(admin.get("/admin/users").text)["alice"]["status"] == "Disabled"
        # Her session ended at once.
        assert alice.get("/practice", follow_redirects=False).status_code == 303
        admin.post("/admin/users/alice/enable", data={"csrf_token": csrf})
        assert _rows(admin.get("/admin/users").text)["alice"]["status"] == "Active"

        reset = admin.post("/admin/users/alice/password", data={"csrf_token": csrf})
        new_password = _one_time_password(reset.text)
        log_in(alice, "alice", new_password)
        del alice_csrf

        admin.post("/admin/users/alice/role", data={"role": "admin", "csrf_token": csrf})
        store = DatabaseAccountStore(study_db)
        assert store.user_by_username("alice").role is Role.ADMIN
        admin.post("/admin/users/alice/role", data={"role": "candidate", "csrf_token": csrf})
        assert store.user_by_username("alice").role is Role.CANDIDATE


def test_bad_input_is_refused_with_a_clear_message_and_nothing_changes(app) -> None:
    with TestClient(app) as admin:
        csrf = log_in(admin, "root")
        taken = admin.post(
            "/admin/users", data={"username": "alice", "role": "candidate", "csrf_token": csrf}
        )
        assert taken.status_code == 409
        assert "taken" in soup(taken.text).select_one("[role=alert]").text
        bad_role = admin.post(
            "/admin/users", data={"username": "zed", "role": "king", "csrf_token": csrf}
        )
        assert bad_role.status_code == 422
        assert "unknown role" in bad_role.text
        # The form keeps what was typed.
        assert soup(bad_role.text).select_one("#new-username")["value"] == "zed"
        assert "zed" not in _rows(bad_role.text)
        own = admin.post("/admin/users/root/disable", data={"csrf_token": csrf})
        assert own.status_code == 422
        demote = admin.post("/admin/users/root/role", data={"role": "coach", "csrf_token": csrf})
        assert demote.status_code == 422
        assert "own admin role" in demote.text
        root = _rows(admin.get("/admin/users").text)["root"]
        assert root == {"role": "admin", "status": "Active"}
        missing = admin.post("/admin/users/nobody/password", data={"csrf_token": csrf})
        assert missing.status_code == 404
        # The local user of single-user mode is no account to give a password to.
        local = admin.post("/admin/users/local/password", data={"csrf_token": csrf})
        assert local.status_code == 404


@pytest.mark.parametrize("who", ["carol", "alice"])
def test_anyone_but_an_admin_finds_nothing_there(app, who: str) -> None:
    with TestClient(app) as client:
        csrf = log_in(client, who)
        assert client.get("/admin/users").status_code == 404
        for path in ("/admin/users/alice/disable", "/admin/users/root/password"):
            assert client.post(path, data={"csrf_token": csrf}).status_code == 404
        assert 'href="/admin/users"' not in client.get("/account").text


def test_a_form_without_the_sessions_csrf_token_is_refused(app, study_db: Database) -> None:
    with TestClient(app) as admin, TestClient(app) as alice, TestClient(app) as anonymous:
        log_in(admin, "root")
        alice_csrf = log_in(alice, "alice")
        for data in ({}, {"csrf_token": alice_csrf}, {"csrf_token": "forged"}):
            response = admin.post("/admin/users/alice/disable", data=data)
            assert response.status_code == 403
        assert not DatabaseAccountStore(study_db).user_by_username("alice").disabled
        refused = anonymous.post("/admin/users", data={"username": "x"}, follow_redirects=False)
        assert refused.headers["location"].startswith("/login")


def test_single_user_mode_has_no_accounts_to_manage(client: TestClient) -> None:
    page = soup(client.get("/admin/users").text)
    assert "single-user mode" in page.select_one(".lede").text
    assert client.post("/admin/users", data={"username": "zed"}).status_code == 404
