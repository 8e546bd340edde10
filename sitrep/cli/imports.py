"""``sitrep import gdelt`` and ``sitrep import acled``: load coded datasets into the store.

Registered by the import at the bottom of ``sitrep/cli/__init__.py``; thin shells over
``sitrep.api.import_gdelt`` and ``import_acled``. Exit codes: 0 every row imported or
skipped on purpose, 1 some rows or files failed (each reported on stderr with its file and
line), 2 usage.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Annotated

import typer

from sitrep.cli import DbOption, JsonOption, _fail, _settings, app, err
from sitrep.cli.output import progress
from sitrep.errors import SitrepError
from sitrep.records import Failure, ImportReport

import_app = typer.Typer(
    name="import",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
    context_settings={"help_option_names": ["-h", "--help"]},
)
app.add_typer(import_app, name="import")

FilesArgument = Annotated[list[str], typer.Argument(metavar="FILE...", show_default=False)]
QuietOption = Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")]


@import_app.callback()
def import_callback() -> None:
    """Import coded event datasets (GDELT 2.0, ACLED) as sourced events.

    Imported events are stored like extracted ones (events, timeline, actors list them);
    run 'sitrep relink' afterwards to join them into claims with the rest of the store.

    Example:  sitrep import gdelt 20241105000000.export.CSV.zip --db crisis.db
    """


@import_app.command("gdelt")
def gdelt(
    files: FilesArgument,
    db: DbOption = None,
    as_json: JsonOption = False,
    quiet: QuietOption = False,
) -> None:
    """Import GDELT 2.0 Events exports and Mentions files (tab-separated, plain or .zip).

    CAMEO event codes become PLOVER types; statements and appeals (CAMEO 01x, 02x) have no
    PLOVER category and are skipped. Each event is stored once, with status "reported",
    the outlet of its SOURCEURL as the asserting source, and its URL as the document.
    Mentions files (read after the Events files) add the articles that mention each event.
    Malformed rows are reported with file and line, skipped and counted; exit code 1 if any.

    Example:  sitrep import gdelt 20241105000000.export.CSV.zip --db crisis.db --json
    """
    _run("gdelt", files, db, as_json, quiet)


@import_app.command("acled")
def acled(
    files: FilesArgument,
    db: DbOption = None,
    as_json: JsonOption = False,
    quiet: QuietOption = False,
) -> None:
    """Import your own ACLED export (CSV with ACLED's standard columns, plain or .zip).

    Event and sub-event types become PLOVER types (sub-types with no PLOVER category are
    skipped); actors are coded by country and sector, fatalities kept as a quantity and the
    notes as evidence. ACLED's terms forbid redistribution: import the file you downloaded.
    Malformed rows are reported with file and line, skipped and counted; exit code 1 if any.

    Example:  sitrep import acled acled_ukraine_2024.csv --db crisis.db --json
    """
    _run("acled", files, db, as_json, quiet)


def _run(dataset: str, files: list[str], db: str | None, as_json: bool, quiet: bool) -> None:
    from sitrep import api

    run: Callable[..., ImportReport] = api.import_gdelt if dataset == "gdelt" else api.import_acled
    settings = _settings(db)

    def on_failure(failure: Failure) -> None:
        err.print(f"[red]failed:[/red] {failure.message()}", highlight=False, soft_wrap=True)

    try:
        with (
            api.open_store(settings=settings) as store,
            progress(None, f"importing {dataset}", enabled=not quiet) as bar,
        ):

            def on_rows(count: int) -> None:
                if bar is not None:
                    bar[0].advance(bar[1], count)

            report = run(files, store=store, on_failure=on_failure, on_rows=on_rows)
    except SitrepError as exc:
        raise _fail(str(exc)) from exc
    summary = {**report.to_dict(), "db": settings.db}
    if as_json:
        typer.echo(json.dumps(summary))
    else:
        mentions = (
            f"; mentions attached {report.mentions}, already present "
            f"{report.mentions_already_present}, of unknown events {report.mentions_unmatched}"
            if dataset == "gdelt"
            else ""
        )
        err.print(
            f"{dataset}: {report.rows} rows in {len(report.files)} file(s): imported "
            f"{report.imported}, already present {report.already_present}, skipped "
            f"{report.skipped}, failed {len(report.failed)}{mentions}; "
            f"{report.documents} new documents in {settings.db}",
            highlight=False,
        )
    if not report.ok:
        raise typer.Exit(code=1)
