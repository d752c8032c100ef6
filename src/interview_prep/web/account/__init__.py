"""Logging in and out, and one's own account.

``routes`` holds the pages; the permission checks are ``web/auth.py``, app-wide.
"""
