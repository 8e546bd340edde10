"""``sitrep watch`` and ``sitrep feeds``: poll feeds on a schedule, and list what they gave.

Registered by the import at the bottom of ``sitrep/cli/__init__.py``; thin shells over
``sitrep.api.watch`` and ``Store.feeds``.
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer

from sitrep.cli import CsvOption, DbOption, JsonOption, _fail, _settings, app, err
from sitrep.cli.output import emit_rows, pick_format
from sitrep.errors import ConfigError, SitrepError

_LOG_FORMAT = "%(asctime)s %(levelname)s %(message)s"


@contextmanager
def _logging_to_stderr(verbose: bool) -> Iterator[None]:
    """Show sitrep's progress log on stderr for the length of the command, then undo it."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter(_LOG_FORMAT, datefmt="%Y-%m-%d %H:%M:%S"))
    loggers = [logging.getLogger("sitrep")] + ([logging.getLogger("httpx")] if verbose else [])
    saved = [(logger, logger.level) for logger in loggers]
    for logger in loggers:
        logger.addHandler(handler)
    loggers[0].setLevel(logging.DEBUG if verbose else logging.INFO)
    if verbose:
        loggers[1].setLevel(logging.INFO)  # one line per HTTP request
    try:
        yield
    finally:
        for logger, level in saved:
            logger.removeHandler(handler)
            logger.setLevel(level)


@app.command()
def watch(
    config: Annotated[
        Path,
        typer.Argument(metavar="CONFIG.yaml", help="Watch config: feeds, interval, limits (YAML)."),
    ],
    db: DbOption = None,
    once: Annotated[bool, typer.Option("--once", help="Poll every feed once, then exit.")] = False,
    allow_private: Annotated[
        bool,
        typer.Option(
            "--allow-private", help="Let URLs reach loopback, private and link-local addresses."
        ),
    ] = False,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print a JSON summary on stdout when done.")
    ] = False,
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="Log every item and HTTP request.")
    ] = False,
) -> None:
    """Poll the feeds in CONFIG.yaml on a schedule and store only their new items.

    State (feeds, ETags, items seen and their status) lives in the store, so a restarted
    watcher resumes where it stopped and never stores an item twice. SIGINT or SIGTERM
    stops it once the item in hand is stored; a second signal stops it at once. Progress
    is logged to stderr. The store is --db (or SITREP_DB), else the config's db, else
    sitrep.db. With --once the exit code is 1 if a feed or an item failed.

    CONFIG.yaml lists feed URLs or files under 'feeds:', one '- URL' line each (or
    '- url: URL' with 'interval: SECONDS'); optional keys: db, interval (default 900),
    host_delay, timeout, max_bytes, max_redirects, allow_private.

    Example:  sitrep watch feeds.yaml --db crisis.db
    """
    from sitrep import api
    from sitrep.watch import Stop, load_config, stop_on_signals

    try:
        loaded = load_config(config)
    except ConfigError as exc:
        raise typer.BadParameter(str(exc), param_hint="CONFIG.yaml") from exc
    settings = _settings(db or loaded.db)
    try:
        with _logging_to_stderr(verbose), stop_on_signals(Stop()) as stop:
            report = api.watch(
                loaded,
                db=settings.db,
                settings=settings,
                once=once,
                stop=stop,
                allow_private=allow_private,
            )
    except SitrepError as exc:
        raise _fail(str(exc)) from exc
    totals = {
        "polls": len(report.polls),
        "stored": len(report.ingest.ingested),
        "already_present": len(report.ingest.already_present),
        "failed": len(report.ingest.failed),
        "events": report.ingest.events,
        "stopped_by": report.stopped_by,
        "db": settings.db,
    }
    if as_json:
        payload = {**totals, "failures": [f.message() for f in report.ingest.failed]}
        typer.echo(json.dumps(payload))
    else:
        err.print(
            f"{totals['polls']} polls: stored {totals['stored']}, already present "
            f"{totals['already_present']}, failed {totals['failed']}; {totals['events']} "
            f"events stored in {settings.db}",
            highlight=False,
        )
    if once and not report.ok:
        raise typer.Exit(code=1)


@app.command()
def feeds(
    db: DbOption = None,
    as_json: JsonOption = False,
    as_csv: CsvOption = False,
) -> None:
    """List the feeds the store has polled, with their items by status.

    Example:  sitrep feeds --db crisis.db --json
    """
    from sitrep import api

    fmt = pick_format(as_json, as_csv)
    try:
        with api.open_store(settings=_settings(db)) as store:
            states = store.feeds.feeds()
    except SitrepError as exc:
        raise _fail(str(exc)) from exc
    rows = [
        {
            "url": state.url,
            "title": state.title,
            "stored": state.stored,
            "present": state.present,
            "failed": state.failed,
            "polled_at": state.polled_at.isoformat(timespec="seconds") if state.polled_at else None,
            "etag": state.etag,
            "last_modified": state.last_modified,
            "error": state.error,
        }
        for state in states
    ]
    columns = ["url", "title", "stored", "present", "failed", "polled_at", "error"]
    emit_rows(rows, columns, fmt, title="Feeds")
