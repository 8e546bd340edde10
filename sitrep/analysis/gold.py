"""Our gold format: reading gold files and folders into typed records.

The format (documented in ``gold/README.md``) is the ``extract --json`` shape plus what an
analyst needs to say "either is right": several acceptable types, actors with alternative
keys, several acceptable statuses, and optional events. Validation is strict (pydantic,
unknown fields refused) so a typo never silently means "not judged"; errors name the file,
the record and what to fix (E501).

Folders are read recursively (``*.json`` object or list, ``*.jsonl``); records with a
``scheme`` field are benchmark records, handed to :mod:`sitrep.analysis.benchmarks`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator, model_validator

from sitrep.errors import ErrorCode, EvaluationError
from sitrep.records import PLOVER_CATEGORIES, Actor, Document, Status

if TYPE_CHECKING:
    from sitrep.analysis.benchmarks import BenchmarkRecord

GOLD_SCHEME = "sitrep-gold"
SPLITS = ("tune", "test", "all")
BASELINE_KIND = "sitrep.eval.baseline.v1"  # files of this kind in a gold folder are skipped


# -- the gold format, as read from JSON ----------------------------------------------------
class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _ActorIn(_Strict):
    key: str | None = None
    text: str | None = None
    name: str | None = None
    country: str | None = None
    sector: str | None = None
    code: str | None = None
    alternatives: list[str] = []


class _LocationIn(_Strict):
    text: str | None = None
    name: str | None = None
    country: str | None = None
    lat: float | None = None
    lon: float | None = None


_ActorSpec = str | list[str] | _ActorIn


class _EventIn(_Strict):
    type: str | None = None
    types: list[str] | None = None
    source: list[_ActorSpec] | None = None
    target: list[_ActorSpec] | None = None
    status: str | None = None
    statuses: list[str] | None = None
    asserted_by: list[_ActorSpec] | None = None
    negated: bool | None = None
    date: dt.date | None = None
    location: _LocationIn | None = None
    optional: bool = False
    reciprocal: bool = False
    note: str | None = None
    evidence: str | dict[str, Any] | None = None
    # the rest of the extract contract, accepted so its output can be edited into gold
    mode: Any = None
    context: Any = None
    cameo: Any = None
    date_text: Any = None
    quantities: Any = None
    weapons: Any = None

    @field_validator("type", "status")
    @classmethod
    def _one(cls, value: str | None) -> str | None:
        return value.strip() if value else value

    @model_validator(mode="after")
    def _check(self) -> _EventIn:
        types = [self.type] if self.type else list(self.types or [])
        if not types or (self.type and self.types):
            raise ValueError("give exactly one of 'type' or 'types' (a non-empty list)")
        bad = [t for t in types if t not in PLOVER_CATEGORIES]
        if bad:
            raise ValueError(f"unknown PLOVER categories {bad}; use {', '.join(PLOVER_CATEGORIES)}")
        if self.status and self.statuses:
            raise ValueError("give at most one of 'status' or 'statuses'")
        known = {s.value for s in Status}
        bad = [s for s in [self.status, *(self.statuses or [])] if s and s not in known]
        if bad:
            raise ValueError(f"unknown statuses {bad}; use {', '.join(sorted(known))}")
        return self


class _HeaderIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str
    title: str | None = None
    outlet: str | None = None
    url: str | None = None
    published: dt.date | None = None
    split: str | None = None


class _DocumentIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    document: _HeaderIn
    text: str
    events: list[_EventIn]
    entities: Any = None  # in the extract contract; not scored


# -- typed gold records --------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class GoldActor:
    """One gold actor: the keys that count as naming it (its key and any alternatives)."""

    keys: frozenset[str]


@dataclass(frozen=True, slots=True)
class GoldLocation:
    name: str | None
    country: str | None
    lat: float | None
    lon: float | None


@dataclass(frozen=True, slots=True)
class GoldEvent:
    """An expected event. ``None`` on a field means "not judged"; ``()`` means "none"."""

    types: tuple[str, ...]
    source: tuple[GoldActor, ...] | None = None
    target: tuple[GoldActor, ...] | None = None
    statuses: tuple[Status, ...] | None = None
    asserted_by: tuple[GoldActor, ...] | None = None
    negated: bool | None = None
    date_judged: bool = False
    date: dt.date | None = None
    location: GoldLocation | None = None
    optional: bool = False
    reciprocal: bool = False
    evidence: str | None = None
    spans: tuple[tuple[int, int], ...] = ()  # where ``evidence`` occurs in the text


@dataclass(frozen=True, slots=True)
class GoldDocument:
    """A gold document: its text and metadata, expected events, split and content digest."""

    document: Document
    events: tuple[GoldEvent, ...]
    split: str | None
    digest: str  # SHA-256 of the record's canonical JSON: the gate notices any edit


@dataclass(frozen=True, slots=True)
class GoldSet:
    """The gold read from one path: our documents, or one benchmark file's records."""

    name: str
    scheme: str
    split: str
    documents: tuple[GoldDocument, ...] = ()
    records: tuple[BenchmarkRecord, ...] = ()


def evaluation_error(code: ErrorCode, **kwargs: object) -> EvaluationError:
    """An ``EvaluationError`` whose message ends with its catalogue code."""
    return EvaluationError(f"{code.format(**kwargs)} [{code.name}]")


def normalise_key(key: str) -> str:
    """A gold key as events are compared: upper case, a CAMEO-style "PRKMIL" cut to "PRK"."""
    from sitrep.nlp.gazetteer import SECTORS, known_iso3

    key = key.strip().upper()
    if len(key) == 6 and key[:3] in known_iso3() and key[3:] in SECTORS:
        return key[:3]
    return key


def _gold_actor(spec: _ActorSpec) -> GoldActor:
    if isinstance(spec, str):
        keys = {spec}
    elif isinstance(spec, list):
        keys = set(spec)
    else:
        main = (
            spec.key
            or Actor(
                text=spec.text or "",
                name=spec.name or "",
                country=spec.country,
                sector=spec.sector,
                code=spec.code,
            ).key
        )
        keys = {k for k in (main, *spec.alternatives) if k}
    keys = {normalise_key(k) for k in keys if k and k.strip()}
    if not keys:
        raise ValueError(f"actor {spec!r} names no key")
    return GoldActor(frozenset(keys))


def _actors(specs: list[_ActorSpec] | None) -> tuple[GoldActor, ...] | None:
    return None if specs is None else tuple(_gold_actor(s) for s in specs)


def _spans(needle: str, text: str) -> tuple[tuple[int, int], ...]:
    spans, start = [], text.find(needle)
    while start >= 0:
        spans.append((start, start + len(needle)))
        start = text.find(needle, start + 1)
    return tuple(spans)


def _gold_event(raw: _EventIn, text: str) -> GoldEvent:
    spans: tuple[tuple[int, int], ...] = ()
    if isinstance(raw.evidence, str):
        spans = _spans(raw.evidence, text)
        if not spans:
            raise ValueError(f"evidence {raw.evidence!r} is not in the document text")
    statuses = [raw.status] if raw.status else raw.statuses
    location = None
    if raw.location is not None:
        loc = raw.location
        location = GoldLocation(loc.name or loc.text, loc.country, loc.lat, loc.lon)
    return GoldEvent(
        types=(raw.type,) if raw.type else tuple(raw.types or ()),
        source=_actors(raw.source),
        target=_actors(raw.target),
        statuses=tuple(Status(s) for s in statuses) if statuses else None,
        asserted_by=_actors(raw.asserted_by),
        negated=raw.negated,
        date_judged="date" in raw.model_fields_set,
        date=raw.date,
        location=location,
        optional=raw.optional,
        reciprocal=raw.reciprocal,
        evidence=raw.evidence if isinstance(raw.evidence, str) else None,
        spans=spans,
    )


def parse_gold_document(raw: Any, *, where: str, split: str | None = None) -> GoldDocument:
    """One gold document from its JSON form; errors name ``where`` and what to fix (E501)."""
    try:
        model = _DocumentIn.model_validate(raw)
        events = tuple(_gold_event(e, model.text) for e in model.events)
    except (ValidationError, ValueError) as exc:
        raise evaluation_error(ErrorCode.E501, where=where, why=_why(exc)) from exc
    header = model.document
    document = Document.from_text(
        model.text,
        title=header.title,
        outlet=header.outlet,
        url=header.url,
        published=header.published,
        record_id=header.id,
        source=where,
    )
    canonical = json.dumps(raw, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return GoldDocument(
        document=document,
        events=events,
        split=header.split or split,
        digest=hashlib.sha256(canonical.encode("utf-8")).hexdigest(),
    )


def _why(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        parts = []
        for error in exc.errors():
            loc = ".".join(str(p) for p in error["loc"])
            parts.append(f"{loc}: {error['msg']}" if loc else error["msg"])
        return "; ".join(parts[:4])
    return str(exc)


# -- reading paths ---------------------------------------------------------------------------
def _split_of(path: Path) -> str | None:
    for part in reversed(path.parts[:-1]):
        if part in {"tune", "test"}:
            return part
    return None


def _files(path: Path, split: str) -> list[Path]:
    if path.is_file():
        return [path]
    if not path.is_dir():
        raise evaluation_error(ErrorCode.E502, path=path)
    if split in {"tune", "test"} and (path / split).is_dir():
        path = path / split
    return sorted(p for p in path.rglob("*") if p.suffix in {".json", ".jsonl"} and p.is_file())


def _records(file: Path) -> Iterable[tuple[str, Any]]:
    """(where, record) for every JSON record of a .json (object or list) or .jsonl file."""
    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise evaluation_error(ErrorCode.E503, path=file, why=exc) from exc
    try:
        if file.suffix == ".jsonl":
            lines = [(n, line) for n, line in enumerate(text.splitlines(), 1) if line.strip()]
            for n, line in lines:
                yield f"{file}:{n}", json.loads(line)
            return
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise evaluation_error(ErrorCode.E503, path=file, why=exc) from exc
    if isinstance(data, dict) and data.get("kind") == BASELINE_KIND:
        return
    items = data if isinstance(data, list) else [data]
    for i, item in enumerate(items):
        yield (f"{file}[{i}]" if isinstance(data, list) else str(file)), item


def read_gold(paths: Iterable[str | Path], *, split: str = "all") -> list[GoldSet]:
    """Gold sets from files and folders: one set of our documents per path (filtered by
    ``split``), and one set per benchmark file and scheme."""
    from sitrep.analysis.benchmarks import read_benchmark_record

    if split not in SPLITS:
        raise evaluation_error(ErrorCode.E504, value=split, choices=", ".join(SPLITS))
    sets: list[GoldSet] = []
    for raw_path in paths:
        path = Path(raw_path)
        documents: list[GoldDocument] = []
        seen: dict[str, str] = {}
        for file in _files(path, split):
            benchmark: dict[str, list[BenchmarkRecord]] = {}
            for where, raw in _records(file):
                if isinstance(raw, dict) and "scheme" in raw:
                    record = read_benchmark_record(raw, where=where)
                    benchmark.setdefault(record.scheme, []).append(record)
                    continue
                doc = parse_gold_document(raw, where=where, split=_split_of(file))
                if split != "all" and doc.split != split:
                    continue
                gold_id = doc.document.record_id or doc.document.id
                if gold_id in seen:
                    why = f"document id {gold_id!r} is also used at {seen[gold_id]}"
                    raise evaluation_error(ErrorCode.E501, where=where, why=why)
                seen[gold_id] = where
                documents.append(doc)
            for scheme, records in benchmark.items():
                sets.append(GoldSet(str(file), scheme, "all", records=tuple(records)))
        if documents:
            sets.append(GoldSet(str(path), GOLD_SCHEME, split, documents=tuple(documents)))
    return sets
