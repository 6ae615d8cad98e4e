"""Tracing: where each sentence of an article came from and what was changed on the way.

`tracer.Tracer` finds candidates in the index, aligns the article with them (`align.py` runs,
`provenance.py` passages, `matching.py` sentence coverage), records the edits (`edits.py`) and
the flags that need a source (`flags.py`), and builds the `report.TraceReport`.
"""
