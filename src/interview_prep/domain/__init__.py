"""The pure domain core: questions, banks and their rubrics. Standard library only."""

from .banks import Bank
from .questions import (
    AcceptedName,
    Difficulty,
    Erratum,
    ExpectedAnswer,
    ExpectedKind,
    KeyPoint,
    Misconception,
    Question,
)

__all__ = [
    "AcceptedName",
    "Bank",
    "Difficulty",
    "Erratum",
    "ExpectedAnswer",
    "ExpectedKind",
    "KeyPoint",
    "Misconception",
    "Question",
]
