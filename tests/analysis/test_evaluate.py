"""Scoring against gold, on hand-built predictions: no model is loaded in this module.

Covers the arithmetic (P/R/F1, accuracies), one-to-one matching, alternatives (several types,
alternative actor keys, several statuses), optional and reciprocal events, the sentence
constraint from gold evidence, attribution, dates, places, the confusion table, and the gold
reader's validation and split handling.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from sitrep.analysis.evaluate import (
    GOLD_SCHEME,
    GoldDocument,
    assign,
    default_key,
    evaluate,
    parse_gold_document,
)
from sitrep.analysis.scores import NONE_LABEL, Counts, EvalReport
from sitrep.records import (
    Actor,
    Attribution,
    Document,
    Event,
    Evidence,
    Extraction,
    Location,
    Status,
)

TEXT = "Russia struck Kharkiv on Monday, Kyiv said. Moscow denied it. Seoul praised Kyiv."


def actor(key: str) -> Actor:
    """A resolved actor: three letters are a country, anything longer an organisation."""
    if len(key) == 3:
        return Actor(text=key, name=key, country=key, code=key)
    return Actor(text=key, name=key, sector="IGO", code=key)


def event(
    type_: str,
    source: tuple[str, ...] = (),
    target: tuple[str, ...] = (),
    *,
    status: str = "reported",
    by: tuple[str, ...] = (),
    negated: bool = False,
    day: date | None = None,
    location: Location | None = None,
    span: tuple[int, int] = (0, 0),
) -> Event:
    return Event(
        type=type_,
        source=tuple(actor(k) for k in source),
        target=tuple(actor(k) for k in target),
        evidence=Evidence("", *span),
        attribution=Attribution(Status(status), tuple(actor(k) for k in by), negated),
        date=day,
        location=location,
    )


def gold(events: list[dict[str, Any]], text: str = TEXT, doc_id: str = "d1") -> GoldDocument:
    return parse_gold_document(
        {"document": {"id": doc_id, "published": "2024-11-12"}, "text": text, "events": events},
        where="test",
    )


def score(predicted: list[Event], events: list[dict[str, Any]], text: str = TEXT) -> EvalReport:
    from sitrep.analysis.evaluate import score_document

    report = EvalReport(name="t", scheme=GOLD_SCHEME, events=Counts())
    score_document(report, "d1", text, predicted, gold(events, text).events)
    return report


ASSAULT = {"type": "ASSAULT", "source": ["RUS"], "target": ["UKR"], "status": "reported"}


# -- arithmetic ------------------------------------------------------------------------------
def test_evaluate_counts_give_precision_recall_f1() -> None:
    counts = Counts(tp=3, fp=1, fn=2)
    assert counts.precision == pytest.approx(0.75)
    assert counts.recall == pytest.approx(0.6)
    assert counts.f1 == pytest.approx(2 * 0.75 * 0.6 / (0.75 + 0.6))


@pytest.mark.parametrize(
    ("counts", "f1"),
    [(Counts(), None), (Counts(fp=2), 0.0), (Counts(fn=1), 0.0), (Counts(tp=1), 1.0)],
)
def test_evaluate_f1_edge_cases(counts: Counts, f1: float | None) -> None:
    assert counts.f1 == f1


def test_evaluate_assign_is_optimal_not_greedy() -> None:
    # greedy would take (0, 0) first and leave row 1 without a partner
    assert assign([[5.0, 4.0], [5.0, 0.0]]) == [(0, 1), (1, 0)]
    assert assign([[1.0], [3.0], [2.0]]) == [(1, 0)]
    assert assign([[0.0, 0.0]]) == []
    assert assign([]) == []


# -- matching ---------------------------------------------------------------------------------
def test_evaluate_exact_triple_is_a_true_positive() -> None:
    report = score([event("ASSAULT", ("RUS",), ("UKR",))], [ASSAULT])
    assert (report.events.tp, report.events.fp, report.events.fn) == (1, 0, 0)
    assert report.categories["ASSAULT"].f1 == 1.0


@pytest.mark.parametrize(
    "predicted",
    [
        event("MOBILIZE", ("RUS",), ("UKR",)),  # wrong type
        event("ASSAULT", ("BLR",), ("UKR",)),  # wrong source
        event("ASSAULT", ("RUS",), ()),  # target missing
    ],
)
def test_evaluate_wrong_triple_is_a_miss_and_a_false_positive(predicted: Event) -> None:
    report = score([predicted], [ASSAULT])
    assert (report.events.tp, report.events.fp, report.events.fn) == (0, 1, 1)


def test_evaluate_alternative_types_and_actor_keys_match() -> None:
    gold_event = {"types": ["COERCE", "ASSAULT"], "source": [["RUS", "WAGNER"]], "target": ["UKR"]}
    report = score([event("COERCE", ("WAGNER",), ("UKR",))], [gold_event])
    assert report.events.tp == 1
    assert report.categories["COERCE"].tp == 1


def test_evaluate_actor_dicts_in_the_extract_shape_are_keys() -> None:
    gold_event = {
        "type": "AID",
        "source": [{"text": "North Korean troops", "country": "PRK", "code": "PRKMIL"}],
        "target": [{"key": "RUS", "alternatives": ["BLR"]}],
    }
    assert score([event("AID", ("PRK",), ("BLR",))], [gold_event]).events.tp == 1


def test_evaluate_one_to_one_two_predictions_for_one_gold() -> None:
    report = score([event("ASSAULT", ("RUS",), ("UKR",))] * 2, [ASSAULT])
    assert (report.events.tp, report.events.fp, report.events.fn) == (1, 1, 0)


def test_evaluate_unjudged_side_matches_anything_empty_side_needs_none() -> None:
    unjudged = {"type": "THREATEN", "source": ["PRK"], "target": None}
    empty = {"type": "MOBILIZE", "source": ["PRK"], "target": []}
    assert score([event("THREATEN", ("PRK",), ("USA",))], [unjudged]).events.tp == 1
    assert score([event("MOBILIZE", ("PRK",), ("JPN",))], [empty]).events.tp == 0
    assert score([event("MOBILIZE", ("PRK",))], [empty]).events.tp == 1


def test_evaluate_reciprocal_events_ignore_roles() -> None:
    agreed = {"type": "AGREE", "source": ["RUS", "PRK"], "target": [], "reciprocal": True}
    for predicted in (
        event("AGREE", ("RUS", "PRK")),
        event("AGREE", ("PRK",), ("RUS",)),
    ):
        assert score([predicted], [agreed]).events.tp == 1
    assert score([event("AGREE", ("PRK",), ("CHN",))], [agreed]).events.tp == 0


def test_evaluate_optional_events_are_neither_missed_nor_false() -> None:
    optional = {**ASSAULT, "optional": True}
    found = score([event("ASSAULT", ("RUS",), ("UKR",))], [optional])
    assert (found.events.tp, found.events.fp, found.events.fn) == (0, 0, 0)
    absent = score([], [optional])
    assert (absent.events.tp, absent.events.fp, absent.events.fn) == (0, 0, 0)


def test_evaluate_required_event_wins_over_optional_for_one_prediction() -> None:
    optional = {**ASSAULT, "optional": True}
    report = score([event("ASSAULT", ("RUS",), ("UKR",))], [optional, ASSAULT])
    assert (report.events.tp, report.events.fp, report.events.fn) == (1, 0, 0)


def test_evaluate_generic_actors_have_no_key() -> None:
    police = Actor(text="Police", name="Police", sector="COP", code="COP")
    assert police.key == "COP" and default_key(police) is None
    predicted = Event(
        type="COERCE", source=(actor("GEO"),), target=(police,), evidence=Evidence("", 0, 0)
    )
    assert score([predicted], [{"type": "COERCE", "source": ["GEO"], "target": []}]).events.tp == 1


def test_evaluate_evidence_pins_the_sentence() -> None:
    gold_event = {**ASSAULT, "evidence": "Russia struck Kharkiv on Monday"}
    first, third = (0, 42), (62, 82)
    assert score([event("ASSAULT", ("RUS",), ("UKR",), span=first)], [gold_event]).events.tp == 1
    other = score([event("ASSAULT", ("RUS",), ("UKR",), span=third)], [gold_event])
    assert (other.events.tp, other.events.fp, other.events.fn) == (0, 1, 1)


# -- attribution, actors, dates, places --------------------------------------------------------
def test_evaluate_attribution_status_alternatives_and_asserters() -> None:
    gold_event = {**ASSAULT, "status": None, "statuses": ["reported", "confirmed"]}
    gold_event["asserted_by"] = ["UKR"]
    ok = score(
        [event("ASSAULT", ("RUS",), ("UKR",), status="confirmed", by=("UKR",))], [gold_event]
    )
    assert ok.metrics["attribution"].value == 1.0
    wrong = score([event("ASSAULT", ("RUS",), ("UKR",), status="believed")], [gold_event])
    assert wrong.metrics["status"].value == 0.0
    assert wrong.metrics["asserted_by"].value == 0.0  # [] (the outlet) is not Ukraine
    assert wrong.metrics["attribution"].value == 0.0
    assert [e.kind for e in wrong.errors] == ["attribution"]


def test_evaluate_outlet_asserts_when_asserted_by_is_empty() -> None:
    gold_event = {**ASSAULT, "asserted_by": []}
    assert (
        score([event("ASSAULT", ("RUS",), ("UKR",))], [gold_event]).metrics["asserted_by"].value
        == 1.0
    )
    assert (
        score([event("ASSAULT", ("RUS",), ("UKR",), by=("UKR",))], [gold_event])
        .metrics["asserted_by"]
        .value
        == 0.0
    )


def test_evaluate_unjudged_attribution_is_not_scored() -> None:
    report = score([event("ASSAULT", ("RUS",), ("UKR",))], [{"type": "ASSAULT"}])
    assert report.events.tp == 1
    assert "attribution" not in report.metrics


def test_evaluate_actor_accuracy_needs_every_compound_actor() -> None:
    gold_event = {"type": "SANCTION", "source": ["USA", "GBR"], "target": ["YEM"]}
    partial = score([event("SANCTION", ("USA",), ("YEM",))], [gold_event])
    assert partial.events.tp == 1 and partial.metrics["actors"].value == 0.0
    full = score([event("SANCTION", ("GBR", "USA"), ("YEM",))], [gold_event])
    assert full.metrics["actors"].value == 1.0


def test_evaluate_actors_found_counts_each_gold_actor_once_per_document() -> None:
    events = [
        ASSAULT,
        {"type": "ACCUSE", "source": ["UKR"], "target": ["RUS"]},
        {"type": "SUPPORT", "source": [["KOR", "USA"]], "target": ["UKR"]},
        {"type": "AID", "source": ["CHN"], "target": ["RUS"], "optional": True},
    ]
    # one prediction of the wrong type still shows RUS and UKR were resolved; KOR|USA was not
    report = score([event("MOBILIZE", ("RUS",), ("UKR",))], events)
    found = report.metrics["actors_found"]
    assert (found.correct, found.total) == (2, 3)


def test_evaluate_negation_dates_and_geocoding() -> None:
    kharkiv = {"name": "Kharkiv", "country": "UKR", "lat": 49.99, "lon": 36.23}
    gold_event = {**ASSAULT, "negated": False, "date": "2024-11-11", "location": kharkiv}
    near = Location(text="Kharkiv", name="Kharkiv", country="UKR", lat=50.0, lon=36.25)
    predicted = event("ASSAULT", ("RUS",), ("UKR",), day=date(2024, 11, 11), location=near)
    report = score([predicted], [gold_event])
    assert report.metrics["negation"].value == 1.0
    assert report.metrics["dates"].value == 1.0
    assert report.metrics["location_country"].value == 1.0
    assert report.geocoding.km == [pytest.approx(1.76, abs=0.1)]
    late = score([event("ASSAULT", ("RUS",), ("UKR",), day=date(2024, 11, 12))], [gold_event])
    assert late.metrics["dates"].value == 0.0
    assert late.metrics["location_country"].value == 0.0  # no place predicted
    assert late.geocoding.km == []


def test_evaluate_null_date_expects_no_date() -> None:
    gold_event = {**ASSAULT, "date": None}
    assert score([event("ASSAULT", ("RUS",), ("UKR",))], [gold_event]).metrics["dates"].value == 1.0


def test_evaluate_confusion_records_wrong_types_on_the_right_actors() -> None:
    report = score(
        [event("MOBILIZE", ("RUS",), ("UKR",)), event("SUPPORT", ("KOR",), ("UKR",))],
        [ASSAULT, {"type": "AGREE", "source": ["CHN"], "target": None}],
    )
    assert report.confusion["ASSAULT"] == {"MOBILIZE": 1}
    assert report.confusion["AGREE"] == {NONE_LABEL: 1}
    assert report.confusion[NONE_LABEL] == {"SUPPORT": 1}
    assert sorted(e.kind for e in report.errors) == ["missed", "spurious", "wrong_type"]


# -- running --------------------------------------------------------------------------------------
def _write(path: Path, data: Any) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def _doc(doc_id: str, text: str = TEXT) -> dict[str, Any]:
    return {"document": {"id": doc_id}, "text": text, "events": [ASSAULT]}


def test_evaluate_runs_extraction_through_the_given_function(tmp_path: Path) -> None:
    path = _write(tmp_path / "g.jsonl.json", [_doc("d1"), _doc("d2", "Quiet day.")])
    seen: list[str | None] = []

    def fake_extract(documents: list[Document]) -> list[Extraction]:
        seen.extend(d.record_id for d in documents)
        hit = (event("ASSAULT", ("RUS",), ("UKR",)),)
        return [Extraction(d, hit if d.record_id == "d1" else (), (), "fake") for d in documents]

    [report] = evaluate([path], extract=fake_extract)
    assert seen == ["d1", "d2"]
    assert report.scheme == GOLD_SCHEME and report.documents == 2
    assert (report.events.tp, report.events.fp, report.events.fn) == (1, 0, 1)
    assert report.values()["event_recall"] == 0.5
    assert report.to_dict()["events"]["f1"] == pytest.approx(0.6667)
