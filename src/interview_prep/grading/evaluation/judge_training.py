"""The judge's training pairs, built from a bank's authored examples (no PyTorch here).

Every pair is (item, span, verdict). The items are what a rubric holds: key points, misconceptions'
claims and errata's wrong claims. The spans are what a candidate might say: the examples written
for each item, the near misses written beside them, corrections, and the examples of the other key
points of the same question (the hardest "neither": on topic, but another point).

Contradictions are scarce in authored data, so each covering example is also turned into its
opposite by one general edit (a negation added or taken away, a word swapped for its antonym, or
two terms of the question's own pair swapped, as in "L1"/"L2"). The edits know nothing of any
answer that will be graded; they teach the head that a sentence can share every word but one with
a key point and still say the opposite.
"""

from __future__ import annotations

import itertools
import random
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from ...domain import Bank, Question
from ..models.judge import Verdict

# Word pairs whose swap reverses a claim in ML talk. Both directions are used.
OPPOSITES: tuple[tuple[str, str], ...] = (
    ("increase", "decrease"),
    ("increases", "decreases"),
    ("increasing", "decreasing"),
    ("higher", "lower"),
    ("more", "fewer"),
    ("larger", "smaller"),
    ("faster", "slower"),
    ("always", "never"),
    ("before", "after"),
    ("reduces", "increases"),
    ("high", "low"),
    ("overfitting", "underfitting"),
    ("bias", "variance"),
    ("precision", "recall"),
    ("l1", "l2"),
    ("training", "test"),
    ("same", "different"),
    ("sparse", "dense"),
    ("parallel", "sequential"),
    ("supervised", "unsupervised"),
    ("labeled", "unlabeled"),
    ("labelled", "unlabelled"),
    ("positive", "negative"),
    ("false positive", "false negative"),
    ("stable", "unstable"),
    ("helps", "hurts"),
    ("improves", "worsens"),
    ("cheaper", "more expensive"),
    ("less", "more"),
    ("smaller", "bigger"),
    ("all", "none of the"),
    ("linear", "non-linear"),
    ("independent", "dependent"),
    ("online", "offline"),
    ("first", "last"),
)
NEGATABLE = re.compile(r"\b(is|are|does|do|can|will|should|must|was|were|has|have)\b(?! not)")
NEGATED = re.compile(r"\b(is|are|does|do|can|will|should|must|was|were|has|have) not\b")
CONTRACTED = {"cannot": "can", "can't": "can", "doesn't": "does", "don't": "do", "isn't": "is"}


@dataclass(frozen=True)
class Pair:
    """One training example for the judge."""

    question_id: str
    item: str
    span: str
    verdict: Verdict
    source: str
    """What kind of pair it is (for the training report): 'example', 'near-miss', 'edit', ..."""


def _swap_word(text: str, left: str, right: str) -> str | None:
    pattern = re.compile(rf"\b{re.escape(left)}\b", re.IGNORECASE)
    if not pattern.search(text):
        return None

    def keep_case(match: re.Match[str]) -> str:
        word = match.group(0)
        if word.isupper():
            return right.upper()
        if word[:1].isupper():
            return right[:1].upper() + right[1:]
        return right

    return pattern.sub(keep_case, text, count=1)


def opposites(text: str, question: Question, rng: random.Random) -> list[str]:
    """Sentences that say the opposite of ``text`` by one edit (at most three, shuffled)."""
    edits: list[str] = []
    lowered = f" {text.lower()} "
    question_words = set(re.findall(r"[\w-]+", question.question.lower()))
    for left, right in OPPOSITES:
        for a, b in ((left, right), (right, left)):
            if f" {a} " not in lowered and not re.search(rf"\b{re.escape(a)}\b", lowered):
                continue
            # Both words of a pair the question itself names ("L1 vs L2") are the surest swap.
            edited = _swap_word(text, a, b)
            if edited and edited != text:
                if a in question_words and b in question_words:
                    edits.insert(0, edited)
                else:
                    edits.append(edited)
    negated = NEGATED.search(text)
    if negated:
        edits.append(text[: negated.start()] + negated.group(1) + text[negated.end() :])
    else:
        for contracted, plain in CONTRACTED.items():
            if re.search(rf"\b{re.escape(contracted)}\b", text, re.IGNORECASE):
                edits.append(re.sub(rf"\b{re.escape(contracted)}\b", plain, text, count=1))
                break
        else:
            positive = NEGATABLE.search(text)
            if positive:
                edits.append(text[: positive.end()] + " not" + text[positive.end() :])
    unique = list(dict.fromkeys(edit for edit in edits if edit != text))
    head, tail = unique[:1], unique[1:]
    rng.shuffle(tail)
    return (head + tail)[:3]


def _limit(items: Iterable[str], count: int, rng: random.Random) -> list[str]:
    pool = list(dict.fromkeys(items))
    rng.shuffle(pool)
    return pool[:count]


def question_pairs(question: Question, others: list[str], rng: random.Random) -> Iterator[Pair]:
    """Every training pair one question gives; ``others`` are sentences of other questions."""
    qid = question.id
    points = question.key_points
    wrong_by_point: dict[int, list[str]] = {}
    for item in question.misconceptions:
        if item.key_point is not None:
            wrong_by_point.setdefault(item.key_point, []).extend([item.claim, *item.examples])
    for erratum in question.errata:
        if erratum.key_point is not None:
            wrong_by_point.setdefault(erratum.key_point, []).extend(
                [erratum.wrong_claim, *erratum.examples]
            )
    for index, point in enumerate(points):
        sayings = [point.text, *point.examples]
        for example in point.examples:
            yield Pair(qid, point.text, example, Verdict.COVERS, "example")
        for left, right in itertools.pairwise(point.examples):
            yield Pair(qid, left, right, Verdict.COVERS, "example-pair")
        for miss in point.near_misses:
            yield Pair(qid, point.text, miss, Verdict.NEITHER, "near-miss")
            if point.examples:
                yield Pair(qid, rng.choice(point.examples), miss, Verdict.NEITHER, "near-miss")
        other_points = [
            text
            for j, other in enumerate(points)
            if j != index
            for text in (other.text, *other.examples)
        ]
        for text in _limit(other_points, 6, rng):
            yield Pair(qid, point.text, text, Verdict.NEITHER, "other-point")
            # An example is an item too (the grader hears a point through its examples), so it
            # must also meet what it does not say. With near misses alone as its negatives, an
            # example heard nearly every sentence on the question as saying it.
            if point.examples:
                yield Pair(qid, rng.choice(point.examples), text, Verdict.NEITHER, "other-point")
        for text in _limit(others, 2, rng):
            yield Pair(qid, point.text, text, Verdict.NEITHER, "other-question")
        for text in wrong_by_point.get(index, ()):
            yield Pair(qid, point.text, text, Verdict.CONTRADICTS, "wrong-claim")
            if point.examples:
                yield Pair(
                    qid, rng.choice(point.examples), text, Verdict.CONTRADICTS, "wrong-claim"
                )
        for saying in _limit(sayings, 3, rng):
            for edited in opposites(saying, question, rng)[:2]:
                yield Pair(qid, point.text, edited, Verdict.CONTRADICTS, "edit")
    claims = [
        (item.claim, item.correction, item.examples, item.key_point)
        for item in question.misconceptions
    ]
    claims += [(e.wrong_claim, e.correction, e.examples, e.key_point) for e in question.errata]
    for claim, correction, examples, key_point in claims:
        for example in examples:
            yield Pair(qid, claim, example, Verdict.COVERS, "claim-example")
        for left, right in itertools.pairwise(examples):
            yield Pair(qid, left, right, Verdict.COVERS, "claim-example-pair")
        yield Pair(qid, claim, correction, Verdict.CONTRADICTS, "correction")
        # The hardest negatives of a wrong claim: the right point it is about, said in every
        # authored way (the mirror of the point's "wrong-claim" pairs above). Without them a
        # correct answer in plain words reads as the misconception, because it shares the topic.
        if key_point is not None and 0 <= key_point < len(points):
            owner = points[key_point]
            for text in _limit([owner.text, *owner.examples], 6, rng):
                if text != correction:
                    yield Pair(qid, claim, text, Verdict.CONTRADICTS, "claim-point")
        other_sayings = [
            text for j, point in enumerate(points) if j != key_point for text in point.examples
        ]
        for text in _limit(other_sayings, 4, rng):
            yield Pair(qid, claim, text, Verdict.NEITHER, "claim-other-point")
        point_texts = [
            text
            for j, point in enumerate(points)
            for text in ((point.text,) if j != key_point else ()) + tuple(point.near_misses)
        ]
        for text in _limit(point_texts, 3, rng):
            if text != correction:
                yield Pair(qid, claim, text, Verdict.NEITHER, "claim-other")
        for text in _limit(others, 1, rng):
            yield Pair(qid, claim, text, Verdict.NEITHER, "other-question")
        for edited in opposites(claim, question, rng)[:1]:
            yield Pair(qid, claim, edited, Verdict.CONTRADICTS, "edit")


def bank_pairs(banks: Iterable[Bank], seed: int = 0) -> list[Pair]:
    """All training pairs of ``banks``, in a fixed order for a given seed."""
    rng = random.Random(seed)
    questions = [question for bank in banks for question in bank.questions]
    pairs: list[Pair] = []
    for question in questions:
        others = [
            point.text
            for other in questions
            if other.id != question.id
            for point in other.key_points
        ]
        pairs.extend(question_pairs(question, _limit(others, 40, rng), rng))
    return pairs
