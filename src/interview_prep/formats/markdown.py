"""Write a bank as Markdown: readable on its own, and a faithful study sheet when printed."""

from __future__ import annotations

from ..domain.banks import Bank
from ..domain.questions import Question


def _question_markdown(number: int, question: Question) -> list[str]:
    lines = [
        f"### {number}. {question.question}",
        "",
        f"*{question.difficulty.value}*"
        + (" · " + ", ".join(f"`{tag}`" for tag in question.tags) if question.tags else ""),
        "",
        question.answer,
        "",
    ]
    if question.expected:
        lines += [f"**Expected answer:** {question.expected.display()}", ""]
    if question.key_points:
        lines += ["**Key points**", ""]
        lines += [f"- {point.text}" for point in question.key_points]
        lines.append("")
    if question.misconceptions:
        lines += ["**Common misconceptions**", ""]
        lines += [f"- ✗ {item.claim}  \n  ✓ {item.correction}" for item in question.misconceptions]
        lines.append("")
    if question.errata:
        lines += ["**Errata**", ""]
        lines += [
            f"- The model answer says “{item.quote}”; correct is: {item.correction}"
            for item in question.errata
        ]
        lines.append("")
    if question.follow_ups:
        lines += ["**Follow-ups**", ""]
        lines += [f"- {item}" for item in question.follow_ups]
        lines.append("")
    return lines


def bank_to_markdown(bank: Bank) -> str:
    """The whole bank as one Markdown document, grouped by category in bank order."""
    lines = [f"# {bank.title}", ""]
    if bank.description:
        lines += [bank.description, ""]
    number = 0
    for category, count in bank.category_counts().items():
        lines += [f"## {category} ({count})", ""]
        for question in bank.questions:
            if question.category == category:
                number += 1
                lines += _question_markdown(number, question)
    return "\n".join(lines).rstrip() + "\n"
