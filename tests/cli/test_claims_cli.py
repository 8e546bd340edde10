"""`sitrep claims`, `sitrep claim ID` and `sitrep relink`: help, formats, filters, exit codes."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sitrep.cli import app
from sitrep.cli.claims import CLAIM_COLUMNS
from sitrep.records import Actor, Attribution, Document, Event, Evidence, Extraction, Status
from sitrep.store import open_store

runner = CliRunner()
PRK = Actor("North Korea", "North Korea", "PRK", None, "PRK")
RUS = Actor("Russia", "Russia", "RUS", None, "RUS")
NATO = Actor("NATO", "NATO", None, "IGO", "NATO")
RUSGOV = Actor("the Kremlin", "Russia", "RUS", "GOV", "RUSGOV")


def invoke(*args: str):
    return runner.invoke(app, list(args), env={"SITREP_SIMILARITY": "lexical"})


@pytest.fixture
def db(tmp_path: Path) -> str:
    """Two reports of one deployment (a confirmation and a denial) and an unrelated event."""
    path = str(tmp_path / "claims.db")
    reports = [
        ("NATO confirmed North Korea sent troops to Russia.", 28, Status.CONFIRMED, NATO, "AID"),
        ("The Kremlin denied North Korea sent troops to Russia.", 28, Status.DENIED, RUSGOV, "AID"),
        ("North Korea threatened Russia's neighbours.", 1, Status.REPORTED, None, "THREATEN"),
    ]
    with open_store(path) as store:
        for text, day, status, who, kind in reports:
            doc = Document.from_text(
                text, outlet="Wire", published=date(2024, 10, day), url=f"https://x.org/{day}"
            )
            event = Event(
                type=kind,
                source=(PRK,),
                target=(RUS,),
                evidence=Evidence(text, 0, len(text)),
                attribution=Attribution(status=status, asserted_by=(who,) if who else ()),
            )
            store.add_extraction(Extraction(doc, (event,), (), "test.v1"))
    result = invoke("relink", "--db", path)
    assert result.exit_code == 0, result.output
    assert "2 claims from 3 events" in result.output
    return path


@pytest.mark.parametrize("command", ["claims", "claim", "relink"])
def test_claims_cli_help_has_example(command: str) -> None:
    result = invoke(command, "--help")
    assert result.exit_code == 0
    assert "Example:" in result.output


def test_claims_cli_json_lists_claims(db: str) -> None:
    result = invoke("claims", "--db", db, "--json")
    assert result.exit_code == 0, result.output
    claims = json.loads(result.stdout)
    assert [c["type"] for c in claims] == ["THREATEN", "AID"]
    aid = claims[1]
    assert aid["status"] == "confirmed"
    assert sorted(h["status"] for h in aid["status_history"]) == ["confirmed", "denied"]
    assert aid["origins"] == 2 and len(aid["documents"]) == 2


def test_claims_cli_csv_and_table(db: str) -> None:
    result = invoke("claims", "--db", db, "--csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert list(rows[0]) == CLAIM_COLUMNS
    assert {r["contested"] for r in rows} == {"yes", ""}
    table = invoke("claims", "--db", db)
    assert table.exit_code == 0 and "Claims" in table.stdout


@pytest.mark.parametrize(
    ("args", "types"),
    [
        (["--contested"], ["AID"]),
        (["--type", "threaten"], ["THREATEN"]),
        (["--actor", "RUS"], ["THREATEN", "AID"]),
        (["--actor", "UKR"], []),
        (["--since", "2024-10-02"], ["AID"]),
        (["--status", "confirmed"], ["AID"]),
    ],
)
def test_claims_cli_filters(db: str, args: list[str], types: list[str]) -> None:
    result = invoke("claims", "--db", db, "--json", *args)
    assert result.exit_code == 0, result.output
    assert [c["type"] for c in json.loads(result.stdout)] == types


def test_claims_cli_usage_errors_exit_2(db: str) -> None:
    assert invoke("claims", "--db", db, "--type", "PARTY").exit_code == 2
    assert invoke("claims", "--db", db, "--since", "yesterday").exit_code == 2
    assert invoke("claims", "--db", db, "--json", "--csv").exit_code == 2
    assert invoke("relink", "--db", db, "--similarity", "fuzzy").exit_code == 1


def test_claims_cli_story_of_one_claim(db: str) -> None:
    claims = json.loads(invoke("claims", "--db", db, "--json", "--type", "AID").stdout)
    claim_id = claims[0]["id"]
    detail = json.loads(invoke("claim", claim_id, "--db", db, "--json").stdout)
    assert detail["contested"] is True
    assert {m["url"] for m in detail["members"]} == {"https://x.org/28"}
    assert {m["evidence"]["text"] for m in detail["members"]} == {
        "NATO confirmed North Korea sent troops to Russia.",
        "The Kremlin denied North Korea sent troops to Russia.",
    }
    story = invoke("claim", claim_id[:7], "--db", db)
    assert story.exit_code == 0, story.output
    for words in ("Status history", "denial, recorded beside", "Evidence", "confirmed"):
        assert words in story.stdout


def test_claims_cli_unknown_claim_exits_1_and_says_how_to_list(db: str) -> None:
    result = invoke("claim", "c000000000000", "--db", db)
    assert result.exit_code == 1
    assert "sitrep claims" in result.output


def test_claims_cli_ingest_relinks(tmp_path: Path) -> None:
    article = tmp_path / "a.md"
    article.write_text(
        "---\npublished: 2024-10-18\noutlet: Test\n---\n"
        "North Korea has sent 1,500 soldiers to Russia, South Korea's spy agency said.\n",
        encoding="utf-8",
    )
    path = str(tmp_path / "i.db")
    result = invoke("ingest", str(article), "--db", path, "-q")
    assert result.exit_code == 0, result.output
    claims = json.loads(invoke("claims", "--db", path, "--json").stdout)
    assert claims and claims[0]["quantities"][0]["value"] == 1500
