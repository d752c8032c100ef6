"""Recorded answers through the running web app: how soon the upload answers, how long the
background transcription takes, and whether the pages stay quick meanwhile.

Serves the real app (uvicorn, one process) over a fresh SQLite file with the bundled banks,
speaks an answer with espeak-ng (made in a temporary folder, never stored), uploads it as the
browser's recorder does, polls its status as the page does, and times a question page while the
transcription runs against the same page when the server is idle:

    .venv/bin/python benchmarks/recording_latency.py            # one 12 s answer, 3 uploads
    .venv/bin/python benchmarks/recording_latency.py --uploads 1 --json figures.json
"""

from __future__ import annotations

import argparse
import json
import os
import re
import socket
import statistics
import subprocess
import tempfile
import threading
import time
from pathlib import Path

import httpx
import uvicorn

from interview_prep.settings import load_config
from interview_prep.storage import open_database
from interview_prep.web.app import create_app

ANSWER = (
    "Overfitting is when a model learns the noise in its training data, so it scores well on "
    "the training set and badly on new data. Regularization, dropout, early stopping and more "
    "data all help, and cross-validation shows it."
)
PAGE = "/questions/ml-engineer/overfitting"


def speak(folder: Path) -> Path:
    raw, out = folder / "raw.wav", folder / "answer.wav"
    subprocess.run(["espeak-ng", "-v", "en-us", "-s", "150", "-w", raw, ANSWER], check=True)
    subprocess.run(["sox", raw, "-r", "16000", "-c", "1", "-b", "16", out], check=True)
    return out


def serve(folder: Path) -> tuple[str, uvicorn.Server, threading.Thread]:
    config = load_config({"data_dir": str(folder)}, environ={})
    database = open_database(f"sqlite:///{folder / 'bench.db'}")
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(
        uvicorn.Config(create_app(database, config=config), log_level="warning")
    )
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.02)
    return f"http://127.0.0.1:{sock.getsockname()[1]}", server, thread


def page_times(client: httpx.Client, stop: threading.Event | None, count: int = 20) -> list[float]:
    """Seconds per question page, ``count`` of them, or until ``stop`` is set."""
    times = []
    while (stop is None and len(times) < count) or (stop is not None and not stop.is_set()):
        started = time.perf_counter()
        client.get(PAGE).raise_for_status()
        times.append(time.perf_counter() - started)
        time.sleep(0.05)
    return times


def one_upload(client: httpx.Client, wav: bytes) -> dict[str, float]:
    started = time.perf_counter()
    response = client.post(
        "/recordings",
        data={"bank": "ml-engineer", "question_id": "overfitting"},
        files={"audio": ("answer.wav", wav, "audio/wav")},
    )
    response.raise_for_status()
    answered = time.perf_counter() - started
    found = re.search(r'id="recording-([0-9a-f]+)"', response.text)
    assert found, response.text
    url = f"/recordings/{found.group(1)}"
    stop = threading.Event()
    busy: list[float] = []
    probe = threading.Thread(target=lambda: busy.extend(page_times(client, stop)))
    probe.start()
    while 'data-status="transcribed"' not in (text := client.get(url).text):
        assert 'data-status="failed"' not in text, text
        time.sleep(0.25)
    done = time.perf_counter() - started
    stop.set()
    probe.join()
    elapsed = re.search(r"in ([0-9.]+) s", text)
    return {
        "upload_answered_s": answered,
        "transcribed_after_s": done,
        "transcription_s": float(elapsed.group(1)) if elapsed else float("nan"),
        "page_median_while_busy_ms": statistics.median(busy) * 1000,
        "page_max_while_busy_ms": max(busy) * 1000,
        "pages_while_busy": len(busy),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--uploads", type=int, default=3)
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as temp:
        folder = Path(temp)
        wav = speak(folder)
        base, server, thread = serve(folder)
        try:
            with httpx.Client(base_url=base, timeout=300) as client:
                idle = page_times(client, None)
                runs = [one_upload(client, wav.read_bytes()) for _ in range(options.uploads)]
        finally:
            server.should_exit = True
            thread.join(timeout=30)
        duration = float(
            subprocess.run(["soxi", "-D", wav], capture_output=True, text=True).stdout.strip()
        )
    figures = {
        "clip_seconds": duration,
        "load_average_1min": os.getloadavg()[0],
        "page_median_idle_ms": statistics.median(idle) * 1000,
        "runs": runs,
    }
    print(f"clip {duration:.1f} s; load average {figures['load_average_1min']:.1f}")
    print(f"question page when idle: median {figures['page_median_idle_ms']:.0f} ms")
    for number, run in enumerate(runs, start=1):
        model_s = run["transcription_s"]
        print(
            f"upload {number}: answered in {run['upload_answered_s'] * 1000:.0f} ms; "
            f"transcribed after {run['transcribed_after_s']:.1f} s "
            f"(model {model_s:.1f} s, RTF {model_s / duration:.2f}); page meanwhile median "
            f"{run['page_median_while_busy_ms']:.0f} ms, "
            f"max {run['page_max_while_busy_ms']:.0f} ms over {run['pages_while_busy']} pages"
        )
    if options.json:
        options.json.write_text(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
