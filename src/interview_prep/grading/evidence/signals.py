"""A misconception's signals, matched in one claim: words said together, of one thing, not denied.

A signal is a group of words or short phrases ("l2", "exactly zero") that must all occur in one
claim of the answer (a clause read with its subject, see :mod:`.clauses`).

- Words agree by stem, through the lemma or directly ("drives", "drive" and "driving";
  "penalises" and "penalizes"; "imbalanced" and "imbalance"; "GPUs" and "GPU");
  "torch.cuda.empty_cache" is also "empty_cache".
- A phrase's words come in order, with at most two small words between them ("exactly zero"
  matches "exactly to zero", "never overfits" matches "never really overfits"), and not after
  "non-" ("non-sparse" is no "sparse").
- A phrase is also found through its written short forms ("FP" for "false positive", "type 2"
  for "type II": ``SHORT_FORMS``).
- A lone number is compared by value ("0.01" matches "1e-2"); a word with symbols ("p(y|x)",
  "a/b test") must appear as written, ignoring case.
- A denial word in a signal ("never overfits", "no objective") matches any denial ("does not
  overfit", "doesn't have an objective") and belongs to the claim; any other denial before a
  matched word, in its piece, takes the claim back ("L2 never drives weights to exactly zero").
- A signal that names one of a pair of terms that are often swapped (L1/L2, bagging/boosting) does
  not fire on a claim that also names the other one, as in "elastic net combines L1 and L2, so it
  selects features", unless the claim says both ("both L1 and L2 give exact zeros") or sets the
  other apart ("L2 is more robust than L1").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from ..text.clauses import Claim, is_denial
from ..text.numbers import close, find_numbers
from ..text.terms import SHORT_FORMS, SWAPPED_TERMS
from ..text.tokens import STOPWORDS, Token, lemma_key, tokenize, word_key

MAX_GAP = 2
"""Small words allowed between two consecutive words of a phrase."""
DENIAL = "¬"
"""The key every denial word has."""
_BOTH = frozenset({"both", "either", "also", "too"})
_SETS_APART = frozenset({"than", "vs", "versus", "like", "as"})

_SYMBOLS = re.compile(r"[^\w\s'’.-]")
_NUMBER = re.compile(r"[-+]?(?:\d+(?:\.\d+)?|\.\d+)(?:[eE][-+]?\d+)?")

Keys = frozenset[str]


def word_keys(text: str) -> Keys:
    """Every key a written word matches by: its lemma's stem and its own stem."""
    lowered = text.lower()
    keys = {lemma_key(text), word_key(text)}
    if len(text) > 2 and text.endswith("s") and sum(ch.isupper() for ch in text) >= 2:
        keys.add(lemma_key(text[:-1]))  # GPUs, CPUs, LLMs
    if "." in lowered and not lowered[:1].isdigit():
        tail = lowered.rsplit(".", 1)[-1]  # torch.cuda.empty_cache -> empty_cache
        if tail:
            keys |= {lemma_key(tail), word_key(tail)}
    return frozenset(keys)


def _token_keys(tokens: list[Token]) -> list[Keys]:
    return [
        frozenset({DENIAL}) if is_denial(tokens, index) else word_keys(token.text)
        for index, token in enumerate(tokens)
    ]


def _claim_keys(claim: Claim) -> tuple[list[Keys], frozenset[str]]:
    """Each token's keys (denials as DENIAL) and all of them together, once per claim."""
    cached = claim.memo.get("signal_keys")
    if cached is None:
        cues = set(claim.cues)
        keys = [
            frozenset({DENIAL}) if position in cues else word_keys(token.text)
            for position, token in enumerate(claim.tokens)
        ]
        cached = (keys, frozenset().union(*keys))
        claim.memo["signal_keys"] = cached
    result: tuple[list[Keys], frozenset[str]] = cached  # type: ignore[assignment]
    return result


@cache
def _swapped_terms() -> dict[tuple[str, ...], tuple[tuple[str, ...], ...]]:
    """Each often-swapped term, as lemmas, with its counterparts.

    Lemmas, not stems: "generator" is not the term "generative".
    """

    pairs: dict[tuple[str, ...], list[tuple[str, ...]]] = {}
    for left, right in SWAPPED_TERMS:
        left_lemmas = tuple(t.lemma for t in tokenize(left))
        right_lemmas = tuple(t.lemma for t in tokenize(right))
        pairs.setdefault(left_lemmas, []).append(right_lemmas)
        pairs.setdefault(right_lemmas, []).append(left_lemmas)
    return {term: tuple(partners) for term, partners in pairs.items()}


@dataclass(frozen=True)
class Element:
    """One word or phrase of a signal, ready to match."""

    text: str
    keys: tuple[Keys, ...] = ()
    number: float | None = None
    literal: str | None = None
    partners: tuple[tuple[str, ...], ...] = ()
    """The counterparts of the often-swapped term this element names, if it names one."""
    alternatives: tuple[tuple[Keys, ...], ...] = ()
    """The keys of the element written with a short form ("FP" for "false positive")."""

    @classmethod
    def of(cls, text: str) -> Element:
        stripped = text.strip()
        if _NUMBER.fullmatch(stripped):
            return cls(text, number=float(stripped))
        if _SYMBOLS.search(stripped):
            return cls(text, literal=stripped.lower())
        tokens = tokenize(stripped)
        lemmas = tuple(token.lemma for token in tokens)
        return cls(
            text,
            keys=tuple(_token_keys(tokens)),
            partners=_swapped_terms().get(lemmas, ()),
            alternatives=tuple(tuple(_token_keys(tokenize(alt))) for alt in _short_forms(stripped)),
        )

    def spellings(self) -> tuple[tuple[Keys, ...], ...]:
        """The element's keys, and those of each of its short forms."""
        return (self.keys, *self.alternatives) if self.keys else ()


def _short_forms(text: str) -> list[str]:
    """``text`` with one of its phrases written in a short form, each way it can be."""
    found: list[str] = []
    for phrase, shorts in SHORT_FORMS:
        pattern = re.compile(rf"\b{re.escape(phrase)}\b", re.IGNORECASE)
        if pattern.search(text):
            found.extend(pattern.sub(short, text) for short in shorts)
    return found


Signal = tuple[Element, ...]


def compile_signals(groups: Sequence[Sequence[str]]) -> tuple[Signal, ...]:
    """The signal groups of a misconception, each word or phrase made ready to match."""
    return tuple(tuple(Element.of(text) for text in group) for group in groups if group)


def _is_small(token: Token) -> bool:
    lowered = token.text.lower()
    return token.lemma in STOPWORDS or (len(lowered) > 4 and lowered.endswith("ly"))


def _after_non(tokens: list[Token], position: int) -> bool:
    """True for "sparse" in "non-sparse": a prefix that turns the word into its opposite."""
    if position == 0:
        return False
    before = tokens[position - 1]
    return before.text.lower() in ("non", "un") and before.end + 1 == tokens[position].start


def _phrase_occurrences(
    tokens: list[Token], keys: list[Keys], phrase: tuple[Keys, ...]
) -> list[list[int]]:
    """Every way ``phrase`` occurs: in order, at most MAX_GAP small words apart."""
    found = []
    for first, token_keys in enumerate(keys):
        if not (token_keys & phrase[0]) or _after_non(tokens, first):
            continue
        positions = [first]
        for word in phrase[1:]:
            following = None
            for candidate in range(positions[-1] + 1, min(len(keys), positions[-1] + 2 + MAX_GAP)):
                if keys[candidate] & word:
                    following = candidate
                    break
                if not _is_small(tokens[candidate]):
                    break
            if following is None:
                break
            positions.append(following)
        if len(positions) == len(phrase):
            found.append(positions)
    return found


def _number_occurrences(claim: Claim, value: float) -> list[list[int]]:
    found = []
    for position, token in enumerate(claim.tokens):
        if not token.text[:1].isdigit() and token.text[:1] not in ".-+":
            continue
        mentions = find_numbers(token.text)
        if any(close(v, value, abs(value) * 1e-6) for m in mentions for v in m.values()):
            found.append([position])
    return found


def _literal_occurrences(claim: Claim, literal: str, text: str) -> list[list[int]]:
    """Where ``literal`` is written in the claim's pieces of ``text``, as token positions."""
    found = []
    for piece in dict.fromkeys(claim.pieces):
        positions = [i for i, owner in enumerate(claim.pieces) if owner == piece]
        start = claim.tokens[positions[0]].start
        end = claim.tokens[positions[-1]].end
        while end < len(text) and not text[end].isspace() and text[end] not in ",;":
            end += 1
        lowered = text[start:end].lower()
        at = lowered.find(literal)
        while at >= 0:
            begin, stop = start + at, start + at + len(literal)
            covered = [
                i for i in positions if claim.tokens[i].end > begin and claim.tokens[i].start < stop
            ]
            if covered:
                found.append(covered)
            at = lowered.find(literal, at + 1)
    return found


def _occurrences(element: Element, claim: Claim, keys: list[Keys], text: str) -> list[list[int]]:
    """Every place ``element`` occurs in ``claim``, as lists of token positions."""
    if element.number is not None:
        return _number_occurrences(claim, element.number)
    if element.literal is not None:
        return _literal_occurrences(claim, element.literal, text)
    return [
        found
        for spelling in element.spellings()
        for found in _phrase_occurrences(claim.tokens, keys, spelling)
    ]


def _said_of_both(element: Element, claim: Claim) -> bool:
    """Whether the claim also names the element's counterpart as something the claim is about.

    A counterpart that is denied or set apart ("than L1", "like L1") does not count; "both" or
    "also" makes the claim about each of them.
    """
    if not element.partners or any(t.text.lower() in _BOTH for t in claim.tokens):
        return False
    lemmas = [token.lemma for token in claim.tokens]
    for partner in element.partners:
        size = len(partner)
        for first in range(len(lemmas) - size + 1):
            if tuple(lemmas[first : first + size]) != partner:
                continue
            before = claim.tokens[first - 1].text.lower() if first > 0 else ""
            if first not in claim.denied and before not in _SETS_APART:
                return True
    return False


def match_signal(signal: Signal, claim: Claim, text: str) -> list[int] | None:
    """Token positions of ``claim`` where every element of ``signal`` is said, or None.

    None too when the claim takes it back (a denial before a matched word, not part of the
    signal), when it speaks of a term and its counterpart alike, or when every matched word
    comes from the claim's context (the context's own claim says it then).

    Args:
        signal: the compiled signal group.
        claim: one claim of a sentence.
        text: the text the claim's token offsets index (the answer).
    """
    keys, present = _claim_keys(claim)
    if any(
        element.keys
        and not any(all(word & present for word in spelling) for spelling in element.spellings())
        for element in signal
    ):
        return None  # a word of the signal is missing: the common case, decided cheaply
    found = [_occurrences(element, claim, keys, text) for element in signal]
    if not all(found):
        return None
    cues = set(claim.cues)
    exempt = {p for options in found for option in options for p in option if p in cues}
    matched: list[int] = []
    for options in found:
        kept = next(
            (
                option
                for option in options
                if not any(claim.denied_by_other_cue(p, exempt) for p in option if p not in cues)
            ),
            None,
        )
        if kept is None:
            return None
        matched.extend(kept)
    if all(position < claim.own_from for position in matched):
        return None
    if any(_said_of_both(element, claim) for element in signal):
        return None
    return sorted(set(matched))
