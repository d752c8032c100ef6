"""Helpers for the team-mode tests: an app with accounts, and logging a client in."""

from __future__ import annotations

from datetime import UTC, datetime

from bs4 import BeautifulSoup
from fastapi import FastAPI
from fastapi.testclient import TestClient

from interview_prep.accounts import service
from interview_prep.accounts.users import Role, User
from interview_prep.settings import load_config
from interview_prep.storage import Database
from interview_prep.storage.accounts import DatabaseAccountStore
from interview_prep.web.app import create_app

PASSWORD = "correct horse battery"
CREATED = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def team_app(db: Database, **settings: object) -> FastAPI:
    settings = {"team": True, "grader": "lexical", "allowed_hosts": "testserver", **settings}
    config = load_config(settings, environ={})
    return create_app(db, config=config)


def add_user(db: Database, username: str, role: Role = Role.CANDIDATE) -> User:
    return service.add_user(
        DatabaseAccountStore(db), username, PASSWORD, CREATED, role=role, display_name=username
    )


def log_in(client: TestClient, username: str, password: str = PASSWORD) -> str:
    """Log ``client`` in through the login form; returns the session's CSRF token."""
    form = BeautifulSoup(client.get("/login").text, "html.parser")
    token = form.select_one("input[name=login_token]")["value"]
    response = client.post(
        "/login",
        data={"username": username, "password": password, "login_token": token},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    return csrf_of(client)


def csrf_of(client: TestClient) -> str:
    page = BeautifulSoup(client.get("/account").text, "html.parser")
    meta = page.select_one("meta[name=csrf-token]")
    assert meta is not None
    return str(meta["content"])
