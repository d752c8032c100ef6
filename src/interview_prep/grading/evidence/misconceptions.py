"""Wrong claims in an answer: the mechanism that sees what cosine similarity cannot.

"L1 drives weights to exactly zero" and the same sentence with L2 are 0.9+ cosine-similar, so a
contradiction must be found by rules over words, with the embeddings only as a tie-breaker:

- stated misconceptions (this module): a question lists wrong claims with ``signals`` (groups of
  short words that, all said of one thing in one clause, point to the claim: :mod:`.signals`); a
  clause with a signal that it does not take back ("never", "rather than", "unlike"), in a
  sentence not clearly closer to the correction than to the claim, states it;
- rules against hand-written key points (:mod:`.contradictions`): a swapped term (L1 for L2), a
  negated key point, a different number (compared by value: 1e-3 equals 0.001).
"""

from __future__ import annotations

import re

import numpy as np

from ...domain import Misconception
from ..result import Evidence, MisconceptionFinding, MisconceptionKind
from ..text.clauses import Claim, claim_groups, claims_of
from ..text.tokens import Span, Token, is_content, tokenize
from .answers import AnswerView
from .contradictions import (
    Clause,
    PointWords,
    clause_of,
    closest_point,
    different_number,
    is_hypothetical,
    names_its_term,
    opposite_polarity,
    swapped_term,
)
from .rubric import Rubric
from .signals import Signal, compile_signals, match_signal

STATED_MARGIN = 0.2
"""A sentence with an author's signal is let off only when this much closer to the correction..."""
CORRECTION_SIMILARITY = 0.8
"""...and this close to it: a near-restatement of the correction ("oversampling before splitting
inflates scores") uses the claim's words to deny it. Paraphrases of a claim sit at 0.6-0.8 from its
correction, which shares their topic and words, so a looser bar would let real claims off."""


class SentenceView:
    """One sentence of the answer with what the rules look at: its tokens and its claims."""

    def __init__(self, span: Span, vector: np.ndarray | None) -> None:
        self.span = span
        self.tokens: list[Token] = tokenize(span.text)
        self.keys = [token.key for token in self.tokens]
        self.claims: list[Claim] = claims_of(span)
        self.vector = vector

    def evidence(self, similarity: float) -> Evidence:
        return Evidence(self.span.text, self.span.start, self.span.end, similarity)


def sentence_views(answer: AnswerView) -> list[SentenceView]:
    """The answer's sentences as the misconception rules read them."""
    vectors = answer.sentence_vectors
    return [
        SentenceView(span, vectors[i] if vectors is not None and len(vectors) > i else None)
        for i, span in enumerate(answer.sentences)
    ]


def _similarity(sentence: SentenceView, vector: np.ndarray | None) -> float | None:
    if sentence.vector is None or vector is None:
        return None
    return float(sentence.vector @ vector)


def _automatic_signals(item: Misconception) -> tuple[tuple[str, ...], ...]:
    """For a claim without signals: the content words of the claim that its correction lacks."""
    claim = [t for t in tokenize(item.claim) if is_content(t)]
    correction_keys = {t.key for t in tokenize(item.correction)}
    distinct = [t.text for t in claim if t.key not in correction_keys]
    return (tuple(dict.fromkeys(distinct)),) if distinct else ()


def _compiled(rubric: Rubric) -> list[tuple[Signal, ...]]:
    """Every misconception's signals, compiled once per rubric."""
    return rubric.memo(
        "signals",
        lambda: [
            compile_signals(item.signals or _automatic_signals(item))
            for item in rubric.question.misconceptions
        ],
    )


def clause_evidence(
    sentence: SentenceView, claim: Claim, positions: list[int], text: str, similarity: float
) -> Evidence:
    """The part of the sentence that makes the claim: the pieces its matched words are in."""
    tokens = [claim.tokens[p] for p in positions] or claim.tokens[claim.own_from :]
    start = min(claim.span.start, *(t.start for t in tokens))
    end = max(claim.span.end, *(t.end for t in tokens))
    start = max(start, sentence.span.start)
    end = min(end, sentence.span.end)
    leading = _LEADING.match(text, start, end)
    if leading is not None and leading.end() < end:
        start = leading.end()  # "and L2 is more robust" is shown as "L2 is more robust"
    return Evidence(text[start:end], start, end, similarity)


_LEADING = re.compile(r"(?:(?:and|but|so|or|also|then|while|whereas)\s+)+", re.IGNORECASE)


def stating_claim(
    signals: tuple[Signal, ...], sentence: SentenceView, text: str
) -> tuple[Claim, list[int]] | None:
    """The first claim of ``sentence`` that says one of ``signals``, with the matched words."""
    for claim in sentence.claims:
        for signal in signals:
            positions = match_signal(signal, claim, text)
            if positions is not None:
                return claim, positions
    return None


def _nearer_to_a_right_text(
    rubric: Rubric, sentence: SentenceView, claim_similarity: float
) -> bool:
    """Whether the sentence is nearer to some right text of the rubric than to the claim.

    For claims without authored signals (most claims of a user's own bank), whose guessed
    signals are one or two of the claim's words: "you write to the database" says "writes" of
    the database, but it is a key point said rightly, not "the cache writes to the database by
    itself". It is the judge's witness for wrong claims (``NEAREST_MARGIN`` 0 in
    :mod:`.judging`), over the key points and every correction.
    """
    right = [
        vectors
        for vectors in (rubric.key_point_vectors, rubric.correction_vectors)
        if vectors is not None and len(vectors)
    ]
    return any(
        (_similarity(sentence, vector) or 0.0) > claim_similarity
        for vectors in right
        for vector in vectors
    )


def find_stated(
    rubric: Rubric, sentences: list[SentenceView], text: str
) -> list[MisconceptionFinding]:
    """The question's own listed misconceptions that ``text`` states (at most one finding each)."""
    findings = []
    question = rubric.question
    compiled = _compiled(rubric)
    for number, item in enumerate(question.misconceptions):
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
            found = stating_claim(compiled[number], sentence, text)
            if found is None:
                continue
            claim, positions = found
            claim_similarity = _similarity(sentence, claim_vector)
            if claim_similarity is not None and correct_vectors:
                if not item.signals:
                    # Guessed signals alone are weak evidence: the sentence must be near the
                    # claim, and nearer to it than to every right text (its correction and key
                    # point among them).
                    if claim_similarity < 0.45 or _nearer_to_a_right_text(
                        rubric, sentence, claim_similarity
                    ):
                        continue
                else:
                    correct_similarity = max(
                        _similarity(sentence, vector) or 0.0 for vector in correct_vectors
                    )
                    if (
                        correct_similarity >= CORRECTION_SIMILARITY
                        and correct_similarity > claim_similarity + STATED_MARGIN
                    ):
                        continue
            findings.append(
                MisconceptionFinding(
                    kind=MisconceptionKind.STATED,
                    claim=item.claim,
                    correction=item.correction,
                    sentence=sentence.evidence(claim_similarity or 0.0),
                    key_point=item.key_point,
                    clause=clause_evidence(
                        sentence, claim, positions, text, claim_similarity or 0.0
                    ),
                    words=tuple((claim.tokens[p].start, claim.tokens[p].end) for p in positions),
                )
            )
            break
    return findings


def _rule_finding(
    rubric: Rubric, points: list[PointWords], sentence: SentenceView, text: str
) -> MisconceptionFinding | None:
    """The first contradiction of a hand-written key point in one sentence, claim by claim."""
    keys = rubric.keys

    def finding(
        kind: MisconceptionKind, index: int, detail: str, claim: Claim | None
    ) -> MisconceptionFinding:
        vector = None
        if rubric.key_point_vectors is not None and index < len(rubric.key_point_vectors):
            vector = rubric.key_point_vectors[index]
        similarity = _similarity(sentence, vector) or 0.0
        clause = None
        if claim is not None:
            clause = clause_evidence(
                sentence, claim, list(range(len(claim.tokens))), text, similarity
            )
        return MisconceptionFinding(
            kind=kind,
            claim=sentence.span.text,
            correction=points[index].point.text,
            sentence=sentence.evidence(similarity),
            key_point=index,
            detail=detail,
            clause=clause,
        )

    hypothetical = is_hypothetical(sentence.tokens)
    for claim in sentence.claims:
        clause = clause_of(claim)
        for index in range(len(points)):
            detail = swapped_term(clause, index, points, keys, hypothetical=hypothetical)
            if detail:
                return finding(MisconceptionKind.SWAPPED_TERM, index, detail, claim)
        index_or_none = closest_point(clause, points, keys)
        if index_or_none is None:
            continue
        index = index_or_none
        if (
            not hypothetical
            and names_its_term(clause, points[index])
            and opposite_polarity(clause, points[index], keys)
        ):
            detail = "states the key point with the opposite polarity"
            return finding(MisconceptionKind.NEGATION, index, detail, claim)
    closest = closest_point(Clause(sentence.tokens, sentence.keys, set()), points, keys)
    if closest is not None:
        detail = different_number(sentence.span.text, points[closest].point)
        if detail:
            return finding(MisconceptionKind.NUMBER, closest, detail, None)
    return None


def find_misconceptions(
    rubric: Rubric, answer: AnswerView, *, contradictions: bool = True
) -> list[MisconceptionFinding]:
    """Every wrong claim found in ``answer``: stated ones first, then rule findings.

    Rules run against hand-written key points only: clauses cut from a reference answer are too
    loose a standard to call an answer wrong. Without ``contradictions`` only the listed claims
    are looked for, through the signals their authors wrote (or their own words): the general
    rules (a swapped term, a flipped polarity, another number) are left out.
    """
    sentences = sentence_views(answer)
    findings = find_stated(rubric, sentences, answer.text)
    if rubric.reference_only or not contradictions:
        return findings
    flagged = {f.sentence.start for f in findings}
    points = rubric.memo(
        "point_words", lambda: [PointWords.of(point) for point in rubric.key_points]
    )
    for sentence in sentences:
        if sentence.span.start in flagged:
            continue
        found = _rule_finding(rubric, points, sentence, answer.text)
        if found is not None:
            findings.append(found)
    return findings


def wrong_parts(findings: list[MisconceptionFinding]) -> list[tuple[int, int]]:
    """The character ranges of the answer that make wrong claims: what earns no credit.

    Each is the part of a sentence that states the claim: its head with what is read with it,
    and within that only the stretches between "and"s that hold the claim's words, so that in
    "I would train boosted trees and aim for 99% accuracy" the model choice keeps its credit, and
    "Overfitting is a gap between training and validation error, and cross-validation prevents
    overfitting" keeps its first half.
    """
    ranges = []
    for finding in findings:
        sentence = Span(finding.sentence.text, finding.sentence.start, finding.sentence.end)
        said = finding.clause or finding.sentence
        for group in claim_groups(sentence):
            if not (group.start < said.end and said.start < group.end):
                continue
            parts = _and_parts(group)
            hit = [
                part
                for part in parts
                if not finding.words
                or any(part[0] <= start < part[1] for start, _ in finding.words)
            ]
            ranges.extend(hit or [(group.start, group.end)])
    return sorted(set(ranges))


_AND = re.compile(r",?\s+and\s+", re.IGNORECASE)


def _and_parts(group: Span) -> list[tuple[int, int]]:
    """A group cut at its "and"s, as absolute ranges."""
    parts = []
    start = 0
    for match in _AND.finditer(group.text):
        parts.append((group.start + start, group.start + match.start()))
        start = match.start()
    parts.append((group.start + start, group.end))
    return [(begin, end) for begin, end in parts if end > begin]
