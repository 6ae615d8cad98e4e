"""Train the propaganda-technique detector (`wiretrace.claims.propaganda`) on the shared PTC.

    .venv/bin/python benchmarks/train_propaganda.py [--epochs 10] [--out DIR]
        [--folds K [--fold I]] [--cache FILE] [--limit N]

Reads ../shared/eval/ptc at run time (the corpus is not part of the repo). The detector reads
the attribution tagger's encoder (`tagger.Tagger.encode`, frozen here), so every article's word
features are computed once (`--cache` keeps them in a file between runs, e.g. under /tmp, never
in the repo, with the tagger's digest beside it in FILE.digest) and only the head
(`propaganda_head.Head`) is trained, with one cross-entropy per label
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


def featurize(docs: list[Doc]) -> dict[str, Item]:
    tagger = tg.load_tagger()
    if tagger is None:
        raise SystemExit(
            "train_propaganda: the attribution tagger is not installed (semantic extra)"
        )
    out: dict[str, Item] = {}
    t0 = time.perf_counter()
    for n, doc in enumerate(docs, 1):
        encoded = tagger.encode(doc.text)
        p, words = encoded.pieces, encoded.words
        per_layer = [
            tg.char_labels(p, spans, names)
            for spans, names in zip(pg.layer_spans(doc.gold), pg.LAYER_LABELS, strict=True)
        ]
        gold = torch.tensor([[layer[i] for layer in per_layer] for i in words], dtype=torch.long)
        feats = encoded.features.half()
        out[doc.ident] = (p, words, feats, gold.reshape(len(words), len(pg.LAYERS)))
        if n % 20 == 0:
            print(f"features {n}/{len(docs)} {time.perf_counter() - t0:.0f} s", flush=True)
    return out


def load_items(docs: list[Doc], cache: Path | None) -> dict[str, Item]:
    """Word features and gold labels of every article, from the cache when it has them all and
    was computed with the installed tagger (its digest is kept beside it, FILE.digest)."""
    tagger = tg.load_tagger()
    digest = tagger.adapter_digest if tagger is not None else ""
    stamp = cache.with_name(cache.name + ".digest") if cache is not None else None
    fresh = stamp is not None and stamp.exists() and stamp.read_text("utf-8").strip() == digest
    if cache is not None and fresh and cache.exists():
        items: dict[str, Item] = torch.load(cache, weights_only=False)
        if all(d.ident in items for d in docs):
            return items
    items = featurize(docs)
    if cache is not None and stamp is not None:
        torch.save(items, cache)
        stamp.write_text(digest + "\n", encoding="utf-8")
    return items


def loss_of(head: ph.Head, batch: list[Item]) -> torch.Tensor:
    width = max(len(item[1]) for item in batch)
    feats = torch.zeros((len(batch), width, ph.FEATURES))
    gold = torch.full((len(batch), width, len(pg.LAYERS)), -100, dtype=torch.long)
    for k, (_, words, f, g) in enumerate(batch):
        feats[k, : len(words)] = f.float()
        gold[k, : len(words)] = g
    return layered_loss(head(feats), gold)


def layered_loss(logits: torch.Tensor, gold: torch.Tensor) -> torch.Tensor:
    """One cross-entropy per label layer, summed: logits batch x words x NUM_LABELS, gold
    batch x words x layers (-100 where there is no word)."""
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


def write_head(out: Path, head: ph.Head, tagger: tg.Tagger, meta: dict[str, object]) -> None:
    """The head's weights and `training.json` (with the digest of the tagger whose features it
    read: the detector refuses another's) in `out`."""
    out.mkdir(parents=True, exist_ok=True)
    state = {k: v.contiguous() for k, v in head.state_dict().items()}
    save_file(state, str(out / pg.HEAD_FILE))
    meta = {
        "encoder": "the attribution tagger's: all-MiniLM-L6-v2 with its PolNeAR adapters, frozen",
        "encoder_digest": tagger.adapter_digest,
        "features": f"last {tg.FEATURE_LAYERS} hidden layers, first piece of each word",
        **meta,
    }
    (out / pg.TRAINING_FILE).write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--root", type=Path, default=DEFAULT_DIR)
    ap.add_argument("--out", type=Path, default=pg.MODEL_DIR)
    ap.add_argument("--epochs", type=int, default=10)
    ap.add_argument("--batch", type=int, default=8)
    ap.add_argument("--lr", type=float, default=2e-3)
    ap.add_argument("--folds", type=int, default=0)
    ap.add_argument("--fold", type=int, default=None, help="with --folds: only this fold")
    ap.add_argument("--cache", type=Path, default=None, help="word features kept between runs")
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--seed", type=int, default=13)
    args = ap.parse_args()
    torch.set_num_threads(1)  # the head is small: a second thread mostly spins on a shared machine
    docs = load_corpus(args.root)[: args.limit]
    if not docs:
        print(f"train_propaganda: no articles under {args.root}", file=sys.stderr)
        return 2
    # The tagger's encoder is frozen here: every article's word features are computed once.
    items = load_items(docs, args.cache)
    tagger = tg.load_tagger()
    assert tagger is not None  # load_items needed it
    t0 = time.perf_counter()
    folds = [args.fold] if args.fold is not None else list(range(args.folds))
    targets = (
        [(args.out / f"fold{k}", in_fold(docs, args.folds, k)) for k in folds]
        if args.folds
        else [(args.out, [])]
    )
    for out, held in targets:
        held_ids = {d.ident for d in held}
        train_docs = [d for d in docs if d.ident not in held_ids]
        head, losses = train([items[d.ident] for d in train_docs], args)
        meta = {
            "data": "SemEval-2020 Task 11 PTC: the shared three quarters of its training articles"
            + (f", all but one fold of {args.folds}" if args.folds else ""),
            "articles": len(train_docs),
            "epochs": args.epochs,
            "lr": args.lr,
            "batch": args.batch,
            "seed": args.seed,
            "stride": tagger.stride,
            "layers": [list(names) for names in pg.LAYER_LABELS],
            "loss": losses,
            "seconds": round(time.perf_counter() - t0, 1),
        }
        write_head(out, head, tagger, meta)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
