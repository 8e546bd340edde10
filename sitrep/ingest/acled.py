"""A user's own ACLED export (CSV, plain or zipped) → imported events.

ACLED's terms forbid redistributing its data, so sitrep ships only the mapping
(``acled_plover.yaml``), never rows; users import the export they downloaded themselves.

Each row becomes an :class:`~sitrep.records.ImportedEvent`: event_type/sub_event_type mapped
to a PLOVER category, mode and context; actor1/actor2 to coded actors ("Military Forces of
Russia (2000-)" → RUS MIL, "Protesters (Kenya)" → KEN CVL, "Wagner Group" through the
gazetteer); location/latitude/longitude to a location; fatalities to a quantity; status
"reported", asserted by the sources ACLED cites. The document is the ACLED record itself: a
short header naming the event, then ACLED's notes, which are the event's evidence (with
their character offsets). Rows whose sub-event type has no PLOVER category are skipped and
counted; bad rows are failures naming the file and line.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

from sitrep.errors import ErrorCode, SourceError
from sitrep.ingest.mappings import AcledMapping, load_acled_table
from sitrep.ingest.tabular import READ_ERRORS, failure, open_export, row_failure, stopped
from sitrep.nlp.gazetteer import ActorEntry, CountryEntry, load_gazetteer
from sitrep.records import (
    Actor,
    Attribution,
    Document,
    Event,
    Evidence,
    Failure,
    ImportedEvent,
    Location,
    Quantity,
    SkippedRow,
    Status,
)

__all__ = ["EXTRACTOR", "ORIGIN", "REQUIRED_COLUMNS", "read_acled"]

ORIGIN = "acled"
EXTRACTOR = "source.acled.v1"

# Columns an export must have; the others (actor2, admin1, location, latitude, longitude,
# fatalities, notes, source, iso, inter1, inter2, event_id_cnty …) are used when present.
REQUIRED_COLUMNS: tuple[str, ...] = (
    "event_date",
    "event_type",
    "sub_event_type",
    "actor1",
    "country",
)
_DATE_FORMATS = ("%Y-%m-%d", "%d %B %Y", "%d-%B-%Y", "%d/%m/%Y")
_PARENTHESISED = re.compile(r"^(?P<name>[^()]+?)\s*\((?P<inside>[^()]*)\)\s*(?P<rest>.*)$")
_SPACE = re.compile(r"\s+")
Item = ImportedEvent | SkippedRow | Failure


def read_acled(path: str | Path) -> Iterator[Item]:
    """Every row of an ACLED CSV export as an imported event, a skipped row or a failure.

    Never raises for bad input. Line numbers are the file's physical lines (the header is
    line 1); a row whose notes span lines is reported at the line it starts on.
    """
    path = Path(path)
    source = str(path)
    line = 0
    try:
        with open_export(path) as stream:
            text = io.TextIOWrapper(
                stream, encoding="utf-8-sig", errors="surrogateescape", newline=""
            )
            reader = csv.reader(text)
            header = [name.strip().lower() for name in next(reader, [])]
            missing = [name for name in REQUIRED_COLUMNS if name not in header]
            if missing:
                yield failure(source, ErrorCode.E610, missing=", ".join(missing))
                return
            coder = _Coder(source, header)
            while True:
                line = reader.line_num + 1  # where the next row starts (a note may span lines)
                try:
                    fields = next(reader)
                except StopIteration:
                    break
                except csv.Error as exc:  # an over-long field: skip the row, read on
                    yield failure(source, ErrorCode.E604, line=line, why=str(exc))
                    continue
                if not fields or all(not value.strip() for value in fields):
                    continue
                yield coder.row(fields, line)
    except SourceError as exc:
        yield Failure(exc.source, exc.reason, exc.code)
    except READ_ERRORS as exc:
        yield stopped(source, line, exc)


def _parse_date(text: str) -> date | None:
    for pattern in _DATE_FORMATS:
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


class _Coder:
    """Turns ACLED rows into records; actor and country resolutions are cached."""

    def __init__(self, source: str, header: list[str]) -> None:
        self.source = source
        self.header = header
        self.index = {name: position for position, name in enumerate(header)}
        self.table = load_acled_table()
        self.gazetteer = load_gazetteer()
        self._countries: dict[str, str | None] = {}
        self._actors: dict[tuple[str, str], Actor | None] = {}
        self._asserters: dict[str, Actor] = {}

    def row(self, fields: list[str], line: int) -> Item:
        if len(fields) != len(self.header):
            return failure(
                self.source,
                ErrorCode.E601,
                line=line,
                expected=len(self.header),
                separator="comma",
                found=len(fields),
            )
        if any("\udc80" <= ch <= "\udcff" for value in fields for ch in value):
            return failure(self.source, ErrorCode.E603, line=line)
        row = {name: fields[position].strip() for name, position in self.index.items()}
        mapping = self.table.get(row["event_type"], row["sub_event_type"])
        if mapping is None:
            value = f"{row['event_type']} / {row['sub_event_type']}"
            return row_failure(self.source, line, "event type", value, "not an ACLED event type")
        day = _parse_date(row["event_date"])
        if day is None:
            return row_failure(self.source, line, "event_date", row["event_date"], "not a date")
        if mapping.type is None:
            why = f"ACLED {mapping.event_type} / {mapping.sub_event_type} has no PLOVER category"
            return SkippedRow(self.source, line, why)
        place = self._place(row, line)
        if isinstance(place, Failure):
            return place
        quantities: tuple[Quantity, ...] = ()
        deaths = row.get("fatalities", "")
        if deaths:
            if not deaths.isdigit():
                return row_failure(self.source, line, "fatalities", deaths, "not a whole number")
            quantities = (Quantity(f"{int(deaths)} fatalities", float(deaths), "fatalities"),)
        actor1 = self._actor(row["actor1"], row.get("inter1", ""))
        actor2 = self._actor(row.get("actor2", ""), row.get("inter2", ""))
        external_id = row.get("event_id_cnty") or _row_key(fields)
        document, evidence = self._document(row, external_id, mapping, day)
        event = Event(
            type=mapping.type,
            source=(actor1,) if actor1 else (),
            target=(actor2,) if actor2 else (),
            evidence=evidence,
            attribution=Attribution(status=Status.REPORTED, asserted_by=self._cited(row)),
            mode=mapping.mode,
            context=mapping.context,
            cameo=mapping.cameo,
            date=day,
            date_text=row["event_date"],
            location=place,
            quantities=quantities,
            extractor=EXTRACTOR,
        )
        return ImportedEvent(ORIGIN, external_id, event, document, self.source, line)

    # -- places and countries --------------------------------------------------------------

    def _place(self, row: dict[str, str], line: int) -> Location | Failure | None:
        lat_text, lon_text = row.get("latitude", ""), row.get("longitude", "")
        lat = lon = None
        if lat_text or lon_text:
            try:
                lat, lon = float(lat_text), float(lon_text)
            except ValueError:
                lat = lon = float("nan")
            if not (-90 <= lat <= 90 and -180 <= lon <= 180):
                value = f"{lat_text},{lon_text}"
                return row_failure(self.source, line, "latitude/longitude", value, "not a place")
        name = row.get("location", "")
        parts = [name, row.get("admin1", ""), row["country"]]
        text = ", ".join(dict.fromkeys(part for part in parts if part))
        if not text and lat is None:
            return None
        return Location(text, name or text, self._event_country(row), lat, lon)

    def _event_country(self, row: dict[str, str]) -> str | None:
        """The event's country: ACLED's numeric ISO code, else its country name."""
        numeric = row.get("iso", "")
        if numeric.isdigit():
            import pycountry

            found = pycountry.countries.get(numeric=numeric.zfill(3))
            if found is not None:
                return str(found.alpha_3)
        return self._country(row["country"])

    def _country(self, name: str) -> str | None:
        """ISO-3 for a country name, through the gazetteer's aliases, then pycountry."""
        name = _SPACE.sub(" ", name).strip()
        if name not in self._countries:
            iso3 = None
            entry = self.gazetteer.resolve_alias(name) if name else None
            if isinstance(entry, CountryEntry):
                iso3 = entry.iso3
            elif name:
                import pycountry

                try:
                    iso3 = str(pycountry.countries.lookup(name).alpha_3)
                except LookupError:
                    iso3 = None
            self._countries[name] = iso3
        return self._countries[name]

    # -- actors ----------------------------------------------------------------------------

    def _actor(self, name: str, inter: str) -> Actor | None:
        key = (name, inter)
        if key not in self._actors:
            self._actors[key] = self._code_actor(name, inter) if name else None
        return self._actors[key]

    def _code_actor(self, text: str, inter: str) -> Actor:
        """ACLED's actor naming: "<Forces> of <Country> (years)", "<Group> (<Country>)", names."""
        for prefix, sector in self.table.prefixes:
            if text.lower().startswith(prefix.lower() + " "):
                rest = text[len(prefix) :].strip()
                return self._country_actor(text, rest.split("(")[0].strip(), sector)
        match = _PARENTHESISED.match(text)
        bare, inside = (match["name"], match["inside"]) if match else (text, "")
        sector = self.table.groups.get(bare.lower())
        if sector is not None and inside:
            return self._country_actor(text, inside, sector)
        entry = self.gazetteer.resolve_alias(bare)
        if isinstance(entry, ActorEntry):
            return entry.actor(text)  # a body the gazetteer knows: Wagner Group, Hamas …
        sector = sector or self.table.inter.get(inter.strip().lower())
        if isinstance(entry, CountryEntry):
            return entry.actor(text, sector)
        iso3 = self._country(inside) if inside else None
        code = iso3 + (sector or "") if iso3 else None
        return Actor(text, bare, iso3, sector, code)

    def _country_actor(self, text: str, country: str, sector: str) -> Actor:
        iso3 = self._country(country)
        entry = self.gazetteer.countries.get(iso3) if iso3 else None
        if entry is not None:
            return entry.actor(text, sector)
        return Actor(text, country or text, iso3, sector, iso3 + sector if iso3 else None)

    def _cited(self, row: dict[str, str]) -> tuple[Actor, ...]:
        """The sources ACLED cites ("Ukrinform; Suspilne"), as asserters."""
        names = [part.strip() for part in row.get("source", "").split(";")]
        return tuple(self._asserter(name) for name in dict.fromkeys(names) if name)

    def _asserter(self, name: str) -> Actor:
        found = self._asserters.get(name)
        if found is None:
            entry = self.gazetteer.resolve_alias(name)
            actor = entry.actor(name) if isinstance(entry, ActorEntry) else Actor(name, name)
            found = self._asserters[name] = actor
        return found

    # -- the document ----------------------------------------------------------------------

    def _document(
        self, row: dict[str, str], external_id: str, mapping: AcledMapping, day: date
    ) -> tuple[Document, Evidence]:
        """The ACLED record as a document: a header line, then the notes (the evidence)."""
        where = ", ".join(p for p in (row.get("location"), row["country"]) if p)
        header = (
            f"ACLED event {external_id}: {mapping.event_type} / {mapping.sub_event_type}, "
            f"{where}, {day.isoformat()}."
        )
        notes = row.get("notes", "")
        text = f"{header}\n\n{notes}" if notes else header
        start = len(header) + 2 if notes else 0
        evidence = Evidence(notes or header, start, start + len(notes or header))
        document = Document.from_text(
            text,
            title=f"ACLED {external_id}: {mapping.sub_event_type}, {where}",
            outlet="ACLED",
            source=self.source,
            record_id=external_id,
        )
        return document, evidence


def _row_key(fields: list[str]) -> str:
    """An id for a row without event_id_cnty: the hash of its values, stable across runs."""
    digest = hashlib.sha256("\x1f".join(fields).encode("utf-8", "surrogateescape"))
    return "row-" + digest.hexdigest()[:16]
