"""Propaganda-technique spans (loaded language first) from a trained token tagger.

The 14 techniques and their names are SemEval-2020 Task 11's (the Propaganda Techniques
Corpus, PTC). The detector is a small head (`propaganda_head.py`) over the word features of the
attribution tagger's encoder (`tagger.Tagger.encode`: all-MiniLM-L6-v2 with the tagger's PolNeAR
adapters, frozen here), trained by `benchmarks/train_propaganda.py` on the shared PTC articles.
One pass of the encoder serves both models: the claims report's default reads quotes and loaded
language for the cost of one (README, "Claims: loaded language on PTC", has what this costs in
span F1 against a head over the plain base). Only the head and its decoding biases ship
(`claims/models/propaganda-tagger/`, ~3 MB), with the digest of the tagger it was trained on:
a retrained tagger needs a retrained head (`Detector` refuses the pair). Nothing is downloaded
at run time.

Techniques overlap in PTC (a phrase is often both Loaded_Language and Name_Calling,Labeling),
so the head has two layers of BIO labels, each decoded on its own: Loaded_Language, and the 13
other techniques, one label per token (where two of those overlap, the shorter span's label
wins in training). A span's score is the mean probability, over its words, that the word is in
a span of that technique.
"""

from __future__ import annotations

import json
import os
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from wiretrace.claims import tagger as tg
from wiretrace.errors import ModelMismatch

LOADED = "Loaded_Language"
TECHNIQUES = (
    LOADED,
    "Name_Calling,Labeling",
    "Repetition",
    "Exaggeration,Minimisation",
    "Doubt",
    "Appeal_to_fear-prejudice",
    "Flag-Waving",
    "Causal_Oversimplification",
    "Slogans",
    "Appeal_to_Authority",
    "Black-and-White_Fallacy",
    "Thought-terminating_Cliches",
    "Whataboutism,Straw_Men,Red_Herring",
    "Bandwagon,Reductio_ad_hitlerum",
)
# Each layer is a BIO tagger over its techniques; the head's outputs are the layers' labels in
# this order.
LAYERS: tuple[tuple[str, ...], ...] = ((LOADED,), TECHNIQUES[1:])
LAYER_LABELS = tuple(tg.bio_labels(layer) for layer in LAYERS)
NUM_LABELS = sum(len(names) for names in LAYER_LABELS)
MODEL_DIR = Path(__file__).resolve().parent / "models" / "propaganda-tagger"
HEAD_FILE = "head.safetensors"
DECODE_FILE = "decode.json"  # {"o_bias": [per layer]}: see `spans_from_scores`
TRAINING_FILE = "training.json"  # how the head was trained, with the tagger's `encoder_digest`
# The claims report's loaded language comes from the detector when its model and the `semantic`
# extra are installed, unless this variable is "lexicon"; the paths that read claims in bulk
# (trace, corroboration, the quotes index) keep the lexicon unless it is "detector" (README,
# "Claims: loaded language on PTC").
ENV = "WIRETRACE_LOADED"
DETECTOR_CHOICE, LEXICON_CHOICE = "detector", "lexicon"
# Longer texts keep the lexicon (tagging costs ~0.3 CPU seconds per 1,000 words).
MAX_CHARS = 200_000


@dataclass(frozen=True, slots=True)
class TechniqueSpan:
    """A technique's character span in the text and the detector's confidence (0..1)."""

    technique: str
    start: int
    end: int
    score: float


def layer_spans(spans: Sequence[tuple[str, int, int]]) -> list[list[tuple[str, int, int]]]:
    """Gold (technique, start, end) spans split by layer, longest first in each, so that where
    spans of one layer overlap the shorter one's labels are written last and win."""
    out: list[list[tuple[str, int, int]]] = [[] for _ in LAYERS]
    for technique, s, e in spans:
        for k, layer in enumerate(LAYERS):
            if technique in layer:
                out[k].append((technique, s, e))
    for group in out:
        group.sort(key=lambda t: (-(t[2] - t[1]), t[1]))
    return out


def viterbi_bio(logp: Any, names: Sequence[str]) -> list[int]:
    """The best label sequence (numpy, words x labels log-probabilities) in which an I- label
    only continues its own technique; vectorised, as a layer has up to 27 labels."""
    import numpy as np

    k = len(names)
    allowed = np.zeros((k, k), dtype=bool)
    for a in range(k):
        for b in range(k):
            allowed[a, b] = not names[b].startswith("I-") or (
                names[a] != "O" and names[a][2:] == names[b][2:]
            )
    penalty = np.where(allowed, 0.0, -np.inf)
    start_ok = np.array([0.0 if not n.startswith("I-") else -np.inf for n in names])
    n = logp.shape[0]
    if n == 0:
        return []
    back = np.zeros((n, k), dtype=np.int64)
    prev = logp[0] + start_ok
    for t in range(1, n):
        cand = prev[:, None] + penalty
        back[t] = cand.argmax(axis=0)
        prev = cand.max(axis=0) + logp[t]
    label = int(prev.argmax())
    path = [label]
    for t in range(n - 1, 0, -1):
        label = int(back[t, label])
        path.append(label)
    path.reverse()
    return path


def spans_from_scores(
    p: tg.Pieces, words: list[int], logits: Any, bias: Sequence[float] = (0.0, 0.0)
) -> list[TechniqueSpan]:
    """Technique spans from the head's scores per word (a words x NUM_LABELS tensor): each
    layer decoded on its own (Viterbi), spans in text order. `bias[k]` is taken from layer k's
    "O" score before decoding: the trained model is cautious (techniques are rare words), and
    the span measure rewards recall (`decode.json` holds the biases chosen by cross-validation)."""
    import torch

    out: list[TechniqueSpan] = []
    if not words:
        return out
    # Each word's pieces: words[w] .. next word's first piece.
    bounds = [*words[1:], len(p.ids)]
    first = 0
    for layer, names in enumerate(LAYER_LABELS):
        logp = torch.log_softmax(logits[:, first : first + len(names)].float(), dim=-1)
        first += len(names)
        shifted = logp.numpy().copy()
        shifted[:, 0] -= bias[layer]
        best = viterbi_bio(shifted, names)
        # P(not O) per word: the confidence that the word lies in a span of this layer.
        inside = (1.0 - torch.exp(logp[:, 0])).tolist()
        per_piece = [0] * len(p.ids)
        for w, i in enumerate(words):
            per_piece[i : bounds[w]] = [best[w]] * (bounds[w] - i)
        word_starts = [p.offsets[i][0] for i in words]
        for technique, s, e in tg.decode(p, per_piece, names):
            lo, hi = bisect_left(word_starts, s), bisect_left(word_starts, e)
            covered = inside[lo:hi] or [0.0]
            score = sum(covered) / len(covered)
            out.append(TechniqueSpan(technique, s, e, round(score, 3)))
    out.sort(key=lambda t: (t.start, t.end, t.technique))
    return out


class Detector:
    """The trained head over the attribution tagger's encoder (`tagger.Tagger.encode`: one pass
    of the encoder serves both models), on the CPU."""

    def __init__(self, model_dir: Path = MODEL_DIR, tagger: tg.Tagger | None = None) -> None:
        import torch
        from safetensors.torch import load_file

        from wiretrace.claims import propaganda_head as ph

        encoder = tagger if tagger is not None else tg.load_tagger()
        if encoder is None:
            raise ImportError("the propaganda detector reads the attribution tagger's encoder")
        trained_on = encoder_digest(model_dir)
        if trained_on != encoder.adapter_digest:
            raise ModelMismatch(
                f"{model_dir}: the head was trained on the features of another attribution"
                f" tagger ({trained_on}, installed {encoder.adapter_digest}): retrain it"
                " (benchmarks/train_propaganda.py)"
            )
        self.torch = torch
        self.tagger = encoder
        self.head = ph.Head(NUM_LABELS)
        self.head.load_state_dict(load_file(str(model_dir / HEAD_FILE)))
        self.head.eval()
        # In the tagger's dtype: bfloat16 where the CPU has it, 4x faster than float32 here
        # (logits within ~0.005; the features are bfloat16 already).
        self.dtype = torch.bfloat16 if encoder.bf16 else torch.float32
        self.head = self.head.to(self.dtype)
        decode = model_dir / DECODE_FILE
        self.bias: tuple[float, ...] = (0.0,) * len(LAYERS)
        if decode.exists():
            self.bias = tuple(float(b) for b in json.loads(decode.read_text("utf-8"))["o_bias"])

    def scores(self, text: str) -> tuple[tg.Pieces, list[int], Any]:
        """The text's pieces, each word's first piece, and the words' scores (logits)."""
        encoded = self.tagger.encode(text)
        return encoded.pieces, encoded.words, self.head_scores(encoded.features)

    def head_scores(self, feats: Any) -> Any:
        """The head's logits for words x FEATURES features."""
        if feats.shape[0] == 0:
            return self.torch.zeros((0, NUM_LABELS))
        with self.torch.inference_mode():
            return self.head(feats.to(self.dtype)[None])[0].float()

    def spans(self, text: str) -> list[TechniqueSpan]:
        """Technique spans in `text`, in text order."""
        p, words, logits = self.scores(text)
        return spans_from_scores(p, words, logits, self.bias)


def encoder_digest(model_dir: Path) -> str | None:
    """The digest of the attribution tagger whose features the head in `model_dir` was trained
    on (`training.json`), or None when it does not say."""
    path = model_dir / TRAINING_FILE
    if not path.exists():
        return None
    found = json.loads(path.read_text("utf-8")).get("encoder_digest")
    return str(found) if found is not None else None


def wanted(default: bool = True) -> bool:
    """Whether to use the detector: WIRETRACE_LOADED says ("detector" / "lexicon"), else
    `default` (the claims report's is True; the bulk paths pass False)."""
    choice = os.environ.get(ENV, "").strip().lower()
    if choice in (DETECTOR_CHOICE, LEXICON_CHOICE):
        return choice == DETECTOR_CHOICE
    return default


def available() -> bool:
    """Whether the detector's model files and libraries are installed (loads it on first call)."""
    return load_detector() is not None


@lru_cache(maxsize=1)
def load_detector() -> Detector | None:
    """The shipped detector, or None without its model files or the `semantic` extra."""
    if not (MODEL_DIR / HEAD_FILE).exists():
        return None
    try:
        return Detector()
    except ImportError:
        return None
