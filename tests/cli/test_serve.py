"""``serve`` with several workers: the settings it gives uvicorn's supervisor."""

from __future__ import annotations

import socket
from typing import Any

from interview_prep.cli import main
from interview_prep.cli import serve as serve_module


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_a_busy_worker_is_given_time_before_it_is_taken_for_hung(tmp_path, monkeypatch) -> None:
    # uvicorn's default 5 s killed workers that were only slow under a crowd of logins, dropping
    # every request they held.
    # serve passes its settings on to the workers in the environment: set (and so restore) them.
    monkeypatch.setenv("INTERVIEW_PREP_DATABASE_URL", f"sqlite:///{tmp_path / 'serve.db'}")
    monkeypatch.setenv("INTERVIEW_PREP_TEAM", "0")
    started: list[Any] = []
    monkeypatch.setattr(serve_module, "_run_workers", started.append)
    assert main(["serve", "--workers", "2", "--port", str(_free_port())]) == 0
    (config,) = started
    assert config.workers == 2
    assert config.timeout_worker_healthcheck == serve_module.WORKER_HEALTHCHECK_SECONDS >= 30
