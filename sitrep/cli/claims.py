"""``sitrep claims``, ``sitrep claim ID`` and ``sitrep relink``: claims across documents.

A thin shell over ``sitrep.api.claims``, ``api.claim`` and ``api.relink``.
"""

from __future__ import annotations

import json
import sys
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from sitrep.cli import (
    CsvOption,
    DbOption,
    JsonOption,
    LimitOption,
    SinceOption,
    _date,
    _fail,
    _settings,
    app,
    err,
)
from sitrep.cli.output import emit_rows, pick_format
from sitrep.errors import SitrepError
from sitrep.records import PLOVER_CATEGORIES, Actor, Claim, Status

CLAIM_COLUMNS = [
    "id",
    "type",
    "source",
    "target",
    "status",
    "first_seen",
    "last_seen",
    "documents",
    "origins",
    "sources",
    "contested",
    "evidence",
]


def _actors(actors: tuple[Actor, ...]) -> str:
    return ", ".join(a.code or a.name for a in actors) or "—"


def _asserters(actors: tuple[Actor, ...]) -> str:
    return ", ".join(a.code or a.name for a in actors) or "the outlet"


def _row(claim: Claim) -> dict[str, Any]:
    return {
        "id": claim.id,
        "type": claim.type,
        "source": _actors(claim.source),
        "target": _actors(claim.target),
        "status": claim.status.value,
        "first_seen": claim.first_seen,
        "last_seen": claim.last_seen,
        "documents": len(claim.documents),
        "origins": claim.origins,
        "sources": len(claim.asserting_sources),
        "contested": "yes" if claim.contested else "",
        "evidence": claim.members[0].evidence.text if claim.members else "",
    }


@app.command("claims")
def claims_command(
    actor: Annotated[
        str | None, typer.Option("--actor", help="Actor code, country or name.")
    ] = None,
    claim_type: Annotated[
        str | None, typer.Option("--type", help="PLOVER category, e.g. AID.")
    ] = None,
    contested: Annotated[
        bool,
        typer.Option("--contested", help="Only claims with a contradiction or a denial."),
    ] = False,
    since: SinceOption = None,
    status: Annotated[Status | None, typer.Option("--status", help="Current status.")] = None,
    limit: LimitOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
    as_csv: CsvOption = False,
) -> None:
    """List claims: events from several documents linked as one happening.

    Each claim shows its current status, how many documents and independent origins
    report it, and whether sources contradict each other. Claims are recomputed by
    'sitrep ingest' and 'sitrep relink'. --since keeps claims still reported on or after
    that day.

    Example:  sitrep claims --actor PRK --type AID --contested --json
    """
    from sitrep import api

    fmt = pick_format(as_json, as_csv)
    if claim_type and claim_type.upper() not in PLOVER_CATEGORIES:
        raise typer.BadParameter(
            f"{claim_type!r} is not a PLOVER category; choose from {', '.join(PLOVER_CATEGORIES)}",
            param_hint="--type",
        )
    filters = {
        "actor": actor,
        "type": claim_type,
        "contested": True if contested else None,
        "since": _date(since, "--since"),
        "status": status.value if status else None,
        "limit": limit,
    }
    try:
        with api.open_store(settings=_settings(db)) as store:
            found = api.claims(store, **filters)
    except SitrepError as exc:
        raise _fail(str(exc)) from exc
    emit_rows(
        [_row(c) for c in found],
        CLAIM_COLUMNS,
        fmt,
        title="Claims",
        json_rows=[c.to_dict() for c in found],
    )


@app.command("claim")
def claim_command(
    claim_id: Annotated[str, typer.Argument(metavar="ID", help="A claim id (or a unique prefix).")],
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Tell the story of one claim: sources, origins, status history, numbers, conflicts.

    With --json, prints the claims contract for this claim plus "members" (each linked
    event with its evidence sentence, document, link and origin), "contested" and "linker".

    Example:  sitrep claim c8850456dd87 --json
    """
    from sitrep import api

    try:
        with api.open_store(settings=_settings(db)) as store:
            found = api.claim(store, claim_id)
    except SitrepError as exc:
        raise _fail(str(exc)) from exc
    if found is None:
        raise _fail(
            f"no claim {claim_id!r}. List the claim ids with 'sitrep claims' "
            "(run 'sitrep relink' first if the store predates claims)."
        )
    if as_json:
        sys.stdout.write(json.dumps(found.detail_dict(), ensure_ascii=False, indent=2) + "\n")
        return
    _print_story(found)


def _print_story(claim: Claim) -> None:
    console = Console() if Console().is_terminal else Console(width=200)
    where = f" in {claim.location.name}" if claim.location else ""
    console.print(
        f"[bold]{claim.id}[/bold]  {claim.type}  {_actors(claim.source)} → "
        f"{_actors(claim.target)}{where}",
        highlight=False,
    )
    console.print(
        f"status [bold]{claim.status.value}[/bold]; seen {claim.first_seen} … {claim.last_seen}; "
        f"{len(claim.documents)} documents from {claim.origins} independent origins; "
        f"asserted by {_asserters(claim.asserting_sources)}",
        highlight=False,
    )
    history = Table(title="Status history", header_style="bold")
    for column in ("date", "status", "asserted by", "document", "note"):
        history.add_column(column)
    for obs in claim.status_history:
        note = "a party to the claim" if obs.party else ""
        if obs.status is Status.DENIED:
            note = "denial, recorded beside" + (f" ({note})" if note else "")
        history.add_row(
            str(obs.date or ""), obs.status.value, _asserters(obs.asserted_by), obs.document, note
        )
    console.print(history)
    if claim.quantities:
        numbers = Table(title="Quantities", header_style="bold")
        for column in ("date", "value", "unit", "asserted by", "document"):
            numbers.add_column(column)
        for q in claim.quantities:
            numbers.add_row(
                str(q.date or ""),
                f"{q.value:g}",
                q.unit or "",
                _asserters(q.asserted_by),
                q.document,
            )
        console.print(numbers)
    if claim.contradictions:
        conflicts = Table(title="Contradictions", header_style="bold")
        for column in ("kind", "one side", "other side"):
            conflicts.add_column(column)
        for c in claim.contradictions:
            sides = [
                f"{side.value}{' ' + side.unit if side.unit else ''} — "
                f"{_asserters(side.asserted_by)}, {side.document} ({side.date})"
                for side in (c.a, c.b)
            ]
            conflicts.add_row(c.kind, *sides)
        console.print(conflicts)
    evidence = Table(title="Evidence", header_style="bold", show_lines=True)
    for column in ("published", "outlet", "origin", "status", "sentence", "link"):
        evidence.add_column(column, overflow="fold")
    for m in claim.members:
        evidence.add_row(
            str(m.published or ""),
            m.outlet or "",
            m.origin,
            m.status.value + (" (not)" if m.negated else ""),
            m.evidence.text,
            m.url or m.document,
        )
    console.print(evidence)


@app.command()
def relink(
    db: DbOption = None,
    similarity: Annotated[
        str | None,
        typer.Option(
            "--similarity",
            help="auto (embeddings if installed), embedding or lexical [default: setting].",
        ),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Recompute every claim from the stored events (deterministic; events are untouched).

    Run it after upgrading sitrep or installing the embeddings extra; 'sitrep ingest'
    relinks by itself after storing new documents.

    Example:  sitrep relink --db crisis.db --similarity lexical
    """
    from sitrep import api
    from sitrep.config import Settings

    try:
        settings = Settings.load({"db": db, "similarity": similarity})
        with api.open_store(settings=settings) as store:
            report = api.relink(store, settings=settings)
    except SitrepError as exc:
        raise _fail(str(exc)) from exc
    if as_json:
        typer.echo(json.dumps(report.to_dict()))
        return
    err.print(
        f"{report.claims} claims from {report.events} events ({report.linked} join several "
        f"events; {report.links} links scored with {report.method})",
        highlight=False,
    )
