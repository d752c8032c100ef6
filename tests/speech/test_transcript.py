"""Timed words, and corrections that keep the timings."""

from __future__ import annotations

from interview_prep.speech.transcript import TimedWord, Transcript


def _transcript(*words: str) -> Transcript:
    return Transcript(
        words=tuple(
            TimedWord(word, index * 1.0, index * 1.0 + 0.5) for index, word in enumerate(words)
        ),
        duration=len(words) * 1.0,
    )


def test_text_and_round_trip():
    transcript = _transcript("L2", "shrinks", "weights.")
    assert transcript.text == "L2 shrinks weights."
    assert Transcript.from_dict(transcript.to_dict()) == transcript


def test_unchanged_text_is_the_same_transcript():
    transcript = _transcript("a", "b")
    assert transcript.with_text("a b") is transcript
    assert not transcript.edited


def test_a_replaced_word_takes_the_time_of_the_word_it_replaces():
    transcript = _transcript("to", "regular", "donation", "shrinks", "weights")
    fixed = transcript.with_text("L2 regularization shrinks weights")
    assert fixed.edited
    assert [word.text for word in fixed.words] == ["L2", "regularization", "shrinks", "weights"]
    # "to regular donation" spanned 0.0-2.5 s; its two replacements share that span
    assert fixed.words[0].start == 0.0
    assert fixed.words[1].end == 2.5
    assert (fixed.words[2].start, fixed.words[3].start) == (3.0, 4.0)


def test_inserted_words_sit_in_the_gap_and_deleted_words_go():
    transcript = _transcript("dropout", "zeroes", "activations")
    fixed = transcript.with_text("dropout randomly zeroes")
    assert [word.text for word in fixed.words] == ["dropout", "randomly", "zeroes"]
    assert 0.5 <= fixed.words[1].start < fixed.words[1].end <= 1.0


def test_punctuation_and_case_do_not_count_as_edits_of_timing():
    transcript = _transcript("batch", "norm")
    fixed = transcript.with_text("Batch norm.")
    assert [(word.start, word.end) for word in fixed.words] == [(0.0, 0.5), (1.0, 1.5)]
