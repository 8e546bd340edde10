"""GDELT 2.0 reader: the sample export written for these tests from the public codebook."""

from __future__ import annotations

import shutil
import zipfile
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from sitrep.ingest.gdelt import (
    EVENT_COLUMNS,
    EXTRACTOR,
    MENTION_COLUMNS,
    gdelt_kind,
    outlet_of,
    read_gdelt,
)
from sitrep.records import Failure, ImportedEvent, ImportedMention, SkippedRow, Status

FIXTURES = Path(__file__).parent.parent / "fixtures" / "imports"
EXPORT = FIXTURES / "20241120000000.export.CSV"
ZIPPED = FIXTURES / "20241120000000.export.CSV.zip"
MENTIONS = FIXTURES / "20241120000000.mentions.CSV"
BROKEN = FIXTURES / "broken.export.CSV.zip"


def _events(path: Path = EXPORT) -> dict[str, ImportedEvent]:
    return {i.external_id: i for i in read_gdelt(path) if isinstance(i, ImportedEvent)}


def _failures(path: Path) -> dict[int, Failure]:
    found = {}
    for item in read_gdelt(path):
        if isinstance(item, Failure):
            line = int(item.reason.split(":")[0].removeprefix("line "))
            found[line] = item
    return found


def _row(**values: str) -> str:
    """One Events line: every column empty except those given."""
    return "\t".join(values.get(name, "") for name in EVENT_COLUMNS)


GOOD = {
    "GLOBALEVENTID": "1",
    "SQLDATE": "20241105",
    "Actor1Code": "RUSMIL",
    "Actor1Name": "RUSSIA",
    "Actor1CountryCode": "RUS",
    "Actor1Type1Code": "MIL",
    "EventCode": "190",
    "DATEADDED": "20241105120000",
    "SOURCEURL": "https://news.example.com/a",
}


def test_gdelt_column_lists_follow_the_codebook() -> None:
    assert len(EVENT_COLUMNS) == 61
    assert len(set(EVENT_COLUMNS)) == 61
    assert EVENT_COLUMNS.index("EventCode") == 26
    assert EVENT_COLUMNS.index("ActionGeo_FullName") == 52
    assert EVENT_COLUMNS.index("ActionGeo_Lat") == 56
    assert EVENT_COLUMNS[-2:] == ("DATEADDED", "SOURCEURL")
    assert len(MENTION_COLUMNS) == 16
    assert MENTION_COLUMNS[5] == "MentionIdentifier"


@pytest.mark.parametrize(
    ("event_id", "plover", "mode", "source", "target", "place", "country"),
    [
        ("1200000001", "AID", "military", ["PRKMIL"], ["RUS"], "Kursk", "RUS"),
        ("1200000002", "ASSAULT", "heavy-weapons", ["RUSMIL"], ["UKRMIL"], "Sudzha", "RUS"),
        ("1200000003", "ASSAULT", None, ["UKRMIL"], ["PRKMIL"], "Kursk", "RUS"),
        ("1200000004", "ACCUSE", "disapprove", ["USAGOV"], ["PRK"], "Washington", "USA"),
        ("1200000006", "ACCUSE", "disapprove", ["NATO"], ["RUS"], "Brussels", "BEL"),
        ("1200000008", "ASSAULT", "aerial", ["RUSMIL"], ["UKR"], "Kharkiv", "UKR"),
        ("1200000009", "AID", None, ["UN"], ["UKR"], "Kyiv", "UKR"),
        ("1200000010", "THREATEN", "military", ["PRK"], ["JPN"], "Pyongyang", "PRK"),
        ("1200000011", "CONSULT", None, ["UKRGOV"], ["RUSGOV"], "Istanbul", "TUR"),
        ("1200000012", "SANCTION", None, ["USA"], ["RUS"], "Washington", "USA"),
        ("1200000013", "PROTEST", "demo", ["UKRCVL"], ["UKRGOV"], "Kyiv", "UKR"),
        ("1200000014", "SANCTION", None, ["EU"], ["PRK"], "Brussels", "BEL"),
        ("1200000015", "COERCE", "arrest", ["RUSCOP"], ["UKRCVL"], "Donetsk", "UKR"),
        ("1200000016", "MOBILIZE", None, ["PRK"], [], "North Korea", "PRK"),
        ("1200000021", "ASSAULT", "firearms", ["RUSMIL"], ["UKRMIL"], "Donetsk", "UKR"),
    ],
)
def test_gdelt_events_get_plover_types_actors_and_places(
    event_id: str,
    plover: str,
    mode: str | None,
    source: list[str],
    target: list[str],
    place: str,
    country: str,
) -> None:
    event = _events()[event_id].event
    assert (event.type, event.mode) == (plover, mode)
    assert [a.code for a in event.source] == source
    assert [a.code for a in event.target] == target
    assert event.location is not None
    assert (event.location.name, event.location.country) == (place, country)


def test_gdelt_actors_carry_country_sector_and_canonical_names() -> None:
    events = _events()
    prk_mil = events["1200000001"].event.source[0]
    assert (prk_mil.country, prk_mil.sector, prk_mil.name, prk_mil.text) == (
        "PRK",
        "MIL",
        "North Korea",
        "NORTH KOREA",
    )
    nato = events["1200000006"].event.source[0]
    assert (nato.code, nato.sector, nato.country, nato.key) == ("NATO", "IGO", None, "NATO")
    eu = events["1200000014"].event.source[0]
    assert (eu.code, eu.name) == ("EU", "European Union")


def test_gdelt_event_is_reported_by_its_outlet_with_coded_evidence() -> None:
    item = _events()["1200000002"]
    event = item.event
    assert event.status is Status.REPORTED
    assert [(a.name, a.sector) for a in event.attribution.asserted_by] == [
        ("kyiv-example.net", "MED")
    ]
    assert event.extractor == EXTRACTOR == "source.gdelt_events.v1"
    assert (event.cameo, event.date, event.date_text) == ("194", date(2024, 11, 5), "20241105")
    assert event.context == ("military",)
    assert (event.evidence.start, event.evidence.end) == (0, 0)  # quotes nothing
    assert event.evidence.text.startswith("GDELT event 1200000002: RUSMIL (RUSSIAN)")
    assert "CAMEO 194" in event.evidence.text
    assert (item.origin, item.source, item.line) == ("gdelt", str(EXPORT), 2)


def test_gdelt_one_document_per_source_url() -> None:
    events = _events()
    first, second = events["1200000002"].document, events["1200000003"].document
    assert first.id == second.id
    assert first.url == "https://kyiv-example.net/news/2024/11/05/fighting-kursk"
    assert first.outlet == "kyiv-example.net"
    assert first.published == date(2024, 11, 5)  # DATEADDED
    assert "GDELT" in first.text and first.url in first.text and "not fetched" in first.text
    assert first.source == str(EXPORT)
    assert len({item.document.id for item in events.values()}) == 14


def test_gdelt_citation_source_keeps_the_text_as_outlet() -> None:
    document = _events()["1200000021"].document
    assert (document.url, document.outlet) == (None, "BBC Monitoring")


def test_gdelt_statements_and_appeals_are_skipped_not_failed() -> None:
    skipped = [i for i in read_gdelt(EXPORT) if isinstance(i, SkippedRow)]
    assert [(s.line, s.reason.split(" (")[0]) for s in skipped] == [
        (5, "CAMEO 010"),
        (8, "CAMEO 0231"),
    ]


def test_gdelt_malformed_rows_are_reported_with_file_and_line() -> None:
    failures = _failures(EXPORT)
    assert {line: f.code for line, f in failures.items()} == {
        7: "E601",
        11: "E602",
        16: "E602",
        20: "E602",
    }
    assert "expected 61 tab-separated columns, found 60" in failures[7].reason
    assert "SQLDATE '20241340'" in failures[11].reason
    assert "EventCode '999'" in failures[16].reason
    assert "ActionGeo_Lat/Long" in failures[20].reason
    assert all(f.source == str(EXPORT) for f in failures.values())
    assert failures[16].message().startswith(f"{EXPORT}: line 16: ")


def test_gdelt_every_line_is_accounted_for() -> None:
    items = list(read_gdelt(EXPORT))
    assert len(items) == 21
    assert sorted(getattr(i, "line", 0) for i in items if not isinstance(i, Failure)) == [
        n for n in range(1, 22) if n not in (7, 11, 16, 20)
    ]


def test_gdelt_zipped_copy_reads_like_the_plain_file() -> None:
    with zipfile.ZipFile(ZIPPED) as archive:
        assert archive.read(EXPORT.name) == EXPORT.read_bytes()
    plain, zipped = _events(EXPORT), _events(ZIPPED)
    assert plain.keys() == zipped.keys()
    for key, item in plain.items():
        assert zipped[key].event == item.event
        assert zipped[key].document.id == item.document.id
    assert _failures(ZIPPED).keys() == _failures(EXPORT).keys()


def test_gdelt_bad_zip_is_one_failure_naming_it() -> None:
    items = list(read_gdelt(BROKEN))
    assert [(i.code, i.source) for i in items] == [("E606", str(BROKEN))]  # type: ignore[union-attr]


def test_gdelt_zip_breaking_off_half_way_ends_with_a_stop(tmp_path: Path) -> None:
    stored = tmp_path / "20241120000000.export.CSV.zip"
    with zipfile.ZipFile(stored, "w", zipfile.ZIP_STORED) as archive:
        archive.write(EXPORT, EXPORT.name)
    data = bytearray(stored.read_bytes())
    middle = data.index(b"1200000010")
    data[middle : middle + 10] = b"1299999999"  # same length, different CRC
    stored.write_bytes(bytes(data))
    items = list(read_gdelt(stored))
    assert isinstance(items[-1], Failure) and items[-1].code == "E608"
    assert "nothing from this file was stored" in items[-1].reason


def test_gdelt_zip_with_two_files_is_refused(tmp_path: Path) -> None:
    double = tmp_path / "two.export.CSV.zip"
    with zipfile.ZipFile(double, "w") as archive:
        archive.write(EXPORT, "a.CSV")
        archive.write(EXPORT, "b.CSV")
    assert [i.code for i in read_gdelt(double)] == ["E607"]  # type: ignore[union-attr]


def test_gdelt_missing_file_and_folder_fail(tmp_path: Path) -> None:
    assert [i.code for i in read_gdelt(tmp_path / "none.export.CSV")] == ["E101"]  # type: ignore[union-attr]
    assert [i.code for i in read_gdelt(tmp_path, kind="events")] == ["E111"]  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("source", "name", "kind"),
    [(EXPORT, "plain.tsv", "events"), (MENTIONS, "other.tsv", "mentions")],
)
def test_gdelt_kind_by_name_or_by_columns(
    source: Path, name: str, kind: str, tmp_path: Path
) -> None:
    assert gdelt_kind(source) == kind
    renamed = tmp_path / name
    shutil.copy(source, renamed)
    assert gdelt_kind(renamed) == kind


def test_gdelt_kind_refuses_other_files(tmp_path: Path) -> None:
    other = tmp_path / "notes.tsv"
    other.write_text("a\tb\tc\nd\te\tf\n", encoding="utf-8")
    found = gdelt_kind(other)
    assert isinstance(found, Failure) and found.code == "E609"
    assert "have 3 tab-separated columns" in found.reason


def test_gdelt_header_line_is_skipped(tmp_path: Path) -> None:
    with_header = tmp_path / "with_header.export.CSV"
    with_header.write_text("\t".join(EVENT_COLUMNS) + "\n" + _row(**GOOD) + "\n", "utf-8")
    items = list(read_gdelt(with_header))
    assert [type(i).__name__ for i in items] == ["ImportedEvent"]
    assert items[0].line == 2  # type: ignore[union-attr]


def test_gdelt_undecodable_line_is_reported_and_reading_goes_on(tmp_path: Path) -> None:
    path = tmp_path / "mixed.export.CSV"
    bad = _row(**{**GOOD, "GLOBALEVENTID": "2", "Actor1Name": "X"}).encode().replace(b"X", b"\xff")
    path.write_bytes(_row(**GOOD).encode() + b"\n" + bad + b"\n" + _row(**GOOD).encode() + b"\n")
    items = list(read_gdelt(path))
    assert [type(i).__name__ for i in items] == ["ImportedEvent", "Failure", "ImportedEvent"]
    assert items[1].code == "E603" and items[1].reason.startswith("line 2:")  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"GLOBALEVENTID": "12a"}, "GLOBALEVENTID"),
        ({"SQLDATE": "2024110"}, "SQLDATE"),
        ({"EventCode": "21"}, "EventCode"),
        ({"SOURCEURL": ""}, "SOURCEURL"),
        ({"DATEADDED": "2024-11-05"}, "DATEADDED"),
        ({"ActionGeo_FullName": "X", "ActionGeo_Lat": "95", "ActionGeo_Long": "10"}, "ActionGeo"),
    ],
)
def test_gdelt_bad_values_name_the_field(
    changes: dict[str, str], field: str, tmp_path: Path
) -> None:
    path = tmp_path / "bad.export.CSV"
    path.write_text(_row(**{**GOOD, **changes}) + "\n", encoding="utf-8")
    (item,) = read_gdelt(path)
    assert isinstance(item, Failure) and item.code == "E602"
    assert f"bad {field}" in item.reason


@pytest.mark.parametrize(
    ("actor", "expected"),
    [
        # (Code, Name, CountryCode, KnownGroupCode, Type1Code) -> (code, country, sector, name)
        (("ROMGOV", "BUCHAREST", "ROM", "", "GOV"), ("ROUGOV", "ROU", "GOV", "Romania")),
        (("HKG", "HONG KONG", "HKG", "", ""), ("HKG", "HKG", None, "Hong Kong")),
        (("EURMIL", "EUROPEAN", "EUR", "", "MIL"), ("EURMIL", None, "MIL", "Europe")),
        (("RUSMODGOV", "RUSSIA", "RUS", "", "MOD"), ("RUS", "RUS", None, "Russia")),
        (("IGOUNO", "UN", "", "UNO", "IGO"), ("UN", None, "IGO", "United Nations")),
        (("XYZ", "SOMEONE", "", "XYZ", "REB"), ("XYZ", None, "REB", "Someone")),
        (("CVL", "PEOPLE", "", "", "CVL"), (None, None, "CVL", "People")),
    ],
)
def test_gdelt_actor_codes(
    actor: tuple[str, ...], expected: tuple[str | None, ...], tmp_path: Path
) -> None:
    code, name, country, group, type1 = actor
    row = {
        **GOOD,
        "Actor1Code": code,
        "Actor1Name": name,
        "Actor1CountryCode": country,
        "Actor1KnownGroupCode": group,
        "Actor1Type1Code": type1,
    }
    path = tmp_path / "actors.export.CSV"
    path.write_text(_row(**row) + "\n", encoding="utf-8")
    (item,) = read_gdelt(path)
    assert isinstance(item, ImportedEvent)
    (found,) = item.event.source
    assert (found.code, found.country, found.sector, found.name) == expected
    assert item.event.target == ()  # no Actor2 columns
    assert item.event.location is None  # no ActionGeo columns


def test_gdelt_mentions_become_urls_to_attach() -> None:
    items = list(read_gdelt(MENTIONS))
    mentions = [i for i in items if isinstance(i, ImportedMention)]
    assert [(m.external_id, m.url) for m in mentions][:2] == [
        ("1200000001", "https://another-example.org/asia/dprk-kursk"),
        ("1200000001", "https://www.example-news.com/2024/10/18/north-korean-troops-russia"),
    ]
    assert mentions[0].seen_at == datetime(2024, 10, 18, 12, 0, tzinfo=UTC)
    skipped = [i for i in items if isinstance(i, SkippedRow)]
    assert [(s.line, "no URL" in s.reason) for s in skipped] == [(6, True)]
    assert {line: f.code for line, f in _failures(MENTIONS).items()} == {7: "E601", 8: "E602"}


@pytest.mark.parametrize(
    ("url", "outlet"),
    [
        ("https://www.Example.com/a?b#c", "example.com"),
        ("http://user@host.org:8080/x", "host.org"),
        ("BBC Monitoring", "BBC Monitoring"),
    ],
)
def test_gdelt_outlet_is_the_host(url: str, outlet: str) -> None:
    assert outlet_of(url) == outlet
