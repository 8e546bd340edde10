"""``sitrep eval``: score extraction against gold files, and gate quality in CI.

A thin shell over :mod:`sitrep.analysis.evaluate` and :mod:`sitrep.analysis.gate`.
Registered on the main app by one import at the bottom of :mod:`sitrep.cli`.
"""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from sitrep.cli import app, err
from sitrep.cli.output import Format, emit_rows
from sitrep.errors import SitrepError

if TYPE_CHECKING:
    from sitrep.analysis.scores import EvalReport

ERRORS_SHOWN = 40  # error rows per report in a table; --json has them all


class Split(StrEnum):
    TUNE = "tune"
    TEST = "test"
    ALL = "all"


def _fail(message: str) -> typer.Exit:
    err.print(f"[red]error:[/red] {message}", highlight=False, soft_wrap=True)
    return typer.Exit(code=1)


@app.command("eval")
def eval_command(
    gold: Annotated[
        list[Path],
        typer.Argument(
            help="Gold files or folders: our gold (gold/, gold/test/) or benchmark JSONL.",
            exists=True,
            readable=True,
        ),
    ],
    as_json: Annotated[bool, typer.Option("--json", help="Print the reports as JSON.")] = False,
    split: Annotated[
        Split | None,
        typer.Option(
            "--split",
            help="Which half of our gold to score [default: the baseline's with --gate, else all].",
        ),
    ] = None,
    per_category: Annotated[
        bool, typer.Option("--per-category", help="Also show per-category scores and confusion.")
    ] = False,
    errors: Annotated[
        bool, typer.Option("--errors", help="Also list misses, false positives and mistakes.")
    ] = False,
    gate: Annotated[
        Path | None,
        typer.Option("--gate", help="Check (or with --update, write) the floors in this JSON."),
    ] = None,
    update: Annotated[
        bool, typer.Option("--update", help="Rewrite the --gate floors from this run.")
    ] = False,
    allow_regression: Annotated[
        bool,
        typer.Option("--allow-regression", help="Let --update lower floors (a deliberate drop)."),
    ] = False,
) -> None:
    """Score extraction against gold: event P/R/F1, attribution, actors, dates and places.

    Reads our gold format (documents with expected events, see gold/README.md) and the
    JSONL benchmark sets (PLOVER, NGEC actors, PETRARCH/CAMEO, ConfliBERT), one report per
    gold set. With --gate, exits 1 when a score falls below its floor or the gold changed.

    Example:  sitrep eval gold --split test --per-category
              sitrep eval gold --gate gold/baseline.json
              sitrep eval ../shared/benchmarks/plover_gsr.dev.jsonl --json
    """
    from sitrep.analysis.evaluate import GOLD_SCHEME, evaluate_sets, read_gold
    from sitrep.analysis.gate import check_gate, load_baseline, update_baseline

    if update and gate is None:
        raise typer.BadParameter("--update needs --gate BASELINE.json", param_hint="--update")
    if allow_regression and not update:
        raise typer.BadParameter("--allow-regression only applies with --update")
    try:
        baseline = load_baseline(gate) if gate is not None and gate.exists() else None
        if gate is not None and baseline is None and not update:
            raise typer.BadParameter(
                f"{gate} does not exist; create it with --update", param_hint="--gate"
            )
        chosen = split.value if split else (baseline.split if baseline else Split.ALL.value)
        sets = read_gold(gold, split=chosen)
        ours = [s for s in sets if s.scheme == GOLD_SCHEME]
        if gate is not None and len(ours) != 1:
            raise typer.BadParameter(
                f"--gate needs exactly one path holding our gold documents; got {len(ours)}",
                param_hint="--gate",
            )
        reports = evaluate_sets(sets)
        gate_payload: dict[str, Any] | None = None
        failed = False
        if gate is not None:
            report = next(r for r in reports if r.scheme == GOLD_SCHEME)
            documents = ours[0].documents
            if update:
                new, lowered = update_baseline(
                    gate, report, documents, allow_regression=allow_regression
                )
                gate_payload = {"updated": str(gate), "lowered": lowered}
                note = f"; lowered: {'; '.join(lowered)}" if lowered else ""
                err.print(
                    f"wrote {len(new.overall) + len(new.categories)} floors to {gate}{note}",
                    highlight=False,
                )
            elif baseline is not None:
                result = check_gate(report, documents, baseline)
                gate_payload = result.to_dict()
                failed = not result.passed
    except SitrepError as exc:
        raise _fail(str(exc)) from exc
    if as_json:
        payload = {"reports": [r.to_dict() for r in reports], "gate": gate_payload}
        sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
    else:
        for report in reports:
            _print_report(report, per_category=per_category, errors=errors)
    if gate_payload is not None and "failures" in gate_payload:
        _print_gate(gate_payload, gate)
    if failed:
        raise typer.Exit(code=1)


def _print_report(report: EvalReport, *, per_category: bool, errors: bool) -> None:
    from sitrep.analysis.evaluate import GOLD_SCHEME

    split = f", split {report.split}" if report.scheme == GOLD_SCHEME else ""
    title = f"{report.name} — {report.scheme}{split}, {report.documents} documents"
    emit_rows(report.summary_rows(), ["metric", "value", "n", "detail"], Format.TABLE, title=title)
    if per_category and report.categories:
        columns = ["category", "gold", "predicted", "tp", "fp", "fn", "precision", "recall", "f1"]
        emit_rows(report.category_rows(), columns, Format.TABLE, title="Per category")
    if per_category and report.confusion:
        rows, columns = report.confusion_rows()
        emit_rows(rows, columns, Format.TABLE, title="Confusion (rows gold, columns predicted)")
    if errors and report.errors:
        rows = [{**e.to_dict(), "evidence": e.text} for e in report.errors[:ERRORS_SHOWN]]
        columns = ["document", "kind", "gold", "predicted", "evidence"]
        emit_rows(rows, columns, Format.TABLE, title="Errors")
        if len(report.errors) > ERRORS_SHOWN:
            err.print(f"… and {len(report.errors) - ERRORS_SHOWN} more (see --json)")
    for note in report.notes:
        err.print(f"[dim]{note}[/dim]", highlight=False)


def _print_gate(payload: dict[str, Any], gate: Path | None) -> None:
    if payload["passed"]:
        err.print(f"gate passed: {payload['checked']} floors held ({gate})", highlight=False)
        return
    err.print(f"[red]gate failed[/red] ({gate}):", highlight=False)
    for failure in payload["failures"]:
        err.print(f"  - {failure}", highlight=False, soft_wrap=True)
