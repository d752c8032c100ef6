"""Graders: one small interface, the engine behind it, and a registry of named graders.

A grader turns (question, answer) into a :class:`GradeResult`. The built-in ones are registered
the same way a plugin or a test would register its own: ``register_grader("mine", factory)``.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Protocol, runtime_checkable

from ..domain import Question
from ..errors import ConfigurationError
from .evidence.rubric import RubricCache
from .models.blas import limit_blas_threads
from .models.embedders import DEFAULT_EMBEDDER, Embedder, get_embedder
from .models.judge import JudgeModel, JudgeUnavailableError, load_judge
from .models.substance import SubstanceProbe, SubstanceUnavailableError, load_probe
from .pipeline import Analysis, Evidence, analyse, conclude
from .result import GradeResult
from .scoring.calibration import CalibrationModel, load_calibration
from .scoring.features import FeatureSet, feature_names

logger = logging.getLogger(__name__)


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
        self,
        *,
        calibration: CalibrationModel | None = None,
        notices: tuple[str, ...] = (),
        evidence: Evidence = "rules",
    ) -> None:
        self._calibration = calibration
        self.rubrics = RubricCache()
        self.notices = notices
        """Messages added to every result (e.g. why this grader stands in for another)."""
        self.evidence: Evidence = evidence

    @property
    def calibration(self) -> CalibrationModel:
        return self.calibration_for(self.feature_set)

    def calibration_for(self, feature_set: FeatureSet) -> CalibrationModel:
        """The model for ``feature_set``: the one given to the grader if it fits, else shipped."""
        if self._calibration is not None and tuple(self._calibration.features) == feature_names(
            feature_set
        ):
            return self._calibration
        return load_calibration()[feature_set]

    def embedder(self) -> Embedder | None:
        return None

    def judge(self) -> JudgeModel | None:
        return None

    def substance(self) -> SubstanceProbe | None:
        return None

    def analyse(self, question: Question, answer: str, *, max_chars: int = 20000) -> Analysis:
        return analyse(
            question, answer, embedder=self.embedder(), rubrics=self.rubrics, max_chars=max_chars,
            judge=self.judge(), evidence=self.evidence, substance=self.substance(),
        )  # fmt: skip

    def conclude(self, analysis: Analysis, model: CalibrationModel | None = None) -> GradeResult:
        return conclude(
            analysis,
            model or self.calibration_for(analysis.feature_set),
            grader=self.name,
            extra_messages=self.notices,
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
        evidence: Evidence = "rules",
        judge: JudgeModel | None = None,
        substance: SubstanceProbe | None = None,
    ) -> None:
        super().__init__(calibration=calibration, notices=notices, evidence=evidence)
        self._embedder = get_embedder(embedder) if isinstance(embedder, str) else embedder
        self._judge = judge
        self._judge_checked = judge is not None
        self._substance = substance
        self._substance_checked = substance is not None

    def embedder(self) -> Embedder:
        return self._embedder

    def judge(self) -> JudgeModel | None:
        """The shipped judge, unless this grader uses the rules alone or the judge is broken.

        A damaged judge file must not stop grading: the rules still work, and every result then
        says that they graded alone.
        """
        if self.evidence == "rules":
            return None
        if not self._judge_checked:
            self._judge_checked = True
            try:
                self._judge = load_judge()
            except JudgeUnavailableError as error:
                logger.warning("grading with the rules alone: %s", error.message)
                self.notices = (*self.notices, f"Graded by the rules alone: {error.message}.")
                self.evidence = "rules"
        return self._judge

    def substance(self) -> SubstanceProbe | None:
        """The shipped substance probe, whenever the judge reads key points.

        Without it the judge still grades, but empty talk can pass for coverage; every result
        then says so.
        """
        if self.evidence == "rules" or self.judge() is None:
            return None
        if not self._substance_checked:
            self._substance_checked = True
            try:
                self._substance = load_probe()
            except SubstanceUnavailableError as error:
                logger.warning("grading without the substance probe: %s", error.message)
                self.notices = (*self.notices, f"Empty talk is not screened: {error.message}.")
        return self._substance

    def load(self) -> None:
        """Load the model now rather than on the first answer (raises ModelUnavailableError)."""
        load = getattr(self._embedder, "load", None)
        if callable(load):
            load()
        self.substance()
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
