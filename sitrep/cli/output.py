"""Shared output for every listing command: a rich table, ``--json`` or ``--csv``."""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from enum import StrEnum
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table


class Format(StrEnum):
    TABLE = "table"
    JSON = "json"
    CSV = "csv"


def pick_format(as_json: bool, as_csv: bool) -> Format:
    if as_json and as_csv:
        import typer

        raise typer.BadParameter("choose one of --json and --csv")
    return Format.JSON if as_json else Format.CSV if as_csv else Format.TABLE


def emit_rows(
    rows: Sequence[dict[str, Any]],
    columns: Sequence[str],
    fmt: Format,
    *,
    title: str | None = None,
    json_rows: Sequence[Any] | None = None,
) -> None:
    """Print rows in the chosen format; JSON may carry richer objects than the table shows."""
    if fmt is Format.JSON:
        payload = list(json_rows) if json_rows is not None else list(rows)
        sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2, default=str) + "\n")
        return
    if fmt is Format.CSV:
        writer = csv.DictWriter(sys.stdout, fieldnames=list(columns), extrasaction="ignore")
        writer.writeheader()
        for row in rows:
            writer.writerow({k: _flat(row.get(k)) for k in columns})
        return
    console = Console()
    if not console.is_terminal:
        console = Console(width=220)  # piped tables are read by people and grep alike
    table = Table(title=title, show_lines=False, header_style="bold")
    for column in columns:
        wide = column in {"evidence", "snippet", "title"}
        table.add_column(
            column.replace("_", " "), overflow="fold", no_wrap=not wide, ratio=3 if wide else None
        )
    for row in rows:
        table.add_row(*(_flat(row.get(c)) for c in columns))
    console.print(table)
    if not rows:
        console.print("[dim]No rows. Run 'sitrep ingest PATH' first, or loosen the filters.[/dim]")


def _flat(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return "; ".join(_flat(v) for v in value)
    return str(value)


@contextmanager
def progress(total: int | None, description: str, *, enabled: bool) -> Iterator[Any]:
    """A progress bar on stderr, off when stderr is not a terminal or ``enabled`` is False."""
    console = Console(stderr=True)
    if not enabled or not console.is_terminal:
        yield None
        return
    with Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    ) as bar:
        yield (bar, bar.add_task(description, total=total))
