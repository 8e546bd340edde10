"""Event-type classifier over sentence embeddings: training data, model, training, staleness.

The rule extractor decides an event's PLOVER category from its trigger word. A few trigger
words are ambiguous ("launched missiles" into the sea or at a city, "struck" a depot or a
deal, "released" hostages or a statement); the lexicon lists their other readings as
``alternatives``, and ``nlp/retype.py`` lets this classifier choose among them.

- **Data**: ``sitrep/data/training/event_types.yaml``, sentences we wrote ourselves, at least
  ``MIN_PER_CLASS`` per PLOVER category plus ``NONE`` (actors, no event). Validated on load.
- **Model** (``classify.event_types.minilm-logreg.v1``): multinomial logistic regression on
  the 384-d all-MiniLM-L6-v2 embeddings (``nlp/embed.py``), centred on the training mean,
  L2-regularised, fitted by full-batch Nesterov gradient descent from zero: no randomness, so
  the same data gives the same weights. numpy only (spaCy already needs it).
- **Weights**: ``sitrep/data/training/event_types.model.json``, written by
  ``python -m sitrep.nlp.train_event_types``, with the SHA-256 of the training file and the
  embedder's name. Loading refuses weights whose digest or embedder no longer match, so an
  edited training file cannot be served by a stale model.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import yaml
from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from sitrep.data import data_file_error, load_yaml
from sitrep.records import PLOVER_CATEGORIES

CLASSIFIER_NAME = "classify.event_types.minilm-logreg.v1"
NONE_LABEL = "NONE"
LABELS: tuple[str, ...] = (*PLOVER_CATEGORIES, NONE_LABEL)
MIN_PER_CLASS = 25
TRAINING_PACKAGE = "sitrep.data.training"
TRAINING_FILE = "event_types.yaml"
MODEL_FILE = "event_types.model.json"
RETRAIN_HINT = "retrain with: python -m sitrep.nlp.train_event_types"
L2 = 1e-3  # chosen by 5-fold cross-validation on the training file (see BENCHMARKS.md)
ITERATIONS = 500  # converged: 300, 1000 and 3000 steps give the same held-out accuracy


# -- training data --------------------------------------------------------------------------


class TrainingFile(BaseModel):
    """The YAML shape: ``version`` and ``classes: {LABEL: [sentence, …]}``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    version: int
    classes: dict[str, list[str]]

    @field_validator("version")
    @classmethod
    def _known_version(cls, value: int) -> int:
        if value != 1:
            raise ValueError(f"version {value} is not supported (expected 1)")
        return value

    @field_validator("classes")
    @classmethod
    def _every_class_with_enough_distinct_sentences(
        cls, value: dict[str, list[str]]
    ) -> dict[str, list[str]]:
        unknown = sorted(set(value) - set(LABELS))
        if unknown:
            raise ValueError(f"unknown classes {unknown}; known: {', '.join(LABELS)}")
        missing = [label for label in LABELS if label not in value]
        if missing:
            raise ValueError(f"classes {missing} have no sentences")
        seen: dict[str, str] = {}
        for label, sentences in value.items():
            for sentence in sentences:
                text = sentence.strip()
                if not text:
                    raise ValueError(f"{label} has an empty sentence")
                if text in seen:
                    raise ValueError(f"{text!r} is listed twice (under {seen[text]} and {label})")
                seen[text] = label
            if len(sentences) < MIN_PER_CLASS:
                raise ValueError(
                    f"{label} has {len(sentences)} sentences; at least {MIN_PER_CLASS} needed"
                )
        return value


@dataclass(frozen=True)
class TrainingSet:
    """Sentences with their labels, in file order, and the digest of the file they came from."""

    texts: tuple[str, ...]
    labels: tuple[str, ...]
    digest: str
    path: str


def digest_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _training_root(directory: Path | None) -> Any:
    return directory if directory is not None else resources.files(TRAINING_PACKAGE)


def load_training(directory: Path | None = None) -> TrainingSet:
    """Read and validate the training file (the packaged one unless ``directory`` is given).

    Raises ``DataFileError`` naming the file when it is missing, not YAML, or invalid.
    """
    root = _training_root(directory)
    path = str(root / TRAINING_FILE)
    try:
        raw = (root / TRAINING_FILE).read_bytes()
    except (FileNotFoundError, NotADirectoryError) as exc:
        raise data_file_error(path, "file not found") from exc
    try:
        parsed = TrainingFile.model_validate(load_yaml(raw.decode("utf-8")))
    except ValidationError as exc:
        raise data_file_error(path, str(exc).replace("\n", " ")) from exc
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise data_file_error(path, f"not valid YAML ({exc})") from exc
    pairs = [(s.strip(), label) for label in LABELS for s in parsed.classes[label]]
    return TrainingSet(
        texts=tuple(t for t, _ in pairs),
        labels=tuple(label for _, label in pairs),
        digest=digest_of(raw),
        path=path,
    )


# -- the model ------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class TypeModel:
    """Softmax over ``labels`` of ``weights @ (x - mean) + bias`` for a unit embedding ``x``."""

    labels: tuple[str, ...]
    mean: np.ndarray  # (d,)
    weights: np.ndarray  # (k, d)
    bias: np.ndarray  # (k,)
    meta: dict[str, Any] = field(default_factory=dict)

    def probabilities(self, vectors: np.ndarray) -> np.ndarray:
        """Class probabilities, (k,) for one vector or (n, k) for a matrix of them."""
        single = vectors.ndim == 1
        x = np.atleast_2d(np.asarray(vectors, dtype=np.float64)) - self.mean
        scores = x @ self.weights.T + self.bias
        probs = _softmax(scores)
        return probs[0] if single else probs

    def predict(self, vectors: np.ndarray) -> list[str]:
        probs = np.atleast_2d(self.probabilities(vectors))
        return [self.labels[i] for i in probs.argmax(axis=1)]

    def to_json(self) -> str:
        """A deterministic text form: arrays as base64 float32, keys sorted."""
        document = {
            "meta": self.meta,
            "labels": list(self.labels),
            "mean": _pack(self.mean),
            "weights": _pack(self.weights),
            "bias": _pack(self.bias),
        }
        return json.dumps(document, indent=1, sort_keys=True) + "\n"

    @classmethod
    def from_json(cls, text: str) -> TypeModel:
        document = json.loads(text)
        return cls(
            labels=tuple(document["labels"]),
            mean=_unpack(document["mean"]),
            weights=_unpack(document["weights"]),
            bias=_unpack(document["bias"]),
            meta=dict(document["meta"]),
        )


def _softmax(scores: np.ndarray) -> np.ndarray:
    shifted = scores - scores.max(axis=1, keepdims=True)
    exp = np.exp(shifted)
    return exp / exp.sum(axis=1, keepdims=True)


def _pack(array: np.ndarray) -> dict[str, Any]:
    data = np.ascontiguousarray(array, dtype="<f4").tobytes()
    return {"shape": list(array.shape), "float32_base64": base64.b64encode(data).decode("ascii")}


def _unpack(packed: dict[str, Any]) -> np.ndarray:
    data = base64.b64decode(packed["float32_base64"])
    array = np.frombuffer(data, dtype="<f4").astype(np.float64)
    return array.reshape(tuple(packed["shape"]))


def fit(
    vectors: np.ndarray,
    labels: Sequence[str],
    *,
    classes: Sequence[str] = LABELS,
    l2: float = L2,
    iterations: int = ITERATIONS,
) -> TypeModel:
    """Fit multinomial logistic regression; deterministic (zero start, fixed step count).

    Minimises mean cross-entropy + ``l2``/2 · ||W||² with Nesterov's accelerated gradient.
    The data are centred, so the curvature splits into a block for the weights (at most half
    the top eigenvalue of the covariance, plus ``l2``) and one for the bias (at most 1/2);
    each block takes the step 1/curvature.
    """
    x = np.asarray(vectors, dtype=np.float64)
    index = {label: i for i, label in enumerate(classes)}
    y = np.zeros((len(labels), len(classes)))
    y[np.arange(len(labels)), [index[label] for label in labels]] = 1.0
    mean = x.mean(axis=0)
    xc = x - mean
    n = len(xc)
    top = float(np.linalg.eigvalsh(xc.T @ xc / n)[-1])
    step, bias_step = 1.0 / (0.5 * top + l2), 2.0
    weights = np.zeros((len(classes), x.shape[1]))
    bias = np.zeros(len(classes))
    w_prev, b_prev = weights.copy(), bias.copy()
    for t in range(1, iterations + 1):
        momentum = (t - 1) / (t + 2)
        w_look = weights + momentum * (weights - w_prev)
        b_look = bias + momentum * (bias - b_prev)
        error = _softmax(xc @ w_look.T + b_look) - y
        w_prev, b_prev = weights, bias
        weights = w_look - step * (error.T @ xc / n + l2 * w_look)
        bias = b_look - bias_step * error.mean(axis=0)
    return TypeModel(tuple(classes), mean, weights, bias, {"l2": l2, "iterations": iterations})


def fold_of(labels: Sequence[str], folds: int) -> np.ndarray:
    """Stratified, deterministic folds: the i-th sentence of each class goes to fold i mod k."""
    seen: dict[str, int] = {}
    out = np.empty(len(labels), dtype=int)
    for i, label in enumerate(labels):
        out[i] = seen.get(label, 0) % folds
        seen[label] = seen.get(label, 0) + 1
    return out


def cross_validate(
    vectors: np.ndarray, labels: Sequence[str], *, folds: int = 5, **options: Any
) -> tuple[float, list[str]]:
    """Held-out accuracy over ``folds`` stratified folds, and the prediction for each sentence."""
    assignment = fold_of(labels, folds)
    predicted: list[str] = [""] * len(labels)
    for k in range(folds):
        train = assignment != k
        kept = [label for label, keep in zip(labels, train, strict=True) if keep]
        model = fit(vectors[train], kept, **options)
        test = np.flatnonzero(~train)
        for i, label in zip(test, model.predict(vectors[test]), strict=True):
            predicted[i] = label
    correct = sum(p == g for p, g in zip(predicted, labels, strict=True))
    return correct / len(labels), predicted


# -- loading the shipped weights --------------------------------------------------------------


def load_model(
    embedder_method: str, directory: Path | None = None, training: TrainingSet | None = None
) -> TypeModel:
    """The shipped weights, checked against the training file and the embedder.

    Raises ``DataFileError`` (E301) when the file is missing or unreadable, when it was
    trained on another version of the training file (stale), or for another embedder.
    """
    root = _training_root(directory)
    path = str(root / MODEL_FILE)
    try:
        model = TypeModel.from_json((root / MODEL_FILE).read_text(encoding="utf-8"))
    except (FileNotFoundError, NotADirectoryError) as exc:
        raise data_file_error(path, f"file not found; {RETRAIN_HINT}") from exc
    except (ValueError, KeyError, TypeError) as exc:
        raise data_file_error(path, f"not a model file ({exc}); {RETRAIN_HINT}") from exc
    check_model(model, path, embedder_method, training or load_training(directory))
    return model


def check_model(model: TypeModel, path: str, embedder_method: str, training: TrainingSet) -> None:
    """Refuse weights that do not belong to this training file, label set and embedder."""
    trained_on = model.meta.get("training_digest")
    if trained_on != training.digest:
        why = (
            f"stale: trained on {TRAINING_FILE} with digest {str(trained_on)[:12]}…, but the "
            f"file now has {training.digest[:12]}…; {RETRAIN_HINT}"
        )
        raise data_file_error(path, why)
    if model.meta.get("embedder") != embedder_method:
        why = f"trained with embedder {model.meta.get('embedder')!r}, not {embedder_method!r}"
        raise data_file_error(path, f"{why}; {RETRAIN_HINT}")
    if model.labels != LABELS or model.weights.shape != (len(LABELS), model.mean.shape[0]):
        raise data_file_error(path, f"labels or shapes do not match; {RETRAIN_HINT}")
