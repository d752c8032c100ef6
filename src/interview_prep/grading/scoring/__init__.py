"""The scoring: from evidence to a 0-5 score, a label and the feedback that explains them.

Above the evidence, below the pipeline. :mod:`.features` turns evidence into the calibration's
inputs, :mod:`.calibration` maps them to 0-5 with the shipped ``grading/data/calibration.json``,
:mod:`.scoring` combines and labels, :mod:`.feedback` writes what the candidate reads, and
:mod:`.metrics` holds macro-F1, which the calibration needs to place its cut: it lives here, not in
the evaluation tools, so scoring never imports upward.
"""
