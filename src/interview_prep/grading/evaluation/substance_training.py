"""The substance probe's training sentences, from a bank's authored text and the empty talk file.

Substantive: what the bank's authors wrote as statements an interviewer could check, namely each
key point, its examples (which include plain-word ones, so plain speech is not mistaken for
vagueness), each correction, and each wrong claim with its rewordings (wrong, but committed).
Empty: ``data/empty_talk.yaml``, fluent sentences on each question's topic that state nothing,
written for this purpose. Behavioral questions are left out: their key points are attitudes and
a story's parts, whose evidence is the STAR check, not a stated mechanism (and the grader does
not ask the probe about them). Near misses are left out: some are generalities, some are precise
statements of another point, and the probe must not be taught either way by them.

Every sentence keeps its question id, so that cross-validation can hold out whole questions.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import yaml

from ...domain import Bank
from ...errors import InvalidInputError
from ..evidence.structure import is_behavioral

EMPTY_TALK_FILE = "data/empty_talk.yaml"


@dataclass(frozen=True)
class Sentence:
    text: str
    substantive: bool
    question: str


def empty_talk_path() -> Path:
    return Path(str(resources.files("interview_prep.grading").joinpath(EMPTY_TALK_FILE)))


def read_empty_talk(path: Path | None = None) -> dict[str, list[str]]:
    """The empty sentences per question id.

    Raises:
        InvalidInputError: not a mapping of question ids to lists of non-empty strings.
    """
    source = path or empty_talk_path()
    try:
        data = yaml.safe_load(source.read_text("utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise InvalidInputError(f"cannot read {source.name}: {error}") from None
    if not isinstance(data, dict):
        raise InvalidInputError(f"{source.name} must map question ids to lists of sentences")
    result: dict[str, list[str]] = {}
    for key, sentences in data.items():
        if not isinstance(key, str) or not isinstance(sentences, list):
            raise InvalidInputError(f"{source.name}: {key!r} must map to a list of sentences")
        if not all(isinstance(s, str) and s.strip() for s in sentences):
            raise InvalidInputError(f"{source.name}: {key!r} holds an empty or non-text sentence")
        result[key] = [s.strip() for s in sentences]
    return result


def substance_sentences(bank: Bank, empty_talk: dict[str, list[str]]) -> list[Sentence]:
    """Every training sentence of ``bank``, each once (a text taught both ways is dropped)."""
    rows: list[Sentence] = []
    for question in bank.questions:
        if is_behavioral(question):
            continue
        for point in question.key_points:
            rows.extend(Sentence(t, True, question.id) for t in (point.text, *point.examples))
        for item in question.misconceptions:
            texts = (item.claim, *item.examples, item.correction)
            rows.extend(Sentence(t, True, question.id) for t in texts)
        for erratum in question.errata:
            texts = (erratum.wrong_claim, *erratum.examples, erratum.correction)
            rows.extend(Sentence(t, True, question.id) for t in texts)
        rows.extend(Sentence(t, False, question.id) for t in empty_talk.get(question.id, []))
    labels: dict[str, set[bool]] = {}
    for row in rows:
        labels.setdefault(row.text, set()).add(row.substantive)
    seen: set[str] = set()
    unique = []
    for row in rows:
        if len(labels[row.text]) == 1 and row.text not in seen:
            seen.add(row.text)
            unique.append(row)
    return unique
