"""A question prepared for grading: its key points, references and their embeddings, computed once.

Preparing a rubric is the expensive half of grading (every key point, clause, claim and reference
word is embedded), so prepared rubrics are cached per embedder and per question content: grading a
hundred answers to one question embeds its key points once, and :func:`prepare_bank` warms a whole
bank in a few batched calls.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar

import numpy as np

from ...domain import KeyPoint, Question
from ..models.embedders import Embedder, Vectors
from ..text.tokens import Span, Token, content_keys, is_content, tokenize
from .references import derive_key_points, reference_texts, reference_units

T = TypeVar("T")


def question_keys(question_text: str) -> frozenset[str]:
    """Content word keys of the question: words an answer gets no credit for repeating."""
    return frozenset(content_keys(question_text))


def demote(text: str, keys: frozenset[str]) -> str:
    """``text`` without the words of the question (or the text itself if nothing would remain)."""
    kept = [token.text for token in tokenize(text) if token.key not in keys]
    return " ".join(kept) if kept else text


def content_words(tokens: list[Token], drop: frozenset[str] = frozenset()) -> list[str]:
    """Distinct content words (lemmas) in order, leaving out those whose key is in ``drop``."""
    words = [
        token.lemma
        for token in tokens
        if is_content(token) and token.key not in drop and any(ch.isalpha() for ch in token.text)
    ]
    return list(dict.fromkeys(words))


@dataclass
class ReferenceView:
    """One reference answer, cut into clauses, with its words and (optionally) embeddings."""

    text: str
    units: list[Span]
    tokens: list[Token]
    keys: list[str]
    words: list[str]
    """Content lemmas not in the question."""
    all_words: list[str]
    vector: Vectors | None = None
    unit_vectors: Vectors | None = None
    demoted_vector: Vectors | None = None
    word_vectors: Vectors | None = None
    all_word_vectors: Vectors | None = None


@dataclass
class Rubric:
    """Everything about a question the grader compares answers with."""

    question: Question
    keys: frozenset[str]
    references: list[ReferenceView]
    key_points: tuple[KeyPoint, ...]
    reference_only: bool
    question_vector: Vectors | None = None
    key_point_vectors: Vectors | None = None
    claim_vectors: Vectors | None = None
    correction_vectors: Vectors | None = None
    baseline: dict[str, np.ndarray] = field(default_factory=dict)
    """Feature vectors of the question text graded as if it were an answer, per feature set."""
    derived: dict[tuple[str, tuple[KeyPoint, ...]], Any] = field(default_factory=dict)
    """What rules compute once from the key points (their words, terms), keyed by the points."""

    def memo(self, name: str, compute: Callable[[], T]) -> T:
        """``compute()`` once per rubric and set of key points."""
        key = (name, self.key_points)
        if key not in self.derived:
            self.derived[key] = compute()
        result: T = self.derived[key]
        return result

    @property
    def embedded(self) -> bool:
        return self.question_vector is not None


def fingerprint(question: Question) -> str:
    """A hash of everything in a question that grading depends on."""
    payload = json.dumps(question.to_dict(), sort_keys=True, ensure_ascii=False)
    return hashlib.sha1(payload.encode("utf-8"), usedforsecurity=False).hexdigest()


def _reference_view(text: str, keys: frozenset[str]) -> ReferenceView:
    tokens = tokenize(text)
    return ReferenceView(
        text=text,
        units=reference_units(text),
        tokens=tokens,
        keys=[token.key for token in tokens if is_content(token)],
        words=content_words(tokens, keys),
        all_words=content_words(tokens),
    )


def build_rubric(question: Question, embedder: Embedder | None) -> Rubric:
    """Prepare ``question`` for grading; embed it all with ``embedder`` unless that is ``None``."""
    keys = question_keys(question.question)
    references = [_reference_view(text, keys) for text in reference_texts(question)]
    reference_only = not question.key_points
    if reference_only:
        key_points = derive_key_points(references[0].text) if references else ()
    else:
        key_points = question.key_points
    rubric = Rubric(question, keys, references, key_points, reference_only)
    if embedder is not None:
        _embed_rubric(rubric, embedder)
    return rubric


def _embed_rubric(rubric: Rubric, embedder: Embedder) -> None:
    texts: list[str] = [rubric.question.question]
    texts += [point.text for point in rubric.key_points]
    texts += [item.claim for item in rubric.question.misconceptions]
    texts += [item.correction for item in rubric.question.misconceptions]
    for reference in rubric.references:
        texts += [reference.text]
        texts += [unit.text for unit in reference.units]
        texts += reference.words + reference.all_words
    vectors = embedder.embed(list(dict.fromkeys(texts)))
    index = {text: row for row, text in enumerate(dict.fromkeys(texts))}

    def take(items: Iterable[str]) -> Vectors:
        rows = [index[item] for item in items]
        taken: Vectors = vectors[rows] if rows else np.zeros((0, vectors.shape[1]), np.float32)
        return taken

    rubric.question_vector = take([rubric.question.question])[0]
    rubric.key_point_vectors = take(point.text for point in rubric.key_points)
    rubric.claim_vectors = take(item.claim for item in rubric.question.misconceptions)
    rubric.correction_vectors = take(item.correction for item in rubric.question.misconceptions)
    for reference in rubric.references:
        reference.vector = take([reference.text])[0]
        reference.word_vectors = take(reference.words)
        # Mirrors the answer's demoted vector: the mean direction of the words not in the question.
        demoted = reference.word_vectors.mean(axis=0) if len(reference.word_vectors) else None
        if demoted is not None and float(np.linalg.norm(demoted)) > 0:
            reference.demoted_vector = (demoted / np.linalg.norm(demoted)).astype(np.float32)
        else:
            reference.demoted_vector = reference.vector
        reference.unit_vectors = take(unit.text for unit in reference.units)
        reference.all_word_vectors = take(reference.all_words)


class RubricCache:
    """Prepared rubrics by (embedder, question content), least recently used dropped first."""

    def __init__(self, size: int = 2048) -> None:
        self._items: OrderedDict[tuple[str, str], Rubric] = OrderedDict()
        self._size = size
        self._lock = threading.Lock()

    def get(self, question: Question, embedder: Embedder | None) -> Rubric:
        key = (embedder.name if embedder else "", fingerprint(question))
        with self._lock:
            rubric = self._items.get(key)
            if rubric is not None:
                self._items.move_to_end(key)
                return rubric
        rubric = build_rubric(question, embedder)
        with self._lock:
            self._items[key] = rubric
            while len(self._items) > self._size:
                self._items.popitem(last=False)
        return rubric

    def clear(self) -> None:
        with self._lock:
            self._items.clear()

    def __len__(self) -> int:
        return len(self._items)
