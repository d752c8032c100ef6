"""The progress pages: the dashboard, the history of every attempt, and its export.

``routes`` parses and renders; ``views`` gathers what the pages show.
"""
