"""A candidate's answer prepared for grading: sentences, words and (optionally) their embeddings."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..models.embedders import Embedder, Vectors
from ..text.tokens import Span, Token, is_content, split_sentences, tokenize
from .rubric import content_words

MAX_EMBEDDED_SENTENCES = 64
"""Past this many sentences only the first ones are embedded (a pasted essay, not an answer)."""
MAX_EMBEDDED_WORDS = 300


@dataclass
class AnswerView:
    text: str
    sentences: list[Span]
    tokens: list[Token]
    keys: list[str]
    words: list[str]
    """Content lemmas not in the question."""
    all_words: list[str]
    sentence_tokens: list[list[Token]] = field(default_factory=list)
    vector: Vectors | None = None
    sentence_vectors: Vectors | None = None
    demoted_vector: Vectors | None = None
    word_vectors: Vectors | None = None
    all_word_vectors: Vectors | None = None

    @property
    def embedded(self) -> bool:
        return self.vector is not None


def mean_direction(vectors: Vectors | None) -> Vectors | None:
    """The normalised mean of unit vectors (None for none)."""
    if vectors is None or len(vectors) == 0:
        return None
    mean = vectors.mean(axis=0)
    norm = float(np.linalg.norm(mean))
    result: Vectors = (mean / norm if norm > 0 else mean).astype(np.float32)
    return result


def view_answer(
    text: str, question_keys: frozenset[str], embedder: Embedder | None = None
) -> AnswerView:
    """Cut ``text`` into sentences and words, and embed them with ``embedder`` if given.

    Only sentences and words are run through the model. The whole answer's vector is the mean
    direction of its sentences, and its question-demoted vector that of its words: running the
    whole text again would double the model's work for a 150-word answer (see
    benchmarks/README.md for what it costs and what it gains).
    """
    tokens = tokenize(text)
    sentences = split_sentences(text)
    if not sentences and text.strip():
        stripped = text.strip()
        start = text.find(stripped)
        sentences = [Span(stripped, start, start + len(stripped))]
    sentences = sentences[:MAX_EMBEDDED_SENTENCES]
    view = AnswerView(
        text=text,
        sentences=sentences,
        tokens=tokens,
        keys=[token.key for token in tokens if is_content(token)],
        words=content_words(tokens, question_keys)[:MAX_EMBEDDED_WORDS],
        all_words=content_words(tokens)[:MAX_EMBEDDED_WORDS],
        sentence_tokens=[
            [token for token in tokens if span.start <= token.start < span.end]
            for span in sentences
        ],
    )
    if embedder is not None and text.strip():
        sentence_texts = [span.text for span in view.sentences]
        unique = list(dict.fromkeys([*sentence_texts, *view.words, *view.all_words]))
        vectors = embedder.embed(unique)
        row = {item: index for index, item in enumerate(unique)}
        view.sentence_vectors = vectors[[row[item] for item in sentence_texts]]
        view.word_vectors = vectors[[row[item] for item in view.words]]
        view.all_word_vectors = vectors[[row[item] for item in view.all_words]]
        view.vector = mean_direction(view.sentence_vectors)
        demoted = mean_direction(view.word_vectors)
        view.demoted_vector = demoted if demoted is not None else view.vector
    return view


def without(
    view: AnswerView,
    removed: list[tuple[int, int]],
    question_keys: frozenset[str],
    embedder: Embedder | None = None,
) -> AnswerView:
    """``view`` without the character ranges ``removed``: what earns credit in the answer.

    A sentence that loses a part keeps the rest as one or two shorter sentences (embedded anew in
    one call, together with any word not embedded before); untouched sentences and words keep
    their vectors. ``removed`` ranges are whole pieces of sentences (see
    :func:`.clauses.claim_groups`).
    """
    if not removed:
        return view

    def gone(start: int, end: int) -> bool:
        return any(start < stop and begin < end for begin, stop in removed)

    sentences: list[Span] = []
    kept_rows: list[int | None] = []  # row of the old sentence vector, or None if new
    for row, span in enumerate(view.sentences):
        if not gone(span.start, span.end):
            sentences.append(span)
            kept_rows.append(row)
            continue
        for part in _remaining(view.text, span, removed):
            sentences.append(part)
            kept_rows.append(None)
    tokens = [token for token in view.tokens if not gone(token.start, token.end)]
    credited = AnswerView(
        text=view.text,
        sentences=sentences,
        tokens=tokens,
        keys=[token.key for token in tokens if is_content(token)],
        words=content_words(tokens, question_keys)[:MAX_EMBEDDED_WORDS],
        all_words=content_words(tokens)[:MAX_EMBEDDED_WORDS],
        sentence_tokens=[
            [token for token in tokens if span.start <= token.start < span.end]
            for span in sentences
        ],
    )
    if embedder is None or view.sentence_vectors is None or not sentences:
        return credited
    known: dict[str, Vectors] = {}
    for words, vectors in (
        (view.words, view.word_vectors),
        (view.all_words, view.all_word_vectors),
    ):
        if vectors is not None:
            known.update(zip(words, vectors, strict=True))
    new_texts = [span.text for span, row in zip(sentences, kept_rows, strict=True) if row is None]
    missing = [w for w in dict.fromkeys([*credited.words, *credited.all_words]) if w not in known]
    fresh = list(dict.fromkeys([*new_texts, *missing]))
    if fresh:
        known.update(zip(fresh, embedder.embed(fresh), strict=True))
    credited.sentence_vectors = np.vstack(
        [
            view.sentence_vectors[row] if row is not None else known[span.text]
            for span, row in zip(sentences, kept_rows, strict=True)
        ]
    ).astype(np.float32)
    credited.word_vectors = _rows(credited.words, known, view.sentence_vectors.shape[1])
    credited.all_word_vectors = _rows(credited.all_words, known, view.sentence_vectors.shape[1])
    credited.vector = mean_direction(credited.sentence_vectors)
    demoted = mean_direction(credited.word_vectors)
    credited.demoted_vector = demoted if demoted is not None else credited.vector
    return credited


def _rows(words: list[str], known: dict[str, Vectors], size: int) -> Vectors:
    if not words:
        empty: Vectors = np.zeros((0, size), dtype=np.float32)
        return empty
    stacked: Vectors = np.vstack([known[word] for word in words]).astype(np.float32)
    return stacked


def _remaining(text: str, sentence: Span, removed: list[tuple[int, int]]) -> list[Span]:
    """The parts of ``sentence`` outside ``removed``, trimmed, as spans of ``text``."""
    parts = []
    start = sentence.start
    for begin, stop in sorted(removed):
        if stop <= sentence.start or begin >= sentence.end:
            continue
        parts.append((start, max(start, begin)))
        start = max(start, stop)
    parts.append((start, sentence.end))
    spans = []
    for begin, end in parts:
        while begin < end and (text[begin].isspace() or text[begin] in ",;:-–—"):
            begin += 1
        while end > begin and (text[end - 1].isspace() or text[end - 1] in ",;:-–—"):
            end -= 1
        if end > begin and any(ch.isalnum() for ch in text[begin:end]):
            spans.append(Span(text[begin:end], begin, end))
    return spans
