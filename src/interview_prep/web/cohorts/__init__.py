"""The cohort pages: a coach's cohorts, their dashboards, invitations and assignments.

``routes`` parses and renders; ``views`` gathers what the pages show.
"""
