"""The torch side of the propaganda detector (`propaganda.py`): the head.

Imported only when torch is installed (the `semantic` extra). A word's features are its first
piece's hidden states in the attribution tagger's encoder (`tagger.Tagger.encode`, frozen), its
last `tagger.FEATURE_LAYERS` layers concatenated (the feature-based use of a transformer, as in
BERT's paper). The trained head is small (`Head`): a projection, a convolution over neighbouring
words, and one output per label of every layer.
"""

from __future__ import annotations

import torch

from wiretrace.claims import tagger as tg

HIDDEN = 384  # all-MiniLM-L6-v2's width
FEATURES = tg.FEATURE_LAYERS * HIDDEN


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
