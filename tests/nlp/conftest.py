"""A deterministic stand-in for the sentence embedder, so the learned stage is tested
without the ONNX model (as CI runs)."""

from __future__ import annotations

import hashlib
import re

import numpy as np
import pytest

FAKE_METHOD = "test.fake-embedder.v1"


class FakeEmbedder:
    """Hashes each word into one of ``dims`` buckets; unit length, like the real one."""

    method = FAKE_METHOD

    def __init__(self, dims: int = 64) -> None:
        self.dims = dims
        self.calls: list[str] = []

    def embed(self, text: str) -> np.ndarray:
        self.calls.append(text)
        vector = np.zeros(self.dims)
        for word in re.findall(r"[a-z]+", text.lower()):
            bucket = int.from_bytes(hashlib.sha256(word.encode()).digest()[:4], "big")
            vector[bucket % self.dims] += 1.0
        norm = float(np.linalg.norm(vector))
        return vector / norm if norm else vector


@pytest.fixture
def fake_embedder() -> FakeEmbedder:
    return FakeEmbedder()
