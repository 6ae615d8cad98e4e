"""The tagger trainer's pieces (benchmarks/train_attribution_tagger.py): epoch windows and the
CRF layer's loss, checked against brute force. No training run."""

from __future__ import annotations

import itertools
import math
import random
import sys
from pathlib import Path

import pytest
import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from train_attribution_tagger import CRF, epoch_windows
from wiretrace.claims import tagger as tg


def _article(n: int) -> tuple[list[int], list[int], list[bool]]:
    return list(range(n)), [i % 3 for i in range(n)], [i % 2 == 0 for i in range(n)]


def test_epoch_windows_cover_each_piece_once_and_shift_moves_the_cuts() -> None:
    size = tg.WINDOW - 2
    arts = [_article(3 * size + 17), _article(40)]
    fixed = epoch_windows(arts, random.Random(1), shift=False)
    shifted = epoch_windows(arts, random.Random(1), shift=True)
    for rows in (fixed, shifted):
        ids = [i for row in rows for i in row[0]]
        assert ids == arts[0][0] + arts[1][0]  # every piece once, in order
        assert all(0 < len(row[0]) <= size for row in rows)
        assert all(len(row[0]) == len(row[1]) == len(row[2]) for row in rows)
    assert [len(r[0]) for r in fixed][:3] == [size, size, size]
    assert [len(r[0]) for r in shifted] != [len(r[0]) for r in fixed]


def test_crf_loss_is_the_brute_force_negative_log_likelihood() -> None:
    k = len(tg.LABELS)
    torch.manual_seed(3)
    crf = CRF(k)
    with torch.no_grad():
        crf.start.copy_(torch.randn(k))
        crf.pairs.copy_(torch.randn(k, k))
    # One window: [CLS], 4 pieces of which 3 start words, [SEP].
    logits = torch.randn(1, 6, k)
    gold = torch.tensor([[-100, 1, 2, 0, 5, -100]])
    starts = [[True, False, True, True]]  # word-start pieces 1, 3, 4 (positions after [CLS])
    emit = logits[0, [1, 3, 4]]
    tags = [1, 0, 5]

    def path_score(path: tuple[int, ...]) -> float:
        s = float(crf.start[path[0]] + emit[0, path[0]])
        for t in range(1, len(path)):
            s += float(crf.pairs[path[t - 1], path[t]] + emit[t, path[t]])
        return s

    with torch.no_grad():
        paths = itertools.product(range(k), repeat=3)
        log_z = math.log(sum(math.exp(path_score(p)) for p in paths))
        expected = (log_z - path_score(tuple(tags))) / 3  # mean per word
    got = float(crf.word_loss(logits, gold, starts).detach())
    assert got == pytest.approx(expected, rel=1e-5)


def test_crf_starts_from_resumed_transitions() -> None:
    k = len(tg.LABELS)
    learned = tg.Transitions([0.5] * k, [[float(a - b) for b in range(k)] for a in range(k)])
    crf = CRF(k, learned)
    assert crf.start.tolist() == learned.start
    assert crf.pairs.tolist() == learned.pairs
    assert CRF(k).pairs.abs().sum().item() == 0.0
