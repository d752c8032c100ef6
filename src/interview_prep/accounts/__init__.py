"""Accounts: who a visitor is, what they may do, and how they prove it.

The pure parts (users and roles, the one permission check, the login throttle's policy) import
nothing from storage or the web; :mod:`.service` composes them over an account store, which
``interview_prep.storage.accounts`` provides in the database.
"""
