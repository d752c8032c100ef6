"""The study pages: banks, a bank's questions searched and filtered, and one question.

``routes`` parses and renders; ``views`` gathers what the pages show from storage.
"""
