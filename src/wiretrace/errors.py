"""Every error wiretrace raises on purpose, in one tree (httpx's `_exceptions.py` is the model).

    WiretraceError                 base; `code` is a stable "W1xx" identifier for docs and scripts
    ├── UsageError                 arguments that do not go together (the CLI's exit code 2)
    ├── InputError                 a file, record or URL the user gave cannot be used
    │   ├── InputNotFound          path, glob or stored id that matches nothing
    │   ├── UnreadableInput        binary, bad encoding, empty, truncated, no article in it
    │   ├── RecordError            one record inside a JSONL / CSV / WARC / feed file is broken
    │   ├── MissingPart            a package needed to read this input is not installed (W140)
    │   └── FetchError             an HTTP fetch failed (timeout, size cap, status, redirects)
    │       └── BlockedAddress     the URL resolves to a private or loopback address
    ├── StoreError                 the DuckDB store cannot be opened or migrated
    │   └── ReadOnlyStore          a write was asked of a store opened read-only
    ├── ReuseError                 a corpus reuse run cannot go on (other settings, bad stage)
    ├── PipelineError              components run out of order: a layer needed is not set
    ├── ModelMismatch              shipped models that do not fit together (retrain one)
    └── MissingExtra               an optional dependency group is not installed

User errors (InputError and its children) are printed by the CLI as one line, never a traceback.
"""

from __future__ import annotations


class WiretraceError(Exception):
    """Base of all wiretrace errors."""

    code = "W100"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class UsageError(WiretraceError):
    """Arguments that cannot be used together; a caller's mistake, not the input's."""

    code = "W101"


class InputError(WiretraceError):
    """An input (file, record, URL) cannot be used; names where the problem is."""

    code = "W110"

    def __init__(
        self,
        message: str,
        *,
        source: str | None = None,
        record: int | None = None,
        field: str | None = None,
    ):
        self.source = source
        self.record = record
        self.field = field  # the input field at fault, when one is (a form names it)
        where = source or ""
        if record is not None:
            where = f"{where} record {record}" if where else f"record {record}"
        super().__init__(f"{where}: {message}" if where else message)
        self.reason = message


class InputNotFound(InputError):
    """A path, glob, id or url that matches nothing."""

    code = "W111"


class UnreadableInput(InputError):
    """The input exists but holds no usable article (binary, bad encoding, empty, truncated)."""

    code = "W112"


class NotAnArticle(UnreadableInput):
    """A readable file that holds no article (a JSON document with no text field); found by a
    directory walk or a glob it is skipped with a warning, named on its own it is an error."""


class RecordError(InputError):
    """One record inside a multi-record file is broken; the others are still ingested."""

    code = "W113"


class MissingPart(InputError):
    """A package needed to read this input is not importable (a partial install); the same W140
    code as `MissingExtra`, but tied to the input it stopped, so the other inputs go on."""

    code = "W140"


class FetchError(InputError):
    """Fetching a URL failed: timeout, size cap, HTTP status, too many redirects."""

    code = "W120"


class BlockedAddress(FetchError):
    """The URL resolves to a private, loopback or link-local address and that was not allowed."""

    code = "W121"


class StoreError(WiretraceError):
    """The store cannot be opened, is locked by another process, or failed to migrate."""

    code = "W130"


class ReadOnlyStore(StoreError):
    """A write was asked of a store (or server) that opened it read-only."""

    code = "W150"


class ReuseError(WiretraceError):
    """A reuse run cannot go on: work directory from other settings, unknown stage, bad input."""

    code = "W160"


class PipelineError(WiretraceError):
    """A pipeline component was run before the components that set the layers it needs."""

    code = "W180"


class ModelMismatch(WiretraceError):
    """A trained model was built on another model than the one installed (the propaganda
    detector's head on another attribution tagger's features): retrain it."""

    code = "W190"


class MissingExtra(WiretraceError):
    """An optional dependency group is needed for this feature and is not installed."""

    code = "W140"

    def __init__(self, extra: str, feature: str) -> None:
        super().__init__(f"{feature} needs the '{extra}' extra: pip install 'wiretrace[{extra}]'")
        self.extra = extra


class TraceCancelled(WiretraceError):
    """A trace was stopped before it finished: whoever asked for it has gone away."""

    code = "W170"
