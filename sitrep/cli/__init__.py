"""The ``sitrep`` command line: a thin shell over ``sitrep.api``.

Exit codes: 0 ok, 1 failure (an input failed, the store could not be opened …), 2 usage.
"""

from __future__ import annotations

import json
import sys
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from sitrep import __version__
from sitrep.cli.output import emit_rows, pick_format, progress
from sitrep.config import Settings
from sitrep.errors import SitrepError
from sitrep.records import Document, Failure, Status

app = typer.Typer(
    name="sitrep",
    help="Turn open reporting into a sourced, queryable model of who claims what.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
    context_settings={"help_option_names": ["-h", "--help"]},
)
err = Console(stderr=True)

DbOption = Annotated[
    str | None,
    typer.Option(
        "--db", envvar="SITREP_DB", help="SQLite file or SQLAlchemy URL [default: sitrep.db]."
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]
CsvOption = Annotated[bool, typer.Option("--csv", help="Print CSV instead of a table.")]
LimitOption = Annotated[int | None, typer.Option("--limit", min=1, help="Show at most N rows.")]


def _date(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(
            f"{value!r} is not a date; use YYYY-MM-DD", param_hint=option
        ) from None


SinceOption = Annotated[str | None, typer.Option("--since", help="Only on or after YYYY-MM-DD.")]
UntilOption = Annotated[str | None, typer.Option("--until", help="Only on or before YYYY-MM-DD.")]


def _settings(db: str | None = None, max_bytes: int | None = None) -> Settings:
    return Settings.load({"db": db, "max_bytes": max_bytes})


def _fail(message: str) -> typer.Exit:
    err.print(f"[red]error:[/red] {message}", highlight=False, soft_wrap=True)
    return typer.Exit(code=1)


def sample_corpus() -> Path:
    """The folder of sample articles shipped with the package."""
    return Path(str(resources.files("sitrep.data") / "sample"))


def _version(value: bool) -> None:
    if value:
        typer.echo(f"sitrep {__version__}")
        raise typer.Exit()


@app.callback()
def main_callback(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version.")
    ] = False,
) -> None:
    """Turn open reporting into a sourced, queryable model of who claims what.

    Example:  sitrep ingest --sample --db demo.db && sitrep timeline --db demo.db
    """


@app.command()
def ingest(
    paths: Annotated[
        list[str] | None,
        typer.Argument(help="Files, folders, http(s) URLs of pages, or '-' for standard input."),
    ] = None,
    feed: Annotated[
        list[str] | None,
        typer.Option(
            "--feed", metavar="URL|FILE", help="An RSS/Atom feed whose items to fetch (repeatable)."
        ),
    ] = None,
    allow_private: Annotated[
        bool,
        typer.Option(
            "--allow-private", help="Let URLs reach loopback, private and link-local addresses."
        ),
    ] = False,
    host_delay: Annotated[
        float,
        typer.Option("--host-delay", min=0, help="Seconds between requests to the same host."),
    ] = 1.0,
    sample: Annotated[
        bool, typer.Option("--sample", help="Ingest the bundled sample corpus.")
    ] = False,
    published: Annotated[
        str | None, typer.Option("--published", help="Publication date when the input has none.")
    ] = None,
    db: DbOption = None,
    max_bytes: Annotated[
        int | None, typer.Option("--max-bytes", min=1, help="Refuse inputs larger than this.")
    ] = None,
    as_json: JsonOption = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
) -> None:
    """Read documents, extract their events and store them (each document once).

    URLs are fetched (http and https only; loopback and private addresses are refused unless
    --allow-private). Each --feed item is fetched once across runs; a text that nearly
    duplicates a stored one is stored and linked to it. Unreadable inputs are reported one
    line each, skipped and counted; the exit code is 1 if any input failed.

    Example:  sitrep ingest articles/ --feed https://example.org/rss.xml --db crisis.db
    """
    from sitrep import api
    from sitrep.ingest.fetch import FetchPolicy

    targets = list(paths or [])
    if sample:
        targets.append(str(sample_corpus()))
    if not targets and not feed:
        raise typer.BadParameter(
            "give at least one PATH or URL, '-' for stdin, --feed or --sample", param_hint="PATHS"
        )
    settings = _settings(db, max_bytes)
    fetch = FetchPolicy(max_bytes=settings.max_bytes, host_delay=host_delay)
    pub = _date(published, "--published")
    try:
        with (
            api.open_store(settings=settings) as store,
            progress(None, "ingesting", enabled=not quiet) as bar,
        ):

            def on_item(item: Document | Failure) -> None:
                if isinstance(item, Failure):
                    err.print(
                        f"[red]failed:[/red] {item.message()}", highlight=False, soft_wrap=True
                    )
                if bar is not None:
                    bar[0].advance(bar[1])

            report = api.ingest(
                targets,
                store=store,
                published=pub,
                settings=settings,
                on_item=on_item,
                feeds=feed or (),
                allow_private=allow_private,
                fetch=fetch,
            )
    except SitrepError as exc:
        raise _fail(str(exc)) from exc
    summary = {
        "ingested": len(report.ingested),
        "already_present": len(report.already_present),
        "failed": len(report.failed),
        "events": report.events,
        "db": settings.db,
    }
    if as_json:
        summary["failures"] = [f.message() for f in report.failed]  # type: ignore[assignment]
        typer.echo(json.dumps(summary))
    else:
        err.print(
            f"ingested {summary['ingested']}, already present {summary['already_present']}, "
            f"failed {summary['failed']}; {summary['events']} events stored in {settings.db}",
            highlight=False,
        )
    if not report.ok:
        raise typer.Exit(code=1)


@app.command()
def extract(
    paths: Annotated[list[str], typer.Argument(help="Files, folders, or '-' for standard input.")],
    published: Annotated[
        str | None, typer.Option("--published", help="Publication date when the input has none.")
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="One JSON object per document per line (the contract).")
    ] = False,
    max_bytes: Annotated[int | None, typer.Option("--max-bytes", min=1)] = None,
) -> None:
    """Extract events from documents without a database and print them.

    With --json, prints one JSON object per document per line: the stable extract contract
    (document, events with source/target actors, status, asserted_by, evidence; entities).

    Example:  sitrep extract --json --published 2024-11-12 article.txt
    """
    from sitrep import api

    settings = _settings(max_bytes=max_bytes)
    pub = _date(published, "--published")
    failed = 0
    documents: list[Document] = []
    try:
        for item in api.read(paths, published=pub, settings=settings):
            if isinstance(item, Failure):
                failed += 1
                err.print(f"[red]failed:[/red] {item.message()}", highlight=False, soft_wrap=True)
            else:
                documents.append(item)
        for extraction in api.extract_documents(documents, settings=settings):
            if isinstance(extraction, Failure):
                failed += 1
                err.print(f"[red]failed:[/red] {extraction.message()}", highlight=False)
                continue
            if as_json:
                sys.stdout.write(json.dumps(extraction.to_dict(), ensure_ascii=False) + "\n")
            else:
                rows = [_event_row(e, extraction.document) for e in extraction.events]
                title = (
                    extraction.document.title
                    or extraction.document.source
                    or extraction.document.id
                )
                emit_rows(rows, EVENT_COLUMNS, pick_format(False, False), title=title)
    except SitrepError as exc:
        raise _fail(str(exc)) from exc
    if failed:
        raise typer.Exit(code=1)


EVENT_COLUMNS = [
    "id",
    "date",
    "type",
    "source",
    "target",
    "status",
    "asserted_by",
    "where",
    "quantities",
    "evidence",
]


def _actor_label(actors: tuple) -> str:
    return ", ".join(a.code or a.name for a in actors) or "—"


def _event_row(event, document: Document | None = None, event_id: int | None = None) -> dict:
    return {
        "id": event_id,
        "date": (event.date or (document.published if document else None) or ""),
        "type": event.type + (" (not)" if event.attribution.negated else ""),
        "source": _actor_label(event.source),
        "target": _actor_label(event.target),
        "status": event.status.value,
        "asserted_by": _actor_label(event.attribution.asserted_by)
        if event.attribution.asserted_by
        else (document.outlet if document and document.outlet else "outlet"),
        "where": event.location.name if event.location else "",
        "quantities": "; ".join(q.text for q in event.quantities),
        "evidence": event.evidence.text,
    }


@app.command()
def events(
    actor: Annotated[
        str | None, typer.Option("--actor", help="Actor code, country or name.")
    ] = None,
    event_type: Annotated[
        str | None, typer.Option("--type", help="PLOVER category, e.g. ASSAULT.")
    ] = None,
    since: SinceOption = None,
    until: UntilOption = None,
    status: Annotated[Status | None, typer.Option("--status", help="Attribution status.")] = None,
    document: Annotated[
        str | None, typer.Option("--document", help="Only this document id.")
    ] = None,
    limit: LimitOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
    as_csv: CsvOption = False,
) -> None:
    """List stored events with who asserts them and how sure they are.

    Example:  sitrep events --actor PRK --type AID --since 2024-10-01 --json
    """
    from sitrep import api
    from sitrep.records import PLOVER_CATEGORIES

    fmt = pick_format(as_json, as_csv)
    if event_type and event_type.upper() not in PLOVER_CATEGORIES:
        raise typer.BadParameter(
            f"{event_type!r} is not a PLOVER category; choose from {', '.join(PLOVER_CATEGORIES)}",
            param_hint="--type",
        )
    filters = {
        "actor": actor,
        "type": event_type,
        "since": _date(since, "--since"),
        "until": _date(until, "--until"),
        "status": status.value if status else None,
        "document_id": document,
        "limit": limit,
    }
    try:
        with api.open_store(settings=_settings(db)) as store:
            stored = store.events(**filters)
    except SitrepError as exc:
        raise _fail(str(exc)) from exc
    rows = []
    payload = []
    for item in stored:
        doc = Document(id=item.document_id, text="", outlet=item.outlet, published=item.published)
        rows.append(_event_row(item.event, doc, item.id))
        payload.append({"id": item.id, "document": item.document_id, **item.event.to_dict()})
    emit_rows(rows, EVENT_COLUMNS, fmt, title="Events", json_rows=payload)


@app.command()
def actors(
    limit: LimitOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
    as_csv: CsvOption = False,
) -> None:
    """List actors with how often they act, are acted on, and assert.

    Example:  sitrep actors --limit 20 --csv
    """
    from dataclasses import asdict

    from sitrep import api

    fmt = pick_format(as_json, as_csv)
    try:
        with api.open_store(settings=_settings(db)) as store:
            summaries = store.actors(limit=limit)
    except SitrepError as exc:
        raise _fail(str(exc)) from exc
    rows = [asdict(s) for s in summaries]
    columns = [
        "code",
        "name",
        "country",
        "sector",
        "as_source",
        "as_target",
        "as_asserter",
        "documents",
    ]
    emit_rows(rows, columns, fmt, title="Actors")


@app.command()
def documents(
    since: SinceOption = None,
    until: UntilOption = None,
    outlet: Annotated[str | None, typer.Option("--outlet", help="Only this outlet.")] = None,
    limit: LimitOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
    as_csv: CsvOption = False,
) -> None:
    """List stored documents.

    Example:  sitrep documents --since 2024-11-01 --json
    """
    from sitrep import api

    fmt = pick_format(as_json, as_csv)
    try:
        with api.open_store(settings=_settings(db)) as store:
            docs = store.documents(
                since=_date(since, "--since"),
                until=_date(until, "--until"),
                outlet=outlet,
                limit=limit,
            )
    except SitrepError as exc:
        raise _fail(str(exc)) from exc
    rows = [{**d.header(), "source": d.source, "chars": len(d.text)} for d in docs]
    emit_rows(
        rows,
        ["id", "published", "outlet", "title", "url", "source", "chars"],
        fmt,
        title="Documents",
    )


@app.command()
def timeline(
    actor: Annotated[
        str | None, typer.Option("--actor", help="Actor code, country or name.")
    ] = None,
    event_type: Annotated[str | None, typer.Option("--type", help="PLOVER category.")] = None,
    since: SinceOption = None,
    until: UntilOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
    as_csv: CsvOption = False,
) -> None:
    """Show events day by day (the event's own date, else its publication date).

    Example:  sitrep timeline --actor PRK --since 2024-10-01
    """
    from sitrep import api

    fmt = pick_format(as_json, as_csv)
    try:
        with api.open_store(settings=_settings(db)) as store:
            days = api.timeline(
                store,
                actor=actor,
                type=event_type,
                since=_date(since, "--since"),
                until=_date(until, "--until"),
            )
    except SitrepError as exc:
        raise _fail(str(exc)) from exc
    rows = []
    for day in days:
        for item in day.events:
            event = item.event
            rows.append(
                {
                    "day": day.day.isoformat(),
                    "dated_by": "event" if event.date else "published",
                    "type": event.type,
                    "source": _actor_label(event.source),
                    "target": _actor_label(event.target),
                    "status": event.status.value,
                    "asserted_by": _actor_label(event.attribution.asserted_by)
                    if event.attribution.asserted_by
                    else (item.outlet or "outlet"),
                    "evidence": event.evidence.text,
                    "event": item.id,
                    "document": item.document_id,
                }
            )
    columns = ["day", "dated_by", "type", "source", "target", "status", "asserted_by", "evidence"]
    emit_rows(rows, columns, fmt, title="Timeline")


@app.command()
def search(
    query: Annotated[str, typer.Argument(help="Words to find in document text.")],
    limit: LimitOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
    as_csv: CsvOption = False,
) -> None:
    """Full-text search over stored documents.

    Example:  sitrep search "Kursk" --limit 5
    """
    from sitrep import api

    fmt = pick_format(as_json, as_csv)
    try:
        with api.open_store(settings=_settings(db)) as store:
            hits = store.search(query, limit=limit or 20)
    except SitrepError as exc:
        raise _fail(str(exc)) from exc
    rows = [{**d.header(), "snippet": snippet} for d, snippet in hits]
    emit_rows(rows, ["id", "published", "outlet", "title", "snippet"], fmt, title="Search")


def main() -> None:
    """Console-script entry point."""
    app()


from sitrep.cli import claims as _claims  # noqa: E402, F401  (registers `sitrep claims`, `claim`, `relink`)
from sitrep.cli import evaluate as _evaluate  # noqa: E402, F401  (registers `sitrep eval`)
from sitrep.cli import imports as _imports  # noqa: E402, F401  (registers `sitrep import`)
from sitrep.cli import watch as _watch  # noqa: E402, F401  (registers `sitrep watch`, `sitrep feeds`)
