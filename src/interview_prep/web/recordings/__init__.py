"""Spoken answers in the browser: upload a recording, follow its transcription, correct the
transcript and grade it (``routes``), and what the pages show of them (``views``)."""
