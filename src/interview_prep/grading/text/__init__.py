"""The text layer: how the grader reads words, sentences, numbers and clauses, with no model.

It sits at the bottom and imports nothing else from the engine, so every other layer can use it.
:mod:`.tokens` gives tokens, lemmas, sentences and negation with character spans into the original
text; :mod:`.numbers` finds the numbers an answer states; :mod:`.clauses` splits a sentence into
the claims it makes; :mod:`.terms` holds the shared word lists (the terms answers swap for each
other), so the clause reader and the contradiction rules both read them from below; :mod:`.sides`
says which side of such a pair a text speaks of (L2 or ridge), so that the judge does not take a
sentence about one side as evidence about the other.
"""
