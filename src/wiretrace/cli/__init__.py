"""The `wiretrace` command line: thin commands over `wiretrace.api` (`main.py`, `corpus.py`).

Shared options, exit codes and error handling are in `options.py`.
"""
