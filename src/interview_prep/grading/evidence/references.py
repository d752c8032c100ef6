"""Reference-only mode: key points derived from reference answers when a question has none.

A user's own question, or a benchmark item, comes with one or more reference answers and no rubric.
Each statement of a reference becomes a key point of weight 1: a sentence, or each half of a
sentence joined by a semicolon when both halves stand alone. The candidate reads these points in
the feedback ("missed: ..."), so each must be a whole statement; the finer clauses, cut at
linking words, are only the units that similarity is measured against.
With several references (alternative correct answers), the grader uses the one the answer is
closest to, so an answer is never asked to cover every alternative at once.
"""

from __future__ import annotations

import re

from ...domain import KeyPoint, Question
from ..text.tokens import Span, split_clauses, split_sentences, word_count

# A piece that opens with one of these leans on the words before it ("and deduplication with
# unique event ids", "because it does not evaporate"): it is part of a statement, not one.
_LEANS_ON_BEFORE = re.compile(
    r"(?:and|or|but|so|which|who|that|because|while|whereas|since|thus|hence|then|than|"
    r"therefore|as|with|without|by|to|for|of|in|on|e\.g\.|i\.e\.)\b",
    re.IGNORECASE,
)
_SEMICOLON = re.compile(r"\s*;\s+")
MIN_STATEMENT_WORDS = 3

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


def reference_statements(reference: str) -> list[Span]:
    """The whole statements of a reference answer, as spans of it.

    Sentences, each split at a semicolon only where the piece after it stands alone: three words
    or more, not opening with a linking word. A piece that does not stand alone stays with the
    statement before it.
    """
    statements: list[Span] = []
    for sentence in split_sentences(reference):
        pieces: list[tuple[int, int]] = []
        begin = 0
        for match in _SEMICOLON.finditer(sentence.text):
            pieces.append((begin, match.start()))
            begin = match.end()
        pieces.append((begin, len(sentence.text)))
        joined: list[tuple[int, int]] = []
        for start, end in pieces:
            text = sentence.text[start:end].strip()
            alone = word_count(text) >= MIN_STATEMENT_WORDS and not _LEANS_ON_BEFORE.match(text)
            if joined and not alone:
                joined[-1] = (joined[-1][0], end)
            else:
                joined.append((start, end))
        for start, end in joined:
            text = sentence.text[start:end].strip(" ;")
            if text:
                offset = sentence.start + sentence.text.index(text, start)
                statements.append(Span(text, offset, offset + len(text)))
    if not statements and reference.strip():
        stripped = reference.strip()
        start = reference.find(stripped)
        statements.append(Span(stripped, start, start + len(stripped)))
    return statements


def derive_key_points(reference: str) -> tuple[KeyPoint, ...]:
    """Key points for a reference answer: one per whole statement, equally weighted."""
    return tuple(
        KeyPoint(text=span.text[:1].upper() + span.text[1:])
        for span in reference_statements(reference)
    )
