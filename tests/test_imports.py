"""import_gdelt / import_acled end to end: files in order, bad rows counted, never half-written."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import zipfile
from datetime import date
from pathlib import Path

import pytest

from sitrep import api
from sitrep.imports import gdelt_jobs
from sitrep.records import Failure, ImportedEvent, ImportReport

FIXTURES = Path(__file__).parent / "fixtures" / "imports"
EXPORT = FIXTURES / "20241120000000.export.CSV"
ZIPPED = FIXTURES / "20241120000000.export.CSV.zip"
MENTIONS = FIXTURES / "20241120000000.mentions.CSV"
BROKEN = FIXTURES / "broken.export.CSV.zip"
ACLED = FIXTURES / "acled_sample.csv"


def _summary(report: ImportReport) -> dict[str, int]:
    data = report.to_dict()
    data.pop("failures")
    return data


def test_imports_gdelt_reads_events_before_mentions(db_path: str) -> None:
    assert [source for source, _ in gdelt_jobs([MENTIONS, BROKEN, EXPORT])] == [
        str(BROKEN),
        str(EXPORT),
        str(MENTIONS),
    ]
    seen: list[Failure] = []
    progress: list[int] = []
    with api.open_store(db_path) as store:
        report = api.import_gdelt(
            [MENTIONS, BROKEN, EXPORT], store=store, on_failure=seen.append, on_rows=progress.append
        )
        counts = store.counts()
        stored_failures = store.failures()
    assert _summary(report) == {
        "files": 3,
        "rows": 29,
        "imported": 15,
        "already_present": 0,
        "skipped": 3,
        "documents": 14,
        "mentions": 2,
        "mentions_already_present": 2,
        "mentions_unmatched": 1,
        "failed": 7,
    }
    assert seen == report.failed
    assert sum(progress) == 29
    assert (counts["events"], counts["documents"], counts["failures"]) == (15, 14, 7)
    assert {f.code for f in stored_failures} == {"E601", "E602", "E606"}


def test_imports_gdelt_twice_stores_nothing_new(db_path: str) -> None:
    with api.open_store(db_path) as store:
        api.import_gdelt([EXPORT, MENTIONS, BROKEN], store=store)
        before = store.counts()
        again = api.import_gdelt([EXPORT, MENTIONS, BROKEN], store=store)
        after = store.counts()
        zipped = api.import_gdelt([ZIPPED], store=store)  # the same rows from another file
    assert (again.imported, again.already_present, again.documents, again.mentions) == (
        0,
        15,
        0,
        0,
    )
    assert again.mentions_already_present == 4
    assert after == before  # failures included: each bad row is quarantined once
    assert (zipped.imported, zipped.already_present, zipped.documents) == (0, 15, 0)


def test_imports_gdelt_events_join_extracted_ones(db_path: str) -> None:
    with api.open_store(db_path) as store:
        api.import_gdelt([EXPORT], store=store)
        prk = store.events(actor="PRK")
        kursk_day = store.events(since=date(2024, 11, 5), until=date(2024, 11, 5))
        timeline = api.timeline(store, type="ASSAULT")
    assert {s.event.type for s in prk} == {"AID", "ASSAULT", "ACCUSE", "THREATEN", "SANCTION",
                                           "MOBILIZE"}  # fmt: skip
    assert {s.event.cameo for s in kursk_day} == {"194", "190"}
    assert all(s.outlet for s in prk)
    assert [day.day.isoformat() for day in timeline] == ["2024-11-05", "2024-11-10", "2024-11-19"]


def test_imports_file_that_breaks_off_is_rolled_back_whole(db_path: str, tmp_path: Path) -> None:
    corrupt = tmp_path / "20241121000000.export.CSV.zip"
    with zipfile.ZipFile(corrupt, "w", zipfile.ZIP_STORED) as archive:
        archive.write(EXPORT, EXPORT.name)
    data = bytearray(corrupt.read_bytes())
    at = data.index(b"1200000016")
    data[at : at + 10] = b"1299999999"
    corrupt.write_bytes(bytes(data))
    with api.open_store(db_path) as store:
        report = api.import_gdelt([corrupt, MENTIONS], store=store)
        counts = store.counts()
        recorded = store.failures()
    stops = [f for f in report.failed if f.code == "E608"]
    assert [f.source for f in stops] == [str(corrupt)]
    assert report.imported == 0 and counts["events"] == 0 and counts["documents"] == 0
    assert report.mentions_unmatched == 5  # the events they mention were never kept
    assert "E608" in {f.code for f in recorded}


def test_imports_acled(db_path: str) -> None:
    with api.open_store(db_path) as store:
        report = api.import_acled([ACLED], store=store)
        again = api.import_acled([ACLED], store=store)
        events = store.events(type="ASSAULT")
    assert _summary(report) == {
        "files": 1,
        "rows": 16,
        "imported": 10,
        "already_present": 0,
        "skipped": 1,
        "documents": 10,
        "mentions": 0,
        "mentions_already_present": 0,
        "mentions_unmatched": 0,
        "failed": 5,
    }
    assert (again.imported, again.already_present) == (0, 10)
    assert all(s.outlet == "ACLED" for s in events)
    assert sum(q.value or 0 for s in events for q in s.event.quantities) == 12 + 3 + 2 + 4


def test_imports_missing_file_is_reported(db_path: str, tmp_path: Path) -> None:
    with api.open_store(db_path) as store:
        report = api.import_acled([tmp_path / "nope.csv"], store=store)
    assert [f.code for f in report.failed] == ["E101"]
    assert "nope.csv" in report.failed[0].message()


def test_imports_take_a_list_of_paths(db_path: str) -> None:
    with api.open_store(db_path) as store, pytest.raises(TypeError, match="list of paths"):
        api.import_gdelt(str(EXPORT), store=store)  # type: ignore[arg-type]


def test_imports_need_no_spacy(tmp_path: Path) -> None:
    shutil.copy(EXPORT, tmp_path / EXPORT.name)
    script = (
        "import json, sys\n"
        "from sitrep import api\n"
        f"store = api.open_store({str(tmp_path / 'x.db')!r})\n"
        f"g = api.import_gdelt([{str(tmp_path / EXPORT.name)!r}], store=store)\n"
        f"a = api.import_acled([{str(ACLED)!r}], store=store)\n"
        "print(json.dumps([g.imported, a.imported, 'spacy' in sys.modules]))\n"
    )
    output = subprocess.run(
        [sys.executable, "-c", script], check=True, capture_output=True, text=True
    ).stdout
    assert json.loads(output) == [15, 10, False]


def test_imports_join_claims_across_datasets(db_path: str) -> None:
    from sitrep.analysis.similarity import load_similarity

    with api.open_store(db_path) as store:
        gdelt = {i.external_id: i for i in _read_events(EXPORT)}
        acled = {i.external_id: i for i in _read_events(ACLED)}
        api.import_gdelt([EXPORT], store=store)
        api.import_acled([ACLED], store=store)
        api.relink(store, similarity=load_similarity("lexical"))
        claims = api.claims(store)
    sudzha = {gdelt["1200000002"].document.id, acled["TEST0001"].document.id}
    joined = [c for c in claims if set(c.documents) == sudzha]
    assert len(joined) == 1
    assert (joined[0].type, joined[0].origins) == ("ASSAULT", 2)
    assert {a.name for a in joined[0].asserting_sources} >= {"kyiv-example.net", "Ukrinform"}


def _read_events(path: Path) -> list[ImportedEvent]:
    from sitrep.ingest.acled import read_acled
    from sitrep.ingest.gdelt import read_gdelt

    reader = read_acled if path.suffix == ".csv" else read_gdelt
    return [i for i in reader(path) if isinstance(i, ImportedEvent)]
