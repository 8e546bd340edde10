"""URLs and feeds end to end through ``sitrep.ingest``, against a local HTTP server.

The extractor is the fake from conftest (no spaCy), except in the one test marked slow.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from sitrep import api
from sitrep.collect import MAX_ATTEMPTS, Collector
from sitrep.ingest.fetch import Fetcher, FetchPolicy
from sitrep.records import Document, Failure, IngestReport
from sitrep.store import Store, open_store

FAST = FetchPolicy(allow_private=True, host_delay=0)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with open_store(str(tmp_path / "web.db")) as opened:
        yield opened


def ingest(store: Store, extract: Any, *paths: str, **options: Any) -> IngestReport:
    options.setdefault("fetch", FAST)
    return api.ingest(list(paths), store=store, extract=extract, **options)


def sightings(store: Store) -> list[tuple[str, str]]:
    with store._begin() as connection:  # provenance rows have no listing of their own yet
        query = sa.text("SELECT document_id, url FROM document_sightings ORDER BY id")
        return [(row.document_id, row.url) for row in connection.execute(query)]


def test_feed_of_fifty_items_ingests_once(
    site: Any, news_feed: Callable[..., str], store: Store, extract: Any
) -> None:
    feed = news_feed(50, etag='"feed-v1"')
    first = ingest(store, extract, feeds=[feed])
    assert first.ok, [f.message() for f in first.failed]
    assert len(first.ingested) == 50
    assert first.events == 50
    assert store.counts()["documents"] == 50
    assert {doc.url for doc in store.documents()} == {
        site.url(f"/news/{n}.html") for n in range(50)
    }

    again = ingest(store, extract, feeds=[feed])
    assert (again.ingested, again.already_present, again.failed) == ([], [], [])
    assert site.requests("/feed.xml")[1].headers["If-None-Match"] == '"feed-v1"'
    assert all(site.count(f"/news/{n}.html") == 1 for n in range(50))
    assert store.counts()["documents"] == 50
    (state,) = store.feeds.feeds()
    assert (state.stored, state.present, state.failed, state.etag) == (50, 0, 0, '"feed-v1"')


def test_repoll_without_validators_fetches_no_page_twice(
    site: Any, news_feed: Callable[..., str], store: Store, extract: Any
) -> None:
    feed = news_feed(5)  # the server sends neither ETag nor Last-Modified
    ingest(store, extract, feeds=[feed])
    news_feed(7)  # two new items appear
    report = ingest(store, extract, feeds=[feed])
    assert len(report.ingested) == 2
    assert site.count("/feed.xml") == 2
    assert [site.count(f"/news/{n}.html") for n in range(7)] == [1] * 7
    assert len(sightings(store)) == 7


def test_broken_items_are_reported_with_line_and_the_rest_stored(
    site: Any, news_feed: Callable[..., str], store: Store, extract: Any
) -> None:
    feed = news_feed(6)
    site.add("/news/1.html", "<html>oops</html>", status=500)
    site.add("/news/3.html", "<html><body><nav>Home</nav></body></html>")  # no main text
    site.add("/news/4.html", b"%PDF-1.7", content_type="application/pdf")
    seen: list[Document | Failure] = []
    report = ingest(store, extract, feeds=[feed], on_item=seen.append)
    assert len(report.ingested) == 3
    messages = sorted(f.message() for f in report.failed)
    assert [f.code for f in sorted(report.failed, key=lambda f: f.reason)] == [
        "E552",
        "E108",
        "E554",
    ]
    assert messages[0].startswith(f"{feed}: item at line ")
    assert site.url("/news/1.html") in messages[0]
    assert "HTTP 500" in messages[0]
    assert sum(isinstance(item, Failure) for item in seen) == 3
    assert len(store.failures()) == 3
    assert store.feeds.feeds()[0].failed == 3


def test_transient_failures_are_retried_and_permanent_ones_are_not(
    site: Any, news_feed: Callable[..., str], store: Store, extract: Any
) -> None:
    feed = news_feed(3, etag='"v1"')
    site.add("/news/0.html", "<html>busy</html>", status=503)
    site.add("/news/1.html", "<html>gone</html>", status=404)
    for _ in range(MAX_ATTEMPTS + 1):
        ingest(store, extract, feeds=[feed])
    assert site.count("/news/0.html") == MAX_ATTEMPTS
    assert site.count("/news/1.html") == 1
    assert site.count("/news/2.html") == 1
    # The validators wait until the retries are done, so a 304 cannot hide a retry.
    conditional = ["If-None-Match" in hit.headers for hit in site.requests("/feed.xml")]
    assert conditional == [False] * MAX_ATTEMPTS + [True]


def test_a_retried_item_is_stored_once_it_recovers(
    site: Any, news_feed: Callable[..., str], store: Store, extract: Any
) -> None:
    feed = news_feed(2)
    site.add("/news/0.html", "<html>busy</html>", status=503)
    assert len(ingest(store, extract, feeds=[feed]).failed) == 1
    site.article("/news/0.html", 0)
    report = ingest(store, extract, feeds=[feed])
    assert (len(report.ingested), report.failed) == (1, [])
    states = store.feeds.items(store.feeds.feeds()[0].id).values()
    assert sorted((s.status, s.attempts) for s in states) == [("stored", 1), ("stored", 2)]


def test_feed_and_url_on_loopback_are_refused_without_allow_private(
    site: Any, news_feed: Callable[..., str], store: Store, extract: Any
) -> None:
    feed = news_feed(2)
    page = site.url("/news/0.html")
    report = ingest(store, extract, page, feeds=[feed], fetch=FetchPolicy(host_delay=0))
    assert [f.code for f in report.failed] == ["E551", "E551"]
    assert site.hits == []
    assert store.counts()["documents"] == 0
    assert store.feeds.feeds()[0].error is not None


def test_page_urls_are_fetched_as_documents(
    site: Any, store: Store, extract: Any, tmp_path: Path
) -> None:
    url = site.article("/story.html", 7)
    local = tmp_path / "note.txt"
    local.write_text("A local note about the harbour.", encoding="utf-8")
    report = ingest(store, extract, str(local), url)
    assert len(report.ingested) == 2
    (doc,) = [d for d in store.documents() if d.source == url]
    assert doc.url == url and doc.title == "Report 7" and doc.outlet == "The Test Ledger"


def test_a_text_seen_at_two_urls_is_stored_once_with_both_urls(
    site: Any, store: Store, extract: Any
) -> None:
    first = site.article("/a/story.html", 11)
    second = site.article("/b/same-story.html", 11)
    report = ingest(store, extract, first, second)
    assert (len(report.ingested), len(report.already_present)) == (1, 1)
    assert [url for _, url in sightings(store)] == [first, second]


def test_near_duplicates_are_stored_and_linked(site: Any, store: Store, extract: Any) -> None:
    first = site.article("/wire.html", 21)
    rewrite = site.article(
        "/rewrite.html", 21, edit=lambda text: text.replace("21-3", "21-4") + " Reporting by M."
    )
    other = site.article("/other.html", 22)
    report = ingest(store, extract, first, rewrite, other)
    assert len(report.ingested) == 3
    ids = {doc.source: doc.id for doc in store.documents()}
    (link,) = store.feeds.near_duplicates()
    assert (link.document_id, link.duplicate_of) == (ids[rewrite], ids[first])
    assert 0.8 <= link.similarity < 1.0
    assert len(store.feeds.signatures("dedup.minhash.v1")) == 3


def test_near_duplicates_of_documents_stored_before_signatures_existed(
    site: Any, store: Store, extract: Any, tmp_path: Path
) -> None:
    old = tmp_path / "old.txt"
    old.write_text("Old wire copy. " + "The navy escorted three ships past the minefield. " * 3)
    ingest(store, extract, str(old))
    with store._begin(write=True) as connection:  # as if stored before revision 0002_feeds
        connection.execute(sa.text("DELETE FROM document_signatures"))
    new = tmp_path / "new.txt"
    new.write_text(
        "Old wire copy. " + "The navy escorted three ships past the minefield. " * 3 + "Ends."
    )
    ingest(store, extract, str(new))
    (link,) = store.feeds.near_duplicates()
    assert link.duplicate_of == next(d.id for d in store.documents() if d.source == str(old))
    assert len(store.feeds.signatures("dedup.minhash.v1")) == 2


def test_stop_mid_poll_keeps_validators_and_resumes(
    site: Any, news_feed: Callable[..., str], store: Store, extract: Any
) -> None:
    feed = news_feed(6, etag='"v1"')
    stored: list[Document | Failure] = []
    with Fetcher(FAST) as fetcher:
        collector = Collector(
            store,
            fetcher=fetcher,
            extract=extract,
            on_item=stored.append,
            should_stop=lambda: len(stored) >= 2,
        )
        result = collector.poll(feed)
    assert result.interrupted and result.stored == 2
    assert store.feeds.feed(feed).etag is None  # not saved: the poll did not finish
    report = ingest(store, extract, feeds=[feed])
    assert len(report.ingested) == 4
    assert "If-None-Match" not in site.requests("/feed.xml")[1].headers
    assert [site.count(f"/news/{n}.html") for n in range(6)] == [1] * 6


def test_malformed_feed_is_reported_with_line_and_not_fatal(
    site: Any, news_feed: Callable[..., str], store: Store, extract: Any, tmp_path: Path
) -> None:
    good = news_feed(2)
    bad = site.add(
        "/bad.xml",
        '<?xml version="1.0"?>\n<rss version="2.0">\n<channel>\n<item>\n</channel>\n</rss>\n',
        content_type="application/rss+xml",
    )
    report = ingest(store, extract, feeds=[bad, good])
    assert len(report.ingested) == 2
    (failure,) = report.failed
    assert failure.code == "E557"
    assert failure.message().startswith(f"{bad}: is not well-formed XML (line 5, column")
    states = {state.url: state for state in store.feeds.feeds()}
    assert states[bad].error is not None and states[good].error is None


def test_local_feed_file_items_are_fetched(
    site: Any, store: Store, extract: Any, tmp_path: Path
) -> None:
    link = site.article("/story.html", 3)
    path = tmp_path / "saved.xml"
    path.write_text(
        '<?xml version="1.0"?>\n<rss version="2.0"><channel><title>Saved</title>\n'
        f"<item><title>S</title><link>{link}</link></item>\n"
        "<item><title>No link</title></item>\n</channel></rss>\n",
        encoding="utf-8",
    )
    report = ingest(store, extract, feeds=[str(path)])
    assert len(report.ingested) == 1
    (failure,) = report.failed
    assert failure.message() == f"{path}: item at line 4 has no link to fetch. [E560]"
    assert store.documents()[0].outlet == "The Test Ledger"
    assert len(ingest(store, extract, feeds=[str(path)]).failed) == 0  # settled, not repeated


def test_a_page_that_times_out_fails_alone(
    site: Any, news_feed: Callable[..., str], store: Store, extract: Any
) -> None:
    feed = news_feed(3)
    gate = threading.Event()
    site.article("/news/1.html", 1, gate=gate)
    timer = threading.Timer(0.3, gate.set)
    timer.start()
    try:
        slow = FetchPolicy(allow_private=True, host_delay=0, read_timeout=0.1)
        report = ingest(store, extract, feeds=[feed], fetch=slow)
    finally:
        timer.cancel()
    assert [f.code for f in report.failed] == ["E556"]
    assert store.counts()["documents"] == 2
