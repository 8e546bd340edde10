"""RSS, Atom and RDF feeds: bytes in, items out, each with the line it starts on.

The bytes are read twice. First by defusedxml's SAX parser, which refuses DTDs and entity
declarations (the "billion laughs" family cannot expand if nothing is declared), reports
malformed XML with its line and column, and notes the line of every item so a bad item can
be reported where it is. Then by feedparser, which knows the dialects and normalises links
and dates. feedparser only ever sees a ``BytesIO`` of bytes fetched or read by us: given a
string it may open a file or fetch a URL on its own.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from datetime import date
from typing import Any
from xml.sax import SAXParseException
from xml.sax.handler import ContentHandler
from xml.sax.xmlreader import AttributesImpl, Locator

import feedparser
from defusedxml import DefusedXmlException, sax

from sitrep.errors import ErrorCode, SourceError

_ITEM_TAGS = frozenset({"item", "entry"})  # RSS and RDF items, Atom entries
_ROOT_TAGS = frozenset({"rss", "feed", "RDF"})


@dataclass(frozen=True, slots=True)
class FeedItem:
    """One entry of a feed: where to fetch its text, and what the feed says about it."""

    key: str  # the item's id (RSS guid, Atom id), else its link, else a hash of its content
    link: str | None
    title: str | None
    published: date | None
    line: int | None  # where the item starts in the feed's XML, when known


@dataclass(frozen=True, slots=True)
class Feed:
    """A parsed feed: its title and its items in feed order, repeated keys dropped."""

    source: str
    title: str | None
    items: tuple[FeedItem, ...]


class _Scan(ContentHandler):
    """Records the root element and the line each item starts on."""

    def __init__(self) -> None:
        super().__init__()
        self.locator: Locator | None = None
        self.root: str | None = None
        self.item_lines: list[int] = []

    def setDocumentLocator(self, locator: Locator) -> None:
        self.locator = locator

    def startElement(self, name: str, attrs: AttributesImpl) -> None:
        local = name.rsplit(":", 1)[-1]
        if self.root is None:
            self.root = local
        if local in _ITEM_TAGS:
            self.item_lines.append(self.line)

    @property
    def line(self) -> int:
        return (self.locator.getLineNumber() or 0) if self.locator is not None else 0


def scan_xml(data: bytes, source: str) -> tuple[str | None, list[int]]:
    """Check that ``data`` is well-formed XML without DTD or entities; return (root, lines).

    Raises ``SourceError`` E557 (malformed, with line and column) or E558 (DTD or entity).
    """
    scan = _Scan()
    try:
        sax.parseString(data, scan, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except SAXParseException as exc:
        raise SourceError(
            source,
            ErrorCode.E557,
            line=exc.getLineNumber() or 0,
            column=(exc.getColumnNumber() or 0) + 1,
            why=exc.getMessage(),
        ) from exc
    except DefusedXmlException as exc:
        what = f"{type(exc).__name__} {getattr(exc, 'name', None) or ''}".strip()
        raise SourceError(source, ErrorCode.E558, what=what, line=scan.line) from exc
    return scan.root, scan.item_lines


def parse_feed(data: bytes, source: str, *, base_url: str | None = None) -> Feed:
    """Parse feed bytes into a ``Feed``; raise ``SourceError`` if it cannot be used at all.

    ``base_url`` (the feed's own URL) resolves relative item links.
    """
    root, lines = scan_xml(data, source)
    if root not in _ROOT_TAGS:
        why = f"its root element is <{root}>, not <rss>, <feed> or <rdf:RDF>"
        raise SourceError(source, ErrorCode.E559, why=why)
    headers = {"content-location": base_url} if base_url else {}
    parsed: Any = feedparser.parse(io.BytesIO(data), response_headers=headers)
    if not parsed.get("version"):
        problem = parsed.get("bozo_exception")
        why = str(problem) if problem else "feedparser recognised no feed format"
        raise SourceError(source, ErrorCode.E559, why=why)
    entries = list(parsed.entries)
    item_lines: list[int | None] = (
        list(lines) if len(lines) == len(entries) else [None] * len(entries)
    )
    items: list[FeedItem] = []
    seen: set[str] = set()
    for entry, line in zip(entries, item_lines, strict=True):
        item = _item(entry, line)
        if item.key not in seen:
            seen.add(item.key)
            items.append(item)
    return Feed(source=source, title=_text(parsed.feed.get("title")), items=tuple(items))


def _item(entry: Any, line: int | None) -> FeedItem:
    link = _text(entry.get("link"))
    title = _text(entry.get("title"))
    key = _text(entry.get("id")) or link
    if key is None:
        content = "\n".join((title or "", _text(entry.get("summary")) or ""))
        key = "sha256:" + hashlib.sha256(content.encode("utf-8")).hexdigest()[:32]
    stamp = entry.get("published_parsed") or entry.get("updated_parsed")
    published = date(stamp.tm_year, stamp.tm_mon, stamp.tm_mday) if stamp else None
    return FeedItem(key=key, link=link, title=title, published=published, line=line)


def _text(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    return value.strip() or None
