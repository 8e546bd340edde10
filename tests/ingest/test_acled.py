"""ACLED reader: a small export invented for these tests (ACLED's own rows are not ours to ship)."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date
from pathlib import Path

import pytest

from sitrep.ingest.acled import EXTRACTOR, REQUIRED_COLUMNS, read_acled
from sitrep.records import Failure, ImportedEvent, SkippedRow, Status

FIXTURES = Path(__file__).parent.parent / "fixtures" / "imports"
SAMPLE = FIXTURES / "acled_sample.csv"


def _events(path: Path = SAMPLE) -> dict[str, ImportedEvent]:
    return {i.external_id: i for i in read_acled(path) if isinstance(i, ImportedEvent)}


def _write(path: Path, rows: list[dict[str, str]], columns: list[str] | None = None) -> Path:
    columns = columns or list(rows[0])
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns)
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


ROW = {
    "event_id_cnty": "TEST9001",
    "event_date": "2024-11-05",
    "event_type": "Battles",
    "sub_event_type": "Armed clash",
    "actor1": "Military Forces of Russia (2000-)",
    "actor2": "Military Forces of Ukraine (2019-)",
    "country": "Ukraine",
    "location": "Pokrovsk",
    "latitude": "48.2827",
    "longitude": "37.1756",
    "fatalities": "3",
    "notes": "Forces clashed near Pokrovsk.",
    "source": "Ukrinform",
}


@pytest.mark.parametrize(
    ("event_id", "plover", "mode", "source", "target", "place", "country", "deaths"),
    [
        ("TEST0001", "ASSAULT", None, ["RUSMIL"], ["UKRMIL"], "Sudzha", "RUS", 12),
        ("TEST0002", "ASSAULT", "aerial", ["RUSMIL"], ["UKRCVL"], "Kharkiv", "UKR", 3),
        ("TEST0003", "PROTEST", "demo", ["UKRCVL"], [], "Kyiv", "UKR", 0),
        ("TEST0004", "PROTEST", "riot", ["GEOCVL"], ["GEOCOP"], "Tbilisi", "GEO", 0),
        ("TEST0005", "AGREE", None, ["RUSGOV"], ["PRKGOV"], "Moscow", "RUS", 0),
        ("TEST0006", "COERCE", "arrest", ["UKRCOP"], ["UKRCVL"], "Odesa", "UKR", 0),
        ("TEST0008", "ASSAULT", "abduct", ["WAGNER"], ["MLICVL"], "Kidal", "MLI", 0),
        ("TEST0009", "COERCE", "repress", ["KENCOP"], ["KENCVL"], "Nairobi", "KEN", 5),
        ("TEST0010", "ASSAULT", "heavy-weapons", ["UKRMIL"], ["RUSMIL"], "Belgorod", "RUS", 2),
        ("TEST0016", "ASSAULT", None, ["NGAREB"], ["NGACVL"], "Gusau", "NGA", 4),
    ],
)
def test_acled_events_get_plover_types_actors_places_and_fatalities(
    event_id: str,
    plover: str,
    mode: str | None,
    source: list[str],
    target: list[str],
    place: str,
    country: str,
    deaths: int,
) -> None:
    event = _events()[event_id].event
    assert (event.type, event.mode) == (plover, mode)
    assert [a.code for a in event.source] == source
    assert [a.code for a in event.target] == target
    assert event.location is not None
    assert (event.location.name, event.location.country) == (place, country)
    assert [(q.value, q.unit) for q in event.quantities] == [(deaths, "fatalities")]


def test_acled_actor_country_comes_from_the_actor_not_the_event() -> None:
    event = _events()["TEST0001"].event  # Russian and Ukrainian forces, in Russia
    russia, ukraine = event.source[0], event.target[0]
    assert (russia.country, russia.sector, russia.name) == ("RUS", "MIL", "Russia")
    assert (ukraine.country, ukraine.sector, ukraine.text) == (
        "UKR",
        "MIL",
        "Military Forces of Ukraine (2019-)",
    )


def test_acled_event_is_reported_by_its_cited_sources() -> None:
    event = _events()["TEST0001"].event
    assert event.status is Status.REPORTED
    assert event.extractor == EXTRACTOR == "source.acled.v1"
    cited = event.attribution.asserted_by
    assert [a.text for a in cited] == ["Ukrinform", "Ministry of Defence of Russia"]
    assert (cited[0].code, cited[0].sector) == ("UKRMED", "MED")  # known to the gazetteer
    assert (cited[1].code, cited[1].sector) == (None, None)  # not known: name only
    assert (event.date, event.date_text, event.cameo) == (date(2024, 11, 5), "2024-11-05", "190")


def test_acled_notes_are_the_evidence_inside_the_document() -> None:
    item = _events()["TEST0009"]  # its notes run over two physical lines
    document, evidence = item.document, item.event.evidence
    assert document.text[evidence.start : evidence.end] == evidence.text
    assert evidence.text.startswith("On 25 June 2024, police fired live rounds")
    assert '"killing"' in evidence.text and "\n" in evidence.text
    assert document.text.startswith("ACLED event TEST0009: Protests / Excessive force")
    assert (document.outlet, document.record_id, document.source) == (
        "ACLED",
        "TEST0009",
        str(SAMPLE),
    )
    assert item.line == 10  # where the row starts


def test_acled_sub_types_without_plover_category_are_skipped() -> None:
    skipped = [i for i in read_acled(SAMPLE) if isinstance(i, SkippedRow)]
    assert [(s.line, "Change to group/activity" in s.reason) for s in skipped] == [(8, True)]


def test_acled_malformed_rows_are_reported_with_file_and_line() -> None:
    failures = [i for i in read_acled(SAMPLE) if isinstance(i, Failure)]
    assert [(f.reason.split(":")[0], f.code) for f in failures] == [
        ("line 13", "E602"),
        ("line 14", "E602"),
        ("line 15", "E602"),
        ("line 16", "E602"),
        ("line 17", "E601"),
    ]
    reasons = " | ".join(f.reason for f in failures)
    for fragment in ("event_date '2024-13-45'", "Battles / Dance-off", "'abc,37.1756'", "'many'"):
        assert fragment in reasons
    assert "expected 31 comma-separated columns, found 6" in failures[-1].reason
    assert all(f.source == str(SAMPLE) for f in failures)


def test_acled_every_row_is_accounted_for() -> None:
    items = list(read_acled(SAMPLE))
    assert len(items) == 16  # 17 data rows on 18 lines, one row spanning two lines


def test_acled_missing_columns_fail_the_file(tmp_path: Path) -> None:
    path = _write(tmp_path / "short.csv", [{"event_date": "2024-11-05", "notes": "x"}])
    (item,) = read_acled(path)
    assert isinstance(item, Failure) and item.code == "E610"
    for column in REQUIRED_COLUMNS[1:]:
        assert column in item.reason


@pytest.mark.parametrize("written", ["2024-11-05", "05 November 2024"])
def test_acled_dates_in_either_export_format(written: str, tmp_path: Path) -> None:
    path = _write(tmp_path / "dates.csv", [{**ROW, "event_date": written}])
    (item,) = read_acled(path)
    assert isinstance(item, ImportedEvent) and item.event.date == date(2024, 11, 5)


def test_acled_row_without_event_id_gets_a_stable_key(tmp_path: Path) -> None:
    row = {k: v for k, v in ROW.items() if k != "event_id_cnty"}
    path = _write(tmp_path / "noid.csv", [row, {**row, "location": "Kurakhove"}])
    first = [i.external_id for i in read_acled(path)]  # type: ignore[union-attr]
    again = [i.external_id for i in read_acled(path)]  # type: ignore[union-attr]
    assert first == again and len(set(first)) == 2 and first[0].startswith("row-")


def test_acled_bom_and_zip_are_read(tmp_path: Path) -> None:
    plain = _write(tmp_path / "plain.csv", [ROW])
    bom = tmp_path / "bom.csv"
    bom.write_bytes(b"\xef\xbb\xbf" + plain.read_bytes())
    zipped = tmp_path / "export.zip"
    with zipfile.ZipFile(zipped, "w") as archive:
        archive.write(plain, "export.csv")
    for path in (bom, zipped):
        (item,) = read_acled(path)
        assert isinstance(item, ImportedEvent) and item.external_id == "TEST9001"


def test_acled_undecodable_row_is_reported_and_reading_goes_on(tmp_path: Path) -> None:
    path = _write(tmp_path / "mixed.csv", [ROW, {**ROW, "event_id_cnty": "TEST9002"}])
    data = path.read_bytes().replace(b"TEST9001", b"TEST\xff001")
    path.write_bytes(data)
    items = list(read_acled(path))
    assert [type(i).__name__ for i in items] == ["Failure", "ImportedEvent"]
    assert items[0].code == "E603" and items[0].reason.startswith("line 2:")  # type: ignore[union-attr]


def test_acled_numeric_iso_code_sets_the_place_country(tmp_path: Path) -> None:
    path = _write(tmp_path / "iso.csv", [{**ROW, "country": "Nowhereland", "iso": "804"}])
    (item,) = read_acled(path)
    assert isinstance(item, ImportedEvent)
    assert item.event.location is not None and item.event.location.country == "UKR"
