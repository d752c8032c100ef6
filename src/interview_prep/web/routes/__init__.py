"""The web app's routes: study pages in :mod:`.pages`, the JSON API in :mod:`.api`."""
