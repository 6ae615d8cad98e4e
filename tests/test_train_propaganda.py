"""The propaganda trainer's fine-tuning path (benchmarks/train_propaganda.py --rank) and the
detector loading what it writes: LoRA adapters merged into the base at load. A one-epoch run on
two invented articles; the model is not meant to be good, only whole and loadable."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from eval_ptc import Doc
from train_propaganda import finetune, layered_loss
from wiretrace.claims import propaganda as pg
from wiretrace.claims import propaganda_head as ph

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


def test_finetuned_model_is_written_and_the_detector_merges_its_adapters(tmp_path: Path) -> None:
    args = argparse.Namespace(rank=2, epochs=1, seed=3, lr=2e-3, lora_lr=1e-3, batch=2)
    losses = finetune(_docs(), args, tmp_path)
    assert len(losses) == 1 and losses[0] > 0
    assert (tmp_path / ph.ADAPTER_FILE).exists() and (tmp_path / pg.HEAD_FILE).exists()
    # The adapters change the base's features: the detector loaded them.
    plain, _ = ph.load_encoder()
    tuned, tokenizer = ph.load_encoder(tmp_path)
    ids = torch.tensor([tokenizer(TEXTS[0])["input_ids"]])
    with torch.inference_mode():
        a = plain(input_ids=ids).last_hidden_state
        b = tuned(input_ids=ids).last_hidden_state
    assert not torch.allclose(a, b)
    detector = pg.Detector(tmp_path, bf16=False)
    for span in detector.spans(TEXTS[1]):
        assert 0 <= span.start < span.end <= len(TEXTS[1])
        assert span.technique in pg.TECHNIQUES
