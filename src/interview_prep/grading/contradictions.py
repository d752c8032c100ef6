"""Rules that catch an answer contradicting a hand-written key point, over lemmas and numbers.

Each rule looks at one clause at a time ("L1 gives sparse weights, while L2 shrinks them" is two
claims) and asks which key point the clause is about by the words it shares with it:

- swapped term: the clause uses a term's usual counterpart (L1 for L2, LIFO for FIFO, precision for
  recall) together with words that belong to the key point of the other term;
- negation: words the clause shares with the key point are negated in one and not in the other
  ("L1 does not give exactly zero weights" against "L1 drives weights to exactly zero");
- number: the clause gives another number than the key point, next to the same words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from ..domain import KeyPoint
from .numbers import close, find_numbers
from .text import NEGATIONS, Token, is_content, negated_positions, tokenize, word_key

# Pairs of terms that are each other's usual mix-up. Each side is a phrase; matching is on keys.
SWAPPED_TERMS: tuple[tuple[str, str], ...] = (
    ("L1", "L2"), ("lasso", "ridge"), ("LIFO", "FIFO"), ("stack", "queue"),
    ("precision", "recall"), ("bias", "variance"), ("overfitting", "underfitting"),
    ("false positive", "false negative"), ("type I", "type II"), ("sensitivity", "specificity"),
    ("increase", "decrease"), ("increase", "reduce"), ("higher", "lower"), ("larger", "smaller"),
    ("more", "fewer"), ("more", "less"), ("maximum", "minimum"), ("maximize", "minimize"),
    ("encoder", "decoder"), ("row", "column"), ("before", "after"), ("first", "last"),
    ("training", "inference"), ("convex", "non-convex"), ("supervised", "unsupervised"),
    ("generative", "discriminative"), ("parametric", "non-parametric"), ("sigmoid", "softmax"),
    ("batch norm", "layer norm"), ("bagging", "boosting"), ("mean", "median"),
    ("horizontal", "vertical"), ("synchronous", "asynchronous"), ("read", "write"),
    ("latency", "throughput"), ("series", "parallel"), ("open", "closed"), ("push", "pull"),
    ("underflow", "overflow"), ("exploding", "vanishing"), ("left", "right"),
    ("always", "never"), ("sparse", "dense"), ("ascending", "descending"),
)  # fmt: skip

_NEGATION_KEYS = frozenset(word_key(word) for word in NEGATIONS)
_CLAUSE_BREAK = re.compile(
    r"[;:,]\s*|\s+(?=(?:while|whereas|but|however|although|though|and|unlike|instead)\b)",
    re.IGNORECASE,
)


@dataclass
class Clause:
    tokens: list[Token]
    keys: list[str]
    negated: set[int]

    @property
    def content(self) -> set[str]:
        return {token.key for token in self.tokens if is_content(token)}


def clauses_of(text: str) -> list[Clause]:
    """The clauses of a sentence, each with its tokens and the positions under a negation."""
    pieces = []
    start = 0
    for match in _CLAUSE_BREAK.finditer(text):
        pieces.append(text[start : match.start()])
        start = match.end()
    pieces.append(text[start:])
    clauses = []
    for piece in pieces:
        tokens = tokenize(piece)
        if tokens:
            clauses.append(Clause(tokens, [t.key for t in tokens], negated_positions(tokens)))
    return clauses


def phrase_keys(phrase: str) -> list[str]:
    return [token.key for token in tokenize(phrase)]


@dataclass(frozen=True)
class Swap:
    said: str
    meant: str
    said_keys: list[str]
    meant_keys: list[str]


@cache
def _swaps() -> tuple[Swap, ...]:
    """Every swapped-term pair in both directions, with its keys computed once."""
    return tuple(
        Swap(said, meant, phrase_keys(said), phrase_keys(meant))
        for left, right in SWAPPED_TERMS
        for said, meant in ((left, right), (right, left))
    )


def contains(keys: list[str], phrase: list[str]) -> bool:
    size = len(phrase)
    if size == 0 or phrase[0] not in keys:
        return False
    return size == 1 or any(keys[i : i + size] == phrase for i in range(len(keys) - size + 1))


@dataclass
class PointWords:
    """A key point's words, as the rules compare them."""

    point: KeyPoint
    keys: list[str]
    content: set[str]
    negated_keys: set[str]
    swaps: list[Swap]
    """The pairs whose ``meant`` term this key point uses (and not the ``said`` one)."""

    @classmethod
    def of(cls, point: KeyPoint) -> PointWords:
        tokens = tokenize(point.text)
        negated = negated_positions(tokens)
        keys = [t.key for t in tokens]
        swaps = [
            swap
            for swap in _swaps()
            if contains(keys, swap.meant_keys) and not contains(keys, swap.said_keys)
        ]
        return cls(
            point,
            keys,
            {t.key for t in tokens if is_content(t)},
            {t.key for i, t in enumerate(tokens) if i in negated},
            swaps,
        )


def swapped_term(
    clause: Clause, index: int, points: list[PointWords], question_keys: frozenset[str]
) -> str | None:
    """How the clause swaps a term of key point ``index`` for its counterpart, if it does."""
    point = points[index]
    for swap in point.swaps:
        said, meant, said_keys, meant_keys = swap.said, swap.meant, swap.said_keys, swap.meant_keys
        if not contains(clause.keys, said_keys) or contains(clause.keys, meant_keys):
            continue
        others = [p for i, p in enumerate(points) if i != index and contains(p.keys, said_keys)]
        other_words = set().union(*(p.content for p in others)) if others else set()
        own = point.content - question_keys - set(said_keys) - set(meant_keys) - other_words
        theirs = other_words - point.content - set(said_keys) - set(meant_keys)
        # Only words said with the key point's polarity count: "L1 does not shrink smoothly"
        # denies L2's property of L1, which is right.
        agreeing = {
            token.key
            for position, token in enumerate(clause.tokens)
            if (position in clause.negated) == (token.key in point.negated_keys)
        }
        mine = len(clause.content & own & agreeing)
        if mine and mine > len(clause.content & theirs):
            return f"says “{said}” where the key point says “{meant}”"
    return None


def _about_the_counterpart(clause: Clause, point: PointWords) -> bool:
    """True when the clause names a term's counterpart but not the key point's own term."""
    return any(
        contains(clause.keys, swap.said_keys) and not contains(clause.keys, swap.meant_keys)
        for swap in point.swaps
    )


def closest_point(
    clause: Clause, points: list[PointWords], question_keys: frozenset[str]
) -> int | None:
    """The key point a clause is mostly about, by shared content words (at least two).

    A key point whose term the clause replaces by its counterpart is not a candidate: "L2 does
    not give exact zeros" is about L2, not a denial of "L1 gives exact zeros".
    """
    best: tuple[int, int] | None = None
    words = clause.content - question_keys - _NEGATION_KEYS
    for index, point in enumerate(points):
        if _about_the_counterpart(clause, point):
            continue
        shared = len(words & point.content)
        if shared >= 2 and shared >= 0.4 * len(words) and (best is None or shared > best[0]):
            best = (shared, index)
    return None if best is None else best[1]


def opposite_polarity(clause: Clause, point: PointWords, question_keys: frozenset[str]) -> bool:
    """Whether the words shared with the key point are mostly negated in one and not the other.

    Only words negated on at least one side vote, and a majority must disagree, because a
    negation's reach is approximate ("does not make weights zero" also covers "weights").
    """
    agree = disagree = 0
    for position, token in enumerate(clause.tokens):
        if not is_content(token) or token.key in question_keys or token.key not in point.content:
            continue
        in_clause = position in clause.negated
        in_point = token.key in point.negated_keys
        if in_clause or in_point:
            if in_clause == in_point:
                agree += 1
            else:
                disagree += 1
    return disagree > agree


def _context(tokens: list[Token], start: int, end: int) -> str | None:
    """The word a number goes with: the nearest content word before it, else the one after."""
    before = [t for t in tokens if t.end <= start and is_content(t) and t.text[0].isalpha()]
    if before:
        return before[-1].key
    after = [t for t in tokens if t.start >= end and is_content(t) and t.text[0].isalpha()]
    return after[0].key if after else None


def different_number(sentence: str, point: KeyPoint) -> str | None:
    """How a sentence gives another number than the key point next to the same words, if so."""
    expected_numbers = find_numbers(point.text)
    if not expected_numbers:
        return None
    point_tokens = tokenize(point.text)
    tokens = tokenize(sentence)
    given_numbers = find_numbers(sentence)
    for expected in expected_numbers:
        context = _context(point_tokens, expected.start, expected.end)
        if any(
            close(a, b, abs(b) * 1e-3)
            for given in given_numbers
            for a in given.values()
            for b in expected.values()
        ):
            continue  # the right number is there
        for given in given_numbers:
            if context is not None and context == _context(tokens, given.start, given.end):
                return f"gives {given.text} where the key point has {expected.text}"
    return None
