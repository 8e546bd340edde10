"""The event-type classifier: training data validation, fitting, folds, weights, staleness."""

from __future__ import annotations

import shutil
from importlib import resources
from pathlib import Path

import numpy as np
import pytest

from sitrep.errors import DataFileError
from sitrep.nlp import event_types as et
from sitrep.nlp.embed import EMBEDDING_METHOD

TOY = {
    "ASSAULT": ["rockets hit the town", "shells hit the village", "drones hit the depot"],
    "PROTEST": ["crowds marched in the square", "workers marched downtown", "students marched"],
    "CONSULT": ["ministers met for talks", "envoys met in the capital", "leaders met briefly"],
}


def toy_set(embedder) -> tuple[np.ndarray, list[str]]:
    texts = [t for texts in TOY.values() for t in texts]
    labels = [label for label, texts in TOY.items() for _ in texts]
    return np.stack([embedder.embed(t) for t in texts]), labels


# -- training data --------------------------------------------------------------------------


def test_event_types_packaged_training_file_loads() -> None:
    training = et.load_training()
    assert len(training.texts) == len(training.labels) == len(set(training.texts))
    for label in et.LABELS:
        assert training.labels.count(label) >= et.MIN_PER_CLASS
    assert len(training.digest) == 64


def _write(tmp_path: Path, classes: dict[str, list[str]], version: int = 1) -> Path:
    lines = [f"version: {version}", "classes:"]
    for label, sentences in classes.items():
        lines.append(f"  {label}:")
        lines.extend(f'    - "{s}"' for s in sentences)
    (tmp_path / et.TRAINING_FILE).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return tmp_path


def _valid_classes() -> dict[str, list[str]]:
    return {
        label: [f"{label.lower()} sentence number {i}" for i in range(et.MIN_PER_CLASS)]
        for label in et.LABELS
    }


def test_event_types_training_file_written_by_hand_loads(tmp_path: Path) -> None:
    training = et.load_training(_write(tmp_path, _valid_classes()))
    assert training.labels[0] == et.LABELS[0]
    assert len(training.texts) == len(et.LABELS) * et.MIN_PER_CLASS


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        (lambda c: c.update(WAGE=c["AGREE"]), "unknown classes ['WAGE']"),
        (lambda c: c.pop("NONE"), "classes ['NONE'] have no sentences"),
        (lambda c: c["AID"].pop(), f"AID has {et.MIN_PER_CLASS - 1} sentences"),
        (lambda c: c["AID"].append(c["AGREE"][0]), "listed twice"),
        (lambda c: c["AID"].append("  "), "AID has an empty sentence"),
    ],
)
def test_event_types_training_file_is_validated(tmp_path: Path, change, fragment: str) -> None:
    classes = _valid_classes()
    change(classes)
    with pytest.raises(DataFileError, match=r"event_types\.yaml is invalid") as caught:
        et.load_training(_write(tmp_path, classes))
    assert fragment in str(caught.value)


def test_event_types_training_file_version_missing_and_bad_yaml(tmp_path: Path) -> None:
    with pytest.raises(DataFileError, match="version 2 is not supported"):
        et.load_training(_write(tmp_path, _valid_classes(), version=2))
    (tmp_path / et.TRAINING_FILE).write_text("classes: [unclosed\n", encoding="utf-8")
    with pytest.raises(DataFileError, match="not valid YAML"):
        et.load_training(tmp_path)
    with pytest.raises(DataFileError, match="file not found"):
        et.load_training(tmp_path / "nowhere")


# -- fitting and folds ------------------------------------------------------------------------


def test_event_types_fit_learns_a_separable_toy_set(fake_embedder) -> None:
    vectors, labels = toy_set(fake_embedder)
    model = et.fit(vectors, labels, classes=tuple(TOY), iterations=300)
    assert model.predict(vectors) == labels
    probs = model.probabilities(fake_embedder.embed("artillery hit the bridge"))
    assert probs.shape == (3,) and abs(float(probs.sum()) - 1.0) < 1e-9
    assert model.labels[int(probs.argmax())] == "ASSAULT"


def test_event_types_fit_is_deterministic(fake_embedder) -> None:
    vectors, labels = toy_set(fake_embedder)
    first = et.fit(vectors, labels, classes=tuple(TOY), iterations=50)
    again = et.fit(vectors, labels, classes=tuple(TOY), iterations=50)
    assert (first.weights == again.weights).all() and (first.bias == again.bias).all()


def test_event_types_folds_are_stratified_and_fixed() -> None:
    labels = ["A", "A", "B", "A", "B", "B"]
    assert et.fold_of(labels, 2).tolist() == [0, 1, 0, 0, 1, 0]


def test_event_types_cross_validation_holds_each_sentence_out(fake_embedder) -> None:
    vectors, labels = toy_set(fake_embedder)
    accuracy, predicted = et.cross_validate(
        vectors, labels, folds=3, classes=tuple(TOY), iterations=200
    )
    assert len(predicted) == len(labels) and set(predicted) <= set(TOY)
    assert accuracy == sum(p == g for p, g in zip(predicted, labels, strict=True)) / len(labels)


# -- weights on disk and staleness -----------------------------------------------------------


def test_event_types_model_json_round_trip(fake_embedder) -> None:
    vectors, labels = toy_set(fake_embedder)
    model = et.fit(vectors, labels, classes=tuple(TOY), iterations=50)
    text = model.to_json()
    back = et.TypeModel.from_json(text)
    assert back.labels == model.labels and back.meta == model.meta
    assert np.allclose(back.weights, model.weights, atol=1e-6)
    assert back.to_json() == text  # float32 on disk: reading and writing again changes nothing


def test_event_types_shipped_weights_match_the_training_file() -> None:
    """Fails when event_types.yaml was edited without retraining (CI has no model to do it)."""
    model = et.load_model(EMBEDDING_METHOD)
    assert model.labels == et.LABELS
    assert model.meta["training_digest"] == et.load_training().digest
    assert model.meta["name"] == et.CLASSIFIER_NAME


def _copy_training(tmp_path: Path) -> Path:
    source = resources.files(et.TRAINING_PACKAGE)
    for name in (et.TRAINING_FILE, et.MODEL_FILE):
        shutil.copyfile(str(source / name), tmp_path / name)
    return tmp_path


def test_event_types_stale_weights_are_refused(tmp_path: Path) -> None:
    folder = _copy_training(tmp_path)
    with (folder / et.TRAINING_FILE).open("a", encoding="utf-8") as out:
        out.write("# an edit after training\n")
    with pytest.raises(DataFileError, match=r"stale: .* python -m sitrep\.nlp\.train_event_types"):
        et.load_model(EMBEDDING_METHOD, folder)


def test_event_types_weights_of_another_embedder_are_refused(tmp_path: Path) -> None:
    with pytest.raises(DataFileError, match="trained with embedder"):
        et.load_model("embedding.other-model.v1", _copy_training(tmp_path))


def test_event_types_missing_or_broken_weights(tmp_path: Path) -> None:
    folder = _copy_training(tmp_path)
    (folder / et.MODEL_FILE).unlink()
    with pytest.raises(DataFileError, match="file not found; retrain"):
        et.load_model(EMBEDDING_METHOD, folder)
    (folder / et.MODEL_FILE).write_text("{}", encoding="utf-8")
    with pytest.raises(DataFileError, match="not a model file"):
        et.load_model(EMBEDDING_METHOD, folder)
