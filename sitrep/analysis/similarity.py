"""Paraphrase similarity of evidence sentences, for deciding whether two reports match.

Two implementations of one small interface, chosen by the ``similarity`` setting:

- ``EmbeddingSimilarity`` (``embedding.minilm-l6-v2-int8.v1``): all-MiniLM-L6-v2 sentence
  embeddings from ``sitrep/nlp/embed.py`` (int8 ONNX with onnxruntime; unit length, so
  cosine = dot product). Each sentence is run on its own, so a vector never depends on what
  else is in the batch and linking stays deterministic.
- ``LexicalSimilarity`` (``lexical.v1``): the fallback when those files are not installed.
  Cosine over character 4-grams of content words (stop words dropped), which catches
  inflections ("deploy", "deployed", "deployment") without a lemmatiser.

``"auto"`` uses embeddings when every file is importable, else the lexical fallback. The
name of the implementation is recorded on every link it scored.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, Protocol

from sitrep.errors import ConfigError, ErrorCode
from sitrep.nlp.embed import (
    EMBEDDING_METHOD,
    ENABLE_HINT,
    SentenceEmbedder,
    embedding_files,
    package_file,
)

CHOICES: tuple[str, ...] = ("auto", "embedding", "lexical")
LEXICAL_METHOD = "lexical.v1"


class Similarity(Protocol):
    """Scores how alike two sentences are in meaning, in [0, 1] (1 = same sentence)."""

    method: str
    # Raw scores of unrelated and of paraphrased sentences on this scale, for calibration.
    floor: float
    ceiling: float

    def prepare(self, texts: Iterable[str]) -> None:
        """Compute whatever the texts need once (vectors), before many ``score`` calls."""

    def score(self, a: str, b: str) -> float:
        """Similarity of two prepared (or unprepared) texts."""


# -- lexical fallback ---------------------------------------------------------------------------

_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?|\d[\d,.]*")
_STOP_TEXT = """a about above after again against all also an and any are as at be been before being
    between both but by can could did do does during each either few for from further had has
    have having he her here hers him his how i if in into is it its itself just may me might
    more most much must my no nor not now of off on once only or other our out over own said
    same says she should since so some such than that the their them then there these they
    this those through to too under until up us very was we were what when where which while
    who whom why will with would yet you your told saying according officials official"""
STOP_WORDS = frozenset(_STOP_TEXT.split())


def content_words(text: str) -> list[str]:
    """Lower-cased words of a text without stop words (numbers kept: they tell claims apart)."""
    return [w for w in _WORD.findall(text.lower()) if w not in STOP_WORDS]


def char_ngrams(text: str, n: int = 4) -> Counter[str]:
    """Character n-grams of each content word padded with spaces ("deploy" -> " dep", …)."""
    grams: Counter[str] = Counter()
    for word in content_words(text):
        padded = f" {word} "
        if len(padded) <= n:
            grams[padded] += 1
            continue
        grams.update(padded[i : i + n] for i in range(len(padded) - n + 1))
    return grams


def cosine(a: Counter[str], b: Counter[str]) -> float:
    if not a or not b:
        return 0.0
    if len(a) > len(b):
        a, b = b, a
    dot = sum(count * b[gram] for gram, count in a.items() if gram in b)
    norm = math.sqrt(sum(v * v for v in a.values())) * math.sqrt(sum(v * v for v in b.values()))
    return dot / norm if norm else 0.0


class LexicalSimilarity:
    """Cosine over character 4-grams of content words: no model, always available."""

    method = LEXICAL_METHOD
    floor = 0.10
    ceiling = 0.55

    def __init__(self) -> None:
        self._grams: dict[str, Counter[str]] = {}

    def _vector(self, text: str) -> Counter[str]:
        grams = self._grams.get(text)
        if grams is None:
            grams = self._grams[text] = char_ngrams(text)
        return grams

    def prepare(self, texts: Iterable[str]) -> None:
        for text in texts:
            self._vector(text)

    def score(self, a: str, b: str) -> float:
        return 1.0 if a == b else cosine(self._vector(a), self._vector(b))


# -- sentence embeddings ------------------------------------------------------------------------

_package_file = package_file  # the name the tests and older callers know


class EmbeddingSimilarity:
    """Cosine of all-MiniLM-L6-v2 sentence embeddings (int8 ONNX, CPU); see ``nlp/embed.py``."""

    method = EMBEDDING_METHOD
    floor = 0.25
    ceiling = 0.70

    def __init__(self, files: tuple[Path, Path]) -> None:
        self._embedder = SentenceEmbedder(files, cache=True)

    def embed(self, text: str) -> Any:
        """The unit-length embedding of one text (a numpy vector of 384 floats)."""
        return self._embedder.embed(text)

    def prepare(self, texts: Iterable[str]) -> None:
        for text in sorted(set(texts)):
            self.embed(text)

    def score(self, a: str, b: str) -> float:
        if a == b:
            return 1.0
        return max(0.0, min(1.0, float(self.embed(a) @ self.embed(b))))


def load_similarity(choice: str = "auto") -> Similarity:
    """The similarity named by the setting; ``auto`` falls back to lexical when needed.

    Raises ``ConfigError`` for an unknown choice, or for ``embedding`` when its files are
    not installed (the message says what to install).
    """
    choice = (choice or "auto").strip().lower()
    if choice not in CHOICES:
        why = f"choose one of {', '.join(CHOICES)}"
        raise ConfigError(ErrorCode.E002.format(key="similarity", value=choice, why=why))
    if choice == "lexical":
        return LexicalSimilarity()
    files = embedding_files()
    if files is None:
        if choice == "embedding":
            why = f"the embedding files are not installed; run: {ENABLE_HINT}"
            raise ConfigError(ErrorCode.E002.format(key="similarity", value=choice, why=why))
        return LexicalSimilarity()
    return EmbeddingSimilarity(files)


def calibrated(similarity: Similarity, raw: float) -> float:
    """Map a raw score onto [0, 1] between the method's floor (unrelated) and ceiling."""
    span = similarity.ceiling - similarity.floor
    return max(0.0, min(1.0, (raw - similarity.floor) / span))


def prepare_all(similarity: Similarity, texts: Sequence[str]) -> None:
    """Prepare texts in a fixed order, so caches fill the same way on every run."""
    similarity.prepare(sorted(set(texts)))
