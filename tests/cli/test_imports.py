"""``sitrep import gdelt|acled``: summaries, failures on stderr with file and line, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sitrep.cli import app

runner = CliRunner()
FIXTURES = Path(__file__).parent.parent / "fixtures" / "imports"
EXPORT = FIXTURES / "20241120000000.export.CSV"
MENTIONS = FIXTURES / "20241120000000.mentions.CSV"
BROKEN = FIXTURES / "broken.export.CSV.zip"
ACLED = FIXTURES / "acled_sample.csv"


def invoke(*args: str):
    return runner.invoke(app, list(args), catch_exceptions=False)


@pytest.mark.parametrize("args", [("import",), ("import", "gdelt"), ("import", "acled")])
def test_cli_import_help_has_an_example(args: tuple[str, ...]) -> None:
    result = invoke(*args, "--help")
    assert result.exit_code == 0
    assert "Example:" in result.output


def test_cli_import_gdelt_json_summary_and_failures(db_path: str) -> None:
    result = invoke("import", "gdelt", str(EXPORT), str(MENTIONS), "--db", db_path, "--json")
    assert result.exit_code == 1  # the sample has malformed rows
    summary = json.loads(result.stdout)
    assert (summary["imported"], summary["skipped"], summary["failed"]) == (15, 3, 6)
    assert (summary["mentions"], summary["db"]) == (2, db_path)
    assert f"{EXPORT}: line 16: bad EventCode '999'" in result.stderr
    assert f"{MENTIONS}: line 7: expected 16 tab-separated columns" in result.stderr
    again = invoke("import", "gdelt", str(EXPORT), "--db", db_path, "--json")
    assert json.loads(again.stdout)["already_present"] == 15
    assert json.loads(again.stdout)["imported"] == 0


def test_cli_import_gdelt_clean_file_exits_0_and_events_list_it(
    db_path: str, tmp_path: Path
) -> None:
    clean = tmp_path / "clean.export.CSV"
    lines = EXPORT.read_text(encoding="utf-8").splitlines(keepends=True)
    clean.write_text("".join(lines[:6]), encoding="utf-8")  # rows 1-6 are well formed
    result = invoke("import", "gdelt", str(clean), "--db", db_path)
    assert result.exit_code == 0, result.output
    assert "imported 5, already present 0, skipped 1, failed 0" in result.stderr
    listed = invoke("events", "--db", db_path, "--actor", "PRK", "--json")
    events = json.loads(listed.stdout)
    assert {e["type"] for e in events} == {"AID", "ASSAULT", "ACCUSE"}
    assert all(e["status"] == "reported" for e in events)


def test_cli_import_bad_zip_exits_1_naming_it(db_path: str) -> None:
    result = invoke("import", "gdelt", str(BROKEN), "--db", db_path)
    assert result.exit_code == 1
    assert "broken.export.CSV.zip" in result.stderr and "E606" in result.stderr


def test_cli_import_acled(db_path: str) -> None:
    result = invoke("import", "acled", str(ACLED), "--db", db_path, "--json", "--quiet")
    assert result.exit_code == 1
    summary = json.loads(result.stdout)
    assert (summary["imported"], summary["skipped"], summary["failed"]) == (10, 1, 5)
    assert f"{ACLED}: line 17: expected 31 comma-separated columns" in result.stderr
    listed = json.loads(invoke("events", "--db", db_path, "--type", "PROTEST", "--json").stdout)
    assert [e["mode"] for e in listed] == ["demo", "riot"]


@pytest.mark.parametrize(
    "args", [("import", "gdelt"), ("import", "acled"), ("import", "gdelt", "--bogus", "x")]
)
def test_cli_import_usage_errors_exit_2(args: tuple[str, ...], db_path: str) -> None:
    result = runner.invoke(app, [*args, "--db", db_path])
    assert result.exit_code == 2
