"""Which side of an often-swapped pair a text speaks of: "L2 adds the squared weights" is about L2.

A sentence encoder hears "L2 adds the squared weights and only shrinks them" as close to the
claim "L1 regularization penalises the squared weights": the words are nearly the same, and it
does not bind who does what. The terms themselves do: a text that names only one side of a pair
(L2, or ridge) is not evidence about the other side (L1, or lasso), whatever it says. A side is
named by the term or by one of its aliases (ridge is L2), on lemmas.
"""

from __future__ import annotations

from functools import cache

from .terms import SHORT_FORMS, SWAPPED_TERMS
from .tokens import tokenize

# Names of one side, beyond the term itself: a text that says "ridge" speaks of L2. The written
# short forms ("FP", "type 2") name their phrase's side too; names of one group chain ("FP" is a
# false positive, which is a type I error, which is "type 1").
ALIASES: tuple[tuple[str, ...], ...] = (
    ("L1", "lasso"), ("L2", "ridge", "weight decay"),
    ("false positive", "type I"), ("false negative", "type II"),
    ("recall", "sensitivity", "true positive rate"),
    *((phrase, *shorts) for phrase, shorts in SHORT_FORMS),
)  # fmt: skip

Term = tuple[str, ...]
Sides = frozenset[tuple[int, int]]
"""(pair, side) for each side of each pair in ``SWAPPED_TERMS`` that a text names (side 0 or 1)."""


def _lemmas(text: str) -> Term:
    return tuple(token.lemma for token in tokenize(text))


@cache
def _pairs() -> tuple[tuple[frozenset[Term], frozenset[Term]], ...]:
    """Each pair of ``SWAPPED_TERMS`` as the lemma sequences that name each of its sides."""
    names: dict[Term, set[Term]] = {}
    for group in ALIASES:
        merged = {_lemmas(name) for name in group}
        for name in list(merged):
            merged |= names.get(name, set())
        for name in merged:
            names[name] = merged
    result = []
    for left, right in SWAPPED_TERMS:
        sides = []
        for term in (_lemmas(left), _lemmas(right)):
            sides.append(frozenset(names.get(term, {term})))
        result.append((sides[0], sides[1]))
    return tuple(result)


def _occurs(lemmas: Term, name: Term) -> bool:
    size = len(name)
    return any(lemmas[start : start + size] == name for start in range(len(lemmas) - size + 1))


def sides_of(text: str) -> Sides:
    """The sides of the often-swapped pairs that ``text`` names."""
    lemmas = _lemmas(text)
    return frozenset(
        (pair, side)
        for pair, names in enumerate(_pairs())
        for side in (0, 1)
        if any(_occurs(lemmas, name) for name in names[side])
    )


def with_context(own: Sides, context: Sides) -> Sides:
    """A clause's sides: its own for each pair it names, its sentence's for the pairs it does not.

    "which tends to drive weights to zero" speaks of what its sentence speaks of.
    """
    named = {pair for pair, _ in own}
    return own | frozenset((pair, side) for pair, side in context if pair not in named)


def speaks_of_other_side(item: Sides, span: Sides) -> bool:
    """Whether ``span`` names only the other side of a pair of which ``item`` names only one."""
    for pair, side in item:
        if (pair, 1 - side) not in item and (pair, 1 - side) in span and (pair, side) not in span:
            return True
    return False
