"""The propaganda trainer (benchmarks/train_propaganda.py) and the detector loading what it
writes: a head over the attribution tagger's encoder, refused beside another tagger. A
one-epoch run on two invented articles; the model is not meant to be good, only whole and
loadable."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import pytest
import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from eval_ptc import Doc
from train_propaganda import featurize, layered_loss, train, write_head
from wiretrace.claims import propaganda as pg
from wiretrace.claims import tagger as tg
from wiretrace.errors import ModelMismatch

TEXTS = [
    "Council of Varrow votes again\n\nThe shameless cowards of the Varrow council voted again "
    "to close the river bridge, a disgraceful betrayal of every family in town.",
    "Harbour plan delayed\n\nOfficials in Quillmont said the harbour plan would wait until "
    "spring. Critics called it a total disaster and a sham.",
]


def _docs() -> list[Doc]:
    out = []
    for n, text in enumerate(TEXTS):
        gold = []
        for phrase, technique in (
            ("shameless cowards", "Name_Calling,Labeling"),
            ("disgraceful betrayal", pg.LOADED),
            ("total disaster", pg.LOADED),
        ):
            at = text.find(phrase)
            if at >= 0:
                gold.append((technique, at, at + len(phrase)))
        out.append(Doc(f"a{n}", text, gold))
    return out


def test_layered_loss_is_one_cross_entropy_per_layer() -> None:
    torch.manual_seed(0)
    logits = torch.randn(1, 3, pg.NUM_LABELS)
    gold = torch.zeros(1, 3, len(pg.LAYERS), dtype=torch.long)
    gold[0, 2] = -100  # padding counts in neither layer
    expected = sum(
        torch.nn.functional.cross_entropy(part[0, :2], torch.zeros(2, dtype=torch.long))
        for part in torch.split(logits, [len(n) for n in pg.LAYER_LABELS], dim=-1)
    )
    assert torch.allclose(layered_loss(logits, gold), expected)


def test_a_trained_head_loads_with_its_tagger_and_is_refused_with_another(tmp_path: Path) -> None:
    tagger = tg.load_tagger()
    assert tagger is not None, "the tagger must load (semantic extra installed)"
    items = featurize(_docs())
    p, words, feats, gold = items["a0"]
    assert feats.shape == (len(words), tg.FEATURE_LAYERS * 384) and gold.shape[0] == len(words)
    assert p.ids == tg.pieces(tagger.tokenizer, TEXTS[0]).ids
    args = argparse.Namespace(epochs=1, seed=3, lr=2e-3, batch=2)
    head, losses = train(list(items.values()), args)
    assert len(losses) == 1 and losses[0] > 0
    write_head(tmp_path, head, tagger, {"articles": 2})
    detector = pg.Detector(tmp_path)
    for span in detector.spans(TEXTS[1]):
        assert 0 <= span.start < span.end <= len(TEXTS[1])
        assert span.technique in pg.TECHNIQUES
    meta = json.loads((tmp_path / pg.TRAINING_FILE).read_text("utf-8"))
    meta["encoder_digest"] = "0" * 16
    (tmp_path / pg.TRAINING_FILE).write_text(json.dumps(meta), encoding="utf-8")
    with pytest.raises(ModelMismatch, match="retrain"):
        pg.Detector(tmp_path)


def test_the_shipped_head_was_trained_on_the_shipped_tagger() -> None:
    assert pg.encoder_digest(pg.MODEL_DIR) == tg.adapter_digest()
