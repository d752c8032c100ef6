"""Text as the grader sees it: sentences with character spans, tokens, lemmas, stems, negation.

Everything here is rule-based and fast (no model): a light English lemmatiser good enough to match
"evaporated" with "evaporates" and "regularisation" with "regularization", and a Snowball stem for
looser overlap counts. Character spans always index the original text, so evidence can be shown in
place, HTML and emoji included.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer


@dataclass(frozen=True)
class Span:
    """A stretch of a text: ``text == source[start:end]``."""

    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Token:
    text: str
    lemma: str
    start: int
    end: int

    @property
    def key(self) -> str:
        """What two tokens must share to count as the same word (see :func:`word_key`)."""
        return word_key(self.text)


# A token is a word (letters and digits, inner apostrophes and dots as in "e.g" or "L2") or a number
# such as 1e-3, 0.001, 10^-3 or 1,000. Hyphens split words, so that "cross-validation" and
# "cross validation" give the same keys.
_TOKEN = re.compile(
    r"\d+(?:[.,]\d+)*(?:[eE][-+]?\d+)?(?:\^\{?[-+]?\d+\}?)?%?"
    r"|[^\W_\u00b2\u00b3\u00b9](?:[^\W\u00b2\u00b3\u00b9]|['’.](?=[^\W_]))*",
    re.UNICODE,
)

# Where a sentence ends: terminal punctuation followed by space, or a line break. Abbreviations and
# decimals are protected below.
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"')\]]*\s+|\n\s*(?:[-*•]\s+|\d+[.)]\s+)?|\s+[-*•]\s+")
_ABBREVIATIONS = {
    "e.g.", "i.e.", "etc.", "vs.", "cf.", "approx.", "dr.", "mr.", "mrs.", "ms.", "fig.", "eq.",
    "no.", "al.", "resp.", "incl.",
}  # fmt: skip

STOPWORDS = frozenset(
    """
    a about above after again against all also am an and any are as at be because been before being
    below between both but by can could did do does doing down during each either else etc every
    few for from further had has have having he her here hers herself him himself his how i if in
    into is it its itself just let me might more most must my myself nor of off on once only or
    other ought our ours ourselves out over own per same shall she should so some such than that
    the their theirs them themselves then there these they this those through thus to too under
    until up upon us very via was we were what when where which while who whom whose why will with
    would yet you your yours yourself yourselves one ones thing things way ways get gets got using
    use used uses e.g i.e eg ie like may well much many really actually basically just simply
    """.split()  # noqa: SIM905
)


_NEGATION_WORDS = """
    not no never none nothing neither nor cannot can't won't don't doesn't didn't isn't aren't
    wasn't weren't shouldn't wouldn't couldn't hasn't haven't hadn't without n't nobody nowhere
    lack lacks
"""
NEGATIONS = frozenset(_NEGATION_WORDS.split())
# Words that end the reach of a negation within a sentence.
_BARRIER_WORDS = "but however although though whereas while yet instead rather"
_NEGATION_BARRIERS = frozenset(_BARRIER_WORDS.split())
# A negating determiner denies the noun it stands before, not the rest of the clause:
# "has no labels: it finds structure" does not deny "finds structure".
_DETERMINER_NEGATIONS = frozenset({"no", "none", "nothing"})
_DETERMINER_REACH = 2
_CONTRASTS = frozenset({("than", "rather")})

_IRREGULAR = {
    "is": "be", "are": "be", "was": "be", "were": "be", "been": "be", "being": "be", "am": "be",
    "has": "have", "had": "have", "does": "do", "did": "do", "done": "do", "went": "go",
    "goes": "go", "gone": "go", "made": "make", "took": "take", "taken": "take", "gave": "give",
    "given": "give", "found": "find", "kept": "keep", "left": "leave", "lost": "lose",
    "built": "build", "chose": "choose", "chosen": "choose", "grew": "grow", "grown": "grow",
    "fell": "fall", "fallen": "fall", "ran": "run", "led": "lead", "sent": "send", "spent": "spend",
    "said": "say", "saw": "see", "seen": "see", "thought": "think", "brought": "bring",
    "bought": "buy", "caught": "catch", "taught": "teach", "wrote": "write", "written": "write",
    "held": "hold", "meant": "mean", "became": "become", "began": "begin", "begun": "begin",
    "felt": "feel", "heard": "hear", "knew": "know", "known": "know", "shown": "show",
    "children": "child", "men": "man", "women": "woman", "feet": "foot", "teeth": "tooth",
    "mice": "mouse", "indices": "index", "matrices": "matrix", "vertices": "vertex",
    "analyses": "analysis", "hypotheses": "hypothesis", "criteria": "criterion",
    "phenomena": "phenomenon", "larger": "large", "largest": "large", "smaller": "small",
    "smallest": "small", "higher": "high", "highest": "high", "lower": "low", "lowest": "low",
    "better": "good", "best": "good", "worse": "bad", "worst": "bad", "faster": "fast",
    "fastest": "fast", "slower": "slow", "slowest": "slow", "bigger": "big", "biggest": "big",
    "fewer": "few", "less": "little", "least": "little", "more": "many", "most": "many",
    "n't": "not", "cannot": "not", "can't": "not", "won't": "not",
}  # fmt: skip

_OUR_STEMS = frozenset(
    {"behavi", "col", "flav", "hon", "lab", "neighb", "fav", "harb", "hum", "vap"}
)
_KEEP_S = re.compile(r"(?:ss|us|is|ous|ics|sis|xis|as|ys)$")


def _british_to_american(word: str) -> str:
    for old, new in (
        ("isation", "ization"),
        ("ising", "izing"),
        ("ised", "ized"),
        ("ises", "izes"),
    ):
        if word.endswith(old) and len(word) > len(old) + 2:
            return word[: -len(old)] + new
    if (
        word.endswith("ise")
        and len(word) > 6
        and (word.endswith("imise") or not word.endswith(("wise", "cise", "rise", "mise")))
    ):
        return word[:-3] + "ize"  # optimise, minimise; not premise, exercise, otherwise
    for ending in ("our", "ours", "oured", "ouring"):
        if word.endswith(ending) and word[: -len(ending)] in _OUR_STEMS:
            return word[: -len(ending)] + "or" + ending[3:]  # neighbours -> neighbors
    return word


@lru_cache(maxsize=65536)
def word_key(word: str) -> str:
    """The matching key of a word: irregular forms mapped, American spelling, Snowball stem.

    "making", "makes" and "make" share a key, as do "regularisation" and "regularized".
    """
    lowered = word.lower().replace("’", "'")
    if lowered in _IRREGULAR or lowered.endswith("n't"):
        return stem(lemma(lowered))
    if lowered.endswith("'s"):
        lowered = lowered[:-2]
    return stem(_british_to_american(lowered))


@lru_cache(maxsize=65536)
def lemma(word: str) -> str:
    """A light lemma: lower case, American spelling, plural and verb endings removed.

    Not a dictionary lemmatiser: it aims at making inflections of one word agree, and leaves
    acronyms, numbers and short words alone.
    """
    lowered = word.lower().replace("’", "'")
    if lowered in _IRREGULAR:
        return _IRREGULAR[lowered]
    if lowered.endswith("n't"):
        return "not"
    if lowered.endswith("'s"):
        lowered = lowered[:-2]
    if len(lowered) <= 3 or not lowered.isalpha():
        return lowered
    word = _british_to_american(lowered)
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("izes", "yzes")):
        return word[:-1]  # penalizes -> penalize, analyzes -> analyze
    if word.endswith(("sses", "shes", "ches", "xes", "zes")):
        return word[:-2]
    if word.endswith("s") and not _KEEP_S.search(word):
        return word[:-1]
    if word.endswith("ied") and len(word) > 4:
        return word[:-3] + "y"
    for suffix in ("ing", "ed"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            base = word[: -len(suffix)]
            if not any(vowel in base for vowel in "aeiouy"):
                return word
            if len(base) >= 3 and base[-1] == base[-2] and base[-1] not in "lsz":
                return base[:-1]  # stopped -> stop, running -> run
            if base.endswith("ell") and any(vowel in base[:-3] for vowel in "aeiouy"):
                return base[:-1]  # modelling -> model, labelled -> label; not spelling
            if base.endswith(
                ("at", "iz", "bl", "ut", "ov", "uc", "rg", "ag", "ar", "ur", "iv", "os")
            ):
                return base + "e"  # created -> create, normalized -> normalize, solved -> solve
            if base.endswith("c") or base.endswith(("ribut", "lud", "rs", "bin", "mp", "ngl")):
                return base + "e"
            return base
    return word


# A Snowball stemmer keeps the word it is working on in itself, so two threads sharing one
# corrupt each other's words (an IndexError in a server grading answers in parallel): each
# thread gets its own.
_stemmers = threading.local()


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """The Snowball (Porter 2) stem of a lemma: a looser key for counting overlap."""
    if not word.isalpha():
        return word
    stemmer = getattr(_stemmers, "english", None)
    if stemmer is None:
        stemmer = _stemmers.english = snowballstemmer.stemmer("english")
    result: str = stemmer.stemWord(word)
    return result


@lru_cache(maxsize=65536)
def lemma_key(word: str) -> str:
    """The stem of a word's lemma: stricter agreement for short phrases than :func:`word_key`.

    Snowball alone stems "imbalanced" and "imbalance" apart; through the lemma they agree.
    """
    return stem(lemma(word))


def tokenize(text: str) -> list[Token]:
    """Word and number tokens with their spans in ``text``."""
    return list(_tokens(text))


@lru_cache(maxsize=4096)
def _tokens(text: str) -> tuple[Token, ...]:
    # One answer's sentences are read by several rules; tokens are immutable, so they are shared.
    tokens = []
    for match in _TOKEN.finditer(text):
        raw = match.group(0).rstrip(".")
        if not raw:
            continue
        tokens.append(Token(raw, lemma(raw), match.start(), match.start() + len(raw)))
    return tuple(tokens)


def _is_abbreviation(text: str, end: int) -> bool:
    """True when the full stop ending at ``end`` belongs to an abbreviation or a decimal."""
    head = text[max(0, end - 8) : end].lower()
    word = re.split(r"\s", head)[-1].lstrip("([\"'")
    return word in _ABBREVIATIONS or bool(re.fullmatch(r"[a-z]\.", word))


def split_sentences(text: str, *, min_chars: int = 2) -> list[Span]:
    """Split ``text`` into sentences; each keeps its character span in ``text``.

    Bullets and line breaks end a sentence too, so a list answer gives one sentence per item.
    """
    spans: list[Span] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        if (
            match.start() > 0
            and text[match.start() - 1] == "."
            and _is_abbreviation(text, match.start())
        ):
            continue
        _append(spans, text, start, match.start(), min_chars)
        start = match.end()
    _append(spans, text, start, len(text), min_chars)
    return spans


def _append(spans: list[Span], text: str, start: int, end: int, min_chars: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    # Skip fragments with nothing to read (a lone bullet or stray punctuation).
    if end - start >= min_chars and re.search(r"\w", text[start:end]):
        spans.append(Span(text[start:end], start, end))


_CLAUSE_BREAK = re.compile(
    r"\s*[;:]\s+|,\s+(?=(?:and|but|so|which|because|while|whereas|since|thus|hence)\b)"
    r"|\s+(?=(?:because|whereas|so that|which means|therefore)\b)",
    re.IGNORECASE,
)


def split_clauses(span: Span, *, min_words: int = 3) -> list[Span]:
    """Split a sentence further at semicolons and linking words, keeping spans absolute.

    A piece shorter than ``min_words`` stays joined to the piece before it.
    """
    pieces: list[tuple[int, int]] = []
    start = 0
    for match in _CLAUSE_BREAK.finditer(span.text):
        pieces.append((start, match.start()))
        start = match.end()
    pieces.append((start, len(span.text)))
    merged: list[tuple[int, int]] = []
    for begin, end in pieces:
        words = len(span.text[begin:end].split())
        if merged and (
            words < min_words or len(span.text[merged[-1][0] : merged[-1][1]].split()) < min_words
        ):
            merged[-1] = (merged[-1][0], end)
        else:
            merged.append((begin, end))
    result = []
    for begin, end in merged:
        piece = span.text[begin:end].strip(" ,;:")
        if not piece:
            continue
        offset = span.text.index(piece, begin)
        result.append(Span(piece, span.start + offset, span.start + offset + len(piece)))
    return result


def is_content(token: Token) -> bool:
    """A token that carries meaning: not a stopword, not a lone letter."""
    return token.lemma not in STOPWORDS and (len(token.lemma) > 1 or token.lemma.isdigit())


def content_lemmas(text: str) -> list[str]:
    return [token.lemma for token in tokenize(text) if is_content(token)]


def content_keys(text: str) -> list[str]:
    return [token.key for token in tokenize(text) if is_content(token)]


def negated_positions(tokens: list[Token], *, reach: int = 4) -> set[int]:
    """Indices of the tokens that fall under a negation word (within ``reach`` tokens after it).

    "L1 does not shrink weights to zero": ``shrink``, ``weights``, ``to``, ``zero`` are negated.
    A contrast word ("but", "however") ends the negation's reach.
    """
    negated: set[int] = set()
    for index, token in enumerate(tokens):
        lowered = token.text.lower()
        # "rather than X" denies X as "not X" does. ("Instead of" is left out: key points use it
        # to name a mistake, "random instead of time-based split".)
        contrast = index > 0 and (lowered, tokens[index - 1].text.lower()) in _CONTRASTS
        if contrast or token.lemma in NEGATIONS or lowered in NEGATIONS:
            scope = _DETERMINER_REACH if lowered in _DETERMINER_NEGATIONS else reach
            for following in range(index + 1, min(len(tokens), index + 1 + scope)):
                if tokens[following].lemma in _NEGATION_BARRIERS:
                    break
                negated.add(following)
    return negated


def has_negation(tokens: list[Token]) -> bool:
    return any(token.lemma in NEGATIONS or token.text.lower() in NEGATIONS for token in tokens)


def word_count(text: str) -> int:
    return sum(1 for token in tokenize(text) if any(ch.isalpha() for ch in token.text))
