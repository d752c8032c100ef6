"""The bank editor in the browser: its routes (:mod:`.routes`) over
:mod:`interview_prep.authoring`."""
