"""The evidence: what an answer says against its question's rubric, span by span.

Above the text layer and the models, below the scoring. :mod:`.rubric`, :mod:`.references` and
:mod:`.answers` prepare the question and the answer; :mod:`.keypoints` finds the span that covers
each key point; :mod:`.misconceptions`, :mod:`.contradictions` and :mod:`.signals` catch wrong
claims; :mod:`.judging` asks the learned judge; :mod:`.quickfire` checks short expected answers and
:mod:`.structure` the shape of a STAR answer. The parts it produces are the types of
:mod:`..result`, the engine's shared vocabulary (a leaf module that imports nothing of the engine),
so evidence never needs the scoring or the pipeline above it.
"""
