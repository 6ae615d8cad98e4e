"""Settling a server process's start-up heap out of the cyclic garbage collector's sight."""

from __future__ import annotations

import gc

from wiretrace.claims import extract_claims
from wiretrace.doc.article import Article


def settle_heap() -> None:
    """Move what the server built at start (index id lists, gazetteers, tracers) out of the
    cyclic garbage collector's sight: full collections otherwise rescan it all and stall a
    request now and then (traces' p99 is mostly such pauses). Server processes only."""
    # One small extraction loads the lazily built tables (places, patterns) before the freeze.
    extract_claims(Article.create("Officials in Aleppo said on Monday that 3 people were hurt."))
    gc.collect()
    gc.freeze()
