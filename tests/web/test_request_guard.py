"""The Host allow-list (DNS rebinding) and the same-origin rule for writes, through the real app."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from interview_prep.settings import load_config
from interview_prep.storage import Database
from interview_prep.web.app import create_app
from interview_prep.web.request_guard import HostPolicy, is_loopback, split_host

REBOUND = "evil.example:8622"


@pytest.fixture
def app_client(study_db: Database) -> Iterator[TestClient]:
    """The app with no set-up at all (no allowed_hosts), called on its loopback address."""
    config = load_config(environ={})
    with TestClient(create_app(study_db, config=config), base_url="http://127.0.0.1:8622") as c:
        yield c


def test_a_rebound_host_name_cannot_read_the_history(app_client: TestClient) -> None:
    # Finding 1: any Host was accepted, so a rebinding page read the whole history.
    response = app_client.get("/history/export?format=json", headers={"Host": REBOUND})
    assert response.status_code == 400
    assert "allowed_hosts" in response.text
    assert response.headers["content-security-policy"].startswith("default-src 'self'")
    assert app_client.get("/history/export?format=json").status_code == 200


def test_a_rebound_host_name_cannot_start_a_session(app_client: TestClient) -> None:
    # Finding 1: Origin and Host agree on the rebound name, which used to pass the old check.
    response = app_client.post(
        "/practice/sessions",
        data={"mode": "drill"},
        headers={"Host": REBOUND, "Origin": f"http://{REBOUND}"},
        follow_redirects=False,
    )
    assert response.status_code == 400
    assert "does not answer to that host name" in response.text


@pytest.mark.parametrize(
    "headers",
    [
        {"Sec-Fetch-Site": "cross-site"},
        {"Sec-Fetch-Site": "same-site"},
        {"Origin": "http://evil.example"},
        {"Origin": "null"},
        {"Origin": "https://127.0.0.1:8622"},
        {"Origin": "http://127.0.0.1:8622", "Sec-Fetch-Site": "cross-site"},
    ],
)
def test_cross_site_writes_are_refused(app_client: TestClient, headers: dict[str, str]) -> None:
    # Finding 1: a POST with no Origin and Sec-Fetch-Site: cross-site was accepted.
    for path in ("/practice/sessions", "/api/grade"):
        response = app_client.post(path, data={"mode": "drill"}, headers=headers)
        assert response.status_code == 403, (path, headers)


def test_own_pages_and_programs_may_write(app_client: TestClient) -> None:
    own = {"Origin": "http://127.0.0.1:8622", "Sec-Fetch-Site": "same-origin"}
    for headers in (own, {}, {"Sec-Fetch-Site": "none"}):
        response = app_client.post("/api/grade", json={}, headers=headers)
        # Past the guard: the API itself answers (the empty body is invalid input).
        assert response.status_code == 422, headers


@pytest.mark.parametrize(
    "host", ["localhost:8622", "LOCALHOST", "app.localhost", "127.0.0.2:1", "[::1]:8622"]
)
def test_loopback_names_need_no_set_up(app_client: TestClient, host: str) -> None:
    assert app_client.get("/", headers={"Host": host}).status_code == 200


@pytest.mark.parametrize("host", ["", "evil.example", "127.0.0.1.evil.example", "localhost.evil"])
def test_other_names_are_refused_without_set_up(app_client: TestClient, host: str) -> None:
    assert app_client.get("/api/banks", headers={"Host": host}).status_code == 400


def test_allowed_hosts_setting_adds_names(study_db: Database) -> None:
    config = load_config(environ={"INTERVIEW_PREP_ALLOWED_HOSTS": "prep.example.org, .lan"})
    with TestClient(create_app(study_db, config=config), base_url="http://prep.example.org") as c:
        assert c.get("/").status_code == 200
        assert c.get("/", headers={"Host": "box.lan:8000"}).status_code == 200
        assert c.get("/", headers={"Host": "evil.example"}).status_code == 400
        own = {"Origin": "http://prep.example.org"}
        assert c.post("/api/grade", json={}, headers=own).status_code == 422


def test_the_bind_address_is_allowed_but_a_wildcard_is_not() -> None:
    assert HostPolicy.from_settings("", "192.168.1.5").allows("192.168.1.5")
    assert not HostPolicy.from_settings("", "0.0.0.0").allows("192.168.1.5")
    assert HostPolicy.from_settings("*", "").allows("anything.example")


def test_host_values_are_parsed_strictly() -> None:
    assert split_host("Example.ORG.:80") == "example.org"
    assert split_host("[::1]:8000") == "::1"
    assert split_host("::1") == ""
    assert is_loopback("127.9.9.9") and not is_loopback("10.0.0.1")
