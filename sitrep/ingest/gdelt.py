"""GDELT 2.0 Events exports and Mentions files → imported events and mention sightings.

GDELT codes news with CAMEO; sitrep stores PLOVER. Each Events row becomes an
:class:`~sitrep.records.ImportedEvent`: the CAMEO event code mapped to a PLOVER category,
mode and context (``cameo_plover.yaml``); Actor1/Actor2 to coded actors (``PRKMIL``,
``NATO``); ActionGeo to a location (its FIPS 10-4 country mapped to ISO-3); status
"reported", asserted by the outlet of SOURCEURL. Mentions rows become
:class:`~sitrep.records.ImportedMention`: other articles that carry the same event.

The article behind SOURCEURL is not fetched. Its document is a short, honest stand-in: the
text "GDELT-coded article, not fetched: <URL>" (short on purpose, as every document is also
indexed for full-text search), with the URL, the outlet and DATEADDED as its date. Its id is
the hash of that text, so one URL is one document however many events and files point at
it. An imported event's evidence is a one-line summary of the coded row with an empty span
(0, 0): it quotes nothing, because GDELT publishes no sentence.

Rows are read with the ``csv`` module (tab-separated, no quoting), one line at a time, so a
file of any size streams. A bad row is a failure naming the file and line; CAMEO 01x/02x
(statements, appeals) have no PLOVER category and are skipped rows, not failures.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import IO, Literal, TypeVar
from urllib.parse import urlsplit

from sitrep.errors import ErrorCode, SourceError
from sitrep.ingest.mappings import (
    load_actor_codes,
    load_cameo_table,
    load_fips_table,
)
from sitrep.ingest.tabular import READ_ERRORS, failure, open_export, row_failure, stopped
from sitrep.nlp.gazetteer import known_iso3, load_gazetteer
from sitrep.records import (
    Actor,
    Attribution,
    Document,
    Event,
    Evidence,
    Failure,
    ImportedEvent,
    ImportedMention,
    Location,
    SkippedRow,
    Status,
)

__all__ = [
    "EVENT_COLUMNS",
    "EXTRACTOR",
    "MENTION_COLUMNS",
    "ORIGIN",
    "gdelt_kind",
    "read_gdelt",
]

ORIGIN = "gdelt"
EXTRACTOR = "source.gdelt_events.v1"

_ACTOR_FIELDS = (
    "Code", "Name", "CountryCode", "KnownGroupCode", "EthnicCode", "Religion1Code",
    "Religion2Code", "Type1Code", "Type2Code", "Type3Code",
)  # fmt: skip
_GEO_FIELDS: tuple[str, ...] = (
    "Type", "FullName", "CountryCode", "ADM1Code", "ADM2Code", "Lat", "Long", "FeatureID",
)  # fmt: skip

# The 61 tab-separated columns of a GDELT 2.0 Events export, in order (GDELT Event Codebook
# 2.0). There is no header line.
EVENT_COLUMNS: tuple[str, ...] = (
    "GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate",
    *(f"Actor1{name}" for name in _ACTOR_FIELDS),
    *(f"Actor2{name}" for name in _ACTOR_FIELDS),
    "IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass",
    "GoldsteinScale", "NumMentions", "NumSources", "NumArticles", "AvgTone",
    *(f"Actor1Geo_{name}" for name in _GEO_FIELDS),
    *(f"Actor2Geo_{name}" for name in _GEO_FIELDS),
    *(f"ActionGeo_{name}" for name in _GEO_FIELDS),
    "DATEADDED", "SOURCEURL",
)  # fmt: skip

# The 16 tab-separated columns of a GDELT 2.0 Mentions file, in order.
MENTION_COLUMNS: tuple[str, ...] = (
    "GLOBALEVENTID", "EventTimeDate", "MentionTimeDate", "MentionType", "MentionSourceName",
    "MentionIdentifier", "SentenceID", "Actor1CharOffset", "Actor2CharOffset",
    "ActionCharOffset", "InRawText", "Confidence", "MentionDocLen", "MentionDocTone",
    "MentionDocTranslationInfo", "Extras",
)  # fmt: skip

Kind = Literal["events", "mentions"]
Item = ImportedEvent | ImportedMention | SkippedRow | Failure

_ACTOR_WIDTH = len(_ACTOR_FIELDS)
_WIDTH: dict[str, int] = {"events": len(EVENT_COLUMNS), "mentions": len(MENTION_COLUMNS)}
_ACTOR1 = EVENT_COLUMNS.index("Actor1Code")
_ACTOR2 = EVENT_COLUMNS.index("Actor2Code")
_EVENT_CODE = EVENT_COLUMNS.index("EventCode")
_ACTION_GEO = EVENT_COLUMNS.index("ActionGeo_Type")
_DATEADDED = EVENT_COLUMNS.index("DATEADDED")
_SOURCEURL = EVENT_COLUMNS.index("SOURCEURL")
_SNIFF_LINES = 20  # lines looked at to tell an Events file from a Mentions file
_CACHE_SIZE = 50_000  # distinct keys a cache holds before it is emptied (bounds memory)


def gdelt_kind(path: str | Path) -> Kind | Failure:
    """Whether a file is an Events export or a Mentions file, by its name or its columns.

    GDELT names its files ``….export.CSV.zip`` and ``….mentions.CSV.zip``; other names are
    told apart by the column count of the first lines (61 or 16).
    """
    path = Path(path)
    name = path.name.lower()
    if ".mentions." in name:
        return "mentions"
    if ".export." in name:
        return "events"
    counts: dict[int, int] = {}
    try:
        with open_export(path) as stream:
            for raw in stream:
                if raw.strip():
                    width = raw.count(b"\t") + 1
                    counts[width] = counts.get(width, 0) + 1
                    if sum(counts.values()) >= _SNIFF_LINES:
                        break
    except SourceError as exc:
        return Failure(exc.source, exc.reason, exc.code)
    except READ_ERRORS as exc:
        return stopped(str(path), 0, exc)
    best = max(counts, key=lambda width: counts[width], default=None)
    for kind, width in _WIDTH.items():
        if best == width:
            return kind  # type: ignore[return-value]
    found = ", ".join(str(width) for width in sorted(counts)) or "no"
    return failure(str(path), ErrorCode.E609, found=found)


def read_gdelt(path: str | Path, *, kind: Kind | None = None) -> Iterator[Item]:
    """Every row of a GDELT Events or Mentions file as a record, a skipped row or a failure.

    Never raises for bad input. A file that cannot be read at all, or breaks off half-way
    (a corrupt zip), ends with a failure whose code is in ``tabular.FILE_FAILURES``.
    """
    path = Path(path)
    source = str(path)
    if kind is None:
        sniffed = gdelt_kind(path)
        if isinstance(sniffed, Failure):
            yield sniffed
            return
        kind = sniffed
    coder = _Coder(source)
    width = _WIDTH[kind]
    lines = _Lines()
    try:
        with open_export(path) as stream:
            rows = csv.reader(lines.decode(stream), delimiter="\t", quoting=csv.QUOTE_NONE)
            while True:
                try:
                    fields = next(rows)
                except StopIteration:
                    break
                except csv.Error as exc:  # an over-long field: skip the row, read on
                    yield failure(source, ErrorCode.E604, line=lines.count, why=str(exc))
                    continue
                line = lines.count
                if lines.undecodable:
                    lines.undecodable = False
                    yield failure(source, ErrorCode.E603, line=line)
                    continue
                if not fields or (len(fields) == 1 and not fields[0].strip()):
                    continue
                if line == 1 and fields[0].strip().upper() == "GLOBALEVENTID":
                    continue  # a header line some tools add; GDELT's own files have none
                if len(fields) != width:
                    yield failure(
                        source,
                        ErrorCode.E601,
                        line=line,
                        expected=width,
                        separator="tab",
                        found=len(fields),
                    )
                    continue
                yield coder.event(fields, line) if kind == "events" else coder.mention(fields, line)
    except SourceError as exc:
        yield Failure(exc.source, exc.reason, exc.code)
    except READ_ERRORS as exc:
        yield stopped(source, lines.count, exc)


class _Lines:
    """Decodes a byte stream line by line for ``csv``, counting lines and flagging bad UTF-8.

    A line that is not UTF-8 reaches the reader as an empty line with ``undecodable`` set,
    so one bad line is reported with its number and the rest of the file still reads.
    """

    def __init__(self) -> None:
        self.count = 0
        self.undecodable = False

    def decode(self, stream: IO[bytes]) -> Iterator[str]:
        for raw in stream:
            self.count += 1
            try:
                yield raw.decode("utf-8")
            except UnicodeDecodeError:
                self.undecodable = True
                yield "\n"


def _parse_day(text: str) -> date | None:
    """A YYYYMMDD date (the first 8 digits of DATEADDED too), or None if it is not one."""
    if len(text) < 8 or not text[:8].isdigit():
        return None
    try:
        return date(int(text[:4]), int(text[4:6]), int(text[6:8]))
    except ValueError:
        return None


def _parse_moment(text: str) -> datetime | None:
    """A YYYYMMDDHHMMSS timestamp in UTC, or None."""
    if len(text) != 14 or not text.isdigit():
        return None
    try:
        return datetime.strptime(text, "%Y%m%d%H%M%S").replace(tzinfo=UTC)
    except ValueError:
        return None


def outlet_of(url: str) -> str:
    """The outlet of a source: the URL's host without "www.", or the citation text itself."""
    scheme, sep, rest = url.partition("://")
    if not sep or scheme.lower() not in ("http", "https"):
        return url
    netloc = rest.split("/", 1)[0].split("?", 1)[0].split("#", 1)[0].rpartition("@")[2]
    host = (urlsplit(url).hostname or "") if netloc.startswith("[") else netloc.split(":")[0]
    return host.lower().removeprefix("www.") or url


class _Coder:
    """Turns rows into records, caching what repeats (actors, places, dates, documents)."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.cameo = dict(load_cameo_table().codes)  # a plain dict: looked up every row
        self.codes = load_actor_codes()
        self.fips = load_fips_table()
        self.countries = load_gazetteer().countries
        self.iso3 = known_iso3()
        self._actors: dict[tuple[str, ...], tuple[tuple[Actor, ...], str]] = {}
        self._documents: dict[str, tuple[Document, Attribution]] = {}
        self._days: dict[str, date | None] = {}
        self._places: dict[tuple[str, ...], Location | None] = {}

    # -- Events rows -----------------------------------------------------------------------

    def event(self, f: list[str], line: int) -> ImportedEvent | SkippedRow | Failure:
        event_id = f[0].strip()
        if not event_id.isdigit():
            return row_failure(self.source, line, "GLOBALEVENTID", f[0], "not a whole number")
        code = f[_EVENT_CODE].strip()
        mapping = self.cameo.get(code)
        if mapping is None:
            return row_failure(self.source, line, "EventCode", code, "not a CAMEO event code")
        day = self._day(f[1].strip())
        if day is None or len(f[1].strip()) != 8:
            return row_failure(self.source, line, "SQLDATE", f[1], "not a date (YYYYMMDD)")
        if mapping.type is None:
            why = f"CAMEO {code} ({mapping.name}) has no PLOVER category"
            return SkippedRow(self.source, line, why)
        url = f[_SOURCEURL].strip()
        if not url:
            return row_failure(self.source, line, "SOURCEURL", url, "empty; no document to keep")
        added_text = f[_DATEADDED].strip()
        added = self._day(added_text) if added_text else None
        if added_text and (added is None or not added_text.isdigit()):
            return row_failure(self.source, line, "DATEADDED", added_text, "not YYYYMMDDHHMMSS")
        place = self._place(f, line)
        if isinstance(place, Failure):
            return place
        source_actors, source_label = self._actor(tuple(f[_ACTOR1 : _ACTOR1 + _ACTOR_WIDTH]))
        target_actors, target_label = self._actor(tuple(f[_ACTOR2 : _ACTOR2 + _ACTOR_WIDTH]))
        document, attribution = self._document(url, added)
        summary = (
            f"GDELT event {event_id}: {source_label} — {mapping.name} (CAMEO {code}) — "
            f"{target_label}{f', at {place.text}' if place is not None else ''}"
        )
        event = Event(
            type=mapping.type,
            source=source_actors,
            target=target_actors,
            evidence=Evidence(summary, 0, 0),
            attribution=attribution,
            mode=mapping.mode,
            context=mapping.context,
            cameo=code,
            date=day,
            date_text=f[1].strip(),
            location=place,
            extractor=EXTRACTOR,
        )
        return ImportedEvent(ORIGIN, event_id, event, document, self.source, line)

    def _day(self, text: str) -> date | None:
        key = text[:8]
        if key not in self._days:
            return _remember(self._days, key, _parse_day(key))
        return self._days[key]

    def _actor(self, fields: tuple[str, ...]) -> tuple[tuple[Actor, ...], str]:
        """The coded actor of one side (none or one) and how the evidence line names it."""
        found = self._actors.get(fields)
        if found is None:
            actor = self._code_actor(*(v.strip() for v in fields))
            label = f"{actor.code or actor.name} ({actor.text})" if actor else "(no actor)"
            found = _remember(self._actors, fields, ((actor,) if actor else (), label))
        return found

    def _code_actor(
        self,
        code: str,
        name: str,
        country: str,
        group: str,
        _ethnic: str,
        _religion1: str,
        _religion2: str,
        *types: str,
    ) -> Actor | None:
        """A CAMEO-coded actor: a known group's key, else country + sector, else a region."""
        if not code and not name:
            return None
        text = name or code
        sector = next((self.codes.types[t] for t in types if self.codes.types.get(t)), None)
        iso = country if country in self.iso3 else self.codes.countries.get(country)
        known = self.codes.groups.get(group)
        if known is not None:
            return Actor(text, known.name, known.country or iso, known.sector, known.code)
        if iso is not None:
            entry = self.countries.get(iso)
            if entry is not None:
                return entry.actor(text, sector)
            return Actor(text, _country_name(iso), iso, sector, iso + (sector or ""))
        region = self.codes.regions.get(country)
        if region is not None:
            return Actor(text, region, None, sector, country + (sector or ""))
        if group:
            return Actor(text, name.title() or group, None, sector, group)
        return Actor(text, name.title() or code, None, sector, None)

    def _place(self, f: list[str], line: int) -> Location | Failure | None:
        """The ActionGeo location (full name, FIPS country, latitude, longitude)."""
        key = (
            f[_ACTION_GEO + 1].strip(),
            f[_ACTION_GEO + 2].strip(),
            f[_ACTION_GEO + 5].strip(),
            f[_ACTION_GEO + 6].strip(),
        )
        if key in self._places:
            return self._places[key]
        found = self._code_place(*key, line=line)
        if not isinstance(found, Failure):  # failures are not cached: each names its line
            _remember(self._places, key, found)
        return found

    def _code_place(
        self, full_name: str, fips: str, lat_text: str, lon_text: str, *, line: int
    ) -> Location | Failure | None:
        if not full_name and not lat_text and not lon_text:
            return None
        try:
            lat = float(lat_text) if lat_text else None
            lon = float(lon_text) if lon_text else None
        except ValueError:
            lat = lon = float("nan")
        if (lat is None) != (lon is None) or (
            lat is not None and lon is not None and not (-90 <= lat <= 90 and -180 <= lon <= 180)
        ):
            value = f"{lat_text},{lon_text}"
            return row_failure(self.source, line, "ActionGeo_Lat/Long", value, "not a coordinate")
        name = full_name.split(",")[0].strip() or full_name
        return Location(full_name, name, self.fips.iso3(fips) if fips else None, lat, lon)

    def _document(self, url: str, added: date | None) -> tuple[Document, Attribution]:
        """The stand-in document for a SOURCEURL, and the attribution to its outlet."""
        found = self._documents.get(url)
        if found is None:
            outlet = outlet_of(url)
            is_web = url.startswith(("http://", "https://"))
            text = f"GDELT-coded article, not fetched: {url}"
            document = Document.from_text(
                text,
                outlet=outlet,
                url=url if is_web else None,
                published=added,
                source=self.source,
            )
            asserter = Actor(outlet, outlet, None, "MED", None)
            attribution = Attribution(status=Status.REPORTED, asserted_by=(asserter,))
            found = _remember(self._documents, url, (document, attribution))
        return found

    # -- Mentions rows ---------------------------------------------------------------------

    def mention(self, f: list[str], line: int) -> ImportedMention | SkippedRow | Failure:
        event_id = f[0].strip()
        if not event_id.isdigit():
            return row_failure(self.source, line, "GLOBALEVENTID", f[0], "not a whole number")
        seen_text = f[2].strip()
        seen_at = _parse_moment(seen_text)
        if seen_at is None:
            return row_failure(self.source, line, "MentionTimeDate", seen_text, "not a timestamp")
        identifier = f[5].strip()
        if not identifier.startswith(("http://", "https://")):
            why = f"mention type {f[3].strip() or '?'} has no URL ({identifier or 'empty'})"
            return SkippedRow(self.source, line, why)
        return ImportedMention(ORIGIN, event_id, identifier, seen_at, self.source, line)


_K = TypeVar("_K")
_V = TypeVar("_V")


def _remember(cache: dict[_K, _V], key: _K, value: _V) -> _V:
    """Cache ``value``; a full cache is emptied first, so a huge file cannot exhaust memory."""
    if len(cache) >= _CACHE_SIZE:
        cache.clear()
    cache[key] = value
    return value


def _country_name(iso3: str) -> str:
    """The name of a code the gazetteer does not list (territories: Hong Kong, Guam …)."""
    import pycountry

    country = pycountry.countries.get(alpha_3=iso3)
    return str(getattr(country, "common_name", None) or getattr(country, "name", iso3))
