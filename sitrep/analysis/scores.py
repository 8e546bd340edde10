"""Typed score records for ``sitrep eval``: counts, accuracies, distances and the report.

A report is the one record every gold scheme fills in (our gold files, the PLOVER, NGEC,
CAMEO and penta-class benchmarks); metrics a scheme cannot measure stay absent rather than
zero, so "not measured" is never mistaken for "scored 0".
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from typing import Any

NONE_LABEL = "(none)"  # the row/column of the confusion table for "no event"


def _ratio(num: int, den: int) -> float | None:
    return num / den if den else None


def _round(value: float | None, digits: int = 4) -> float | None:
    return None if value is None else round(value, digits)


@dataclass(slots=True)
class Counts:
    """True positives, false positives and misses, with precision, recall and F1."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float | None:
        return _ratio(self.tp, self.tp + self.fp)

    @property
    def recall(self) -> float | None:
        return _ratio(self.tp, self.tp + self.fn)

    @property
    def f1(self) -> float | None:
        """Harmonic mean of precision and recall; 0.0 when nothing matched but something
        was expected or predicted, None when there was nothing to score at all."""
        if self.tp + self.fp + self.fn == 0:
            return None
        return 2 * self.tp / (2 * self.tp + self.fp + self.fn)

    def add(self, other: Counts) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn

    def to_dict(self) -> dict[str, Any]:
        return {
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "precision": _round(self.precision),
            "recall": _round(self.recall),
            "f1": _round(self.f1),
        }


@dataclass(slots=True)
class Accuracy:
    """Correct out of total; ``value`` is None when nothing was comparable."""

    correct: int = 0
    total: int = 0

    def record(self, ok: bool) -> None:
        self.total += 1
        self.correct += int(ok)

    @property
    def value(self) -> float | None:
        return _ratio(self.correct, self.total)

    def to_dict(self) -> dict[str, Any]:
        return {"correct": self.correct, "total": self.total, "value": _round(self.value)}


@dataclass(slots=True)
class Distances:
    """Geocoding errors in km between predicted and gold coordinates."""

    km: list[float] = field(default_factory=list)

    @property
    def mean(self) -> float | None:
        return statistics.fmean(self.km) if self.km else None

    @property
    def median(self) -> float | None:
        return statistics.median(self.km) if self.km else None

    def within(self, limit_km: float) -> float | None:
        return _ratio(sum(1 for d in self.km if d <= limit_km), len(self.km))

    def to_dict(self) -> dict[str, Any]:
        return {
            "n": len(self.km),
            "mean_km": _round(self.mean, 1),
            "median_km": _round(self.median, 1),
            "within_50km": _round(self.within(50.0)),
        }


@dataclass(frozen=True, slots=True)
class ErrorCase:
    """One scoring error, described for a person reading the output."""

    document: str
    kind: str  # missed, spurious, wrong_type, attribution, category, country, …
    gold: str
    predicted: str
    text: str

    def to_dict(self) -> dict[str, str]:
        return {
            "document": self.document,
            "kind": self.kind,
            "gold": self.gold,
            "predicted": self.predicted,
            "text": self.text,
        }


# Metric names, in the order the summary table shows them, with what each measures.
METRIC_HELP: dict[str, str] = {
    "attribution": "matched events with both status and asserted_by right",
    "status": "matched events with an acceptable status",
    "asserted_by": "matched events whose asserters equal the gold ones ([] = the outlet)",
    "negation": "matched events whose negation flag is right",
    "actors": "matched events whose source and target key sets equal the gold ones",
    "actors_found": "gold actors of a document that some predicted event names",
    "dates": "matched events whose resolved date equals the gold date",
    "location_country": "matched events whose location country equals the gold one",
    "category": "sentences with a gold event whose best predicted event has its category",
    "country": "phrases resolved to the gold country (IGOs as EUR/UNO)",
    "sector": "phrases resolved to a gold sector, where the sector schemes overlap",
    "no_actor": "phrases that should resolve to nothing and did",
    "title": "phrases resolved to the gold Wikipedia title (name match)",
    "cameo_root": "gold CAMEO events (roots 03-20) found with the same 2-digit root",
    "penta": "gold events whose penta class (0-4) a predicted event shares",
    "no_event": "sentences with nothing to code where nothing was predicted",
}


@dataclass(slots=True)
class EvalReport:
    """Everything one gold set scored: event P/R/F1, per-category counts, accuracies."""

    name: str
    scheme: str
    split: str = "all"
    documents: int = 0
    events: Counts | None = None
    categories: dict[str, Counts] = field(default_factory=dict)
    confusion: dict[str, dict[str, int]] = field(default_factory=dict)
    metrics: dict[str, Accuracy] = field(default_factory=dict)
    geocoding: Distances = field(default_factory=Distances)
    errors: list[ErrorCase] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def metric(self, name: str) -> Accuracy:
        """The accuracy called ``name``, created empty on first use."""
        return self.metrics.setdefault(name, Accuracy())

    def category(self, name: str) -> Counts:
        return self.categories.setdefault(name, Counts())

    def confuse(self, gold: str, predicted: str) -> None:
        row = self.confusion.setdefault(gold, {})
        row[predicted] = row.get(predicted, 0) + 1

    def values(self) -> dict[str, float]:
        """Flat name -> value of every measured figure (what the gate pins floors on)."""
        out: dict[str, float] = {}
        if self.events is not None:
            for key in ("precision", "recall", "f1"):
                value = getattr(self.events, key)
                if value is not None:
                    out[f"event_{key}"] = value
        for name, accuracy in self.metrics.items():
            if accuracy.value is not None:
                out[name] = accuracy.value
        return out

    def summary_rows(self) -> list[dict[str, Any]]:
        """One row per figure for the summary table."""
        rows: list[dict[str, Any]] = []
        if self.events is not None:
            e = self.events
            detail = f"tp {e.tp}, fp {e.fp}, fn {e.fn}"
            for key in ("precision", "recall", "f1"):
                rows.append(
                    {
                        "metric": f"event {key}",
                        "value": _fmt(getattr(e, key)),
                        "n": e.tp + e.fn if key != "precision" else e.tp + e.fp,
                        "detail": detail,
                    }
                )
        for name in sorted(self.metrics, key=_metric_order):
            accuracy = self.metrics[name]
            rows.append(
                {
                    "metric": name.replace("_", " "),
                    "value": _fmt(accuracy.value),
                    "n": accuracy.total,
                    "detail": f"{accuracy.correct}/{accuracy.total} " + METRIC_HELP.get(name, ""),
                }
            )
        if self.geocoding.km:
            geo = self.geocoding
            rows.append(
                {
                    "metric": "geocoding error km",
                    "value": f"{geo.median:.1f}",
                    "n": len(geo.km),
                    "detail": f"median; mean {geo.mean:.1f} km, "
                    f"{_fmt(geo.within(50.0))} within 50 km",
                }
            )
        return rows

    def category_rows(self) -> list[dict[str, Any]]:
        rows = []
        for name in sorted(self.categories, key=_category_order):
            c = self.categories[name]
            rows.append(
                {
                    "category": name,
                    "gold": c.tp + c.fn,
                    "predicted": c.tp + c.fp,
                    "tp": c.tp,
                    "fp": c.fp,
                    "fn": c.fn,
                    "precision": _fmt(c.precision),
                    "recall": _fmt(c.recall),
                    "f1": _fmt(c.f1),
                }
            )
        return rows

    def confusion_rows(self) -> tuple[list[dict[str, Any]], list[str]]:
        """Rows gold label -> counts per predicted label, and the column names."""
        predicted = sorted({p for row in self.confusion.values() for p in row}, key=_category_order)
        columns = ["gold", *predicted]
        rows = []
        for gold in sorted(self.confusion, key=_category_order):
            counts = self.confusion[gold]
            rows.append({"gold": gold, **{p: counts.get(p, "") for p in predicted}})
        return rows, columns

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "scheme": self.scheme,
            "split": self.split,
            "documents": self.documents,
            "events": self.events.to_dict() if self.events is not None else None,
            "categories": {k: v.to_dict() for k, v in sorted(self.categories.items())},
            "confusion": self.confusion,
            "metrics": {k: v.to_dict() for k, v in sorted(self.metrics.items())},
            "geocoding": self.geocoding.to_dict(),
            "errors": [e.to_dict() for e in self.errors],
            "notes": list(self.notes),
        }


def _fmt(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"


def _metric_order(name: str) -> tuple[int, str]:
    order = list(METRIC_HELP)
    return (order.index(name) if name in order else len(order), name)


def _category_order(name: str) -> tuple[int, str]:
    from sitrep.records import PLOVER_CATEGORIES

    if name in PLOVER_CATEGORIES:
        return (PLOVER_CATEGORIES.index(name), name)
    return (len(PLOVER_CATEGORIES) + (name == NONE_LABEL), name)
