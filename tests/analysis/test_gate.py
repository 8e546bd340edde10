"""The quality gate: floor arithmetic, the update rules, and the CI gate on gold/test.

All but the last test build reports by hand. The last one runs the real extractor over our
gold test half and checks it against the pinned floors in gold/baseline.json, so a change
that lowers extraction quality fails CI instead of slipping through.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sitrep.analysis.evaluate import GOLD_SCHEME, GoldDocument, evaluate_sets, parse_gold_document
from sitrep.analysis.gate import (
    Baseline,
    check_gate,
    corpus_digest,
    load_baseline,
    propose_baseline,
    save_baseline,
    update_baseline,
)
from sitrep.analysis.scores import Accuracy, Counts, EvalReport
from sitrep.errors import EvaluationError

REPO = Path(__file__).resolve().parents[2]
GOLD = REPO / "gold"


def docs(*texts: str) -> list[GoldDocument]:
    return [
        parse_gold_document(
            {"document": {"id": f"d{i}"}, "text": t, "events": [{"type": "AID"}]}, where="t"
        )
        for i, t in enumerate(texts)
    ]


def report(tp: int = 80, fp: int = 20, fn: int = 20, aid: tuple[int, int, int] = (8, 2, 2)):
    """A report with overall counts, one accuracy over 100 pairs and two categories."""
    out = EvalReport(name="g", scheme=GOLD_SCHEME, split="test", events=Counts(tp, fp, fn))
    out.metrics["attribution"] = Accuracy(correct=90, total=100)
    out.categories["AID"] = Counts(*aid)
    out.categories["REJECT"] = Counts(tp=1, fp=0, fn=1)  # two gold events: slack 1/2
    return out


def test_gate_floors_are_score_minus_tolerance_or_one_items_worth() -> None:
    new, lowered = propose_baseline(report(), docs("a"), None)
    assert lowered == []
    assert new.overall["event_f1"] == pytest.approx(0.8 - 0.03)
    assert new.overall["attribution"] == pytest.approx(0.9 - 0.03)
    assert new.categories["AID"] == pytest.approx(0.8 - 0.10)  # 10 gold events: 1/10
    assert new.categories["REJECT"] == pytest.approx(2 / 3 - 1 / 2, abs=0.001)
    assert new.split == "test" and new.documents == 1
    assert new.measured["overall"]["event_f1"] == 0.8


def test_gate_check_passes_then_fails_below_a_floor() -> None:
    corpus = docs("a", "b")
    baseline, _ = propose_baseline(report(), corpus, None)
    assert check_gate(report(), corpus, baseline).passed
    worse = report(tp=70, fn=30, aid=(5, 2, 5))
    result = check_gate(worse, corpus, baseline)
    assert not result.passed
    assert any(f.startswith("event_f1: 0.7") for f in result.failures)
    assert any(f.startswith("category AID") for f in result.failures)
    assert result.checked == len(baseline.overall) + len(baseline.categories)


def test_gate_check_fails_when_the_corpus_or_split_changed() -> None:
    baseline, _ = propose_baseline(report(), docs("a", "b"), None)
    edited = check_gate(report(), docs("a", "b, edited"), baseline)
    assert [f for f in edited.failures if "gold corpus changed" in f]
    other = report()
    other.split = "tune"
    assert [f for f in check_gate(other, docs("a", "b"), baseline).failures if "--split" in f]


def test_gate_check_fails_when_a_gated_figure_is_not_measured() -> None:
    baseline, _ = propose_baseline(report(), docs("a"), None)
    missing = report()
    del missing.metrics["attribution"]
    assert (
        "attribution: not measured < floor 0.870"
        in check_gate(missing, docs("a"), baseline).failures
    )


def test_gate_update_raises_keeps_and_refuses_to_lower(tmp_path: Path) -> None:
    path, corpus = tmp_path / "baseline.json", docs("a")
    first, _ = update_baseline(path, report(), corpus)
    better, _ = update_baseline(path, report(tp=90, fn=10), corpus)
    assert better.overall["event_recall"] > first.overall["event_recall"]
    # a small dip that stays above the floor keeps the floor where it was
    kept, lowered = update_baseline(path, report(tp=89, fn=11), corpus)
    assert lowered == [] and kept.overall["event_recall"] == better.overall["event_recall"]
    # a real drop is refused, and the file is left as it was
    before = path.read_text(encoding="utf-8")
    with pytest.raises(EvaluationError, match="E507") as info:
        update_baseline(path, report(tp=60, fn=40), corpus)
    assert "event_recall" in str(info.value)
    assert path.read_text(encoding="utf-8") == before
    # unless regressions are allowed
    lower, lowered = update_baseline(path, report(tp=60, fn=40), corpus, allow_regression=True)
    assert lower.overall["event_recall"] < kept.overall["event_recall"]
    assert any(item.startswith("event_recall") for item in lowered)


def test_gate_update_counts_a_dropped_category_as_lowering(tmp_path: Path) -> None:
    path, corpus = tmp_path / "baseline.json", docs("a")
    update_baseline(path, report(), corpus)
    fewer = report()
    del fewer.categories["REJECT"]
    with pytest.raises(EvaluationError, match="REJECT"):
        update_baseline(path, fewer, corpus)


def test_gate_baseline_round_trip_and_errors(tmp_path: Path) -> None:
    corpus = docs("a")
    baseline, _ = propose_baseline(report(), corpus, None)
    path = tmp_path / "b.json"
    save_baseline(path, baseline)
    assert load_baseline(path) == baseline
    assert baseline.digest == corpus_digest(corpus) != corpus_digest(docs("b"))
    path.write_text(json.dumps({"kind": "something-else"}), encoding="utf-8")
    with pytest.raises(EvaluationError, match="E506"):
        load_baseline(path)
    path.write_text("[1, 2", encoding="utf-8")
    with pytest.raises(EvaluationError, match="E506"):
        load_baseline(path)


def test_gate_ci_gold_test_half_holds_its_floors() -> None:
    """The CI gate: real extraction over gold/test against the pinned floors."""
    from sitrep.analysis.evaluate import read_gold

    baseline: Baseline = load_baseline(GOLD / "baseline.json")
    assert baseline.split == "test"
    [gold_set] = read_gold([GOLD], split=baseline.split)
    assert len(gold_set.documents) >= 30
    [result_report] = evaluate_sets([gold_set])
    result = check_gate(result_report, gold_set.documents, baseline)
    assert result.passed, (
        "extraction quality fell below the floors in gold/baseline.json:\n  "
        + "\n  ".join(result.failures)
        + "\nIf the drop is intended, run: sitrep eval gold --gate gold/baseline.json "
        "--update --allow-regression"
    )
