"""The document: an `Article` and the typed span layers that are offset views into its text.

Everything downstream reads and writes layers of one `Article` (spaCy's `Doc` is the model):
sentences are cut here (`segment.py`), the language is identified here (`language.py`).
"""
