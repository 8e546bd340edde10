"""Near-duplicate detection: MinHash signatures over word shingles, indexed with LSH.

Exact duplicates never get this far (a document's id is the hash of its normalised text).
Near duplicates are the same wire story with a different byline, a corrected figure or a
site footer: they are stored as documents of their own, since each may carry a fact the
others lack, but linked to the first copy so counts and briefings can fold them together.

Signatures are stable across processes (fixed seed, scheme and shingle size, named by
``METHOD``) so they can be stored and the index rebuilt from the store without re-reading
every text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from datasketch import MinHash, MinHashLSH

from sitrep.records import normalise_text

METHOD = "dedup.minhash.v1"  # change the name whenever a parameter below changes
NUM_PERM = 128
SEED = 1
SCHEME = "affine32"
SHINGLE_WORDS = 5
THRESHOLD = 0.8  # estimated Jaccard similarity of shingle sets at which texts are linked
# LSH is tuned lower than THRESHOLD: tuned at 0.8 it misses about 60% of pairs at 0.8 (and a
# third at 0.85); at 0.5 it finds practically all of them, and each candidate is then checked
# against THRESHOLD with its full signature.
CANDIDATE_THRESHOLD = 0.5

_WORD = re.compile(r"\w+")
_DTYPE = np.dtype("<u4")


@dataclass(frozen=True, slots=True)
class NearMatch:
    """The stored document a new text nearly duplicates, and how similar they are."""

    document_id: str
    similarity: float


def shingles(text: str, size: int = SHINGLE_WORDS) -> set[bytes]:
    """Overlapping runs of ``size`` words, lower-cased; a shorter text is one shingle."""
    words = _WORD.findall(normalise_text(text).lower())
    if len(words) <= size:
        return {" ".join(words).encode("utf-8")}
    return {" ".join(words[i : i + size]).encode("utf-8") for i in range(len(words) - size + 1)}


def signature(text: str) -> MinHash:
    """The MinHash signature of a text's shingles."""
    minhash = MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME)
    minhash.update_batch(sorted(shingles(text)))
    return minhash


def to_bytes(minhash: MinHash) -> bytes:
    """A signature as bytes for the store (little-endian 32-bit values)."""
    return np.asarray(minhash.hashvalues, dtype=_DTYPE).tobytes()


def from_bytes(data: bytes) -> MinHash:
    """A signature read back from the store."""
    values = np.frombuffer(data, dtype=_DTYPE)
    if len(values) != NUM_PERM:
        raise ValueError(f"a {METHOD} signature has {NUM_PERM} values, got {len(values)}")
    return MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME, hashvalues=values.astype(np.uint32))


class NearDuplicateIndex:
    """An LSH index over stored signatures that finds the closest earlier document."""

    def __init__(self, threshold: float = THRESHOLD) -> None:
        self.threshold = threshold
        self._lsh = MinHashLSH(threshold=min(threshold, CANDIDATE_THRESHOLD), num_perm=NUM_PERM)
        self._signatures: dict[str, MinHash] = {}

    def __len__(self) -> int:
        return len(self._signatures)

    def __contains__(self, document_id: object) -> bool:
        return document_id in self._signatures

    def add(self, document_id: str, minhash: MinHash) -> None:
        """Index a stored document (adding the same id twice is a no-op)."""
        if document_id not in self._signatures:
            self._lsh.insert(document_id, minhash)
            self._signatures[document_id] = minhash

    def add_all(self, signatures: Iterable[tuple[str, bytes]]) -> None:
        """Index signatures as read from the store."""
        for document_id, data in signatures:
            self.add(document_id, from_bytes(data))

    def match(self, minhash: MinHash, *, exclude: str | None = None) -> NearMatch | None:
        """The most similar indexed document at or above the threshold, ties by id."""
        best: NearMatch | None = None
        for candidate in sorted(self._lsh.query(minhash)):
            if candidate == exclude:
                continue
            similarity = float(minhash.jaccard(self._signatures[candidate]))
            if similarity >= self.threshold and (best is None or similarity > best.similarity):
                best = NearMatch(candidate, round(similarity, 4))
        return best
