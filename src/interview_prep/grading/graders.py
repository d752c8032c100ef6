"""Graders: one small interface, the engine behind it, and a registry of named graders.

A grader turns (question, answer) into a :class:`GradeResult`. The built-in ones are registered
the same way a plugin or a test would register its own: ``register_grader("mine", factory)``.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Protocol, runtime_checkable

from ..domain import Question
from ..errors import ConfigurationError
from .blas import limit_blas_threads
from .calibration import CalibrationModel, load_calibration
from .embedders import DEFAULT_EMBEDDER, Embedder, get_embedder
from .features import FeatureSet
from .pipeline import Analysis, analyse, conclude
from .result import GradeResult
from .rubric import RubricCache


@runtime_checkable
class Grader(Protocol):
    """Scores and explains an answer."""

    name: str

    def grade(self, question: Question, answer: str, *, max_chars: int = 20000) -> GradeResult:
        """Grade ``answer`` to ``question``; answers longer than ``max_chars`` are truncated."""
        ...


class EngineGrader:
    """The grading engine over a feature set: embeddings (with an embedder) or words alone."""

    name = "engine"
    feature_set: FeatureSet = "lexical"

    def __init__(
        self, *, calibration: CalibrationModel | None = None, notices: tuple[str, ...] = ()
    ) -> None:
        self._calibration = calibration
        self.rubrics = RubricCache()
        self.notices = notices
        """Messages added to every result (e.g. why this grader stands in for another)."""

    @property
    def calibration(self) -> CalibrationModel:
        if self._calibration is None:
            self._calibration = load_calibration()[self.feature_set]
        return self._calibration

    def embedder(self) -> Embedder | None:
        return None

    def analyse(self, question: Question, answer: str, *, max_chars: int = 20000) -> Analysis:
        return analyse(
            question, answer, embedder=self.embedder(), rubrics=self.rubrics, max_chars=max_chars
        )

    def conclude(self, analysis: Analysis, model: CalibrationModel | None = None) -> GradeResult:
        return conclude(
            analysis, model or self.calibration, grader=self.name, extra_messages=self.notices
        )

    def grade(self, question: Question, answer: str, *, max_chars: int = 20000) -> GradeResult:
        return self.conclude(self.analyse(question, answer, max_chars=max_chars))

    def prepare(self, questions: list[Question]) -> None:
        """Prepare (and cache) the rubrics of ``questions``, e.g. a whole bank at start-up."""
        for question in questions:
            self.rubrics.get(question, self.embedder())


class EmbeddingGrader(EngineGrader):
    """The full engine: sentence embeddings plus word overlap, calibrated."""

    name = "embedding"
    feature_set: FeatureSet = "embedding"

    def __init__(
        self,
        embedder: str | Embedder = DEFAULT_EMBEDDER,
        *,
        calibration: CalibrationModel | None = None,
        notices: tuple[str, ...] = (),
    ) -> None:
        super().__init__(calibration=calibration, notices=notices)
        self._embedder = get_embedder(embedder) if isinstance(embedder, str) else embedder

    def embedder(self) -> Embedder:
        return self._embedder

    def load(self) -> None:
        """Load the model now rather than on the first answer (raises ModelUnavailableError)."""
        load = getattr(self._embedder, "load", None)
        if callable(load):
            load()
        limit_blas_threads()


GraderFactory = Callable[[], Grader]

_factories: dict[str, GraderFactory] = {}
_instances: dict[str, Grader] = {}
_lock = threading.RLock()


def register_grader(name: str, factory: GraderFactory) -> None:
    """Make a grader available under ``name`` (replacing any of that name)."""
    with _lock:
        _factories[name] = factory
        _instances.pop(name, None)


def unregister_grader(name: str) -> None:
    with _lock:
        _factories.pop(name, None)
        _instances.pop(name, None)


def grader_names() -> list[str]:
    return sorted(_factories)


def cached_grader(name: str) -> Grader:
    """The shared instance of the grader called ``name``.

    Raises:
        ConfigurationError: no grader of that name.
    """
    with _lock:
        instance = _instances.get(name)
        if instance is None:
            factory = _factories.get(name)
            if factory is None:
                known = ", ".join(sorted(_factories))
                raise ConfigurationError(f"unknown grader {name!r} (known: {known})")
            instance = factory()
            _instances[name] = instance
        return instance


def clear_graders() -> None:
    """Forget every shared grader instance (the next use builds them again)."""
    with _lock:
        _instances.clear()
