"""Ingest of the formats news comes in: text, HTML, JSON Lines, CSV, WARC, feeds and URLs."""
