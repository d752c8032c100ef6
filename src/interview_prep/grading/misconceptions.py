"""Wrong claims in an answer: the mechanism that sees what cosine similarity cannot.

"L1 drives weights to exactly zero" and the same sentence with L2 are 0.9+ cosine-similar, so a
contradiction must be found by rules over words, with the embeddings only as a tie-breaker:

- stated misconceptions: a question lists wrong claims with ``signals`` (word groups that, all in
  one sentence, point to the claim); a sentence with a signal, stated with the claim's polarity
  (not negated where the claim is not), and not clearly closer to the correction, states it;
- swapped terms: a sentence about a key point that uses a term's counterpart (L1 for L2, LIFO for
  FIFO, precision for recall) where the key point uses the term;
- negation: a sentence that says a key point with the opposite polarity;
- numbers: a sentence that gives a different number than the key point, in the same context,
  with numbers compared by value (1e-3 equals 0.001).
"""

from __future__ import annotations

import numpy as np

from ..domain import KeyPoint, Misconception
from .answers import AnswerView
from .numbers import close, find_numbers
from .result import Evidence, MisconceptionFinding, MisconceptionKind
from .rubric import Rubric
from .text import Span, Token, has_negation, is_content, lemma, negated_positions, stem, tokenize

# Pairs of terms that are each other's usual mix-up. Each side is a phrase; matching is on keys.
SWAPPED_TERMS: tuple[tuple[str, str], ...] = (
    ("L1", "L2"), ("lasso", "ridge"), ("LIFO", "FIFO"), ("stack", "queue"),
    ("precision", "recall"), ("bias", "variance"), ("overfitting", "underfitting"),
    ("false positive", "false negative"), ("type I", "type II"), ("sensitivity", "specificity"),
    ("increase", "decrease"), ("increases", "reduces"), ("higher", "lower"), ("larger", "smaller"),
    ("more", "fewer"), ("more", "less"), ("maximum", "minimum"), ("maximize", "minimize"),
    ("encoder", "decoder"), ("row", "column"), ("before", "after"), ("first", "last"),
    ("training", "inference"), ("convex", "non-convex"), ("supervised", "unsupervised"),
    ("generative", "discriminative"), ("parametric", "non-parametric"), ("sigmoid", "softmax"),
    ("batch norm", "layer norm"), ("bagging", "boosting"), ("mean", "median"),
    ("horizontal", "vertical"), ("synchronous", "asynchronous"), ("read", "write"),
    ("latency", "throughput"), ("series", "parallel"), ("open", "closed"), ("push", "pull"),
    ("underflow", "overflow"), ("exploding", "vanishing"), ("left", "right"),
    ("always", "never"), ("all", "none"), ("sparse", "dense"), ("ascending", "descending"),
)  # fmt: skip

STATED_MARGIN = 0.08
"""A signalled sentence is not flagged when this much closer to the correction than to the claim."""
RELATED_SIMILARITY = 0.5
"""A sentence this similar to a key point is about it, for swapped-term and number rules."""
NEGATION_SIMILARITY = 0.62


def _keys(phrase: str) -> tuple[str, ...]:
    return tuple(stem(lemma(token.text)) for token in tokenize(phrase))


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
    """Token positions of every word of a signal group in the sentence, or None if one is absent."""
    positions: list[int] = []
    for word in group:
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
                if correct_similarity > claim_similarity + STATED_MARGIN:
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


def _related(
    rubric: Rubric, index: int, point: KeyPoint, sentence: SentenceView
) -> tuple[bool, float]:
    """Whether a sentence is about a key point, and how similar it is (0 without a model)."""
    vector = None
    if rubric.key_point_vectors is not None and index < len(rubric.key_point_vectors):
        vector = rubric.key_point_vectors[index]
    similarity = _similarity(sentence, vector)
    point_keys = {t.key for t in tokenize(point.text) if is_content(t)} - rubric.keys
    shared = len(point_keys & sentence.key_set)
    if similarity is None:
        return shared >= max(2, len(point_keys) // 2), 0.0
    return similarity >= RELATED_SIMILARITY or (similarity >= 0.35 and shared >= 2), similarity


def _swap_findings(
    rubric: Rubric, index: int, point: KeyPoint, sentence: SentenceView, similarity: float
) -> list[MisconceptionFinding]:
    point_keys = [t.key for t in tokenize(point.text)]
    findings = []
    for left, right in SWAPPED_TERMS:
        for said, meant in ((left, right), (right, left)):
            said_keys, meant_keys = _keys(said), _keys(meant)
            if not _contains(point_keys, meant_keys) or _contains(point_keys, said_keys):
                continue
            if not _contains(sentence.keys, said_keys) or _contains(sentence.keys, meant_keys):
                continue
            if said_keys[0] in rubric.keys and meant_keys[0] in rubric.keys:
                continue  # the question names both: the sentence may be contrasting them
            if any(
                _contains([t.key for t in tokenize(other.text)], said_keys)
                for other in rubric.key_points
                if other is not point
            ):
                continue  # another key point uses the term: the sentence may be about that one
            findings.append(
                MisconceptionFinding(
                    kind=MisconceptionKind.SWAPPED_TERM,
                    claim=sentence.span.text,
                    correction=point.text,
                    sentence=sentence.evidence(similarity),
                    key_point=index,
                    detail=f"says “{said}” where the key point says “{meant}”",
                )
            )
            return findings
    return findings


def _negation_finding(
    rubric: Rubric, index: int, point: KeyPoint, sentence: SentenceView, similarity: float
) -> MisconceptionFinding | None:
    point_tokens = tokenize(point.text)
    point_keys = {t.key for t in point_tokens if is_content(t)}
    shared_positions = [
        i for i, t in enumerate(sentence.tokens) if t.key in point_keys and is_content(t)
    ]
    if len(shared_positions) < max(2, len(point_keys) // 2):
        return None
    if rubric.key_point_vectors is not None and similarity < NEGATION_SIMILARITY:
        return None
    point_negative = has_negation(point_tokens)
    sentence_negative = any(i in sentence.negated for i in shared_positions)
    if point_negative == sentence_negative:
        return None
    return MisconceptionFinding(
        kind=MisconceptionKind.NEGATION,
        claim=sentence.span.text,
        correction=point.text,
        sentence=sentence.evidence(similarity),
        key_point=index,
        detail="states the key point with the opposite polarity",
    )


def _context_keys(tokens: list[Token], start: int, end: int) -> set[str]:
    """Content keys right before and after a character span (the words a number goes with)."""
    before = [t for t in tokens if t.end <= start and is_content(t) and t.text[0].isalpha()]
    after = [t for t in tokens if t.start >= end and is_content(t) and t.text[0].isalpha()]
    return {t.key for t in before[-2:]} | {t.key for t in after[:2]}


def _number_finding(
    index: int, point: KeyPoint, sentence: SentenceView, similarity: float
) -> MisconceptionFinding | None:
    point_numbers = find_numbers(point.text)
    if not point_numbers:
        return None
    point_tokens = tokenize(point.text)
    answer_numbers = find_numbers(sentence.span.text)
    for expected in point_numbers:
        context = _context_keys(point_tokens, expected.start, expected.end)
        for given in answer_numbers:
            if not context & _context_keys(sentence.tokens, given.start, given.end):
                continue
            if any(close(a, b, abs(b) * 1e-3) for a in given.values() for b in expected.values()):
                break  # the right number is there
            if any(
                close(a, b, abs(b) * 1e-3)
                for other in answer_numbers
                for a in other.values()
                for b in expected.values()
            ):
                break
            return MisconceptionFinding(
                kind=MisconceptionKind.NUMBER,
                claim=sentence.span.text,
                correction=point.text,
                sentence=sentence.evidence(similarity),
                key_point=index,
                detail=f"gives {given.text} where the key point has {expected.text}",
            )
    return None


def find_misconceptions(rubric: Rubric, answer: AnswerView) -> list[MisconceptionFinding]:
    """Every wrong claim found in ``answer``: stated ones first, then rule findings.

    Rules run against hand-written key points only: clauses cut from a reference answer are too
    loose a standard to call an answer wrong.
    """
    sentences = _sentences(answer)
    findings = find_stated(rubric, sentences)
    flagged_sentences = {f.sentence.start for f in findings}
    if rubric.reference_only:
        return findings
    for sentence in sentences:
        if sentence.span.start in flagged_sentences:
            continue
        related = []
        for index, point in enumerate(rubric.key_points):
            is_related, similarity = _related(rubric, index, point, sentence)
            if is_related:
                related.append((similarity, index, point))
        related.sort(key=lambda item: -item[0])
        found: list[MisconceptionFinding] = []
        for similarity, index, point in related:
            found = _swap_findings(rubric, index, point, sentence, similarity)
            if found:
                break
        if not found and related:
            # Numbers and polarity are checked against the closest key point only: a sentence
            # that negates one point may well be stating another.
            similarity, index, point = related[0]
            number = _number_finding(index, point, sentence, similarity)
            negation = _negation_finding(rubric, index, point, sentence, similarity)
            found = [item for item in (number, negation) if item is not None]
        for item in found[:1]:
            flagged_sentences.add(item.sentence.start)
            findings.append(item)
    return findings
