"""Shared fixtures: paths to the articles written for these tests, a CLI runner, and a local
web site (feeds, pages, redirects on 127.0.0.1) with a fake extractor for the network tests."""

from __future__ import annotations

import contextlib
import random
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from sitrep.records import Actor, Document, Event, Evidence, Extraction, Failure

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def articles() -> Path:
    return FIXTURES / "articles"


@pytest.fixture
def db_path(tmp_path: Path) -> str:
    return str(tmp_path / "test.db")


# -- a local web site for the network half of ingest (feeds, pages, redirects) ----------------

FAKE_EXTRACTOR = "test.fake.v1"

_WORDS = {
    "who": [
        "The ministry",
        "A coast guard vessel",
        "Rebel units",
        "The navy",
        "Police",
        "A convoy",
        "The air force",
        "Border guards",
        "Militia fighters",
        "The envoy",
    ],
    "did": [
        "shelled",
        "inspected",
        "blockaded",
        "escorted",
        "surveyed",
        "evacuated",
        "reinforced",
        "photographed",
        "resupplied",
        "patrolled",
    ],
    "what": [
        "a fuel depot",
        "the northern bridge",
        "two fishing boats",
        "a radar site",
        "the old airfield",
        "a grain terminal",
        "the ferry port",
        "a hospital annex",
        "the rail junction",
        "three villages",
    ],
    "where": [
        "Amberley",
        "Kestrel Bay",
        "Dunmore",
        "Halvik",
        "Orrin Pass",
        "Saltmarsh",
        "Tarvel",
        "Whitcombe",
        "Yselle",
        "Brackenford",
    ],
    "when": [
        "at dawn",
        "on Monday",
        "overnight",
        "late on Tuesday",
        "before noon",
        "on Friday evening",
        "early on Sunday",
        "at midday",
        "after curfew",
        "at dusk",
    ],
}


def article_text(seed: int, sentences: int = 6) -> str:
    """A short news-like text, different for every seed (so no two are near duplicates)."""
    rng = random.Random(seed)
    parts = []
    for n in range(sentences):
        parts.append(
            f"{rng.choice(_WORDS['who'])} {rng.choice(_WORDS['did'])} "
            f"{rng.choice(_WORDS['what'])} near {rng.choice(_WORDS['where'])} "
            f"{rng.choice(_WORDS['when'])}, according to report {seed}-{n} "
            f"which counted {rng.randint(2, 9000)} people."
        )
    return " ".join(parts)


def article_html(title: str, text: str, *, published: str | None = None) -> str:
    """A news page with site chrome, the text split into paragraphs."""
    sentences = text.split(". ")
    paragraphs = [". ".join(sentences[i : i + 2]) for i in range(0, len(sentences), 2)]
    body = "\n".join(f"<p>{escape(p.rstrip('.'))}.</p>" for p in paragraphs)
    meta = f'<meta property="article:published_time" content="{published}">' if published else ""
    return (
        '<!DOCTYPE html>\n<html><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title>{meta}"
        '<meta property="og:site_name" content="The Test Ledger"></head>\n'
        '<body><nav><a href="/">Home</a> <a href="/world">World</a></nav>\n'
        f"<article><h1>{escape(title)}</h1>\n{body}\n</article>\n"
        "<footer>Copyright The Test Ledger</footer></body></html>\n"
    )


@dataclass
class Page:
    """One response the site gives: status, type, body, validators, and an optional gate."""

    body: bytes
    content_type: str | None = "text/html; charset=utf-8"
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    etag: str | None = None
    last_modified: str | None = None
    gate: threading.Event | None = None  # the answer waits until the gate is opened
    delay: float = 0.0
    send_length: bool = True  # False: no Content-Length, the body ends when the socket closes


@dataclass
class Hit:
    path: str
    headers: dict[str, str]
    at: float


class Site:
    """Feeds and pages served over real HTTP from 127.0.0.1 (see the ``site`` fixture)."""

    def __init__(self) -> None:
        self.pages: dict[str, Page] = {}
        self.hits: list[Hit] = []
        self._lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.server.daemon_threads = True
        self.server.site = self  # type: ignore[attr-defined]
        self.port = self.server.server_address[1]
        self.base = f"http://127.0.0.1:{self.port}"
        self._thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def url(self, path: str) -> str:
        return self.base + path

    def add(self, path: str, body: str | bytes, **options: object) -> str:
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.pages[path] = Page(data, **options)  # type: ignore[arg-type]
        return self.url(path)

    def article(
        self, path: str, seed: int, *, edit: Callable[[str], str] | None = None, **options: object
    ) -> str:
        """Serve the article of ``seed``, its text changed by ``edit`` when given."""
        text = article_text(seed)
        return self.add(
            path, article_html(f"Report {seed}", edit(text) if edit else text), **options
        )

    def redirect(self, path: str, location: str, status: int = 302) -> str:
        return self.add(path, b"", status=status, headers={"Location": location})

    def feed(self, path: str, items: Sequence[dict[str, str]], **options: object) -> str:
        options.setdefault("content_type", "application/rss+xml")
        return self.add(path, rss(items, title="Test wire"), **options)

    def count(self, path: str) -> int:
        with self._lock:
            return sum(hit.path == path for hit in self.hits)

    def requests(self, path: str) -> list[Hit]:
        with self._lock:
            return [hit for hit in self.hits if hit.path == path]

    def record(self, hit: Hit) -> None:
        with self._lock:
            self.hits.append(hit)

    def wait_for(self, path: str, timeout: float = 60.0) -> None:
        """Block until ``path`` has been requested (or fail the test)."""
        until = time.monotonic() + timeout
        while self.count(path) == 0:
            if time.monotonic() > until:
                raise AssertionError(f"{path} was never requested")
            time.sleep(0.02)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        for page in self.pages.values():
            if page.gate is not None:
                page.gate.set()
        self.server.shutdown()
        self.server.server_close()
        self._thread.join(timeout=5)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    timeout = 10

    def do_GET(self) -> None:
        site: Site = self.server.site  # type: ignore[attr-defined]
        site.record(Hit(self.path, dict(self.headers.items()), time.monotonic()))
        page = site.pages.get(self.path)
        if page is None:
            page = Page(b"not here", content_type="text/plain", status=404)
        if page.gate is not None:
            page.gate.wait(timeout=30)
        if page.delay:
            time.sleep(page.delay)
        fresh = (page.etag and self.headers.get("If-None-Match") == page.etag) or (
            page.last_modified and self.headers.get("If-Modified-Since") == page.last_modified
        )
        self.send_response(304 if fresh else page.status)
        if page.etag:
            self.send_header("ETag", page.etag)
        if page.last_modified:
            self.send_header("Last-Modified", page.last_modified)
        if fresh:
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if page.content_type:
            self.send_header("Content-Type", page.content_type)
        for name, value in page.headers.items():
            self.send_header(name, value)
        if page.send_length:
            self.send_header("Content-Length", str(len(page.body)))
        else:
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        self.wfile.write(page.body)

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the tests look at ``Site.hits`` instead."""

    def handle(self) -> None:
        # The client may go away mid-answer (a killed watcher, a refused body): nothing to do.
        with contextlib.suppress(ConnectionError, TimeoutError):
            super().handle()


def rss(items: Sequence[dict[str, str]], *, title: str = "Test wire") -> str:
    """An RSS 2.0 feed; each item dict may give title, link, guid, pubDate, description."""
    lines = ['<?xml version="1.0" encoding="utf-8"?>', '<rss version="2.0">', "<channel>"]
    lines += [f"<title>{escape(title)}</title>", "<link>http://127.0.0.1/</link>"]
    for item in items:
        lines.append("<item>")
        for tag in ("title", "link", "guid", "pubDate", "description"):
            if tag in item:
                lines.append(f"  <{tag}>{escape(item[tag])}</{tag}>")
        lines.append("</item>")
    lines += ["</channel>", "</rss>"]
    return "\n".join(lines) + "\n"


def pub_date(day: int) -> str:
    return format_datetime(datetime(2024, 11, day, 8, 0, tzinfo=UTC), usegmt=True)


@pytest.fixture
def site() -> Iterator[Site]:
    """A real HTTP server on 127.0.0.1 in a thread, with the pages a test adds to it."""
    served = Site()
    served.start()
    try:
        yield served
    finally:
        served.stop()


@pytest.fixture
def news_feed(site: Site) -> Callable[..., str]:
    """Serve ``count`` articles and an RSS feed listing them; returns the feed URL."""

    def make(count: int, *, path: str = "/feed.xml", first_seed: int = 0, **options: object) -> str:
        items = []
        for n in range(first_seed, first_seed + count):
            link = site.article(f"/news/{n}.html", n)
            items.append(
                {
                    "title": f"Report {n}",
                    "link": link,
                    "guid": f"report-{n}",
                    "pubDate": pub_date(1 + n % 28),
                }
            )
        return site.feed(path, items, **options)

    return make


def fake_extract(documents: Sequence[Document]) -> Iterator[Extraction | Failure]:
    """A stand-in for the spaCy extractor: one event per document, on its first sentence."""
    for document in documents:
        end = document.text.find(".") + 1 or len(document.text)
        event = Event(
            type="ASSAULT",
            source=(Actor("Rebel units", "Rebel units"),),
            target=(),
            evidence=Evidence(document.text[:end], 0, end),
            extractor=FAKE_EXTRACTOR,
        )
        yield Extraction(document, (event,), (), FAKE_EXTRACTOR)


@pytest.fixture
def extract() -> Callable[[Sequence[Document]], Iterator[Extraction | Failure]]:
    return fake_extract
