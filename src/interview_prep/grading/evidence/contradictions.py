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

from dataclasses import dataclass, field
from functools import cache

from ...domain import KeyPoint
from ..text.clauses import Claim, claims_of
from ..text.numbers import close, find_numbers
from ..text.terms import GENERIC_SWAPPED_TERMS, SWAPPED_TERMS
from ..text.tokens import NEGATIONS, Span, Token, is_content, split_sentences, tokenize, word_key

_NEGATION_KEYS = frozenset(word_key(word) for word in NEGATIONS)
_HYPOTHETICAL = frozenset(
    word_key(w) for w in ("would", "could", "might", "otherwise", "if", "unless")
)


@dataclass
class Clause:
    tokens: list[Token]
    keys: list[str]
    negated: set[int]
    lemmas: list[str] = field(init=False)
    content: set[str] = field(init=False)

    def __post_init__(self) -> None:
        self.lemmas = [token.lemma for token in self.tokens]
        self.content = {token.key for token in self.tokens if is_content(token)}


def clause_of(claim: Claim) -> Clause:
    """A claim as the rules see it: without what its context denies ("unlike L2, L1 ...")."""
    cues = set(claim.cues)
    kept = [
        position
        for position in range(len(claim.tokens))
        if position >= claim.own_from or (position not in claim.denied and position not in cues)
    ]
    renumber = {old: new for new, old in enumerate(kept)}
    return Clause(
        [claim.tokens[p] for p in kept],
        [claim.keys[p] for p in kept],
        {renumber[p] for p in claim.denied if p in renumber},
    )


def clauses_of(text: str) -> list[Clause]:
    """The clauses of a sentence (see :mod:`.clauses`), each with the positions it denies."""
    return [clause_of(claim) for claim in claims_of(Span(text, 0, len(text)))]


def phrase_keys(phrase: str) -> list[str]:
    return [token.key for token in tokenize(phrase)]


def phrase_lemmas(phrase: str) -> list[str]:
    """Swapped terms match on lemmas, not stems: "encodings" is no "encoder"."""
    return [token.lemma for token in tokenize(phrase)]


@dataclass(frozen=True)
class Swap:
    said: str
    meant: str
    said_lemmas: list[str]
    meant_lemmas: list[str]
    generic: bool = False


@cache
def _swaps() -> tuple[Swap, ...]:
    """Every swapped-term pair in both directions, with its keys computed once."""
    return tuple(
        Swap(said, meant, phrase_lemmas(said), phrase_lemmas(meant), generic)
        for pairs, generic in ((SWAPPED_TERMS, False), (GENERIC_SWAPPED_TERMS, True))
        for left, right in pairs
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
    lemmas: list[str]
    content: set[str]
    negated_keys: set[str]
    swaps: list[Swap]
    """The pairs whose ``meant`` term this key point uses (and not the ``said`` one)."""
    clauses: list[Clause]

    @classmethod
    def of(cls, point: KeyPoint) -> PointWords:
        tokens = tokenize(point.text)
        keys = [t.key for t in tokens]
        lemmas = [t.lemma for t in tokens]
        swaps = [
            swap
            for swap in _swaps()
            if contains(lemmas, swap.meant_lemmas) and not contains(lemmas, swap.said_lemmas)
        ]
        # The key point's clauses are read by the same rules as the answer's, so that a denial
        # ("without", "instead of") means the same on both sides.
        clauses = [
            clause for sentence in split_sentences(point.text) for clause in _sentence(sentence)
        ]
        negated = {
            clause.keys[i] for clause in clauses for i in clause.negated if i < len(clause.keys)
        }
        return cls(
            point,
            keys,
            lemmas,
            {t.key for t in tokens if is_content(t)},
            negated,
            swaps,
            clauses,
        )


def _sentence(span: Span) -> list[Clause]:
    """A key point's sentence as clauses, each the piece's own words only."""
    result = []
    for claim in claims_of(span):
        own = range(claim.own_from, len(claim.tokens))
        result.append(
            Clause(
                [claim.tokens[p] for p in own],
                [claim.keys[p] for p in own],
                {p - claim.own_from for p in claim.denied if p >= claim.own_from},
            )
        )
    return result


def swapped_term(
    clause: Clause,
    index: int,
    points: list[PointWords],
    question_keys: frozenset[str],
    *,
    hypothetical: bool = False,
) -> str | None:
    """How the clause swaps a term of key point ``index`` for its counterpart, if it does."""
    point = points[index]
    for swap in point.swaps:
        if swap.generic and hypothetical:
            continue  # "I would simulate a larger batch": plans, not claims about the point
        said, meant, said_lemmas, meant_lemmas = (
            swap.said,
            swap.meant,
            swap.said_lemmas,
            swap.meant_lemmas,
        )
        if not contains(clause.lemmas, said_lemmas) or contains(clause.lemmas, meant_lemmas):
            continue
        others = [p for i, p in enumerate(points) if i != index and contains(p.lemmas, said_lemmas)]
        term_keys = {word_key(word) for word in (*said_lemmas, *meant_lemmas)}
        other_words = set().union(*(p.content for p in others)) if others else set()
        own = point.content - question_keys - term_keys - other_words
        theirs = other_words - point.content - term_keys
        # Only words said with the key point's polarity count: "L1 does not shrink smoothly"
        # denies L2's property of L1, which is right.
        agreeing = {
            token.key
            for position, token in enumerate(clause.tokens)
            if (position in clause.negated) == (token.key in point.negated_keys)
        }
        mine = len(clause.content & own & agreeing)
        # One shared word is enough in a short clause ("L1 uses squared weights"), not in a
        # long one; a generic word ("more", "higher") always needs two.
        short = len(clause.content - question_keys) <= 4 and not swap.generic
        needed = 3 if swap.generic else 2
        if (mine >= needed or (mine == 1 and short)) and mine > len(clause.content & theirs):
            return f"says “{said}” where the key point says “{meant}”"
    return None


def _names_counterpart(clause: Clause, part: Clause) -> bool:
    """True when the clause uses a counterpart of a term of ``part`` instead of the term."""
    return any(
        contains(part.lemmas, swap.meant_lemmas)
        and not contains(part.lemmas, swap.said_lemmas)
        and contains(clause.lemmas, swap.said_lemmas)
        and not contains(clause.lemmas, swap.meant_lemmas)
        for swap in _swaps()
    )


def _about_the_counterpart(clause: Clause, point: PointWords) -> bool:
    """True when the clause names a term's counterpart but not the key point's own term."""
    return any(
        contains(clause.lemmas, swap.said_lemmas) and not contains(clause.lemmas, swap.meant_lemmas)
        for swap in point.swaps
    )


def names_its_term(clause: Clause, point: PointWords) -> bool:
    """Whether the clause names the term the key point is about, when the point has one.

    "This rarely drives them to zero" may be about L1 or L2: a key point about L1 is only
    denied by a clause that says L1 (or Lasso). Points without such a term always pass.
    """
    terms = [swap.meant_lemmas for swap in point.swaps if not swap.generic]
    return not terms or any(contains(clause.lemmas, term) for term in terms)


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


def is_hypothetical(tokens: list[Token]) -> bool:
    """A conditional or counterfactual ("would", "if", "otherwise") states nothing as fact."""
    return any(token.key in _HYPOTHETICAL for token in tokens)


def opposite_polarity(clause: Clause, point: PointWords, question_keys: frozenset[str]) -> bool:
    """Whether the words shared with the key point are mostly negated in one and not the other.

    The clause is compared with the key point's clause it shares most words with (at least two),
    so that "cutting memory but not the quadratic compute" does not make every mention of
    "quadratic" a denial. Only words negated on at least one side vote, and a majority must
    disagree, because a negation's reach is approximate ("does not make weights zero" also covers
    "weights"). A hypothetical ("large logits would saturate") states nothing.
    """
    if is_hypothetical(clause.tokens):
        return False
    words = clause.content - question_keys
    best = max(point.clauses, key=lambda part: len(words & part.content), default=None)
    if best is None or len(words & best.content) < 2 or _names_counterpart(clause, best):
        return False
    best_negated = {best.keys[i] for i in best.negated}
    agree: set[str] = set()
    disagree: set[str] = set()
    for position, token in enumerate(clause.tokens):
        if not is_content(token) or token.key in question_keys or token.key not in best.content:
            continue
        in_clause = position in clause.negated
        in_point = token.key in best_negated
        if in_clause or in_point:
            (agree if in_clause == in_point else disagree).add(token.key)
    return len(disagree) >= 2 and len(disagree) > len(agree)


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
