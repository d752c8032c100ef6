"""Authoring: writing banks and their questions outside a bank file (the browser's editor).

:mod:`.service` holds the operations, :mod:`.forms` turns the question form into a question and
back; storage lives in :mod:`interview_prep.storage.authoring`.
"""
