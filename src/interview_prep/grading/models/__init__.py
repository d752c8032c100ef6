"""The models: the sentence encoder, the learned judge's numpy network, and BLAS thread limits.

They sit just above the text layer: :mod:`.embedders` turns text into vectors and token states,
:mod:`.judge` loads the shipped weights (``grading/data/judge.npz``) and says *covers*,
*contradicts* or *neither* for a rubric item and a span, and :mod:`.blas` keeps numpy to one thread
so a model grader does not fight the web server for cores. None of them knows what a rubric or a
key point is; the evidence layer decides what to ask them.
"""
