"""The JSON API and its reference page.

``routes`` holds the endpoints; ``docs`` turns the OpenAPI description into the reference.
"""
