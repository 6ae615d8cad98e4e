"""Claims made in an article: quotes, figures, attributions and stitching artifacts.

Each finder is a pipeline component (`components.py`) that sets typed layers on the article
(`layers.py`); `extract_claims(article)` runs them and returns a `ClaimsReport`, serialised as
`wiretrace.claims/1` (docs/claims-json.md). No corpus is needed; `trace` embeds the same report
and adds the flags that need provenance (`trace/claim_flags.py`).
"""

from wiretrace.claims.report import SCHEMA, ClaimsReport, bulk_quotes, extract_claims

__all__ = ["SCHEMA", "ClaimsReport", "bulk_quotes", "extract_claims"]
