"""Delivery metrics on hand-made timed words: pace, fillers, pauses, length, hedging."""

from __future__ import annotations

from dataclasses import replace

import pytest

from interview_prep.domain import AcceptedName, ExpectedAnswer, ExpectedKind, Question
from interview_prep.speech.delivery import (
    FILLERS,
    LENGTHS,
    PACE,
    AnswerKind,
    answer_kind,
    long_pauses,
    measure_delivery,
)
from interview_prep.speech.transcript import TimedWord, Transcript


def timed(text: str, *, seconds_per_word: float = 0.4, gaps: dict[int, float] | None = None):
    """Words of ``text`` at a steady pace, with extra silence after the word indices in ``gaps``."""
    words = []
    clock = 0.0
    for index, word in enumerate(text.split()):
        words.append(TimedWord(word, clock, clock + seconds_per_word * 0.8))
        clock += seconds_per_word + (gaps or {}).get(index, 0.0)
    return Transcript(words=tuple(words), duration=clock)


def test_pace_in_words_per_minute():
    # 60 words at 0.4 s each: 24 s of speech (less the last word's tail), 150 wpm
    report = measure_delivery(timed(" ".join(["word"] * 60)), AnswerKind.CONCEPT)
    assert report.pace.value == pytest.approx(60 / (23.92 / 60), rel=0.01)
    assert report.pace.verdict == "ok"
    assert report.pace.range is PACE


def test_fillers_are_marked_where_they_fall():
    text = "Um, so dropout, you know, randomly zeroes, uh, activations and is basically noise"
    report = measure_delivery(timed(text), AnswerKind.CONCEPT)
    assert [(mark.phrase, mark.first, mark.last) for mark in report.fillers] == [
        ("um", 0, 0),
        ("you know", 3, 4),
        ("uh", 7, 7),
        ("basically", 11, 11),
    ]
    assert report.fillers[2].at == pytest.approx(2.8)
    assert report.fillers_per_minute.range is FILLERS


def test_like_counts_only_as_a_filler():
    verb = measure_delivery(
        timed("models like BERT use attention and I like it"), AnswerKind.CONCEPT
    )
    assert verb.fillers == ()
    filler = measure_delivery(timed("it is, like, a penalty on weights"), AnswerKind.CONCEPT)
    assert [mark.phrase for mark in filler.fillers] == ["like"]
    after_pause = measure_delivery(
        timed("so like the gradient vanishes", gaps={0: 0.5}), AnswerKind.CONCEPT
    )
    assert [mark.phrase for mark in after_pause.fillers] == ["like"]


def test_kind_of_after_a_determiner_is_a_noun_not_a_hedge():
    report = measure_delivery(
        timed("it is a kind of regularization and I think it kind of helps"), AnswerKind.CONCEPT
    )
    assert [mark.phrase for mark in report.hedges] == ["i think", "kind of"]


def test_long_pauses_say_where_they_fall():
    transcript = timed("the loss goes down then it plateaus", gaps={3: 2.5, 5: 1.0})
    pauses = long_pauses(transcript.words)
    assert len(pauses) == 1
    assert pauses[0].after == 3  # after "down"
    assert pauses[0].seconds == pytest.approx(2.58)
    report = measure_delivery(transcript, AnswerKind.CONCEPT)
    assert report.long_pauses.value == 1
    assert any("long pause" in tip for tip in report.coaching())


def test_length_is_judged_against_the_kind_of_question():
    short = timed("Adam")
    assert measure_delivery(short, AnswerKind.QUICK_FIRE).length.verdict == "low"
    ten_seconds = timed(" ".join(["word"] * 25))
    assert measure_delivery(ten_seconds, AnswerKind.QUICK_FIRE).length.verdict == "ok"
    assert measure_delivery(ten_seconds, AnswerKind.DESIGN).length.verdict == "low"
    assert measure_delivery(timed(" ".join(["w"] * 400)), AnswerKind.QUICK_FIRE).length.verdict == (
        "high"
    )
    assert LENGTHS[AnswerKind.DESIGN].low > LENGTHS[AnswerKind.QUICK_FIRE].high


def test_every_range_names_its_source():
    report = measure_delivery(timed("a b c"), AnswerKind.BEHAVIORAL)
    for metric in report.to_dict()["metrics"]:
        assert len(metric["range"]["source"]) > 20


def test_empty_transcript_measures_zero():
    report = measure_delivery(Transcript(words=(), duration=3.0), AnswerKind.CONCEPT)
    assert report.word_count == 0
    assert report.pace.value == 0


def test_answer_kind_from_the_question():
    base = Question(id="q", category="Fundamentals", question="Why?", answer="Because.")
    assert answer_kind(base) is AnswerKind.CONCEPT
    assert answer_kind(replace(base, category="System design")) is AnswerKind.DESIGN
    assert answer_kind(replace(base, category="Behavioral")) is AnswerKind.BEHAVIORAL
    expected = ExpectedAnswer(kind=ExpectedKind.NAMES, names=(AcceptedName("Adam"),))
    assert answer_kind(replace(base, expected=expected)) is AnswerKind.QUICK_FIRE
