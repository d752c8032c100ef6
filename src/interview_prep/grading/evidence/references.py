"""Reference-only mode: key points derived from reference answers when a question has none.

A user's own question, or a benchmark item, comes with one or more reference answers and no rubric.
Each reference is cut into sentences and then clauses; each clause becomes a key point of weight 1.
With several references (alternative correct answers), the grader uses the one the answer is
closest to, so an answer is never asked to cover every alternative at once.
"""

from __future__ import annotations

from ...domain import KeyPoint, Question
from ..text.tokens import Span, split_clauses, split_sentences, word_count

MAX_DERIVED_POINTS = 8


def reference_texts(question: Question) -> list[str]:
    """The model answer followed by the extra references, without blanks or repeats.

    Where the model answer is wrong (its errata), the correction stands in for the quoted words:
    an answer must not earn credit for being close to an error.
    """
    answer = question.answer
    for erratum in question.errata:
        answer = answer.replace(erratum.quote, erratum.correction)
    texts = [answer, *question.references]
    return list(dict.fromkeys(text.strip() for text in texts if text and text.strip()))


def reference_units(reference: str) -> list[Span]:
    """The clauses of a reference answer, as spans of it (at least one: the whole text)."""
    units: list[Span] = []
    for sentence in split_sentences(reference):
        units.extend(split_clauses(sentence))
    units = [unit for unit in units if word_count(unit.text) >= 2] or units
    if not units:
        stripped = reference.strip()
        start = reference.find(stripped) if stripped else 0
        return [Span(stripped, start, start + len(stripped))] if stripped else []
    if len(units) > MAX_DERIVED_POINTS:
        # A long reference gives too many tiny points: fall back to whole sentences.
        units = split_sentences(reference)
    return units


def derive_key_points(reference: str) -> tuple[KeyPoint, ...]:
    """Key points for a reference answer: one per clause, equally weighted."""
    return tuple(KeyPoint(text=unit.text) for unit in reference_units(reference))
