"""``interview-prep serve``: a real server process, started the way a user starts it."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from interview_prep.cli import main


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _start(tmp_path: Path, *args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "INTERVIEW_PREP_DATA_DIR": str(tmp_path / "data")}
    env.pop("INTERVIEW_PREP_DATABASE_URL", None)
    command = [sys.executable, "-c", "from interview_prep.cli import run; run()", "serve", *args]
    return subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )


def _wait_for_url(process: subprocess.Popen[str], seconds: float = 20) -> str:
    assert process.stdout is not None
    line = process.stdout.readline()
    match = re.search(r"http://\S+/", line)
    assert match, line
    url = match.group(0)
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            httpx.get(url, timeout=1)
            return url
        except httpx.TransportError:
            time.sleep(0.05)
    raise AssertionError(f"no answer from {url}")


@pytest.fixture
def stop() -> Iterator[list[subprocess.Popen[str]]]:
    processes: list[subprocess.Popen[str]] = []
    yield processes
    for process in processes:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stdout is not None:
            process.stdout.close()


@pytest.mark.parametrize("workers", ["1", "2"])
def test_serve_prints_the_url_and_serves_the_bundled_bank(
    tmp_path: Path, stop: list[subprocess.Popen[str]], workers: str
) -> None:
    port = _free_port()
    process = _start(tmp_path, "--port", str(port), "--workers", workers)
    stop.append(process)
    url = _wait_for_url(process, seconds=90)  # importing the app alone took 15 s under load here
    assert url == f"http://127.0.0.1:{port}/"
    response = httpx.get(url + "banks/ml-engineer", timeout=10)
    assert response.status_code == 200
    assert "Machine Learning Engineer Interview Questions" in response.text
    assert (tmp_path / "data" / "interview-prep.db").exists()


def test_serve_reports_a_port_in_use(capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert main(["serve", "--port", str(port)]) == 1
    error = " ".join(capsys.readouterr().err.split())
    assert f"cannot listen on 127.0.0.1:{port}" in error


def test_a_non_loopback_address_needs_team_mode(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("INTERVIEW_PREP_DATABASE_URL", f"sqlite:///{tmp_path / 'serve.db'}")
    assert main(["serve", "--host", "0.0.0.0", "--port", str(_free_port())]) == 1
    error = " ".join(capsys.readouterr().err.split())
    assert "0.0.0.0 is not a loopback address" in error and "--team" in error
    # Team mode without an account to log in with would lock everyone out: refused too.
    assert main(["serve", "--team", "--host", "0.0.0.0", "--port", str(_free_port())]) == 1
    assert "users add" in " ".join(capsys.readouterr().err.split())


def test_team_mode_with_two_workers_shares_logins(
    tmp_path: Path, stop: list[subprocess.Popen[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("INTERVIEW_PREP_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setattr("sys.stdin", __import__("io").StringIO("correct horse battery\n"))
    assert main(["users", "add", "alice", "--password-stdin"]) == 0
    port = _free_port()
    process = _start(tmp_path, "--team", "--port", str(port), "--workers", "2")
    stop.append(process)
    url = _wait_for_url(process, seconds=90)  # two workers start slowly on a busy machine
    with httpx.Client(base_url=url, timeout=10) as browser:
        assert browser.get("/api/banks").status_code == 401
        page = browser.get("/login").text
        token = re.search(r'name="login_token" value="([^"]+)"', page)
        assert token is not None
        response = browser.post(
            "/login",
            data={
                "username": "alice",
                "password": "correct horse battery",
                "login_token": token.group(1),
            },
        )
        assert response.status_code == 303
        # New connections land on either worker; each finds the session in the database.
        for _ in range(8):
            with httpx.Client(base_url=url, timeout=10, cookies=browser.cookies) as fresh:
                assert fresh.get("/api/banks").status_code == 200
