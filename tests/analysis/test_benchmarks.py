"""Benchmark readers and scorers on small records written for these tests (same shapes as the
public sets, not copies of them). Extraction and phrase resolution are replaced by fakes, so
no model is loaded here."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from sitrep.analysis.benchmarks import (
    comparable_key,
    dyads,
    event_root,
    gold_code,
    ngec_country,
    read_benchmark_record,
    root_penta,
)
from sitrep.analysis.evaluate import evaluate, read_gold
from sitrep.errors import EvaluationError
from sitrep.records import Actor, Document, Event, Evidence, Extraction


def actor(key: str, sector: str | None = None) -> Actor:
    if len(key) == 3:
        return Actor(text=key, name=key, country=key, sector=sector, code=key)
    return Actor(text=key, name=key, sector=sector or "IGO", code=key)


def ev(type_: str, source: tuple[Actor, ...], target: tuple[Actor, ...] = (), cameo=None) -> Event:
    return Event(type=type_, source=source, target=target, evidence=Evidence("", 0, 0), cameo=cameo)


def write_jsonl(path: Path, records: list[dict[str, Any]]) -> Path:
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    return path


def extract_by_text(table: dict[str, tuple[Event, ...]]):
    def fake(documents: list[Document]) -> list[Extraction]:
        return [Extraction(d, table.get(d.text, ()), (), "fake") for d in documents]

    return fake


def plover(rid: str, text: str, old: str, new: str, source, target, reciprocal=False) -> dict:
    return {
        "id": rid,
        "text": text,
        "gold": [
            {
                "source": ";".join(c for c, _ in source),
                "event": old,
                "target": ";".join(c for c, _ in target) or None,
                "event_plover2021": new,
                "source_actors": [{"text": t, "code": c, "sector": None} for c, t in source],
                "target_actors": [{"text": t, "code": c, "sector": None} for c, t in target],
                "reciprocal": reciprocal,
            }
        ],
        "scheme": "PLOVER",
        "origin": "written-for-tests",
        "meta": {"placeholder_date": "2001-05-01"},
    }


def test_benchmarks_codes_are_compared_on_iso3_prefixes_and_igo() -> None:
    assert gold_code("SRBMIL") == "SRB"
    assert gold_code("JAPGOV") == "JPN"  # a pre-ISO code
    assert gold_code("IGOUNO") == "IGO"
    assert gold_code("ARN") is None  # fictional
    assert comparable_key(actor("NATO")) == "IGO"
    assert comparable_key(actor("HAMAS", sector="REB")) is None
    assert comparable_key(Actor("x", "x", country="PSE", sector="REB", code="HAMAS")) == "PSE"


def test_benchmarks_plover_category_accuracy_and_triples(tmp_path: Path) -> None:
    texts = ["Arland condemned Borvia.", "Carsia and Denmar agreed to talk.", "Nobody moved."]
    path = write_jsonl(
        tmp_path / "plover.jsonl",
        [
            plover("p1", texts[0], "DISAPPROVE", "ACCUSE", [("GBRGOV", "Arland")], [("IGO", "B")]),
            plover("p2", texts[1], "AGREE", "AGREE", [("JAP", "C"), ("DEU", "D")], [], True),
            plover("p3", texts[2], "FIGHT", "ASSAULT", [("XXX", "N")], []),
        ],
    )
    fake = extract_by_text(
        {
            texts[0]: (
                ev("SUPPORT", (actor("USA"),)),
                ev("ACCUSE", (actor("GBR"),), (actor("UN"),)),
            ),
            texts[1]: (ev("CONSULT", (actor("JPN"), actor("DEU"))),),
        }
    )
    [report] = evaluate([path], extract=fake)
    assert report.scheme == "PLOVER" and report.documents == 3
    # p1: the event sharing actors with the gold wins over the first one; p2 wrong; p3 none
    assert (report.metrics["category"].correct, report.metrics["category"].total) == (1, 3)
    assert report.confusion["AGREE"] == {"CONSULT": 1}
    assert report.confusion["ASSAULT"] == {"(none)": 1}
    # triples: p3's actor code is not comparable, so only p1 and p2 are scored
    assert (report.events.tp, report.events.fp, report.events.fn) == (1, 2, 1)
    assert any("1 have actor codes" in note for note in report.notes)


def test_benchmarks_plover_old_names_map_when_2021_name_is_missing() -> None:
    raw = plover("p", "Some text.", "DEMAND", "", [("USA", "U")], [])
    raw["gold"][0]["event_plover2021"] = None
    record = read_benchmark_record(raw, where="x")
    assert record.events[0].event == "REQUEST"
    assert record.published is not None and record.published.year == 2001


def ngec(rid: str, text: str, **gold: Any) -> dict[str, Any]:
    marks = gold.pop("marks", None)
    meta = {"method": "agent_to_code", "pytest_marks": marks} if marks else {}
    return {
        "id": rid,
        "text": text,
        "gold": [{"source": text, "event": None, "target": None, **gold}],
        "scheme": "PLOVER-actor",
        "origin": "written-for-tests",
        "meta": meta,
    }


def test_benchmarks_ngec_country_sector_and_nothing(tmp_path: Path) -> None:
    path = write_jsonl(
        tmp_path / "ngec.jsonl",
        [
            ngec("a", "a Ruritanian frigate", country="RUR"),  # not a country code: skipped
            ngec("b", "Moldovan border guards", country="MDA", code_1="MIL"),
            ngec("c", "the EU parliament", country="EUR", code_1="LEG"),
            ngec("d", "some farmers", country="", code_1="AGR"),
            ngec("e", "a nobody", country={"not": "GBR"}),
            ngec("f", "a teapot", expect_none=True),
            ngec("g", "Someone Unknown", country="LEG", code_1="COL", marks=["xfail"]),
            ngec("h", "Polish villagers", country="POL", code_1="CVL"),
        ],
    )
    resolved = {
        "Moldovan border guards": [actor("MDA", "MIL")],
        "the EU parliament": [actor("EU")],
        "some farmers": [Actor("farmers", "farmers", sector="CIV", code="CIV")],
        "a nobody": [actor("FRA")],
        "Polish villagers": [actor("CZE", "CIV")],
    }
    [report] = evaluate([path], resolve=lambda text: resolved.get(text, []))
    assert report.scheme == "PLOVER-actor" and report.events is None
    # b, c, d, e right; h wrong; a (bad code) and g (xfail upstream) not scored
    assert (report.metrics["country"].correct, report.metrics["country"].total) == (4, 5)
    # MIL (b) and LEG (c, as IGO: wrong) and CIV for CVL (h) are comparable; AGR is not
    assert (report.metrics["sector"].correct, report.metrics["sector"].total) == (2, 3)
    assert report.metrics["no_actor"].value == 1.0
    assert [e.document for e in report.errors] == ["h"]
    assert (
        ngec_country(Actor("WHO", "WHO", sector="IGO", code="WHO")) == "UNO"
        and ngec_country(actor("NATO")) is None
    )


def cameo(rid: str, text: str, events: list[tuple[str, str, str]], origin: str = "x") -> dict:
    return {
        "id": rid,
        "text": text,
        "date": "1999-03-01",
        "gold": [
            {"source": s, "event": c, "target": t, "is_cameo_code": True} for s, c, t in events
        ],
        "scheme": "CAMEO",
        "origin": origin,
        "meta": {},
    }


def test_benchmarks_cameo_roots_penta_and_no_event(tmp_path: Path) -> None:
    texts = ["A met B and hit C.", "Nothing to code here.", "A praised B.", "A said things."]
    path = write_jsonl(
        tmp_path / "cameo.jsonl",
        [
            cameo("c1", texts[0], [("AAA", "040", "BBB"), ("AAA", "190", "CCC")]),
            cameo("c2", texts[1], []),
            cameo("c3", texts[2], [("AAA", "051", "BBB")], origin="openeventdata/petrarch2@x"),
            cameo("c4", texts[3], [("AAA", "010", "BBB")]),
        ],
    )
    a, b = actor("AAA"), actor("BBB")
    fake = extract_by_text(
        {
            texts[0]: (ev("CONSULT", (a,), (b,), cameo="042"), ev("COERCE", (a,), cameo="173")),
            texts[1]: (ev("ASSAULT", (a,)),),
            texts[2]: (ev("AGREE", (a,), (b,), cameo="030"),),
        }
    )
    [report] = evaluate([path], extract=fake)
    # roots: c1 finds 04 (not 19: it predicted 17); c3 finds 03 not 05; 01 is not comparable
    assert (report.metrics["cameo_root"].correct, report.metrics["cameo_root"].total) == (1, 3)
    assert (report.events.tp, report.events.fp, report.events.fn) == (1, 3, 2)
    # penta: 04→1 ok, 19→4 vs 17→4 ok, 05→1 vs 03→1 ok
    assert report.metrics["penta"].value == 1.0
    assert report.metrics["no_event"].value == 0.0
    assert report.confusion["19"] == {"17": 1}
    assert read_gold([path])[0].records[2].fictional_actors


def test_benchmarks_penta_class(tmp_path: Path) -> None:
    texts = ["Xland shelled Yland.", "Xland praised Yland.", "Xland commented."]
    path = write_jsonl(
        tmp_path / "penta.jsonl",
        [
            {"id": f"q{i}", "text": t, "gold": [{"source": "Xland", "event": c, "target": "Y"}],
             "scheme": "PentaClass", "origin": "x", "meta": {}}
            for i, (t, c) in enumerate(zip(texts, ["4", "1", "0"], strict=True))
        ],
    )  # fmt: skip
    x = Actor("Xland", "Xland", country="XXA", code="XXA")
    fake = extract_by_text(
        {
            texts[0]: (ev("ASSAULT", (x,), cameo="194"),),
            texts[1]: (ev("REJECT", (x,), cameo="120"),),
        }
    )
    [report] = evaluate([path], extract=fake)
    assert (report.metrics["penta"].correct, report.metrics["penta"].total) == (1, 2)
    assert report.metrics["no_event"].value == 1.0
    assert report.confusion["1"] == {"3": 1}


def test_benchmarks_cameo_counts_one_record_per_dyad() -> None:
    a, b, c = actor("AAA"), actor("BBB"), actor("CCC")
    assert dyads(ev("CONSULT", (a, b, c))) == 6
    assert dyads(ev("SANCTION", (a, b), (c,))) == 2
    assert dyads(ev("MOBILIZE", (a,))) == 1


def test_benchmarks_roots_and_penta_tables() -> None:
    assert [root_penta(r) for r in ("01", "02", "03", "08", "09", "13", "14", "20", "21")] == [
        0, 0, 1, 2, 3, 3, 4, 4, None,
    ]  # fmt: skip
    assert event_root(ev("SANCTION", ())) == "16"
    assert event_root(ev("SANCTION", (), cameo="163")) == "16"
    assert event_root(ev("MOBILIZE", (), cameo="150")) == "15"


@pytest.mark.parametrize(
    ("raw", "why"),
    [
        ({"id": "z", "text": "t", "gold": [], "scheme": "ACLED"}, "unknown scheme"),
        ({"id": "z", "text": "", "gold": [], "scheme": "CAMEO"}, "non-empty 'text'"),
        ({"id": "z", "text": "t", "gold": {}, "scheme": "CAMEO"}, "'gold' list"),
    ],
)
def test_benchmarks_bad_records_are_refused(raw: dict[str, Any], why: str) -> None:
    with pytest.raises(EvaluationError, match="E505") as info:
        read_benchmark_record(raw, where="f.jsonl:3")
    assert "f.jsonl:3" in str(info.value) and why in str(info.value)
