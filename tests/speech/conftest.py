"""Speech fixtures: answers spoken by espeak-ng and shaped by sox, made fresh, never downloaded."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from interview_prep.domain import KeyPoint, Question
from interview_prep.settings import Config, load_config

SpeakFn = Callable[..., Path]


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        pytest.fail(f"{name} is needed to make test audio: run scripts/setup --dev", pytrace=False)
    return found


def speak_to(folder: Path, text: str, name: str, *, speed: int = 150, voice: str = "en-us") -> Path:
    """``text`` spoken to ``folder/name.wav`` at 16 kHz mono."""
    raw = folder / f"{name}.raw.wav"
    out = folder / f"{name}.wav"
    subprocess.run(
        [_tool("espeak-ng"), "-v", voice, "-s", str(speed), "-w", str(raw), text], check=True
    )
    sox(raw, "-r", "16000", "-c", "1", "-b", "16", out)
    raw.unlink()
    return out


def sox(*args: object) -> None:
    subprocess.run([_tool("sox"), *map(str, args)], check=True, capture_output=True)


@pytest.fixture(scope="session")
def audio_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("audio")


@pytest.fixture(scope="session")
def speak(audio_dir: Path) -> SpeakFn:
    def make(text: str, name: str, **options: object) -> Path:
        return speak_to(audio_dir, text, name, **options)  # type: ignore[arg-type]

    return make


REGULARISATION = Question(
    id="regularisation",
    category="Fundamentals",
    question="What do L1 and L2 regularization do to a model's weights?",
    answer="L2 shrinks all weights toward zero; L1 drives some of them exactly to zero.",
    key_points=(
        KeyPoint("L2 regularization shrinks weights toward zero", terms=("L2", "weight decay")),
        KeyPoint("L1 regularization makes weights sparse", terms=("L1", "sparse")),
    ),
)

SPOKEN_ANSWER = (
    "L2 regularization adds the squared weights to the loss, which shrinks them toward zero. "
    "L1 regularization adds their absolute values, which makes the weights sparse."
)


@pytest.fixture(scope="session")
def question() -> Question:
    return REGULARISATION


@pytest.fixture(scope="session")
def spoken_answer(speak: SpeakFn) -> Path:
    return speak(SPOKEN_ANSWER, "answer")


@pytest.fixture(scope="session")
def speech_config(tmp_path_factory: pytest.TempPathFactory) -> Config:
    data = tmp_path_factory.mktemp("speech-data")
    return load_config({"data_dir": str(data), "grader": "lexical"}, environ={})
