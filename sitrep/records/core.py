"""Core records: documents, actors, events and their parts, extractions, reports.

Stages pass these records, never bare dicts. ``to_dict`` gives the stable JSON shape of the
``extract --json`` contract; ``from_dict`` reads it back (the store and the gold files use it).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any

PLOVER_CATEGORIES: tuple[str, ...] = (
    "AGREE",
    "CONSULT",
    "SUPPORT",
    "CONCEDE",
    "COOPERATE",
    "AID",
    "RETREAT",
    "REQUEST",
    "ACCUSE",
    "REJECT",
    "THREATEN",
    "PROTEST",
    "SANCTION",
    "MOBILIZE",
    "COERCE",
    "ASSAULT",
)


class Status(StrEnum):
    """How sure the asserting source is that an event happened (or will happen)."""

    CONFIRMED = "confirmed"  # asserted as verified
    REPORTED = "reported"  # asserted plainly
    BELIEVED = "believed"  # estimative: believed, assessed, likely
    SUSPECTED = "suspected"  # possibility or allegation: may, alleged, concerns that
    EXPECTED = "expected"  # future or planned
    DENIED = "denied"  # the asserting source denies it
    UNCONFIRMED = "unconfirmed"  # the source says it cannot confirm or verify


_SPACE = re.compile(r"\s+")


def normalise_text(text: str) -> str:
    """Text as used for document identity: NFC, unified quotes, collapsed whitespace."""
    text = unicodedata.normalize("NFKC", text)
    text = text.replace("\u2019", "'").replace("\u2018", "'")
    text = text.replace("\u201c", '"').replace("\u201d", '"')
    return _SPACE.sub(" ", text).strip()


def document_id(text: str) -> str:
    """Identity of a document: the SHA-256 of its normalised text (first 16 hex digits)."""
    return hashlib.sha256(normalise_text(text).encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class Actor:
    """A resolved actor: surface form plus canonical name, country, sector and code."""

    text: str
    name: str
    country: str | None = None  # ISO-3166 alpha-3
    sector: str | None = None  # GOV, MIL, SPY, LEG, JUD, POL, REB, CIV, MED, BUS, IGO …
    code: str | None = None  # "PRKMIL", "USAGOV", or an organisation key "NATO"

    @property
    def key(self) -> str | None:
        """The key events are compared on: an organisation key, else the country."""
        if self.code and not (self.country and self.code.startswith(self.country)):
            return self.code
        return self.country or self.code

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "name": self.name,
            "country": self.country,
            "sector": self.sector,
            "code": self.code,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Actor:
        return cls(
            text=data.get("text") or data.get("name") or "",
            name=data.get("name") or data.get("text") or "",
            country=data.get("country"),
            sector=data.get("sector"),
            code=data.get("code"),
        )


@dataclass(frozen=True, slots=True)
class Evidence:
    """The sentence that supports a fact, with character offsets into the document text."""

    text: str
    start: int
    end: int

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "start": self.start, "end": self.end}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Evidence:
        return cls(text=data["text"], start=int(data["start"]), end=int(data["end"]))


@dataclass(frozen=True, slots=True)
class Location:
    """A place an event happened, resolved to a name, country and coordinates."""

    text: str
    name: str
    country: str | None = None
    lat: float | None = None
    lon: float | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "name": self.name,
            "country": self.country,
            "lat": self.lat,
            "lon": self.lon,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Location:
        return cls(
            text=data.get("text") or data.get("name") or "",
            name=data.get("name") or data.get("text") or "",
            country=data.get("country"),
            lat=data.get("lat"),
            lon=data.get("lon"),
        )


@dataclass(frozen=True, slots=True)
class Quantity:
    """A number attached to something counted: troops, casualties, a range in km."""

    text: str
    value: float | None
    unit: str | None = None
    qualifier: str | None = None  # over, about, up to, at least …

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "value": self.value, "unit": self.unit}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Quantity:
        return cls(text=data.get("text", ""), value=data.get("value"), unit=data.get("unit"))


@dataclass(frozen=True, slots=True)
class Weapon:
    """A weapon system mentioned with an event, with its class and country of origin."""

    text: str
    name: str
    weapon_class: str | None = None
    country: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "name": self.name,
            "class": self.weapon_class,
            "country": self.country,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Weapon:
        return cls(
            text=data.get("text", ""),
            name=data.get("name", ""),
            weapon_class=data.get("class"),
            country=data.get("country"),
        )


@dataclass(frozen=True, slots=True)
class Attribution:
    """Who asserts an event and how sure they are. ``asserted_by == ()`` is the outlet."""

    status: Status = Status.REPORTED
    asserted_by: tuple[Actor, ...] = ()
    negated: bool = False
    cue: str | None = None  # the word that set the status, for audit


@dataclass(frozen=True, slots=True)
class Entity:
    """A named mention in a document with its resolution (if any)."""

    text: str
    label: str
    start: int
    end: int
    name: str | None = None
    country: str | None = None
    code: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "label": self.label,
            "start": self.start,
            "end": self.end,
            "name": self.name,
            "country": self.country,
            "code": self.code,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Entity:
        return cls(
            text=data["text"],
            label=data["label"],
            start=int(data["start"]),
            end=int(data["end"]),
            name=data.get("name"),
            country=data.get("country"),
            code=data.get("code"),
        )


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _parse_date(value: Any) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


@dataclass(frozen=True, slots=True)
class Event:
    """Who did what to whom, where and when, as asserted by whom, with its evidence."""

    type: str  # a PLOVER category
    source: tuple[Actor, ...]
    target: tuple[Actor, ...]
    evidence: Evidence
    attribution: Attribution = field(default_factory=Attribution)
    mode: str | None = None
    context: tuple[str, ...] = ()
    cameo: str | None = None
    date: date | None = None
    date_text: str | None = None
    location: Location | None = None
    quantities: tuple[Quantity, ...] = ()
    weapons: tuple[Weapon, ...] = ()
    trigger: str | None = None  # the word the event was found on
    extractor: str | None = None  # name.vN of what produced it

    def __post_init__(self) -> None:
        if self.type not in PLOVER_CATEGORIES:
            raise ValueError(f"{self.type!r} is not a PLOVER category: {PLOVER_CATEGORIES}")

    @property
    def status(self) -> Status:
        return self.attribution.status

    def to_dict(self) -> dict[str, Any]:
        return {
            "type": self.type,
            "mode": self.mode,
            "context": list(self.context),
            "cameo": self.cameo,
            "source": [a.to_dict() for a in self.source],
            "target": [a.to_dict() for a in self.target],
            "status": self.attribution.status.value,
            "asserted_by": [a.to_dict() for a in self.attribution.asserted_by],
            "negated": self.attribution.negated,
            "date": _iso(self.date),
            "date_text": self.date_text,
            "location": self.location.to_dict() if self.location else None,
            "quantities": [q.to_dict() for q in self.quantities],
            "weapons": [w.to_dict() for w in self.weapons],
            "evidence": self.evidence.to_dict(),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Event:
        return cls(
            type=data["type"],
            mode=data.get("mode"),
            context=tuple(data.get("context") or ()),
            cameo=data.get("cameo"),
            source=tuple(Actor.from_dict(a) for a in data.get("source") or ()),
            target=tuple(Actor.from_dict(a) for a in data.get("target") or ()),
            attribution=Attribution(
                status=Status(data.get("status") or Status.REPORTED),
                asserted_by=tuple(Actor.from_dict(a) for a in data.get("asserted_by") or ()),
                negated=bool(data.get("negated", False)),
            ),
            date=_parse_date(data.get("date")),
            date_text=data.get("date_text"),
            location=Location.from_dict(data["location"]) if data.get("location") else None,
            quantities=tuple(Quantity.from_dict(q) for q in data.get("quantities") or ()),
            weapons=tuple(Weapon.from_dict(w) for w in data.get("weapons") or ()),
            evidence=Evidence.from_dict(data["evidence"])
            if data.get("evidence")
            else Evidence("", 0, 0),
            extractor=data.get("extractor"),
        )


@dataclass(frozen=True, slots=True)
class Document:
    """A text and what we know of where it came from. ``id`` is the hash of its text."""

    id: str
    text: str
    title: str | None = None
    outlet: str | None = None
    url: str | None = None
    published: date | None = None
    author: str | None = None
    source: str | None = None  # where we read it: a path, "<stdin>", a URL
    record_id: str | None = None  # the id the input itself gave (JSON records)

    @classmethod
    def from_text(cls, text: str, **meta: Any) -> Document:
        """Build a document whose id is derived from its text."""
        published = _parse_date(meta.pop("published", None))
        return cls(id=document_id(text), text=text, published=published, **meta)

    def header(self) -> dict[str, Any]:
        """The ``document`` part of the extract contract."""
        return {
            "id": self.id,
            "title": self.title,
            "outlet": self.outlet,
            "url": self.url,
            "published": _iso(self.published),
        }


@dataclass(frozen=True, slots=True)
class Extraction:
    """Everything extracted from one document by one extractor."""

    document: Document
    events: tuple[Event, ...]
    entities: tuple[Entity, ...]
    extractor: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "document": self.document.header(),
            "events": [e.to_dict() for e in self.events],
            "entities": [e.to_dict() for e in self.entities],
        }


@dataclass(frozen=True, slots=True)
class Failure:
    """An input that could not be read, with a one-line reason naming it."""

    source: str
    reason: str
    code: str  # an error-catalogue code such as "E101"

    def message(self) -> str:
        return f"{self.source}: {self.reason} [{self.code}]"


@dataclass(slots=True)
class IngestReport:
    """Counts of a run: how many documents were new, already present, or failed."""

    ingested: list[str] = field(default_factory=list)
    already_present: list[str] = field(default_factory=list)
    failed: list[Failure] = field(default_factory=list)
    events: int = 0
    claims: int | None = None  # claims after the relink that ends a run (None: not run)

    @property
    def ok(self) -> bool:
        return not self.failed


@dataclass(frozen=True, slots=True)
class StoredEvent:
    """An event as read back from the store: its row id and the document it came from."""

    id: int
    document_id: str
    event: Event
    published: date | None = None
    outlet: str | None = None
    title: str | None = None


@dataclass(frozen=True, slots=True)
class ActorSummary:
    """One actor across the store: how often it acts, is acted on, or asserts."""

    code: str | None
    name: str
    country: str | None
    sector: str | None
    as_source: int = 0
    as_target: int = 0
    as_asserter: int = 0
    documents: int = 0


@dataclass(frozen=True, slots=True)
class TimelineDay:
    """The events of one day, by their own date or else their document's publication date."""

    day: date
    events: tuple[StoredEvent, ...]
    dated_by: str = "event"  # "event" when every event has its own date, else "mixed"


def _actors(items: Any) -> tuple[Actor, ...]:
    return tuple(Actor.from_dict(a) for a in items or ())


def _actor_dicts(actors: tuple[Actor, ...]) -> list[dict[str, Any]]:
    return [a.to_dict() for a in actors]
