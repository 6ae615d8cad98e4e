"""Readers only: the formats news comes in (text, HTML, JSON Lines, CSV, WARC, feeds, URLs) in,
`Article`s out.

`sources.py` finds the inputs and picks a reader per format; each reader yields raw records
(`records.RawRecord`) or the error of a broken one; `run.Reading` turns them into Articles with a
report of what was refused. Nothing here writes: `wiretrace.index.updates.add_inputs` stores
what was read and updates the indexes.
"""
