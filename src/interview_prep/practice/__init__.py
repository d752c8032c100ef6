"""Practice: mock interview sessions, spaced repetition (FSRS) and progress.

A pure core: dataclasses with ``to_dict``/``from_dict``, timezone-aware UTC datetimes passed in
(never read from the system clock inside), and no I/O except through a
:class:`~.store.PracticeStore`. The web pages and the terminal loop call :mod:`.service`.

- :mod:`.attempts`: question references and attempts (saved before grading);
- :mod:`.scheduling`: ratings, card states and review logs over the ``fsrs`` package;
- :mod:`.queue`: today's questions (due reviews, then new ones within the daily allowance);
- :mod:`.sessions`: a mock interview's items, time limits and feedback gating;
- :mod:`.summary`: the end-of-session table;
- :mod:`.feedback`: what the views read from a grade;
- :mod:`.progress` and :mod:`.charts`: dashboard numbers and their inline SVG;
- :mod:`.history`: JSON and CSV export;
- :mod:`.store`: the storage protocol and an in-memory store;
- :mod:`.service`: the loop's steps over a store.
"""
