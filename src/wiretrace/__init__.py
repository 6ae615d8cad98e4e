"""wiretrace: a forensic reader for news. Where every sentence came from, and what was changed."""

from importlib.metadata import PackageNotFoundError, version

from wiretrace.doc.article import Article, Sentence
from wiretrace.errors import (
    BlockedAddress,
    FetchError,
    InputError,
    InputNotFound,
    MissingExtra,
    MissingPart,
    RecordError,
    StoreError,
    UnreadableInput,
    WiretraceError,
)
from wiretrace.store.articles import Store

try:
    __version__ = version("wiretrace")
except PackageNotFoundError:  # running from a source tree that was not installed
    __version__ = "0.0.0"

__all__ = [
    "Article",
    "BlockedAddress",
    "FetchError",
    "InputError",
    "InputNotFound",
    "MissingExtra",
    "MissingPart",
    "RecordError",
    "Sentence",
    "Store",
    "StoreError",
    "UnreadableInput",
    "WiretraceError",
    "__version__",
]
