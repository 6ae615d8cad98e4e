"""Language identification, offline: py3langid ships its model inside the package."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

# A 1,000-character prefix identifies news text reliably; py3langid's scoring is pure Python and
# linear in the sample, so a longer one only costs ingest time.
_SAMPLE_CHARS = 1000
_LETTER = re.compile(r"[^\W\d_]")


@lru_cache(maxsize=1)
def _identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of the text's language, or None when the text is too short to tell."""
    sample = text[:_SAMPLE_CHARS]
    if len(_LETTER.findall(sample, 0, 200)) < 20 and len(_LETTER.findall(sample)) < 20:
        return None
    lang, prob = _identifier().classify(sample)
    return str(lang) if prob >= 0.5 else None
