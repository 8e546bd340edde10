"""Records of claims across documents: observations, quantities, contradictions, claims."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sitrep.records.core import (
    Actor,
    Evidence,
    Location,
    Status,
    _actor_dicts,
    _actors,
    _iso,
    _parse_date,
)


@dataclass(frozen=True, slots=True)
class StatusObservation:
    """One dated assertion about a claim: who said how sure they are, and in which document.

    ``party`` marks an assertion made by a party to the claim (a denial by the accused is
    recorded beside the history, never treated as a refutation).
    """

    date: date | None  # when it was asserted: the document's publication date
    status: Status
    asserted_by: tuple[Actor, ...]  # () means the outlet itself, as in the extract contract
    document: str
    event_id: int | None = None
    party: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "date": _iso(self.date),
            "status": self.status.value,
            "asserted_by": _actor_dicts(self.asserted_by),
            "document": self.document,
        }

    def detail_dict(self) -> dict[str, Any]:
        return {**self.to_dict(), "event": self.event_id, "party": self.party}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> StatusObservation:
        return cls(
            date=_parse_date(data.get("date")),
            status=Status(data["status"]),
            asserted_by=_actors(data.get("asserted_by")),
            document=data["document"],
            event_id=data.get("event"),
            party=bool(data.get("party", False)),
        )


@dataclass(frozen=True, slots=True)
class ClaimQuantity:
    """A number asserted for a claim (troops, casualties), with who asserted it and when."""

    value: float | None
    unit: str | None
    asserted_by: tuple[Actor, ...]
    document: str
    date: date | None
    text: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "value": self.value,
            "unit": self.unit,
            "asserted_by": _actor_dicts(self.asserted_by),
            "document": self.document,
            "date": _iso(self.date),
        }

    def detail_dict(self) -> dict[str, Any]:
        return {**self.to_dict(), "text": self.text}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ClaimQuantity:
        return cls(
            value=data.get("value"),
            unit=data.get("unit"),
            asserted_by=_actors(data.get("asserted_by")),
            document=data["document"],
            date=_parse_date(data.get("date")),
            text=data.get("text", ""),
        )


@dataclass(frozen=True, slots=True)
class ContradictionSide:
    """One side of a contradiction: the value (a number, a status or an ISO date) and its source."""

    value: float | str | None
    asserted_by: tuple[Actor, ...]
    document: str
    date: date | None  # when it was asserted
    unit: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "value": self.value,
            "unit": self.unit,
            "asserted_by": _actor_dicts(self.asserted_by),
            "document": self.document,
            "date": _iso(self.date),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ContradictionSide:
        return cls(
            value=data.get("value"),
            asserted_by=_actors(data.get("asserted_by")),
            document=data["document"],
            date=_parse_date(data.get("date")),
            unit=data.get("unit"),
        )


@dataclass(frozen=True, slots=True)
class Contradiction:
    """Two sources disagreeing on a claim: ``kind`` is "quantity", "status" or "date"."""

    kind: str
    a: ContradictionSide
    b: ContradictionSide

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "a": self.a.to_dict(), "b": self.b.to_dict()}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Contradiction:
        return cls(
            kind=data["kind"],
            a=ContradictionSide.from_dict(data["a"]),
            b=ContradictionSide.from_dict(data["b"]),
        )


@dataclass(frozen=True, slots=True)
class ClaimMember:
    """A stored event linked into a claim, with the link that brought it in and its origin."""

    event_id: int
    document: str
    type: str
    status: Status
    negated: bool
    asserted_by: tuple[Actor, ...]
    evidence: Evidence
    date: date | None  # the event's own date, if the text gave one
    published: date | None
    outlet: str | None
    title: str | None
    url: str | None
    origin: str  # the origin group the document belongs to (see analysis/origins.py)
    score: float | None  # the best link score to another member; None for a lone event
    method: str | None  # the similarity that scored that link ("lexical.v1" …)

    def to_dict(self) -> dict[str, Any]:
        return {
            "event": self.event_id,
            "document": self.document,
            "type": self.type,
            "status": self.status.value,
            "negated": self.negated,
            "asserted_by": _actor_dicts(self.asserted_by),
            "evidence": self.evidence.to_dict(),
            "date": _iso(self.date),
            "published": _iso(self.published),
            "outlet": self.outlet,
            "title": self.title,
            "url": self.url,
            "origin": self.origin,
            "score": self.score,
            "method": self.method,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ClaimMember:
        return cls(
            event_id=int(data["event"]),
            document=data["document"],
            type=data["type"],
            status=Status(data["status"]),
            negated=bool(data.get("negated", False)),
            asserted_by=_actors(data.get("asserted_by")),
            evidence=Evidence.from_dict(data["evidence"]),
            date=_parse_date(data.get("date")),
            published=_parse_date(data.get("published")),
            outlet=data.get("outlet"),
            title=data.get("title"),
            url=data.get("url"),
            origin=data["origin"],
            score=data.get("score"),
            method=data.get("method"),
        )


@dataclass(frozen=True, slots=True)
class Claim:
    """One happening as reported across documents: who reports it, how sure, how it changed.

    ``to_dict`` is the ``claims --json`` contract; ``detail_dict`` adds the members (evidence
    sentences with their documents), the origin groups and the linker that built the claim.
    """

    id: str
    type: str
    source: tuple[Actor, ...]
    target: tuple[Actor, ...]
    location: Location | None
    first_seen: date | None
    last_seen: date | None
    status: Status
    status_history: tuple[StatusObservation, ...]
    origins: int
    asserting_sources: tuple[Actor, ...]
    quantities: tuple[ClaimQuantity, ...]
    contradictions: tuple[Contradiction, ...]
    documents: tuple[str, ...]
    members: tuple[ClaimMember, ...] = ()
    linker: str = ""

    @property
    def contested(self) -> bool:
        """Sources disagree: a contradiction, or a denial beside the history."""
        return bool(self.contradictions) or any(
            o.status is Status.DENIED for o in self.status_history
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "type": self.type,
            "source": _actor_dicts(self.source),
            "target": _actor_dicts(self.target),
            "location": self.location.to_dict() if self.location else None,
            "first_seen": _iso(self.first_seen),
            "last_seen": _iso(self.last_seen),
            "status": self.status.value,
            "status_history": [o.to_dict() for o in self.status_history],
            "origins": self.origins,
            "asserting_sources": _actor_dicts(self.asserting_sources),
            "quantities": [q.to_dict() for q in self.quantities],
            "contradictions": [c.to_dict() for c in self.contradictions],
            "documents": list(self.documents),
        }

    def detail_dict(self) -> dict[str, Any]:
        """The contract plus what ``sitrep claim ID`` shows: members, origin groups, linker."""
        data = self.to_dict()
        data["status_history"] = [o.detail_dict() for o in self.status_history]
        data["quantities"] = [q.detail_dict() for q in self.quantities]
        data["contested"] = self.contested
        data["members"] = [m.to_dict() for m in self.members]
        data["linker"] = self.linker
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Claim:
        """Read ``to_dict`` or ``detail_dict`` output back."""
        return cls(
            id=data["id"],
            type=data["type"],
            source=_actors(data.get("source")),
            target=_actors(data.get("target")),
            location=Location.from_dict(data["location"]) if data.get("location") else None,
            first_seen=_parse_date(data.get("first_seen")),
            last_seen=_parse_date(data.get("last_seen")),
            status=Status(data["status"]),
            status_history=tuple(
                StatusObservation.from_dict(o) for o in data.get("status_history") or ()
            ),
            origins=int(data.get("origins", 0)),
            asserting_sources=_actors(data.get("asserting_sources")),
            quantities=tuple(ClaimQuantity.from_dict(q) for q in data.get("quantities") or ()),
            contradictions=tuple(
                Contradiction.from_dict(c) for c in data.get("contradictions") or ()
            ),
            documents=tuple(data.get("documents") or ()),
            members=tuple(ClaimMember.from_dict(m) for m in data.get("members") or ()),
            linker=data.get("linker", ""),
        )


@dataclass(frozen=True, slots=True)
class RelinkReport:
    """What a relink produced: how many claims, how many of them join several events."""

    claims: int
    linked: int  # claims made of more than one event
    events: int
    links: int  # pairs of events that scored above the threshold
    method: str  # the similarity used ("lexical.v1", "embedding.minilm-l6-v2-int8.v1")

    def to_dict(self) -> dict[str, Any]:
        return {
            "claims": self.claims,
            "linked": self.linked,
            "events": self.events,
            "links": self.links,
            "method": self.method,
        }
