"""The practice pages: set a session up, answer against the clock, feedback and rating, summary.

``routes`` parses and renders. Below it: ``context`` (what a request works with), ``setup``
(the set-up form and today's queue), ``sessions`` (going through a session) and ``views``
(the template contexts).
"""
