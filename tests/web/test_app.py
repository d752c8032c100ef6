"""The app as a whole: static files, security headers, OpenAPI and its offline docs page."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from interview_prep.domain import Bank
from interview_prep.storage import Database, repository
from interview_prep.web.app import create_app
from interview_prep.web.templating import HTMX_FILE, STATIC_DIR, static_url

from .conftest import XSS_IMAGE, XSS_SCRIPT, soup

HTMX_SHA256 = "d6fdc75f204e6bdefa99b69bf1e6d4ac69b8a364f77929f45c13476b4000f717"


def test_htmx_is_the_vendored_2_0_11_file_and_its_origin_is_noted() -> None:
    data = (STATIC_DIR / HTMX_FILE).read_bytes()
    assert hashlib.sha256(data).hexdigest() == HTMX_SHA256
    assert data.count(b'version:"2.0.11"') == 1
    notice = (STATIC_DIR / "README.md").read_text()
    assert "npm pack htmx.org@2.0.11" in notice and "0BSD" in notice


def test_katex_is_the_vendored_npm_release_as_its_notice_says() -> None:
    folder = STATIC_DIR / "katex"
    notice = (STATIC_DIR / "README.md").read_text()
    assert "npm pack katex@0.19.1" in notice
    for name in ("katex.min.js", "katex.min.css", "auto-render.min.js"):
        digest = hashlib.sha256((folder / name).read_bytes()).hexdigest()
        assert f"`{name}` `{digest}`" in notice, name
    assert b'version:"0.19.1"' in (folder / "katex.min.js").read_bytes()
    assert "MIT License" in (folder / "LICENSE").read_text()
    fonts = sorted(path.suffix for path in (folder / "fonts").iterdir())
    assert fonts and set(fonts) == {".woff2"}


def test_static_files_are_served_with_long_caching_when_versioned(client: TestClient) -> None:
    url = static_url(HTMX_FILE)
    assert url.startswith(f"/static/{HTMX_FILE}?v=")
    response = client.get(url)
    assert response.status_code == 200
    assert response.content == (STATIC_DIR / HTMX_FILE).read_bytes()
    assert "immutable" in response.headers["cache-control"]
    for name in ("app.css", "dark.css", "theme.js", "math.js", "katex/katex.min.js", "favicon.svg"):
        assert client.get(static_url(name)).status_code == 200
    assert "cache-control" not in client.get("/static/app.css").headers


def test_pages_send_a_strict_content_security_policy(client: TestClient) -> None:
    headers = client.get("/banks/ml-basics").headers
    policy = headers["content-security-policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["x-frame-options"] == "DENY"


def test_openapi_describes_every_api_route(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    assert spec["info"]["title"] == "Interview Prep"
    assert set(spec["paths"]) == {
        "/api/banks",
        "/api/banks/{bank_id}",
        "/api/questions",
        "/api/questions/{question_id}",
        "/api/search",
        "/api/grade",
    }


def test_docs_page_lists_the_api_without_any_cdn(client: TestClient) -> None:
    response = client.get("/docs")
    assert response.status_code == 200
    page = soup(response.text)
    titles = [" ".join(h.get_text(" ", strip=True).split()) for h in page.select(".endpoint h3")]
    assert "GET /api/search Search questions" in titles
    assert "POST /api/grade Grade an answer" in titles
    search = next(s for s in page.select(".endpoint") if "/api/search" in s.h3.get_text())
    rows = [
        [cell.get_text(" ", strip=True) for cell in row.select("td")]
        for row in search.select("tbody tr")
    ]
    assert rows[0][:3] == ["q required", "query", "string (up to 500 characters)"]
    difficulty = next(row for row in rows if row[0] == "difficulty")
    assert difficulty[2] == "easy | medium | hard (optional)"
    responses = " ".join(search.select_one(".responses").get_text(" ").split())
    assert "404 Unknown bank or question" in responses
    grade = next(s for s in page.select(".endpoint") if "/api/grade" in s.h3.get_text())
    body, answer = grade.select("table")
    assert [row.td.code.get_text() for row in body.select("tbody tr")] == [
        "question_id",
        "answer",
        "bank",
    ]
    answered = {row.td.code.get_text(): row for row in answer.select("tbody tr")}
    assert {"score", "key_points", "misconceptions", "feedback", "transcript"} <= set(answered)
    score = [cell.get_text(" ", strip=True) for cell in answered["score"].select("td")]
    assert score[:2] == ["score always", "number (0.0 to 5.0)"]
    assert "KeyPointResult" in answered["key_points"].get_text()
    assert page.select_one('a[href="/openapi.json"]') is not None
    assert "cdn" not in response.text.lower()


def test_an_xss_bank_renders_as_text_everywhere(study_db: Database, xss_bank: Bank) -> None:
    repository.import_bank(study_db, xss_bank)
    with TestClient(create_app(study_db)) as client:
        pages = [
            "/",
            "/banks/xss-probe",
            "/banks/xss-probe?q=question",
            "/questions/xss-probe/payload",
        ]
        for path in pages:
            response = client.get(path)
            assert response.status_code == 200, path
            page = soup(response.text)
            scripts = [script.get("src", "") for script in page.select("script")]
            assert all(src.startswith("/static/") for src in scripts), (path, scripts)
            assert page.select("img") == [], path
            assert not [tag for tag in page.find_all(True) if tag.has_attr("onerror")], path
            assert XSS_SCRIPT in page.get_text() or XSS_IMAGE in page.get_text(), path
        fragment = client.get("/banks/xss-probe?q=payload", headers={"HX-Request": "true"}).text
        assert soup(fragment).select("script, img") == []


def test_factory_without_arguments_opens_the_configured_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("INTERVIEW_PREP_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("INTERVIEW_PREP_DATABASE_URL", raising=False)
    with TestClient(create_app()) as client:
        banks = client.get("/api/banks").json()["banks"]
    assert (tmp_path / "data" / "interview-prep.db").exists()
    assert "ml-engineer" in [bank["id"] for bank in banks]
