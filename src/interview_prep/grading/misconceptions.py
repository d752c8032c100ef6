"""Wrong claims in an answer: the mechanism that sees what cosine similarity cannot.

"L1 drives weights to exactly zero" and the same sentence with L2 are 0.9+ cosine-similar, so a
contradiction must be found by rules over words, with the embeddings only as a tie-breaker:

- stated misconceptions (this module): a question lists wrong claims with ``signals`` (word
  groups that, all in one sentence, point to the claim); a sentence with a signal, stated with the
  claim's polarity, and not clearly closer to the correction than to the claim, states it;
- rules against hand-written key points (:mod:`.contradictions`): a swapped term (L1 for L2), a
  negated key point, a different number (compared by value: 1e-3 equals 0.001).
"""

from __future__ import annotations

import re

import numpy as np

from ..domain import Misconception
from .answers import AnswerView
from .contradictions import (
    Clause,
    PointWords,
    clauses_of,
    closest_point,
    different_number,
    is_hypothetical,
    opposite_polarity,
    swapped_term,
)
from .result import Evidence, MisconceptionFinding, MisconceptionKind
from .rubric import Rubric
from .text import Span, Token, has_negation, is_content, negated_positions, tokenize

STATED_MARGIN = 0.2
"""A sentence with an author's signal is let off only when this much closer to the correction."""
AUTOMATIC_MARGIN = 0.08
"""The same for signals guessed from the claim's own words, which are weaker evidence."""


_SYMBOLS = re.compile(r"[^\w\s'’.-]")


def _keys(phrase: str) -> tuple[str, ...]:
    return tuple(token.key for token in tokenize(phrase))


def _contains(keys: list[str], phrase: tuple[str, ...]) -> list[int]:
    """Positions in ``keys`` where ``phrase`` starts (consecutive keys)."""
    size = len(phrase)
    if not size:
        return []
    return [i for i in range(len(keys) - size + 1) if tuple(keys[i : i + size]) == phrase]


class SentenceView:
    """One sentence of the answer with what the rules look at."""

    def __init__(self, span: Span, vector: np.ndarray | None) -> None:
        self.span = span
        self.tokens: list[Token] = tokenize(span.text)
        self.keys = [token.key for token in self.tokens]
        self.key_set = set(self.keys)
        self.negated = negated_positions(self.tokens)
        self.vector = vector

    def evidence(self, similarity: float) -> Evidence:
        return Evidence(self.span.text, self.span.start, self.span.end, similarity)


def _sentences(answer: AnswerView) -> list[SentenceView]:
    vectors = answer.sentence_vectors
    return [
        SentenceView(span, vectors[i] if vectors is not None and len(vectors) > i else None)
        for i, span in enumerate(answer.sentences)
    ]


def _similarity(sentence: SentenceView, vector: np.ndarray | None) -> float | None:
    if sentence.vector is None or vector is None:
        return None
    return float(sentence.vector @ vector)


def _signal_positions(sentence: SentenceView, group: tuple[str, ...]) -> list[int] | None:
    """Token positions of every word of a signal group in the sentence, or None if one is absent.

    A signal with symbols ("bias + variance", "o(n^2)") must appear as written (ignoring case),
    since its symbols carry the meaning that word keys would drop.
    """
    positions: list[int] = []
    lowered = sentence.span.text.lower()
    for word in group:
        if _SYMBOLS.search(word):
            found = lowered.find(word.lower())
            if found < 0:
                return None
            start, end = found, found + len(word)  # token offsets are within the sentence
            positions.extend(
                i for i, token in enumerate(sentence.tokens) if start <= token.start < end
            )
            continue
        phrase = _keys(word)
        starts = _contains(sentence.keys, phrase)
        if not starts:
            return None
        positions.extend(range(starts[0], starts[0] + len(phrase)))
    return positions


def _automatic_signals(item: Misconception) -> tuple[tuple[str, ...], ...]:
    """For a claim without signals: the content words of the claim that its correction lacks."""
    claim = [t for t in tokenize(item.claim) if is_content(t)]
    correction_keys = {t.key for t in tokenize(item.correction)}
    distinct = [t.text for t in claim if t.key not in correction_keys]
    return (tuple(dict.fromkeys(distinct)),) if distinct else ()


def find_stated(rubric: Rubric, sentences: list[SentenceView]) -> list[MisconceptionFinding]:
    findings = []
    question = rubric.question
    for number, item in enumerate(question.misconceptions):
        groups = item.signals or _automatic_signals(item)
        claim_negative = has_negation(tokenize(item.claim))
        claim_vector = rubric.claim_vectors[number] if rubric.claim_vectors is not None else None
        correct_vectors = []
        if rubric.correction_vectors is not None:
            correct_vectors.append(rubric.correction_vectors[number])
        if (
            item.key_point is not None
            and rubric.key_point_vectors is not None
            and 0 <= item.key_point < len(rubric.key_point_vectors)
        ):
            correct_vectors.append(rubric.key_point_vectors[item.key_point])
        for sentence in sentences:
            matched = None
            for group in groups:
                positions = _signal_positions(sentence, group)
                if positions is not None:
                    matched = positions
                    break
            if matched is None:
                continue
            negative = any(position in sentence.negated for position in matched)
            if negative != claim_negative:
                continue  # "L2 does not give exactly zero weights" denies the claim
            claim_similarity = _similarity(sentence, claim_vector)
            if claim_similarity is not None and correct_vectors:
                correct_similarity = max(
                    _similarity(sentence, vector) or 0.0 for vector in correct_vectors
                )
                if not item.signals and claim_similarity < 0.45:
                    continue  # automatic signals alone are weak evidence
                margin = STATED_MARGIN if item.signals else AUTOMATIC_MARGIN
                if correct_similarity > claim_similarity + margin:
                    continue
            findings.append(
                MisconceptionFinding(
                    kind=MisconceptionKind.STATED,
                    claim=item.claim,
                    correction=item.correction,
                    sentence=sentence.evidence(claim_similarity or 0.0),
                    key_point=item.key_point,
                )
            )
            break
    return findings


def _rule_finding(
    rubric: Rubric, points: list[PointWords], sentence: SentenceView
) -> MisconceptionFinding | None:
    """The first contradiction of a hand-written key point in one sentence, clause by clause."""
    keys = rubric.keys

    def finding(kind: MisconceptionKind, index: int, detail: str) -> MisconceptionFinding:
        vector = None
        if rubric.key_point_vectors is not None and index < len(rubric.key_point_vectors):
            vector = rubric.key_point_vectors[index]
        return MisconceptionFinding(
            kind=kind,
            claim=sentence.span.text,
            correction=points[index].point.text,
            sentence=sentence.evidence(_similarity(sentence, vector) or 0.0),
            key_point=index,
            detail=detail,
        )

    hypothetical = is_hypothetical(sentence.tokens)
    for clause in clauses_of(sentence.span.text):
        for index in range(len(points)):
            detail = swapped_term(clause, index, points, keys, hypothetical=hypothetical)
            if detail:
                return finding(MisconceptionKind.SWAPPED_TERM, index, detail)
        index_or_none = closest_point(clause, points, keys)
        if index_or_none is None:
            continue
        index = index_or_none
        if not hypothetical and opposite_polarity(clause, points[index], keys):
            return finding(
                MisconceptionKind.NEGATION, index, "states the key point with the opposite polarity"
            )
    closest = closest_point(Clause(sentence.tokens, sentence.keys, set()), points, keys)
    if closest is not None:
        detail = different_number(sentence.span.text, points[closest].point)
        if detail:
            return finding(MisconceptionKind.NUMBER, closest, detail)
    return None


def find_misconceptions(rubric: Rubric, answer: AnswerView) -> list[MisconceptionFinding]:
    """Every wrong claim found in ``answer``: stated ones first, then rule findings.

    Rules run against hand-written key points only: clauses cut from a reference answer are too
    loose a standard to call an answer wrong.
    """
    sentences = _sentences(answer)
    findings = find_stated(rubric, sentences)
    if rubric.reference_only:
        return findings
    flagged = {f.sentence.start for f in findings}
    points = rubric.memo(
        "point_words", lambda: [PointWords.of(point) for point in rubric.key_points]
    )
    for sentence in sentences:
        if sentence.span.start in flagged:
            continue
        found = _rule_finding(rubric, points, sentence)
        if found is not None:
            findings.append(found)
    return findings
