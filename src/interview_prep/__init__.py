"""Interview Prep: offline interview practice with banks, a grader and spaced repetition."""

__version__ = "0.1.0"
