"""A transcript as timed words, and edits to it that keep the timings.

Pure data (standard library only). A candidate may correct words the recogniser mis-heard; the
corrected text is aligned to the recognised words so that every word keeps a time, which the
delivery metrics (pace, pauses, where a filler fell) need.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Any

_TOKEN = re.compile(r"\S+")
_BARE = re.compile(r"[^\w'%.+-]+")


def bare(word: str) -> str:
    """A word as compared: lower case, without surrounding punctuation."""
    return _BARE.sub("", word.lower()).strip(".'-+")


@dataclass(frozen=True)
class TimedWord:
    """One word as spoken, with where it falls in the recording (seconds)."""

    text: str
    start: float
    end: float
    probability: float = 1.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "start": round(self.start, 3),
            "end": round(self.end, 3),
            "probability": round(self.probability, 3),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TimedWord:
        return cls(
            text=str(data["text"]),
            start=float(data["start"]),
            end=float(data["end"]),
            probability=float(data.get("probability", 1.0)),
        )


@dataclass(frozen=True)
class Transcript:
    """What was said, word by word, in a recording of ``duration`` seconds."""

    words: tuple[TimedWord, ...]
    duration: float
    model: str = ""
    edited: bool = False
    elapsed_seconds: float = 0.0
    """How long transcription took (0 for a transcript that was not made here)."""
    language: str = "en"
    notices: tuple[str, ...] = field(default=())

    @property
    def text(self) -> str:
        return " ".join(word.text for word in self.words)

    @property
    def real_time_factor(self) -> float:
        """Transcription time over recording time (lower is faster)."""
        return self.elapsed_seconds / self.duration if self.duration > 0 else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "words": [word.to_dict() for word in self.words],
            "duration": round(self.duration, 3),
            "model": self.model,
            "edited": self.edited,
            "elapsed_seconds": round(self.elapsed_seconds, 3),
            "language": self.language,
            "notices": list(self.notices),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Transcript:
        return cls(
            words=tuple(TimedWord.from_dict(item) for item in data.get("words") or ()),
            duration=float(data.get("duration", 0.0)),
            model=str(data.get("model", "")),
            edited=bool(data.get("edited", False)),
            elapsed_seconds=float(data.get("elapsed_seconds", 0.0)),
            language=str(data.get("language", "en")),
            notices=tuple(data.get("notices") or ()),
        )

    def with_text(self, text: str) -> Transcript:
        """This transcript corrected to ``text``, each word keeping (or sharing) a time.

        Unchanged words keep their own times; a replaced run of words shares the time span of the
        run it replaces; inserted words sit in the gap where they were inserted.
        """
        tokens = _TOKEN.findall(text)
        if [word.text for word in self.words] == tokens:
            return self
        old = [bare(word.text) for word in self.words]
        new = [bare(token) for token in tokens]
        timed: list[TimedWord] = []
        matcher = SequenceMatcher(a=old, b=new, autojunk=False)
        for op, a1, a2, b1, b2 in matcher.get_opcodes():
            if op == "equal":
                for offset in range(b2 - b1):
                    source = self.words[a1 + offset]
                    timed.append(
                        TimedWord(tokens[b1 + offset], source.start, source.end, source.probability)
                    )
                continue
            if b1 == b2:  # deleted words: nothing to place
                continue
            if a1 < a2:
                start, end = self.words[a1].start, self.words[a2 - 1].end
            else:  # inserted between two words: into the gap between them
                start = self.words[a1 - 1].end if a1 > 0 else 0.0
                end = self.words[a1].start if a1 < len(self.words) else max(start, self.duration)
            step = (end - start) / (b2 - b1)
            for offset in range(b2 - b1):
                timed.append(
                    TimedWord(
                        tokens[b1 + offset], start + step * offset, start + step * (offset + 1)
                    )
                )
        return Transcript(
            words=tuple(timed),
            duration=self.duration,
            model=self.model,
            edited=True,
            elapsed_seconds=self.elapsed_seconds,
            language=self.language,
            notices=self.notices,
        )
