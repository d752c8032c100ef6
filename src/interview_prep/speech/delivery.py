"""Delivery metrics of a spoken answer, each judged against the range coaches recommend.

Pure (standard library and the domain only). These coach *how* an answer was said: pace, filler
words, long pauses, length for the kind of question, hedging. They never enter the content score,
as a coach would keep "what you said" apart from "how you said it".

Every range names where it comes from. Where no published figure fits an interview answer, the range
is this app's own convention and its ``source`` says so.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from typing import Any

from ..domain import Question
from .transcript import TimedWord, Transcript, bare

LONG_PAUSE_SECONDS = 2.0


class AnswerKind(enum.StrEnum):
    """What length of answer a question calls for."""

    QUICK_FIRE = "quick-fire"
    CONCEPT = "concept"
    BEHAVIORAL = "behavioral"
    DESIGN = "design"


@dataclass(frozen=True)
class CoachingRange:
    """The range a metric should fall in, and where that range comes from."""

    low: float
    high: float
    unit: str
    source: str

    def verdict(self, value: float) -> str:
        """'low', 'ok' or 'high' for ``value``."""
        if value < self.low:
            return "low"
        if value > self.high:
            return "high"
        return "ok"

    def to_dict(self) -> dict[str, Any]:
        return {"low": self.low, "high": self.high, "unit": self.unit, "source": self.source}


PACE = CoachingRange(
    110,
    180,
    "words per minute",
    "Anthony & Boyd, Innovative Presentations For Dummies: most coaches recommend 110 to 180 "
    "words per minute, varied rather than constant.",
)
FILLERS = CoachingRange(
    0,
    3,
    "fillers per minute",
    "Fluency coaching for spoken exams (e.g. QuickIELTS, 'Filler reduction and pause control'): "
    "under 3 fillers a minute, then under 1.",
)
PAUSES = CoachingRange(
    0,
    0,
    f"pauses over {LONG_PAUSE_SECONDS:.0f} s",
    "Revarta, 'The silent killer': a pause up to 2 seconds reads as thought, longer ones as "
    "searching for the answer.",
)
HEDGES = CoachingRange(
    0,
    1,
    "hedges per minute",
    "This app's threshold. Hedges ('I think', 'maybe', 'kind of') make listeners trust and recall "
    "a statement less (Lakoff 1975 and later work, summarised by Quantified Communications, "
    "'In formal communication, don't hedge your bets'); keep them for real uncertainty.",
)
LENGTHS: dict[AnswerKind, CoachingRange] = {
    AnswerKind.QUICK_FIRE: CoachingRange(
        3,
        30,
        "seconds",
        "This app's convention: a quick-fire question wants the answer in a sentence or two.",
    ),
    AnswerKind.CONCEPT: CoachingRange(
        60,
        120,
        "seconds",
        "Climb the Ladder, 'How long should my answers be in an interview': 60 seconds to two "
        "minutes for a standard answer.",
    ),
    AnswerKind.BEHAVIORAL: CoachingRange(
        60,
        120,
        "seconds",
        "STAR answers in one to two minutes (Mythic Intel, 'The two-minute answer').",
    ),
    AnswerKind.DESIGN: CoachingRange(
        120,
        600,
        "seconds",
        "This app's convention: a design answer lays out requirements, components and trade-offs, "
        "which takes minutes, not seconds.",
    ),
}

# "sort of" is a filler here and "kind of" a hedge, so that one phrase is never counted twice.
FILLER_PHRASES: tuple[tuple[str, ...], ...] = (
    ("you", "know"),
    ("sort", "of"),
    ("um",),
    ("umm",),
    ("uh",),
    ("uhh",),
    ("er",),
    ("erm",),
    ("hmm",),
    ("like",),
    ("basically",),
)
HEDGE_PHRASES: tuple[tuple[str, ...], ...] = (
    ("i", "think"),
    ("i", "guess"),
    ("i", "believe"),
    ("i", "suppose"),
    ("i'm", "not", "sure"),
    ("not", "sure"),
    ("kind", "of"),
    ("maybe",),
    ("perhaps",),
    ("probably",),
    ("possibly",),
)
# Before these, "sort of" / "kind of" is a noun phrase ("a kind of regularisation"), not a hedge.
_DETERMINERS = frozenset(
    {"a", "an", "the", "this", "that", "what", "which", "any", "some", "one", "every", "each"}
    | {"another", "same", "other"}
)
# "like" is a verb or a preposition far more often than a filler: it counts only when set off by a
# pause or punctuation, or right after another filler ("um, like").
_CLAUSE_END = re.compile(r"[,.;:!?]$")


@dataclass(frozen=True)
class Mark:
    """A filler or hedge: its words ``first``..``last`` (inclusive indices) and when it started."""

    phrase: str
    first: int
    last: int
    at: float

    def to_dict(self) -> dict[str, Any]:
        return {"phrase": self.phrase, "first": self.first, "last": self.last, "at": self.at}


@dataclass(frozen=True)
class Pause:
    """A silence of ``seconds`` after word ``after`` (-1: before the first word)."""

    after: int
    start: float
    seconds: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "after": self.after,
            "start": round(self.start, 2),
            "seconds": round(self.seconds, 2),
        }


@dataclass(frozen=True)
class Metric:
    """One measured value, its range and the verdict."""

    name: str
    value: float
    range: CoachingRange

    @property
    def verdict(self) -> str:
        return self.range.verdict(self.value)

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "value": round(self.value, 1),
            "verdict": self.verdict,
            "range": self.range.to_dict(),
        }


@dataclass(frozen=True)
class DeliveryReport:
    """How an answer was delivered; never part of the content score."""

    kind: AnswerKind
    word_count: int
    speaking_seconds: float
    pace: Metric
    fillers_per_minute: Metric
    long_pauses: Metric
    length: Metric
    hedges_per_minute: Metric
    fillers: tuple[Mark, ...]
    hedges: tuple[Mark, ...]
    pauses: tuple[Pause, ...]

    @property
    def metrics(self) -> tuple[Metric, ...]:
        return (
            self.pace,
            self.fillers_per_minute,
            self.long_pauses,
            self.length,
            self.hedges_per_minute,
        )

    def coaching(self) -> list[str]:
        """One plain sentence for each metric outside its range."""
        tips: list[str] = []
        if self.pace.verdict == "high":
            tips.append(f"You spoke fast ({self.pace.value:.0f} words a minute): slow down.")
        elif self.pace.verdict == "low" and self.word_count >= 10:
            tips.append(f"You spoke slowly ({self.pace.value:.0f} words a minute).")
        if self.fillers_per_minute.verdict == "high":
            said = sorted({mark.phrase for mark in self.fillers})
            tips.append(
                f"{len(self.fillers)} filler word{'' if len(self.fillers) == 1 else 's'} "
                f"({', '.join(said)}): pause silently instead."
            )
        if self.pauses:
            longest = max(pause.seconds for pause in self.pauses)
            tips.append(
                f"{len(self.pauses)} long pause(s), the longest {longest:.1f} s: "
                "say what you are thinking about, or give the headline first."
            )
        if self.length.verdict == "high":
            tips.append(f"Long for a {self.kind.value} question: get to the point sooner.")
        elif self.length.verdict == "low":
            tips.append(f"Short for a {self.kind.value} question: add an example or a trade-off.")
        if self.hedges_per_minute.verdict == "high":
            said = sorted({mark.phrase for mark in self.hedges})
            tips.append(f"Hedging ({', '.join(said)}): state what you know plainly.")
        return tips

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind.value,
            "word_count": self.word_count,
            "speaking_seconds": round(self.speaking_seconds, 2),
            "metrics": [metric.to_dict() for metric in self.metrics],
            "fillers": [mark.to_dict() for mark in self.fillers],
            "hedges": [mark.to_dict() for mark in self.hedges],
            "pauses": [pause.to_dict() for pause in self.pauses],
            "coaching": self.coaching(),
        }


def answer_kind(question: Question) -> AnswerKind:
    """The kind of answer ``question`` calls for, from its expected answer and category."""
    if question.expected is not None:
        return AnswerKind.QUICK_FIRE
    category = question.category.lower()
    if "quick" in category:
        return AnswerKind.QUICK_FIRE
    if "design" in category:
        return AnswerKind.DESIGN
    if category.startswith("behavio"):
        return AnswerKind.BEHAVIORAL
    return AnswerKind.CONCEPT


def _set_off(words: tuple[TimedWord, ...], index: int) -> bool:
    """Whether word ``index`` stands apart: punctuation or a pause on either side."""
    here = words[index]
    if _CLAUSE_END.search(here.text):
        return True
    if index == 0 or _CLAUSE_END.search(words[index - 1].text):
        return True
    before = here.start - words[index - 1].end
    after = words[index + 1].start - here.end if index + 1 < len(words) else 1.0
    return before >= 0.3 or after >= 0.3


def _find(
    words: tuple[TimedWord, ...], phrases: tuple[tuple[str, ...], ...], *, fillers: bool
) -> list[Mark]:
    plain = [bare(word.text) for word in words]
    marks: list[Mark] = []
    index = 0
    while index < len(plain):
        for phrase in phrases:
            end = index + len(phrase)
            if tuple(plain[index:end]) != phrase:
                continue
            if phrase[-1] == "of" and index > 0 and plain[index - 1] in _DETERMINERS:
                continue  # "a kind of model": a noun phrase
            if phrase == ("like",):
                after_filler = bool(marks) and marks[-1].last == index - 1
                if not (after_filler or _set_off(words, index)):
                    continue
            if (
                fillers
                and phrase == ("you", "know")
                and end < len(plain)
                and plain[end]
                in (
                    "what",
                    "how",
                    "that",
                    "the",
                    "it",
                    "whether",
                )
            ):
                continue  # "you know what the loss is": a verb, not a filler
            marks.append(Mark(" ".join(phrase), index, end - 1, round(words[index].start, 2)))
            index = end - 1
            break
        index += 1
    return marks


def long_pauses(words: tuple[TimedWord, ...], threshold: float = LONG_PAUSE_SECONDS) -> list[Pause]:
    """Silences between words of at least ``threshold`` seconds (not before the first word)."""
    pauses = []
    for index in range(1, len(words)):
        gap = words[index].start - words[index - 1].end
        if gap >= threshold:
            pauses.append(Pause(index - 1, words[index - 1].end, gap))
    return pauses


def measure_delivery(transcript: Transcript, kind: AnswerKind) -> DeliveryReport:
    """Pace, fillers, long pauses, length and hedging of a transcribed answer.

    Rates are per minute of speaking time: from the first word to the last, so that silence before
    the candidate starts (reading the question) does not slow the pace.
    """
    words = transcript.words
    speaking = words[-1].end - words[0].start if words else 0.0
    minutes = max(speaking, 1.0) / 60.0
    fillers = _find(words, FILLER_PHRASES, fillers=True)
    hedges = _find(words, HEDGE_PHRASES, fillers=False)
    filler_words = sum(mark.last - mark.first + 1 for mark in fillers)
    content_words = len(words) - filler_words
    pauses = long_pauses(words)
    return DeliveryReport(
        kind=kind,
        word_count=len(words),
        speaking_seconds=speaking,
        pace=Metric("pace", content_words / minutes if words else 0.0, PACE),
        fillers_per_minute=Metric("fillers", len(fillers) / minutes, FILLERS),
        long_pauses=Metric("long pauses", float(len(pauses)), PAUSES),
        length=Metric("length", speaking, LENGTHS[kind]),
        hedges_per_minute=Metric("hedging", len(hedges) / minutes, HEDGES),
        fillers=tuple(fillers),
        hedges=tuple(hedges),
        pauses=tuple(pauses),
    )
