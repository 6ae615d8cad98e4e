"""Indexes over the stored articles: shingle postings, the source-text store, embeddings.

`postings.Index` keeps sentence shingles (`shingles.py`) in immutable hash-sorted segments
(`segments.py`, merged by `merge_policy.py`); `texts.py` is the one memory-mapped source-text
store whose records (`records.py`) a trace reads by offset; `semantic.py` and `paraphrase.py` are
the optional sentence-embedding index (the `semantic` extra). `updates.py` is the pipeline step
after the readers: it stores what they read and brings every index up to date.
"""
