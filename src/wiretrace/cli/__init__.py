"""The `wiretrace` command line: thin commands over `wiretrace.api` (`main.py`, `corpus.py`).

Each command is built by the one wrapper in `command.py` (shared options, errors to exit codes,
`--format`, progress from `progress.py`); `text.py` shows results, `options.py` holds the shared
options, output helpers and exit codes.
"""
