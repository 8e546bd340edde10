"""``sitrep eval`` end to end: reports, --json, the gate's exit codes and usage errors.

These run the real extractor on one or two short documents written for these tests.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sitrep.cli import app

runner = CliRunner()

DOC = {
    "document": {"id": "cli-1", "published": "2024-11-12"},
    "text": "Russia and North Korea signed a defence treaty on Wednesday.",
    "events": [
        {"type": "AGREE", "source": ["RUS", "PRK"], "target": [], "reciprocal": True},
        {"type": "ASSAULT", "source": ["RUS"], "target": ["UKR"]},
    ],
}


def invoke(*args: str):
    return runner.invoke(app, list(args), catch_exceptions=False)


@pytest.fixture
def gold_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "gold" / "test"
    folder.mkdir(parents=True)
    (folder / "docs.json").write_text(json.dumps([DOC]), encoding="utf-8")
    return tmp_path / "gold"


def test_cli_eval_help_has_an_example() -> None:
    result = invoke("eval", "--help")
    assert result.exit_code == 0 and "Example:" in result.output


def test_cli_eval_json_report(gold_dir: Path) -> None:
    result = invoke("eval", str(gold_dir), "--json", "--split", "test")
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert payload["gate"] is None
    [report] = payload["reports"]
    assert report["scheme"] == "sitrep-gold" and report["split"] == "test"
    assert report["documents"] == 1
    assert report["events"]["fn"] >= 1  # the ASSAULT is not in the text
    assert {"categories", "confusion", "metrics", "geocoding", "errors"} <= set(report)


def test_cli_eval_tables_per_category_and_errors(gold_dir: Path) -> None:
    result = invoke("eval", str(gold_dir), "--per-category", "--errors")
    assert result.exit_code == 0, result.output
    for title in ("event f1", "Per category", "Confusion", "Errors", "missed"):
        assert title in result.stdout


def test_cli_eval_gate_update_then_check_then_fail_on_edit(gold_dir: Path) -> None:
    baseline = gold_dir / "baseline.json"
    created = invoke("eval", str(gold_dir), "--split", "test", "--gate", str(baseline), "--update")
    assert created.exit_code == 0, created.output
    assert json.loads(baseline.read_text(encoding="utf-8"))["split"] == "test"
    held = invoke("eval", str(gold_dir), "--gate", str(baseline))  # split from the baseline
    assert held.exit_code == 0, held.output
    assert "gate passed" in held.stderr
    edited = {**DOC, "text": DOC["text"] + " Pyongyang confirmed it."}
    (gold_dir / "test" / "docs.json").write_text(json.dumps([edited]), encoding="utf-8")
    failed = invoke("eval", str(gold_dir), "--gate", str(baseline), "--json")
    assert failed.exit_code == 1
    assert json.loads(failed.stdout)["gate"]["passed"] is False
    assert "gold corpus changed" in failed.stderr


def test_cli_eval_bad_gold_exits_1_naming_it(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({**DOC, "events": [{"type": "FIGHT"}]}), encoding="utf-8")
    result = invoke("eval", str(bad))
    assert result.exit_code == 1
    assert "bad.json" in result.stderr and "E501" in result.stderr


@pytest.mark.parametrize(
    "args",
    [
        ("--update",),
        ("--allow-regression",),
        ("--gate", "missing-baseline.json"),
        ("--split", "dev"),
    ],
)
def test_cli_eval_usage_errors_exit_2(gold_dir: Path, args: tuple[str, ...]) -> None:
    assert invoke("eval", str(gold_dir), *args).exit_code == 2


def test_cli_eval_missing_path_exits_2(tmp_path: Path) -> None:
    assert invoke("eval", str(tmp_path / "nowhere")).exit_code == 2
