"""The store: one DuckDB file, its schema as named migrations, the one writer, and full text.

`articles.Store` is the only code that writes the DuckDB file (every write in a transaction);
`schema.py` holds the migrations, `fulltext.py` the derived SQLite FTS5 sidecar, and
`server_file.py` says which running server holds a locked store.
"""
