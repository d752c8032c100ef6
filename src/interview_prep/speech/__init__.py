"""Spoken answers: decode a recording, transcribe it offline, and coach the delivery.

Layers, importing one way (top to bottom):

- :mod:`.transcript` and :mod:`.delivery`: pure (standard library only): timed words, edits that
  keep their timings, and the delivery metrics with the coaching ranges they are judged against;
- :mod:`.audio`: decoding and checking a recording (PyAV), with a clear error for each bad input;
- :mod:`.models` and :mod:`.transcription`: the Whisper models that ship in registry packages and
  faster-whisper, loaded lazily on the first transcription;
- :mod:`.service`: what the CLI and the web app call.

Importing this package costs nothing: the heavy parts load inside the functions that need them.
"""
