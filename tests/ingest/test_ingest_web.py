"""Pages and feeds as records: decoding, trafilatura extraction, local feed files, 304s."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from sitrep.errors import FetchError, SourceError
from sitrep.ingest.fetch import Fetcher, FetchPolicy
from sitrep.ingest.web import decode_page, fetch_feed, fetch_page, read_feed_file
from sitrep.records import document_id

PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Grain corridor reopens</title>
<meta property="og:site_name" content="The Harbour Ledger">
<meta property="article:published_time" content="2024-11-04">
<link rel="canonical" href="https://ledger.example.org/grain"></head>
<body><nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article><h1>Grain corridor reopens</h1>
<p>Three cargo ships left the port of Halvik on Monday after the navy escorted them past the
minefield, port officials said, the first departures in six weeks.</p>
<p>The ministry said a fourth ship would follow on Wednesday if the weather held, and that
inspectors had cleared the loading terminal overnight.</p>
<p>Insurers had refused cover for the route since the blockade began, traders said.</p>
</article><footer>Copyright The Harbour Ledger</footer></body></html>
"""

FEED = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Local file feed</title>
<item><title>One</title><link>https://example.org/1</link></item>
</channel></rss>
"""


@pytest.fixture
def fetcher() -> Iterator[Fetcher]:
    with Fetcher(FetchPolicy(allow_private=True, host_delay=0)) as opened:
        yield opened


def test_fetch_page_builds_a_document(site: Any, fetcher: Fetcher) -> None:
    site.add("/grain.html", PAGE)
    url = site.redirect("/latest", "/grain.html")
    doc = fetch_page(fetcher, url)
    assert "Three cargo ships left the port of Halvik" in doc.text
    assert "Copyright" not in doc.text and "Home" not in doc.text
    assert doc.id == document_id(doc.text)
    assert doc.title == "Grain corridor reopens"
    assert doc.outlet == "The Harbour Ledger"
    assert doc.published == date(2024, 11, 4)
    assert doc.source == url  # as asked for …
    assert doc.url == site.url("/grain.html")  # … and where the text came from


def test_fetch_page_fills_gaps_from_the_feed_item(site: Any, fetcher: Fetcher) -> None:
    bare = PAGE.replace('<meta property="og:site_name" content="The Harbour Ledger">', "")
    bare = bare.replace('<meta property="article:published_time" content="2024-11-04">', "")
    bare = bare.replace("<title>Grain corridor reopens</title>", "")
    bare = bare.replace("<h1>Grain corridor reopens</h1>", "")
    bare = bare.replace('<link rel="canonical" href="https://ledger.example.org/grain">', "")
    url = site.add("/bare.html", bare)
    doc = fetch_page(fetcher, url, published=date(2024, 11, 9), title="From feed", outlet="Wire")
    assert (doc.title, doc.outlet, doc.published) == ("From feed", "Wire", date(2024, 11, 9))


def test_fetch_page_without_main_text_is_refused(site: Any, fetcher: Fetcher) -> None:
    url = site.add("/empty.html", "<html><body><nav>Home</nav></body></html>")
    with pytest.raises(SourceError) as caught:
        fetch_page(fetcher, url)
    assert caught.value.code == "E108"
    assert caught.value.source == url


def test_fetch_page_refuses_a_feed_url(site: Any, fetcher: Fetcher) -> None:
    url = site.add("/feed.xml", FEED, content_type="application/rss+xml")
    with pytest.raises(FetchError) as caught:
        fetch_page(fetcher, url)
    assert caught.value.code == "E554"


@pytest.mark.parametrize(
    ("data", "charset"),
    [
        ("Café in Zürich".encode("iso-8859-1"), "iso-8859-1"),
        ("Café in Zürich".encode(), "utf-8"),
        ('<meta charset="windows-1252"><p>Café in Zürich</p>'.encode("cp1252"), None),
        (
            (
                '<meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-1">'
                "<p>Café in Zürich</p>"
            ).encode("iso-8859-1"),
            None,
        ),
        ("Café in Zürich".encode(), None),
    ],
)
def test_decode_page_follows_the_declared_charset(data: bytes, charset: str | None) -> None:
    assert "Café in Zürich" in decode_page(data, charset, "page")


@pytest.mark.parametrize(
    ("data", "charset"),
    [("Café".encode("iso-8859-1"), None), (b"\xff\xfe\x00", "utf-8"), (b"\x81", "shift_jis")],
)
def test_decode_page_reports_bytes_that_lie_about_their_encoding(
    data: bytes, charset: str | None
) -> None:
    with pytest.raises(SourceError) as caught:
        decode_page(data, charset, "page")
    assert caught.value.code in {"E102", "E103"}


def test_decode_page_unknown_charset_falls_back_to_utf8() -> None:
    assert decode_page("ok ü".encode(), "x-unknown-charset", "page") == "ok ü"


def test_fetch_feed_reads_a_local_file(tmp_path: Path, fetcher: Fetcher) -> None:
    path = tmp_path / "feed.xml"
    path.write_bytes(FEED)
    fetched = fetch_feed(fetcher, str(path))
    assert fetched.feed is not None
    assert fetched.feed.title == "Local file feed"
    assert [item.link for item in fetched.feed.items] == ["https://example.org/1"]


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [("missing.xml", None, "E101"), ("empty.xml", b"  \n", "E104"), ("big.xml", b"x" * 50, "E105")],
)
def test_read_feed_file_refusals(
    tmp_path: Path, name: str, content: bytes | None, code: str
) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(SourceError) as caught:
        read_feed_file(path, max_bytes=20)
    assert caught.value.code == code


def test_read_feed_file_refuses_a_folder(tmp_path: Path) -> None:
    with pytest.raises(SourceError) as caught:
        read_feed_file(tmp_path, max_bytes=20)
    assert caught.value.code == "E111"


def test_fetch_feed_not_modified_has_no_feed(site: Any, fetcher: Fetcher) -> None:
    url = site.add("/feed.xml", FEED, content_type="application/rss+xml", etag='"abc"')
    first = fetch_feed(fetcher, url)
    assert first.feed is not None and first.etag == '"abc"'
    again = fetch_feed(fetcher, url, etag=first.etag)
    assert again.feed is None
    assert again.etag == '"abc"'


def test_fetch_feed_resolves_links_against_the_final_url(site: Any, fetcher: Fetcher) -> None:
    relative = FEED.replace(b"https://example.org/1", b"stories/1.html")
    site.add("/feeds/rss.xml", relative, content_type="application/rss+xml")
    url = site.redirect("/rss", "/feeds/rss.xml")
    fetched = fetch_feed(fetcher, url)
    assert fetched.feed is not None
    assert fetched.feed.items[0].link == site.url("/feeds/stories/1.html")
