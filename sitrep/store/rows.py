"""Turn records into table rows and back: the one place that knows both shapes.

Kept apart from the queries so the mapping can be read (and tested) on its own, and so a
new field on a record has exactly one place to be wired in.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from sitrep.records import (
    Actor,
    Attribution,
    Document,
    Entity,
    Event,
    Evidence,
    Failure,
    Location,
    Quantity,
    Status,
    Weapon,
)

Row = Mapping[str, Any]


def document_row(doc: Document, now: datetime) -> dict[str, Any]:
    """The ``documents`` row for a document first stored at ``now``."""
    return {
        "id": doc.id,
        "text": doc.text,
        "title": doc.title,
        "outlet": doc.outlet,
        "url": doc.url,
        "published": doc.published,
        "author": doc.author,
        "source": doc.source,
        "record_id": doc.record_id,
        "chars": len(doc.text),
        "ingested_at": now,
    }


def sighting_row(doc: Document, now: datetime) -> dict[str, Any]:
    """Where this copy of the text was read from, kept even when the text is not new."""
    return {"document_id": doc.id, "source": doc.source, "url": doc.url, "seen_at": now}


def document_from_row(row: Row) -> Document:
    return Document(
        id=row["id"],
        text=row["text"],
        title=row["title"],
        outlet=row["outlet"],
        url=row["url"],
        published=row["published"],
        author=row["author"],
        source=row["source"],
        record_id=row["record_id"],
    )


@functools.lru_cache(maxsize=1024)
def _context_json(context: tuple[str, ...]) -> str:
    """The JSON of an event's context; the same few contexts recur over whole imports."""
    return json.dumps(list(context))


def event_row(
    event: Event, document_id: str, extractor: str | None, version: str, now: datetime
) -> dict[str, Any]:
    """The ``events`` row; ``extractor`` is used when the event does not name its own."""
    location = event.location
    return {
        "document_id": document_id,
        "type": event.type,
        "mode": event.mode,
        "context": _context_json(tuple(event.context)),
        "cameo": event.cameo,
        "status": event.attribution.status.value,
        "negated": event.attribution.negated,
        "cue": event.attribution.cue,
        "date": event.date,
        "date_text": event.date_text,
        "location_text": location.text if location else None,
        "location_name": location.name if location else None,
        "location_country": location.country if location else None,
        "lat": location.lat if location else None,
        "lon": location.lon if location else None,
        "evidence_text": event.evidence.text,
        "evidence_start": event.evidence.start,
        "evidence_end": event.evidence.end,
        "trigger": event.trigger,
        "extractor": event.extractor or extractor,
        "extractor_version": version,
        "created_at": now,
    }


def actor_rows(event_id: int, event: Event) -> list[dict[str, Any]]:
    """Source, target and asserting actors, each role numbered from 0 in record order."""
    roles = (
        ("source", event.source),
        ("target", event.target),
        ("asserter", event.attribution.asserted_by),
    )
    return [
        {
            "event_id": event_id,
            "role": role,
            "position": position,
            "text": actor.text,
            "name": actor.name,
            "country": actor.country,
            "sector": actor.sector,
            "code": actor.code,
        }
        for role, actors in roles
        for position, actor in enumerate(actors)
    ]


def quantity_rows(event_id: int, event: Event) -> list[dict[str, Any]]:
    return [
        {
            "event_id": event_id,
            "position": position,
            "text": quantity.text,
            "value": quantity.value,
            "unit": quantity.unit,
            "qualifier": quantity.qualifier,
        }
        for position, quantity in enumerate(event.quantities)
    ]


def weapon_rows(event_id: int, event: Event) -> list[dict[str, Any]]:
    return [
        {
            "event_id": event_id,
            "position": position,
            "text": weapon.text,
            "name": weapon.name,
            "class": weapon.weapon_class,
            "country": weapon.country,
        }
        for position, weapon in enumerate(event.weapons)
    ]


def entity_rows(document_id: str, entities: Iterable[Entity]) -> list[dict[str, Any]]:
    return [
        {
            "document_id": document_id,
            "text": entity.text,
            "label": entity.label,
            "start": entity.start,
            "end": entity.end,
            "name": entity.name,
            "country": entity.country,
            "code": entity.code,
        }
        for entity in entities
    ]


def failure_row(failure: Failure, now: datetime) -> dict[str, Any]:
    return {"source": failure.source, "code": failure.code, "reason": failure.reason, "at": now}


def failure_from_row(row: Row) -> Failure:
    return Failure(source=row["source"], reason=row["reason"], code=row["code"])


def actor_from_row(row: Row) -> Actor:
    return Actor(
        text=row["text"],
        name=row["name"],
        country=row["country"],
        sector=row["sector"],
        code=row["code"],
    )


def quantity_from_row(row: Row) -> Quantity:
    return Quantity(
        text=row["text"], value=row["value"], unit=row["unit"], qualifier=row["qualifier"]
    )


def weapon_from_row(row: Row) -> Weapon:
    return Weapon(
        text=row["text"], name=row["name"], weapon_class=row["class"], country=row["country"]
    )


def _location_from_row(row: Row) -> Location | None:
    parts = ("location_text", "location_name", "location_country", "lat", "lon")
    if all(row[part] is None for part in parts):
        return None
    return Location(
        text=row["location_text"] or "",
        name=row["location_name"] or "",
        country=row["location_country"],
        lat=row["lat"],
        lon=row["lon"],
    )


def event_from_row(
    row: Row,
    actors: Iterable[Row] = (),
    quantities: Iterable[Row] = (),
    weapons: Iterable[Row] = (),
) -> Event:
    """Rebuild an ``Event`` from its row and its child rows (each already in position order)."""
    by_role: dict[str, list[Actor]] = {"source": [], "target": [], "asserter": []}
    for actor_row in actors:
        by_role[actor_row["role"]].append(actor_from_row(actor_row))
    return Event(
        type=row["type"],
        source=tuple(by_role["source"]),
        target=tuple(by_role["target"]),
        evidence=Evidence(
            text=row["evidence_text"], start=row["evidence_start"], end=row["evidence_end"]
        ),
        attribution=Attribution(
            status=Status(row["status"]),
            asserted_by=tuple(by_role["asserter"]),
            negated=bool(row["negated"]),
            cue=row["cue"],
        ),
        mode=row["mode"],
        context=tuple(json.loads(row["context"] or "[]")),
        cameo=row["cameo"],
        date=row["date"],
        date_text=row["date_text"],
        location=_location_from_row(row),
        quantities=tuple(quantity_from_row(q) for q in quantities),
        weapons=tuple(weapon_from_row(w) for w in weapons),
        trigger=row["trigger"],
        extractor=row["extractor"],
    )
