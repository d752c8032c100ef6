"""The evaluation tools: measuring the grader against human grades, and building the judge's data.

The top of the engine: nothing in grading imports it, and it may import everything below.
:mod:`.benchmark_data` reads the graded benchmark files, :mod:`.measure` computes agreement and
cross-validates by question (refitting the calibration on the training folds only), and
:mod:`.judge_training` builds the judge's training pairs from the bank for the training script.
"""
