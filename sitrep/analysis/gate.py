"""The extraction-quality gate: score floors pinned in a JSON baseline, checked in CI.

The baseline (``gold/baseline.json``) holds overall floors (event P/R/F1, attribution …),
per-category F1 floors, and a digest of the gold corpus it was measured on. A check fails
when any figure falls below its floor or the corpus changed since the floors were set.

Floors are what the extractor scored minus a small tolerance (and never less than one
item's worth of the figure, so one flipped event in a six-event category is no alarm), so
the gate passes today and catches a regression tomorrow. ``update`` raises floors freely
but refuses to lower one (or drop one) unless regressions are explicitly allowed, as
trafilatura's ``eval_gate`` does.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sitrep.analysis.gold import BASELINE_KIND, GoldDocument, evaluation_error
from sitrep.analysis.scores import EvalReport
from sitrep.errors import ErrorCode

# Overall figures the gate pins, when the report measured them.
GATED_METRICS = (
    "event_precision",
    "event_recall",
    "event_f1",
    "attribution",
    "status",
    "asserted_by",
    "negation",
    "actors",
    "actors_found",
    "dates",
    "location_country",
)
DEFAULT_TOLERANCE = 0.03  # overall figures: a few events' worth on ~100 gold events
DEFAULT_CATEGORY_TOLERANCE = 0.10  # per category: about one event on ~6 gold events
_EPSILON = 1e-9


def corpus_digest(documents: Sequence[GoldDocument]) -> str:
    """SHA-256 over the sorted (id, record digest) pairs: any edit to the gold changes it."""
    lines = sorted(f"{d.document.record_id or d.document.id}:{d.digest}" for d in documents)
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class Baseline:
    """Floors and the corpus they were measured on."""

    split: str
    documents: int
    digest: str
    overall: dict[str, float]
    categories: dict[str, float]
    tolerance: float = DEFAULT_TOLERANCE
    category_tolerance: float = DEFAULT_CATEGORY_TOLERANCE
    measured: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": BASELINE_KIND,
            "split": self.split,
            "corpus": {"documents": self.documents, "digest": self.digest},
            "tolerance": {"overall": self.tolerance, "category": self.category_tolerance},
            "floors": {"overall": self.overall, "categories": self.categories},
            "measured": self.measured,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any], *, path: str = "baseline") -> Baseline:
        try:
            if data.get("kind") != BASELINE_KIND:
                raise ValueError(f"'kind' must be {BASELINE_KIND!r}")
            floors = data["floors"]
            tolerance = data.get("tolerance") or {}
            return cls(
                split=str(data["split"]),
                documents=int(data["corpus"]["documents"]),
                digest=str(data["corpus"]["digest"]),
                overall={k: float(v) for k, v in floors["overall"].items()},
                categories={k: float(v) for k, v in floors["categories"].items()},
                tolerance=float(tolerance.get("overall", DEFAULT_TOLERANCE)),
                category_tolerance=float(tolerance.get("category", DEFAULT_CATEGORY_TOLERANCE)),
                measured=dict(data.get("measured") or {}),
            )
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise evaluation_error(ErrorCode.E506, path=path, why=repr(exc)) from exc


def load_baseline(path: str | Path) -> Baseline:
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise evaluation_error(ErrorCode.E506, path=path, why=exc) from exc
    if not isinstance(data, dict):
        raise evaluation_error(ErrorCode.E506, path=path, why="the top level must be an object")
    return Baseline.from_dict(data, path=str(path))


def save_baseline(path: str | Path, baseline: Baseline) -> None:
    text = json.dumps(baseline.to_dict(), indent=2, sort_keys=False, ensure_ascii=False)
    Path(path).write_text(text + "\n", encoding="utf-8")


def measured(report: EvalReport) -> tuple[dict[str, float], dict[str, float]]:
    """The gated overall figures and the per-category F1 of a report."""
    overall, categories = _measured_with_counts(report)
    return {k: v for k, (v, _) in overall.items()}, {k: v for k, (v, _) in categories.items()}


def _measured_with_counts(
    report: EvalReport,
) -> tuple[dict[str, tuple[float, int]], dict[str, tuple[float, int]]]:
    """Each gated figure with the number of items behind it (gold events, or scored pairs)."""
    values = report.values()
    sizes: dict[str, int] = {name: acc.total for name, acc in report.metrics.items()}
    if report.events is not None:
        gold = report.events.tp + report.events.fn
        sizes |= {
            "event_precision": report.events.tp + report.events.fp,
            "event_recall": gold,
            "event_f1": gold,
        }
    overall = {n: (values[n], sizes.get(n, 0)) for n in GATED_METRICS if n in values}
    categories = {
        name: (counts.f1, counts.tp + counts.fn)
        for name, counts in sorted(report.categories.items())
        if counts.f1 is not None and counts.tp + counts.fn > 0
    }
    return overall, categories  # type: ignore[return-value]


@dataclass(slots=True)
class GateResult:
    """What a gate check found: the failures (empty when it passed) and how many floors."""

    failures: list[str] = field(default_factory=list)
    checked: int = 0

    @property
    def passed(self) -> bool:
        return not self.failures

    def to_dict(self) -> dict[str, Any]:
        return {"passed": self.passed, "checked": self.checked, "failures": list(self.failures)}


def check_gate(
    report: EvalReport, documents: Sequence[GoldDocument], baseline: Baseline
) -> GateResult:
    """Compare a report with the baseline's floors and corpus digest."""
    result = GateResult()
    if report.split != baseline.split:
        result.failures.append(
            f"the baseline was measured on split {baseline.split!r}, this run used "
            f"{report.split!r}; pass --split {baseline.split}"
        )
    digest = corpus_digest(documents)
    if digest != baseline.digest:
        result.failures.append(
            f"the gold corpus changed since the floors were set ({len(documents)} documents "
            f"now, {baseline.documents} then); re-measure with --update"
        )
    overall, categories = measured(report)
    for kind, floors, values in (
        ("", baseline.overall, overall),
        ("category ", baseline.categories, categories),
    ):
        for name, floor in sorted(floors.items()):
            result.checked += 1
            value = values.get(name)
            if value is None or value + _EPSILON < floor:
                shown = "not measured" if value is None else f"{value:.3f}"
                result.failures.append(f"{kind}{name}: {shown} < floor {floor:.3f}")
    return result


def _floor(value: float, tolerance: float) -> float:
    return max(0.0, math.floor((value - tolerance) * 1000 + _EPSILON) / 1000)


def propose_baseline(
    report: EvalReport,
    documents: Sequence[GoldDocument],
    old: Baseline | None,
    *,
    tolerance: float | None = None,
    category_tolerance: float | None = None,
) -> tuple[Baseline, list[str]]:
    """New floors from a report, and the floors that would have to go down to pass.

    A floor rises to (score - tolerance) when the score allows; it stays where it was when
    the score is still at or above it; it is lowered (and listed) only when the score fell
    below it or the figure is no longer measured.
    """
    tol = tolerance if tolerance is not None else (old.tolerance if old else DEFAULT_TOLERANCE)
    cat_tol = (
        category_tolerance
        if category_tolerance is not None
        else (old.category_tolerance if old else DEFAULT_CATEGORY_TOLERANCE)
    )
    overall, categories = _measured_with_counts(report)
    lowered: list[str] = []

    def merge(
        values: dict[str, tuple[float, int]], before: dict[str, float], t: float
    ) -> dict[str, float]:
        floors: dict[str, float] = {}
        for name, (value, size) in values.items():
            # never less slack than one item's worth, so one flip on a small set is no alarm
            proposed = _floor(value, max(t, 1.0 / size) if size else t)
            if name in before and value + _EPSILON >= before[name]:
                floors[name] = max(before[name], proposed)
            else:
                if name in before:
                    lowered.append(f"{name} {before[name]:.3f} -> {proposed:.3f}")
                floors[name] = proposed
        lowered.extend(
            f"{name} {before[name]:.3f} -> dropped" for name in before if name not in values
        )
        return floors

    new = Baseline(
        split=report.split,
        documents=len(documents),
        digest=corpus_digest(documents),
        overall=merge(overall, old.overall if old else {}, tol),
        categories=merge(categories, old.categories if old else {}, cat_tol),
        tolerance=tol,
        category_tolerance=cat_tol,
        measured={
            "overall": {k: round(v, 4) for k, (v, _) in overall.items()},
            "categories": {k: round(v, 4) for k, (v, _) in categories.items()},
        },
    )
    return new, lowered


def update_baseline(
    path: str | Path,
    report: EvalReport,
    documents: Sequence[GoldDocument],
    *,
    allow_regression: bool = False,
) -> tuple[Baseline, list[str]]:
    """Rewrite the baseline at ``path`` from ``report``; refuse to lower floors unless allowed.

    Raises EvaluationError (E507) naming the floors that would go down.
    """
    path = Path(path)
    old = load_baseline(path) if path.exists() else None
    new, lowered = propose_baseline(report, documents, old)
    if lowered and not allow_regression:
        raise evaluation_error(ErrorCode.E507, floors="; ".join(lowered))
    save_baseline(path, new)
    return new, lowered
