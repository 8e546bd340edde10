"""The CLI end to end: extract contract, ingest once, listings, exit codes and help."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sitrep.cli import app

runner = CliRunner()
COMMANDS = ["ingest", "extract", "events", "actors", "documents", "timeline", "search"]


def invoke(*args: str):
    return runner.invoke(app, list(args), catch_exceptions=False)


@pytest.mark.parametrize("command", COMMANDS)
def test_cli_every_command_has_help_with_example(command: str) -> None:
    result = invoke(command, "--help")
    assert result.exit_code == 0
    assert "Example:" in result.output


def test_cli_extract_json_prints_the_contract(articles: Path) -> None:
    result = invoke(
        "extract", "--json", "--published", "2024-11-12", str(articles / "kursk_brief.txt")
    )
    assert result.exit_code == 0, result.output
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 1
    data = json.loads(lines[0])
    assert set(data) == {"document", "events", "entities"}
    assert data["document"]["published"] == "2024-11-12"
    assert set(data["document"]) == {"id", "title", "outlet", "url", "published"}
    event = data["events"][0]
    assert set(event) >= {
        "type",
        "mode",
        "context",
        "cameo",
        "source",
        "target",
        "status",
        "asserted_by",
        "negated",
        "date",
        "date_text",
        "location",
        "quantities",
        "weapons",
        "evidence",
    }
    text = (articles / "kursk_brief.txt").read_text(encoding="utf-8")
    for event in data["events"]:
        span = event["evidence"]
        assert text[span["start"] : span["end"]] == span["text"]
    entity = data["entities"][0]
    assert set(entity) == {"text", "label", "start", "end", "name", "country", "code"}


def test_cli_extract_jsonl_gives_one_line_per_record_in_order(articles: Path) -> None:
    result = invoke("extract", "--json", str(articles / "records.jsonl"))
    assert result.exit_code == 0, result.output
    titles = [json.loads(line)["document"]["title"] for line in result.stdout.splitlines()]
    assert titles == ["First", "Second", "Third"]


def test_cli_ingest_twice_stores_once_and_skips_bad_files(
    articles: Path, tmp_path: Path, db_path: str
) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(articles, corpus)
    (corpus / "broken.txt").write_bytes(b"\x00\x01\x02 binary \xff\xfe")
    first = invoke("ingest", str(corpus), "--db", db_path, "--json", "--published", "2024-11-12")
    assert first.exit_code == 1
    summary = json.loads(first.stdout)
    assert summary["ingested"] == 6  # three files + three JSONL records
    assert summary["failed"] == 1
    assert "broken.txt" in summary["failures"][0]
    assert summary["events"] > 0
    assert "broken.txt" in first.stderr

    (corpus / "broken.txt").unlink()
    second = invoke("ingest", str(corpus), "--db", db_path, "--json")
    assert second.exit_code == 0, second.output
    again = json.loads(second.stdout)
    assert again["ingested"] == 0
    assert again["already_present"] == 6

    docs = json.loads(invoke("documents", "--db", db_path, "--json").stdout)
    assert len(docs) == 6


@pytest.fixture
def loaded_db(articles: Path, db_path: str) -> str:
    result = invoke("ingest", str(articles), "--db", db_path, "--published", "2024-11-12", "-q")
    assert result.exit_code == 0, result.output
    return db_path


def test_cli_events_filters_and_formats(loaded_db: str) -> None:
    everything = json.loads(invoke("events", "--db", loaded_db, "--json").stdout)
    assert everything
    prk = json.loads(invoke("events", "--db", loaded_db, "--json", "--actor", "PRK").stdout)
    assert prk and len(prk) < len(everything)
    for event in prk:
        codes = {a["country"] for a in event["source"] + event["target"]}
        codes |= {a["code"] for a in event["source"] + event["target"]}
        assert "PRK" in codes or "PRKMIL" in codes or "PRKGOV" in codes
    sanctions = json.loads(
        invoke("events", "--db", loaded_db, "--json", "--type", "sanction").stdout
    )
    assert sanctions and {e["type"] for e in sanctions} == {"SANCTION"}
    denied = json.loads(invoke("events", "--db", loaded_db, "--json", "--status", "denied").stdout)
    assert denied and {e["status"] for e in denied} == {"denied"}
    late = json.loads(invoke("events", "--db", loaded_db, "--json", "--since", "2024-12-01").stdout)
    assert late and len(late) < len(everything)

    as_csv = invoke("events", "--db", loaded_db, "--csv")
    rows = list(csv.DictReader(io.StringIO(as_csv.stdout)))
    assert len(rows) == len(everything)
    assert {"type", "source", "target", "status", "asserted_by", "evidence"} <= set(rows[0])

    table = invoke("events", "--db", loaded_db, "--type", "SANCTION")
    assert table.exit_code == 0 and "SANCTION" in table.stdout


def test_cli_timeline_actors_documents_search(loaded_db: str) -> None:
    days = json.loads(invoke("timeline", "--db", loaded_db, "--json").stdout)
    assert [d["day"] for d in days] == sorted(d["day"] for d in days)
    actors = json.loads(invoke("actors", "--db", loaded_db, "--json").stdout)
    assert any(a["country"] == "PRK" for a in actors)
    hits = json.loads(invoke("search", "Scarborough", "--db", loaded_db, "--json").stdout)
    assert len(hits) == 1 and hits[0]["outlet"] == "Test Chronicle"


@pytest.mark.parametrize(
    "args",
    [
        ("events", "--since", "yesterday"),
        ("events", "--type", "FIGHT"),
        ("events", "--json", "--csv"),
        ("ingest",),
        ("nonsense",),
    ],
)
def test_cli_usage_errors_exit_2(args: tuple[str, ...], db_path: str) -> None:
    result = runner.invoke(app, [*args, "--db", db_path] if args[0] != "nonsense" else list(args))
    assert result.exit_code == 2


def test_cli_missing_file_exits_1_naming_it(tmp_path: Path) -> None:
    missing = tmp_path / "nope.txt"
    result = invoke("extract", "--json", str(missing))
    assert result.exit_code == 1
    assert "nope.txt" in result.stderr


def test_cli_version() -> None:
    result = invoke("--version")
    assert result.exit_code == 0 and result.stdout.startswith("sitrep ")
