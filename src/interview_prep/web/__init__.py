"""The web app: FastAPI with server-rendered Jinja2 pages and htmx, working fully offline.

Start it with ``interview-prep serve``; build it in code with :func:`.app.create_app`.
"""
