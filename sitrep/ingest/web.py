"""Pages and feeds as records: a URL becomes a ``Document``, a feed URL or file a ``Feed``.

This is where the bytes ``Fetcher`` brings back are decoded and handed to the parsers that
local files use too (trafilatura for pages via ``html.parse_html``), so a page read from the
web and the same page saved to disk give the same document.
"""

from __future__ import annotations

import codecs
import os
import re
import stat
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from sitrep.errors import ErrorCode, SourceError
from sitrep.ingest.decode import decode_text, normalise_newlines, read_limited
from sitrep.ingest.feeds import Feed, parse_feed
from sitrep.ingest.fetch import FEED_TYPES, PAGE_TYPES, Fetcher, is_url
from sitrep.ingest.html import parse_html
from sitrep.records import Document

# <meta charset="…"> or <meta http-equiv="Content-Type" content="text/html; charset=…">
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.I)
_SNIFF_BYTES = 4096


@dataclass(frozen=True, slots=True)
class FeedFetch:
    """A feed as fetched: ``feed`` is None when the server said it has not changed (304)."""

    feed: Feed | None
    etag: str | None = None
    last_modified: str | None = None


def fetch_page(
    fetcher: Fetcher,
    url: str,
    *,
    published: date | None = None,
    title: str | None = None,
    outlet: str | None = None,
) -> Document:
    """Fetch an HTML page and extract its main text and metadata.

    ``published``, ``title`` and ``outlet`` (from the feed item, say) fill what the page does
    not say itself. ``source`` is the URL as asked for, ``url`` the URL that answered.
    """
    fetched = fetcher.get(url, accept=PAGE_TYPES)
    text = decode_page(fetched.body, fetched.charset, url)
    document = parse_html(text, url, published)
    return replace(
        document,
        source=url,
        url=fetched.final_url,
        title=document.title or title,
        outlet=document.outlet or outlet,
    )


def fetch_feed(
    fetcher: Fetcher,
    location: str,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
    max_bytes: int = 5_000_000,
) -> FeedFetch:
    """A feed from a URL (conditional GET with the validators given) or a local file."""
    if not is_url(location):
        return FeedFetch(feed=parse_feed(read_feed_file(Path(location), max_bytes), location))
    fetched = fetcher.get(location, accept=FEED_TYPES, etag=etag, last_modified=last_modified)
    if fetched.not_modified:
        return FeedFetch(feed=None, etag=etag, last_modified=last_modified)
    feed = parse_feed(fetched.body, location, base_url=fetched.final_url)
    return FeedFetch(feed=feed, etag=fetched.etag, last_modified=fetched.last_modified)


def read_feed_file(path: Path, max_bytes: int) -> bytes:
    """A local feed file's bytes, with the same refusals as other local inputs."""
    source = str(path)
    try:
        with path.open("rb") as handle:
            info = os.fstat(handle.fileno())
            if stat.S_ISDIR(info.st_mode):
                raise SourceError(source, ErrorCode.E111, why="it is a folder, not a feed file")
            size = info.st_size if stat.S_ISREG(info.st_mode) else None
            data = read_limited(handle, source, max_bytes, size)
    except (FileNotFoundError, NotADirectoryError) as exc:
        raise SourceError(source, ErrorCode.E101) from exc
    except IsADirectoryError as exc:
        raise SourceError(source, ErrorCode.E111, why="it is a folder, not a feed file") from exc
    except OSError as exc:
        raise SourceError(source, ErrorCode.E111, why=exc.strerror or str(exc)) from exc
    if not data.strip():
        raise SourceError(source, ErrorCode.E104)
    return data


def decode_page(data: bytes, charset: str | None, source: str) -> str:
    """Page bytes as text: the header's charset, else a ``<meta>`` charset, else UTF-8.

    Decoding is strict, as for local files: a page that lies about its encoding is reported
    rather than turned into replacement characters that would end up in evidence text.
    """
    declared = charset or _meta_charset(data[:_SNIFF_BYTES])
    if declared is None or _codec(declared) in (None, "utf-8"):
        return decode_text(data, source)
    codec = _codec(declared)
    assert codec is not None
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as exc:
        bad = data[exc.start : exc.start + 1].hex().upper()
        where = f"{declared} (byte 0x{bad} at offset {exc.start})"
        raise SourceError(source, ErrorCode.E103, encoding=where) from exc
    text = normalise_newlines(text)
    if not text.strip():
        raise SourceError(source, ErrorCode.E104)
    return text


def _meta_charset(head: bytes) -> str | None:
    match = _META_CHARSET.search(head)
    return match.group(1).decode("ascii").lower() if match else None


def _codec(label: str) -> str | None:
    """The Python codec for a charset label, or None when Python does not know it."""
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None
