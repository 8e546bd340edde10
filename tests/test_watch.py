"""``sitrep watch``: config, schedule, clean stops, and exactly-once across SIGKILL.

In-process tests use the fake extractor; the subprocess tests run the real command (and so
the real spaCy pipeline) against the local HTTP server.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml

from sitrep.errors import ConfigError
from sitrep.ingest.fetch import FetchPolicy
from sitrep.records import Document, Extraction, Failure
from sitrep.store import Store, open_store
from sitrep.store.schema import feeds
from sitrep.watch import (
    DEFAULT_INTERVAL,
    Stop,
    WatchConfig,
    WatchedFeed,
    _first_due,
    load_config,
    run_watch,
    stop_on_signals,
)

FAST = FetchPolicy(allow_private=True, host_delay=0)
CLEAR_EVENT = "North Korea fired a ballistic missile toward South Korea on Tuesday, Seoul said."


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with open_store(str(tmp_path / "watch.db")) as opened:
        yield opened


def write_config(tmp_path: Path, data: dict[str, Any], name: str = "watch.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


# -- config ------------------------------------------------------------------------------------


def test_load_config_reads_feeds_limits_and_relative_paths(tmp_path: Path) -> None:
    path = write_config(
        tmp_path,
        {
            "db": "crisis.db",
            "interval": 600,
            "host_delay": 0,
            "timeout": 5,
            "max_bytes": 1000,
            "max_redirects": 2,
            "allow_private": True,
            "feeds": [
                "https://news.example.org/rss.xml",
                {"url": "https://wire.example.com/atom.xml", "interval": 60},
                "saved/feed.xml",
            ],
        },
    )
    config = load_config(path)
    assert config.db == str(tmp_path / "crisis.db")
    assert config.feeds == (
        WatchedFeed("https://news.example.org/rss.xml", 600),
        WatchedFeed("https://wire.example.com/atom.xml", 60),
        WatchedFeed(str((tmp_path / "saved" / "feed.xml").resolve()), 600),
    )
    assert config.fetch == FetchPolicy(
        read_timeout=5, max_bytes=1000, max_redirects=2, host_delay=0, allow_private=True
    )


def test_load_config_defaults(tmp_path: Path) -> None:
    config = load_config(write_config(tmp_path, {"feeds": ["https://a.example/rss"]}))
    assert config.feeds[0].interval == DEFAULT_INTERVAL
    assert config.db is None
    assert config.fetch == FetchPolicy()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"feeds": []}, "'feeds' must be a list"),
        ({}, "'feeds' must be a list"),
        ({"feeds": ["u"], "intervall": 5}, "unknown key 'intervall'"),
        ({"feeds": ["u"], "interval": 0}, "'interval' must be greater than 0"),
        ({"feeds": ["u"], "interval": "often"}, "'interval' must be a number"),
        ({"feeds": ["u"], "host_delay": -1}, "'host_delay' must be 0 or more"),
        ({"feeds": ["u"], "allow_private": "yes"}, "'allow_private' must be true or false"),
        ({"feeds": [{"url": "u", "every": 5}]}, "feeds[1]: unknown key 'every'"),
        ({"feeds": [{"interval": 5}]}, "feeds[1]: expected a feed URL or file"),
        ({"feeds": ["u", 42]}, "feeds[2]: expected a feed URL or file, got 42"),
        ({"feeds": ["u"], "db": ""}, "'db' must be a path"),
        (["just", "a", "list"], "expected 'key: value' lines"),
    ],
)
def test_load_config_errors_name_the_key(tmp_path: Path, data: Any, message: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert message in str(caught.value)
    assert str(caught.value).startswith(f"Watch config {path}: ")


@pytest.mark.parametrize(
    ("content", "message"), [(None, "cannot be read"), ("feeds: [a\n  b: ]", "is not valid YAML")]
)
def test_load_config_unreadable(tmp_path: Path, content: str | None, message: str) -> None:
    path = tmp_path / "watch.yaml"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        load_config(path)


# -- polling -----------------------------------------------------------------------------------


def test_run_watch_once_polls_every_feed(
    site: Any, news_feed: Callable[..., str], store: Store, extract: Any
) -> None:
    first = news_feed(3, path="/a.xml")
    second = news_feed(2, path="/b.xml", first_seed=10)
    config = WatchConfig(feeds=(WatchedFeed(first), WatchedFeed(second)), fetch=FAST)
    report = run_watch(config, store=store, extract=extract, once=True)
    assert [(p.feed, p.stored) for p in report.polls] == [(first, 3), (second, 2)]
    assert report.ok and report.stopped_by is None
    assert store.counts()["documents"] == 5


def test_run_watch_relinks_claims_only_after_a_round_that_stored_something(
    site: Any, news_feed: Callable[..., str], store: Store, extract: Any
) -> None:
    feed = news_feed(2, path="/relink.xml")
    config = WatchConfig(feeds=(WatchedFeed(feed),), fetch=FAST)
    relinked: list[int] = []
    run_watch(
        config,
        store=store,
        extract=extract,
        once=True,
        relink=lambda s: relinked.append(s.counts()["documents"]),
    )
    assert relinked == [2]
    run_watch(config, store=store, extract=extract, once=True, relink=lambda s: relinked.append(0))
    assert relinked == [2]  # nothing new: no relink


def test_run_watch_resumes_after_a_stop_and_stores_each_item_once(
    site: Any, news_feed: Callable[..., str], store: Store, extract: Any
) -> None:
    feed = news_feed(6, etag='"v1"')
    config = WatchConfig(feeds=(WatchedFeed(feed),), fetch=FAST)
    stop = Stop()
    calls: list[int] = []

    def stopping(documents: Sequence[Document]) -> Iterator[Extraction | Failure]:
        calls.append(len(documents))
        if len(calls) == 2:
            stop.request("test")  # as a signal would, while the second item is in hand
        yield from extract(documents)

    first = run_watch(config, store=store, extract=stopping, stop=stop)
    assert first.stopped_by == "test"
    assert (first.polls[0].interrupted, first.polls[0].stored) == (True, 2)
    second = run_watch(config, store=store, extract=extract, once=True)
    assert (second.polls[0].interrupted, second.polls[0].stored) == (False, 4)
    assert store.counts()["documents"] == 6
    assert [site.count(f"/news/{n}.html") for n in range(6)] == [1] * 6
    assert "If-None-Match" not in site.requests("/feed.xml")[1].headers


def test_run_watch_polls_again_when_due(
    site: Any, news_feed: Callable[..., str], store: Store, extract: Any
) -> None:
    feed = news_feed(2, etag='"v1"')
    config = WatchConfig(feeds=(WatchedFeed(feed, interval=0.1),), fetch=FAST)
    stop = Stop()
    timer = threading.Timer(1.0, stop.request, args=("test over",))
    timer.start()
    try:
        report = run_watch(config, store=store, extract=extract, stop=stop)
    finally:
        timer.cancel()
    assert report.stopped_by == "test over"
    assert len(report.polls) >= 3
    assert report.polls[0].stored == 2
    assert all(poll.not_modified for poll in report.polls[1:])
    assert store.counts()["documents"] == 2


def test_first_due_follows_the_last_finished_poll(store: Store) -> None:
    never = WatchedFeed("https://never.example/rss", 600)
    recent = WatchedFeed("https://recent.example/rss", 600)
    stale = WatchedFeed("https://stale.example/rss", 600)
    for feed, ago in ((recent, 60), (stale, 6000)):
        state = store.feeds.feed(feed.url)
        store.feeds.finish_poll(state.id)
        with store._begin(write=True) as connection:  # move the poll back in time
            when = datetime.now(UTC) - timedelta(seconds=ago)
            connection.execute(feeds.update().where(feeds.c.id == state.id).values(polled_at=when))
    due = _first_due(store, WatchConfig(feeds=(never, recent, stale)), now=1000.0)
    assert due[never.url] == 1000.0
    assert due[stale.url] == 1000.0
    assert 1000.0 + 530 < due[recent.url] <= 1000.0 + 540


def test_run_watch_needs_a_feed(store: Store, extract: Any) -> None:
    with pytest.raises(ValueError, match="at least one feed"):
        run_watch(WatchConfig(feeds=()), store=store, extract=extract, once=True)


def test_stop_on_signals_stops_then_interrupts_and_restores() -> None:
    before = signal.getsignal(signal.SIGTERM)
    stop = Stop()
    with stop_on_signals(stop):
        os.kill(os.getpid(), signal.SIGTERM)
        assert stop.reason == "SIGTERM"
        with pytest.raises(KeyboardInterrupt):
            os.kill(os.getpid(), signal.SIGINT)
    assert signal.getsignal(signal.SIGTERM) is before


def test_stop_sleep_wakes_early() -> None:
    stop = Stop()
    threading.Timer(0.1, stop.request, args=("done",)).start()
    started = time.monotonic()
    stop.sleep(10)
    assert time.monotonic() - started < 2


# -- the real command, killed and restarted -----------------------------------------------------


def watch_command(config: Path, db: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "sitrep", "watch", str(config), "--db", str(db), *extra]


def run_to_end(command: list[str], log: Path) -> int:
    with log.open("w") as out:
        return subprocess.run(command, stdout=out, stderr=subprocess.STDOUT, timeout=300).returncode


def sightings_per_url(store: Store) -> dict[str, int]:
    import sqlalchemy as sa

    with store._begin() as connection:
        query = sa.text("SELECT url, count(*) AS n FROM document_sightings GROUP BY url")
        return {row.url: row.n for row in connection.execute(query)}


@pytest.mark.slow
def test_watch_killed_mid_poll_stores_every_item_exactly_once(
    site: Any, news_feed: Callable[..., str], tmp_path: Path
) -> None:
    feed = news_feed(8, etag='"v1"')
    site.article("/news/0.html", 0, edit=lambda text: f"{CLEAR_EVENT} {text}")
    gate = threading.Event()
    site.article("/news/4.html", 4, gate=gate)  # the watcher hangs here until killed
    config = write_config(tmp_path, {"feeds": [feed], "host_delay": 0, "allow_private": True})
    db = tmp_path / "watch.db"
    command = watch_command(config, db, "--once")
    with (tmp_path / "first.log").open("w") as out:
        first = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)
        try:
            site.wait_for("/news/4.html", timeout=120)
            first.send_signal(signal.SIGKILL)
        finally:
            if first.poll() is None:
                first.kill()
            first.wait(timeout=30)
    assert first.returncode == -signal.SIGKILL
    with open_store(str(db)) as store:
        assert store.counts()["documents"] == 4  # items 0-3 were settled before the kill
        assert store.feeds.feed(feed).etag is None  # the unfinished poll saved no validator

    gate.set()
    assert run_to_end(command, tmp_path / "second.log") == 0, (tmp_path / "second.log").read_text()
    urls = {site.url(f"/news/{n}.html") for n in range(8)}
    with open_store(str(db)) as store:
        documents = store.documents()
        assert {doc.url for doc in documents} == urls
        assert len(documents) == 8
        assert sightings_per_url(store) == dict.fromkeys(urls, 1)
        (state,) = store.feeds.feeds()
        assert (state.stored, state.present, state.failed, state.etag) == (8, 0, 0, '"v1"')
        (first_document,) = [d for d in documents if d.url == site.url("/news/0.html")]
        assert store.events(document_id=first_document.id)  # the real extractor ran
    assert [site.count(f"/news/{n}.html") for n in range(8)] == [1, 1, 1, 1, 2, 1, 1, 1]


@pytest.mark.slow
def test_watch_stops_on_sigterm_after_storing_the_item_in_hand(
    site: Any, news_feed: Callable[..., str], tmp_path: Path
) -> None:
    feed = news_feed(5)
    gate = threading.Event()
    site.article("/news/2.html", 2, gate=gate)
    config = write_config(
        tmp_path, {"feeds": [feed], "host_delay": 0, "allow_private": True, "interval": 3600}
    )
    db = tmp_path / "watch.db"
    log = tmp_path / "watch.log"
    with log.open("w") as out:
        watcher = subprocess.Popen(watch_command(config, db), stdout=out, stderr=subprocess.STDOUT)
        try:
            site.wait_for("/news/2.html", timeout=120)
            watcher.send_signal(signal.SIGTERM)
            time.sleep(0.3)
            gate.set()  # the page in hand arrives after the signal
            assert watcher.wait(timeout=60) == 0, log.read_text()
        finally:
            if watcher.poll() is None:
                watcher.kill()
                watcher.wait(timeout=30)
    text = log.read_text()
    assert "SIGTERM received: stopping once the item in hand is stored" in text
    assert "stopped (SIGTERM)" in text
    with open_store(str(db)) as store:
        assert {doc.url for doc in store.documents()} == {
            site.url(f"/news/{n}.html") for n in range(3)
        }
        assert store.feeds.feed(feed).polled_at is None  # so a restart polls it at once
    assert site.count("/news/3.html") == 0
