"""Claims in a sentence: where one clause ends, which subject it speaks of, and what it denies.

A wrong claim is found by words that must all be said of one thing, so a sentence is cut into
pieces at punctuation, at words that start another claim ("whereas", "while", "but", "which",
"unlike", "rather than"), and at "and"/"or" when they move on to a term's counterpart ("L1 gives
zeros and L2 shrinks them"). A piece without a subject of its own is read with an earlier one:

- a relative clause (", which is why it is used") with the piece just before it;
- a continuation, which starts with a verb, a pronoun, a denial or "so" ("and also drives
  weights to zero", "but it never...", "so more regularization helps"), with the last head;
- an aside ("unlike L1", "(weight decay)", "in practice", "if the data is small") with the last
  head, or, before any head, with the head that follows it; an aside never becomes the subject.

Within a piece a denial ("not", "never", "without", "rather than", "unlike", "instead of") reaches
to the piece's end: pieces are short, and a contrast word has already ended the piece.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass, field
from functools import cache

from .terms import SWAPPED_TERMS
from .tokens import NEGATIONS, Span, Token, tokenize


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


DETERMINER_DENIALS = frozenset({"no", "none", "nothing"})
DETERMINER_REACH = 2
DENIAL_WORDS = NEGATIONS | _words(
    "unlike hardly rarely seldom myth misconception untrue incorrect mistaken"
)
"""Words that deny what follows them in their piece ("rather" and "instead" need "than"/"of")."""
_PAIRED_DENIALS = {"rather": "than", "instead": "of"}

# Characters and words where a piece ends. A word break keeps the word in the next piece.
_HARD_BREAK = re.compile(r"[;,]|\s[-–—]+\s|[–—]")
_BREAK_WORDS = _words(
    "whereas while whilst but however although though unlike which who whom whose whereby except"
)
_RELATIVES = _words("which who whom whose that whereby")
_PRONOUNS = _words("it its it's they them their they're this these those he she his her")
_CONSEQUENCES = _words("so therefore hence thus consequently")
_SUBORDINATORS = _words(
    "if when whenever since once unless as because given provided whatever whichever after before"
)
_LEADERS = _words(
    "and or but also then however although though while whilst whereas still only even just "
    "actually really basically too yet now almost often always sometimes merely"
)
_ASIDE_STARTS = _words(
    "unlike like in for on at with by from of e.g i.e eg ie such including especially "
    "particularly compared versus vs instead rather except without apart besides"
)
_AUXILIARIES = _words(
    "is are was were be been being has have had does do did can could will would may might must "
    "should shall isn't aren't wasn't weren't doesn't don't didn't can't cannot won't wouldn't "
    "couldn't shouldn't hasn't haven't"
)


class PieceKind(enum.Enum):
    HEAD = "head"
    """Has a subject of its own."""
    RELATIVE = "relative"
    """Speaks of the piece just before it."""
    CONTINUATION = "continuation"
    """Speaks of the last head."""
    ASIDE = "aside"
    """A side remark or a condition: read with a head, never one itself."""


@dataclass
class Piece:
    """A stretch of a sentence between breaks, with its tokens (spans index the sentence)."""

    start: int
    end: int
    tokens: list[Token]
    kind: PieceKind = PieceKind.HEAD
    context: list[int] = field(default_factory=list)
    """Indices of the pieces this one is read with."""


@dataclass
class Claim:
    """One piece read with its context: what one clause of a sentence says, and of what.

    ``tokens`` are the context's tokens followed by the piece's own (offsets index the text the
    sentence was cut from); ``own_from`` is where the piece's own tokens start. ``cues`` are the
    positions of denial words; each denies what follows it in its own piece.
    """

    piece: int
    span: Span
    """The piece's own text."""
    tokens: list[Token]
    own_from: int
    pieces: list[int]
    """For each token, the index of the piece it comes from."""
    cues: list[int]
    denied: set[int] = field(default_factory=set)
    """Positions that a denial word before them in the same piece reaches."""
    keys: list[str] = field(init=False)
    memo: dict[str, object] = field(default_factory=dict, repr=False, compare=False)
    """What matchers compute once per claim (see :mod:`.signals`)."""

    def __post_init__(self) -> None:
        self.keys = [token.key for token in self.tokens]

    def denied_by_other_cue(self, position: int, exempt: set[int]) -> bool:
        """True when a denial word not in ``exempt`` comes before ``position`` in its piece."""
        piece = self.pieces[position]
        return any(
            cue < position and cue not in exempt and self.pieces[cue] == piece for cue in self.cues
        )


def is_denial(tokens: list[Token], index: int) -> bool:
    """Whether ``tokens[index]`` denies what follows it ("not", "never", "rather than", ...)."""
    token = tokens[index]
    lowered = token.text.lower().replace("’", "'")
    if lowered in _PAIRED_DENIALS:
        following = tokens[index + 1].text.lower() if index + 1 < len(tokens) else ""
        return following == _PAIRED_DENIALS[lowered]
    return lowered in DENIAL_WORDS or token.lemma in NEGATIONS or lowered.endswith("n't")


def _looks_like_verb(tokens: list[Token], index: int) -> bool:
    """A rough guess that a piece starts with a verb, i.e. has no subject of its own."""
    word = tokens[index].text.lower()
    following = tokens[index + 1].text.lower() if index + 1 < len(tokens) else ""
    if word in _AUXILIARIES:
        return True
    if len(word) > 4 and word.isalpha() and word.endswith(("ing", "ed")):
        return True
    if len(word) > 3 and word.isalpha() and word.endswith("s") and not word.endswith(("ss", "us")):
        return following not in _AUXILIARIES  # "drives weights", not "weights are"
    return False


def _kind(tokens: list[Token], gap: str) -> PieceKind:
    """What a piece is, from its first words and the separator before it."""
    first = tokens[0].text.lower()
    if first in _SUBORDINATORS:
        return PieceKind.ASIDE  # "if the data is small", "when you fine-tune"
    if first in _CONSEQUENCES:
        return PieceKind.CONTINUATION  # ", so more regularization will fix it"
    index = 0
    while index < len(tokens) - 1 and (
        tokens[index].text.lower() in _LEADERS
        or (tokens[index].text.lower().endswith("ly") and len(tokens[index].text) > 4)
    ):
        index += 1
    word = tokens[index].text.lower().replace("’", "'")
    if word in _RELATIVES and (word != "that" or "," in gap or index > 0):
        return PieceKind.RELATIVE
    if word in ("unlike", "without") or (word in _ASIDE_STARTS and not is_denial(tokens, index)):
        return PieceKind.ASIDE
    if word in _PAIRED_DENIALS and is_denial(tokens, index):
        return PieceKind.ASIDE  # "rather than driving them to zero", "instead of ..."
    if word in _PRONOUNS or is_denial(tokens, index):
        return PieceKind.CONTINUATION
    if _looks_like_verb(tokens, index) and ";" not in gap:
        return PieceKind.CONTINUATION  # after ";" a verb-first clause is a gerund subject
    return PieceKind.HEAD


@cache
def _counterparts() -> dict[tuple[str, ...], frozenset[tuple[str, ...]]]:
    """Each swapped term (as lemmas) mapped to its counterparts (as lemmas)."""

    pairs: dict[tuple[str, ...], set[tuple[str, ...]]] = {}
    for left, right in SWAPPED_TERMS:
        left_lemmas = tuple(t.lemma for t in tokenize(left))
        right_lemmas = tuple(t.lemma for t in tokenize(right))
        pairs.setdefault(left_lemmas, set()).add(right_lemmas)
        pairs.setdefault(right_lemmas, set()).add(left_lemmas)
    return {key: frozenset(value) for key, value in pairs.items()}


def _term_at(lemmas: list[str], index: int) -> tuple[str, ...] | None:
    """The swapped term that starts at ``index`` (the longest), if any."""
    best = None
    for term in _counterparts():
        if tuple(lemmas[index : index + len(term)]) == term and (
            best is None or len(term) > len(best)
        ):
            best = term
    return best


def _has_term(lemmas: list[str], term: tuple[str, ...]) -> int | None:
    """Where ``term`` ends in ``lemmas`` (the last occurrence), if it occurs."""
    size = len(term)
    found = None
    for start in range(len(lemmas) - size + 1):
        if tuple(lemmas[start : start + size]) == term:
            found = start + size
    return found


def _and_moves_on(tokens: list[Token], index: int, start: int) -> bool:
    """Whether "and"/"or" at ``index`` starts a claim about a counterpart of the piece's term.

    "L1 gives exact zeros and L2 shrinks them" and "a false positive is a Type I error and a false
    negative a Type II error" are two claims each; "L1 and L2 both shrink weights" and "reduce bias
    and variance" are one: there the term stands right before the conjunction.
    """
    lemmas = [token.lemma for token in tokens]
    after = index + 1
    while after < len(tokens) and lemmas[after] in ("a", "an", "the"):
        after += 1
    term = _term_at(lemmas, after) if after < len(tokens) else None
    if term is None:
        return False
    before = lemmas[start:index]
    for partner in _counterparts()[term]:
        end = _has_term(before, partner)
        if end is not None and end < len(before):
            return True
    return False


def _bracket_ranges(sentence: str) -> list[tuple[int, int]]:
    """Parentheses that set text apart: "(" after a space or at the start, up to its ")".

    Brackets glued to a word ("p(y|x)", "sqrt(d_k)") are part of what is written, not asides.
    """
    ranges: list[tuple[int, int]] = []
    stack: list[tuple[int, bool]] = []
    for position, char in enumerate(sentence):
        if char in "([":
            stack.append((position, position == 0 or not sentence[position - 1].isalnum()))
        elif char in ")]" and stack:
            opened, aside = stack.pop()
            if aside:
                ranges.append((opened, position + 1))
    ranges.extend((opened, len(sentence)) for opened, aside in stack if aside)
    return ranges


def _piece_starts(sentence: str, tokens: list[Token], edges: set[int]) -> list[tuple[int, str]]:
    """Token indices where pieces start, each with the separator text before it."""
    starts: list[tuple[int, str]] = [(0, "")]
    for index in range(1, len(tokens)):
        gap_start, gap_end = tokens[index - 1].end, tokens[index].start
        gap = sentence[gap_start:gap_end]
        word = tokens[index].text.lower()
        if (
            _HARD_BREAK.search(gap)
            or any(gap_start <= edge < gap_end for edge in edges)
            or word in _BREAK_WORDS
            or (word in _PAIRED_DENIALS and is_denial(tokens, index))
            or (word in ("and", "or") and _and_moves_on(tokens, index, starts[-1][0]))
        ):
            starts.append((index, gap))
    return starts


def split_pieces(sentence: str) -> list[Piece]:
    """Cut ``sentence`` into pieces and say which earlier (or later) pieces each is read with."""
    tokens = tokenize(sentence)
    if not tokens:
        return []
    brackets = _bracket_ranges(sentence)
    edges = {edge for pair in brackets for edge in (pair[0], pair[1] - 1)}
    starts = _piece_starts(sentence, tokens, edges)
    pieces: list[Piece] = []
    bounds = [*(first for first, _ in starts[1:]), len(tokens)]
    for (first, gap), stop in zip(starts, bounds, strict=True):
        own = tokens[first:stop]
        bracketed = any(opened < own[0].start < closed for opened, closed in brackets)
        kind = PieceKind.ASIDE if bracketed else _kind(own, gap)
        before = sentence[pieces[-1].end if pieces else 0 : own[0].start].strip()
        if kind is PieceKind.HEAD and before.startswith((")", "]")) and not set(before) & set(",;"):
            kind = PieceKind.CONTINUATION  # "KNN is a (supervised) algorithm": one clause
        end = own[-1].end
        while end < len(sentence) and not sentence[end].isspace() and sentence[end] not in ",;":
            if end in edges:
                break
            end += 1  # keep what is glued to the last word: "P(X)", "50%", "d(g(z))"
        while end > own[-1].end and sentence[end - 1] in ".!?:":
            end -= 1
        pieces.append(Piece(own[0].start, end, own, kind))
    _link(pieces)
    return pieces


def _link(pieces: list[Piece]) -> None:
    """Give each piece the pieces it is read with."""
    last_head: int | None = None
    leading: list[int] = []  # asides since the last head, waiting for one
    for index, piece in enumerate(pieces):
        if piece.kind is PieceKind.CONTINUATION and last_head is None:
            piece.kind = PieceKind.HEAD  # "Boosting, in practice, ...": nothing to continue
        if piece.kind is PieceKind.HEAD:
            piece.context = leading
            leading = []
            last_head = index
        elif piece.kind is PieceKind.RELATIVE:
            piece.context = [index - 1] if index > 0 else []
        elif piece.kind is PieceKind.ASIDE and last_head is None:
            leading.append(index)
        else:
            piece.context = [last_head] if last_head is not None else []


def _denied(tokens: list[Token]) -> tuple[list[int], set[int]]:
    cues = [index for index in range(len(tokens)) if is_denial(tokens, index)]
    denied: set[int] = set()
    for cue in cues:
        if tokens[cue].text.lower() in DETERMINER_DENIALS:
            # "has no labels: it finds structure" denies the labels, not the finding.
            denied.update(range(cue + 1, min(len(tokens), cue + 1 + DETERMINER_REACH)))
        else:
            denied.update(range(cue + 1, len(tokens)))
            break
    return cues, denied


def claims_of(sentence: Span) -> list[Claim]:
    """The claims of a sentence, one per piece, each read with its context.

    Spans and token offsets are absolute: they index the text ``sentence`` was cut from.
    """
    pieces = split_pieces(sentence.text)
    result = []
    for index, piece in enumerate(pieces):
        tokens: list[Token] = []
        owners: list[int] = []
        cues: list[int] = []
        denied: set[int] = set()
        for owner in [*piece.context, index]:
            own = pieces[owner].tokens
            piece_cues, piece_denied = _denied(own)
            offset = len(tokens)
            cues.extend(offset + cue for cue in piece_cues)
            denied.update(offset + position for position in piece_denied)
            tokens.extend(_shift(token, sentence.start) for token in own)
            owners.extend([owner] * len(own))
        own_from = len(tokens) - len(piece.tokens)
        span = Span(
            sentence.text[piece.start : piece.end],
            sentence.start + piece.start,
            sentence.start + piece.end,
        )
        result.append(Claim(index, span, tokens, own_from, owners, cues, denied))
    return result


def _shift(token: Token, offset: int) -> Token:
    if offset == 0:
        return token
    return Token(token.text, token.lemma, token.start + offset, token.end + offset)


def claim_groups(sentence: Span) -> list[Span]:
    """The sentence as groups of pieces, each a head with what is read with it, as spans.

    Asides before the first head join the first group. Used to take only the wrong part of a
    sentence away from what earns credit.
    """
    pieces = split_pieces(sentence.text)
    groups: list[list[int]] = []
    for index, piece in enumerate(pieces):
        starts_group = piece.kind is PieceKind.HEAD and any(
            pieces[member].kind is PieceKind.HEAD for member in (groups[-1] if groups else [])
        )
        if starts_group or not groups:
            groups.append([index])
        else:
            groups[-1].append(index)
    spans = []
    for members in groups:
        start, end = pieces[members[0]].start, pieces[members[-1]].end
        spans.append(Span(sentence.text[start:end], sentence.start + start, sentence.start + end))
    return spans
