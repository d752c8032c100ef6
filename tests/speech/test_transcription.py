"""Transcription with the packaged Whisper model, on answers spoken by espeak-ng."""

from __future__ import annotations

import itertools
import subprocess
import sys

import pytest

from interview_prep.errors import ConfigurationError
from interview_prep.speech import models, service
from interview_prep.speech.audio import AudioError
from interview_prep.speech.prompt import initial_prompt, key_terms

from .conftest import sox


@pytest.fixture(scope="module")
def transcript(question, spoken_answer, speech_config):
    progress: list[float] = []
    result = service.transcribe_answer(
        question, spoken_answer, config=speech_config, progress=progress.append
    )
    return result, progress


def test_the_words_come_out_timed_and_in_order(transcript):
    result, _ = transcript
    words = result.words
    assert len(words) >= 20
    assert all(word.start <= word.end for word in words)
    assert all(a.start <= b.start for a, b in itertools.pairwise(words))
    assert words[-1].end <= result.duration + 0.5
    assert result.model == "tiny.en"


def test_key_terms_come_out_right_with_the_prompt(transcript):
    text = transcript[0].text.lower()
    for term in ("l2 regularization", "l1 regularization", "sparse", "loss"):
        assert term in text, text


def test_progress_is_reported_up_to_the_end(transcript):
    progress = transcript[1]
    assert progress[-1] == 1.0
    assert progress == sorted(progress)


def test_grade_spoken_grades_the_corrected_text_and_measures_delivery(
    question, transcript, speech_config
):
    result = transcript[0]
    corrected = result.text.replace("sparse", "dense", 1)
    graded = service.grade_spoken(question, result, text=corrected, config=speech_config)
    assert graded.transcript.edited
    assert "dense" in graded.transcript.text
    assert graded.grade.grader == "lexical"
    assert 100 < graded.delivery.pace.value < 220
    data = graded.to_dict()
    assert data["transcript"]["text"] == graded.transcript.text
    assert {metric["name"] for metric in data["delivery"]["metrics"]} == {
        "pace",
        "fillers",
        "long pauses",
        "length",
        "hedging",
    }


def test_a_pause_in_the_recording_is_found(speak, audio_dir, question, speech_config):
    first = speak("Dropout randomly zeroes activations during training.", "first")
    second = speak("At test time every unit is kept.", "second")
    padded, joined = audio_dir / "first-padded.wav", audio_dir / "paused.wav"
    sox(first, padded, "pad", "0", "3")  # three seconds of silence between the sentences
    sox(padded, second, joined)
    result = service.transcribe_answer(question, joined, config=speech_config)
    report = service.grade_spoken(question, result, config=speech_config).delivery
    assert len(report.pauses) == 1
    pause = report.pauses[0]
    assert pause.seconds >= 2.5
    assert result.words[pause.after].text.lower().startswith("training")


def test_noise_without_speech_says_so(audio_dir, question, speech_config):
    noise = audio_dir / "pink.wav"
    sox("-n", "-r", "16000", "-c", "1", "-b", "16", noise, "synth", "3", "pinknoise", "vol", "0.3")
    with pytest.raises(AudioError, match="speech"):
        service.transcribe_answer(question, noise, config=speech_config)


def test_a_file_over_the_size_limit(question, speech_config, spoken_answer):
    from interview_prep.settings import load_config

    tiny_limit = load_config({"data_dir": str(speech_config.data_path), "max_audio_mb": 0})
    with pytest.raises(AudioError, match="MB: up to 0 MB"):
        service.transcribe_answer(question, spoken_answer, config=tiny_limit)


def test_the_prompt_holds_the_key_terms(question):
    assert key_terms(question) == ["L2", "weight decay", "L1", "sparse"]
    prompt = initial_prompt(question)
    assert prompt.startswith(question.question)
    assert "L2, weight decay, L1, sparse" in prompt


def test_an_unknown_model_is_a_clear_error(tmp_path):
    with pytest.raises(ConfigurationError, match="unknown speech model 'huge'"):
        models.model_dir("huge", tmp_path)


def test_whisper_base_is_joined_from_its_two_packages_and_checked(tmp_path):
    folder = models.model_dir("base", tmp_path)
    assert (folder / "model.bin").stat().st_size == 145217532
    assert {path.name for path in folder.iterdir()} == {
        "model.bin",
        "config.json",
        "tokenizer.json",
        "vocabulary.txt",
    }
    assert models.model_dir("base", tmp_path) == folder  # joined once, then reused


def test_importing_the_app_and_the_speech_service_loads_no_model():
    code = (
        "import sys; import interview_prep.web.app, interview_prep.speech.service, "
        "interview_prep.cli; "
        "print(sorted(m for m in ('faster_whisper', 'ctranslate2', 'av') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
