"""A bank: a titled, versioned set of questions for one role."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from .questions import Question

FORMAT = "interview-prep/bank"
FORMAT_VERSION = 1


@dataclass(frozen=True)
class Bank:
    """A question bank. ``version`` is the bank's own edition, bumped when its content changes."""

    id: str
    title: str
    questions: tuple[Question, ...]
    role: str = ""
    description: str = ""
    version: int = 1
    categories: tuple[str, ...] = field(default=())
    """Category order for display; categories found only on questions follow in order of use."""

    def ordered_categories(self) -> list[str]:
        """Every category in display order: the declared ones first, then the rest as they occur."""
        order = list(self.categories)
        for question in self.questions:
            if question.category not in order:
                order.append(question.category)
        return [name for name in order if any(q.category == name for q in self.questions)]

    def category_counts(self) -> dict[str, int]:
        counts = Counter(question.category for question in self.questions)
        return {name: counts[name] for name in self.ordered_categories()}

    def question(self, question_id: str) -> Question | None:
        return next((q for q in self.questions if q.id == question_id), None)

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "id": self.id,
            "title": self.title,
            "role": self.role,
            "description": self.description,
            "version": self.version,
            "categories": self.ordered_categories(),
            "questions": [question.to_dict() for question in self.questions],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Bank:
        """Build a bank from already validated data (see :mod:`.validation`)."""
        return cls(
            id=data["id"],
            title=data["title"],
            role=data.get("role") or "",
            description=data.get("description") or "",
            version=int(data.get("version", 1)),
            categories=tuple(data.get("categories") or ()),
            questions=tuple(Question.from_dict(item) for item in data["questions"]),
        )
