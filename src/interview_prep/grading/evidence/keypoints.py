"""Which key points an answer covers, and where: covered, partly covered or missed, with evidence.

A key point is matched against each sentence of the answer twice over: by meaning (cosine of the
embeddings, when a model is loaded) and by words (the share of the key point's terms, or of its
content words, that the sentence uses). Either kind of evidence can carry a point, and a strong
word match lifts a middling cosine: "weights pushed to exactly zero" should count for "L1 yields
sparse weights" even though the wording differs.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np

from ...domain import KeyPoint
from ..result import Coverage, Evidence, KeyPointResult, MisconceptionFinding
from ..text.tokens import Span, content_keys, tokenize
from .answers import AnswerView
from .judging import Judgement
from .rubric import Rubric

# Thresholds on the MiniLM cosine between a key point and one sentence of the answer. Paraphrases
# sit around 0.6-0.85, related sentences on the same topic 0.35-0.55, unrelated ones below 0.25.
COVERED_SIMILARITY = 0.62
PARTLY_SIMILARITY = 0.45
# Thresholds on the share of a key point's terms (or content words) found.
COVERED_TERMS = 0.75
PARTLY_TERMS = 0.4
TERMS_FOR_FULL_EVIDENCE = 2


@dataclass(frozen=True)
class PointMatch:
    """The best place in the answer for one key point."""

    sentence: Span | None
    similarity: float
    term_share: float
    terms_found: tuple[str, ...]
    terms_missing: tuple[str, ...]


def point_terms(point: KeyPoint, question_keys: frozenset[str]) -> list[tuple[str, list[str]]]:
    """The words that show a key point, as (display text, keys): its listed terms, else its
    content words that are not already in the question."""
    if point.terms:
        return [(term, [t.key for t in tokenize(term)]) for term in point.terms]
    keys = list(dict.fromkeys(content_keys(point.text)))
    kept = [key for key in keys if key not in question_keys] or keys
    shown = {token.key: token.text for token in tokenize(point.text)}
    return [(shown.get(key, key), [key]) for key in kept]


def _terms(rubric: Rubric) -> list[list[tuple[str, list[str]]]]:
    return rubric.memo(
        "point_terms", lambda: [point_terms(point, rubric.keys) for point in rubric.key_points]
    )


def _found(term_keys: list[str], keys: list[str]) -> bool:
    """Whether the term's keys occur, in order and next to each other, in ``keys``."""
    if not term_keys or term_keys[0] not in keys:
        return False
    size = len(term_keys)
    if size == 1:
        return True
    return any(keys[i : i + size] == term_keys for i in range(len(keys) - size + 1))


def _share(terms: list[tuple[str, list[str]]], keys: list[str]) -> float:
    """How well a set of words shows a key point's terms (0-1).

    Listed terms are alternatives (spellings, synonyms, examples), so two of them found is full
    evidence; content words taken from the key point's text must mostly all be there.
    """
    if not terms:
        return 0.0
    found = sum(_found(term_keys, keys) for _, term_keys in terms)
    return min(1.0, found / min(len(terms), TERMS_FOR_FULL_EVIDENCE))


def match_point(index: int, point: KeyPoint, rubric: Rubric, answer: AnswerView) -> PointMatch:
    terms = _terms(rubric)[index]
    answer_keys = [token.key for token in answer.tokens]
    sentence_keys = [[token.key for token in tokens] for tokens in answer.sentence_tokens]
    similarities = np.zeros(len(answer.sentences))
    if (
        answer.sentence_vectors is not None
        and rubric.key_point_vectors is not None
        and len(answer.sentences)
    ):
        similarities = answer.sentence_vectors @ rubric.key_point_vectors[index]
    best_score = -1.0
    best: tuple[Span | None, float, float] = (None, 0.0, 0.0)
    for position, span in enumerate(answer.sentences):
        share = _share(terms, sentence_keys[position])
        similarity = float(similarities[position])
        combined = max(similarity, 0.35 + 0.4 * share) if answer.embedded else share
        if combined > best_score:
            best_score = combined
            best = (span, similarity, share)
    found = tuple(text for text, keys in terms if _found(keys, answer_keys))
    missing = tuple(text for text, keys in terms if not _found(keys, answer_keys))
    best_span, similarity, share = best
    if not answer.embedded:
        similarity = share
    return PointMatch(best_span, similarity, share, found, missing)


def status_of(match: PointMatch, embedded: bool, answer_share: float) -> Coverage:
    """Covered, partly or missed, from the best sentence and the terms of the whole answer."""
    if embedded:
        if match.similarity >= COVERED_SIMILARITY:
            return Coverage.COVERED
        if match.similarity >= PARTLY_SIMILARITY and match.term_share >= COVERED_TERMS - 0.25:
            return Coverage.COVERED
        if match.similarity >= PARTLY_SIMILARITY or answer_share >= PARTLY_TERMS + 0.2:
            return Coverage.PARTLY
        return Coverage.MISSED
    if match.term_share >= COVERED_TERMS:
        return Coverage.COVERED
    if answer_share >= PARTLY_TERMS:
        return Coverage.PARTLY
    return Coverage.MISSED


def assess_key_points(rubric: Rubric, answer: AnswerView) -> list[KeyPointResult]:
    """Coverage of each of the rubric's key points by ``answer``."""
    results = []
    answer_keys = [t.key for t in answer.tokens]
    for index, point in enumerate(rubric.key_points):
        match = match_point(index, point, rubric, answer)
        answer_share = _share(_terms(rubric)[index], answer_keys)
        status = status_of(match, answer.embedded, answer_share)
        evidence = None
        if match.sentence is not None and status is not Coverage.MISSED:
            evidence = Evidence(
                match.sentence.text, match.sentence.start, match.sentence.end, match.similarity
            )
        results.append(
            KeyPointResult(
                index=index,
                text=point.text,
                weight=point.weight,
                status=status,
                similarity=max(0.0, match.similarity),
                evidence=evidence,
                terms_found=match.terms_found,
                terms_missing=match.terms_missing,
            )
        )
    return results


def mark_contradicted(
    results: list[KeyPointResult], findings: list[MisconceptionFinding]
) -> list[KeyPointResult]:
    """Key points that a wrong claim of the answer gets wrong: missed and contradicted.

    Never covered, whatever else the answer says: an interviewer who hears "L2 drives weights to
    exactly zero" gives no credit for L2's point, however close the sentence's wording is to it.
    The evidence is the wrong claim.
    """
    wrong: dict[int, MisconceptionFinding] = {}
    for finding in findings:
        if finding.key_point is not None:
            wrong.setdefault(finding.key_point, finding)
    updated = []
    for result in results:
        found = wrong.get(result.index)
        if found is None:
            updated.append(result)
            continue
        said = found.clause or found.sentence
        updated.append(
            dataclasses.replace(
                result,
                status=Coverage.MISSED,
                contradicted=True,
                evidence=Evidence(said.text, said.start, said.end, result.similarity),
            )
        )
    return updated


def coverage_score(results: list[KeyPointResult]) -> float:
    """Weighted share of key points covered (partly counts half; contradicted counts nothing)."""
    total = sum(result.weight for result in results)
    if total <= 0:
        return 0.0
    gained = 0.0
    for result in results:
        if result.contradicted:
            continue
        if result.status is Coverage.COVERED:
            gained += result.weight
        elif result.status is Coverage.PARTLY:
            gained += 0.5 * result.weight
    return gained / total


def assess_key_points_judged(
    rubric: Rubric,
    answer: AnswerView,
    judgement: Judgement,
    thresholds: dict[str, float],
    removed: list[tuple[int, int]],
    *,
    with_rules: bool,
) -> list[KeyPointResult]:
    """Coverage decided by the judge: a point is covered only by a span that says it.

    The evidence shown is that span. Spans that make a wrong claim (``removed``) give no credit.
    With ``with_rules``, a strong match of the point's own terms, which the rules read as covered,
    still counts as partly covered when the judge does not hear the point: it is evidence in
    words, but not enough to give full credit by itself.
    """
    covered_at = thresholds.get("covers", 0.5)
    partly_at = thresholds.get("partly", 0.3)
    open_spans = np.array(
        [
            not any(span.start < stop and begin < span.end for begin, stop in removed)
            for span in judgement.spans
        ],
        dtype=bool,
    )
    rule_results = assess_key_points(rubric, answer) if with_rules else None
    results = []
    answer_keys = [t.key for t in answer.tokens]
    for index, point in enumerate(rubric.key_points):
        match = match_point(index, point, rubric, answer)
        eligible = open_spans
        if judgement.point_witnessed is not None:
            # A topical span nearer to the point's near misses than to the point says something
            # else, and empty talk says nothing: no evidence for it, however the judge reads it.
            eligible = open_spans & judgement.point_witnessed[index]
        row = np.where(eligible, judgement.point_covers[index], 0.0)
        best = int(np.argmax(row)) if len(row) else 0
        probability = float(row[best]) if len(row) else 0.0
        if probability >= covered_at:
            status = Coverage.COVERED
        elif probability >= partly_at:
            status = Coverage.PARTLY
        else:
            status = Coverage.MISSED
        evidence = None
        if status is not Coverage.MISSED:
            span = judgement.spans[best]
            evidence = Evidence(span.text, span.start, span.end, probability)
        if (
            rule_results is not None
            and status is Coverage.MISSED
            and rule_results[index].status is Coverage.COVERED
            and match.term_share >= COVERED_TERMS
            and _share(_terms(rubric)[index], answer_keys) >= COVERED_TERMS
        ):
            status = Coverage.PARTLY
            evidence = rule_results[index].evidence
        results.append(
            KeyPointResult(
                index=index,
                text=point.text,
                weight=point.weight,
                status=status,
                similarity=probability,
                evidence=evidence,
                terms_found=match.terms_found,
                terms_missing=match.terms_missing,
            )
        )
    return results
