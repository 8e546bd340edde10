"""``sitrep watch``: poll feeds on a schedule and store only what is new.

All state lives in the store (feeds, validators, items and their status), so a watcher can
be stopped, killed or moved and resumes where it stopped. SIGINT and SIGTERM ask it to stop
after the item in hand is settled; a second signal stops it at once, and the transaction of
the item in hand is rolled back, so even then nothing is half-written.

The config is one YAML file::

    # crisis-feeds.yaml
    db: crisis.db              # optional; --db and SITREP_DB win. Relative to this file.
    interval: 900              # seconds between polls of a feed (default 900)
    host_delay: 1.0            # seconds between requests to the same host (default 1)
    timeout: 30                # read timeout in seconds (default 30)
    max_bytes: 5000000         # largest page or feed accepted (default 5,000,000)
    max_redirects: 5
    allow_private: false       # true to fetch from loopback/private addresses
    feeds:
      - https://news.example.org/world/rss.xml
      - url: https://wire.example.com/atom.xml
        interval: 300          # this feed more often
      - saved/feed.xml         # a local file, relative to this file
"""

from __future__ import annotations

import logging
import signal
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from types import FrameType
from typing import Any

import yaml

from sitrep.collect import Collector, ExtractFn, PollResult
from sitrep.data import load_yaml
from sitrep.errors import ConfigError, ErrorCode
from sitrep.ingest.fetch import Fetcher, FetchPolicy, is_url
from sitrep.records import IngestReport
from sitrep.store import Store

log = logging.getLogger("sitrep.watch")

DEFAULT_INTERVAL = 900.0
_SLEEP_STEP = 0.25  # seconds: how quickly a sleeping watcher notices a stop request
_TOP_KEYS = (
    "db",
    "interval",
    "host_delay",
    "timeout",
    "max_bytes",
    "max_redirects",
    "allow_private",
    "feeds",
)


@dataclass(frozen=True, slots=True)
class WatchedFeed:
    """A feed to poll, and how often."""

    url: str  # a URL, or an absolute path to a local feed file
    interval: float = DEFAULT_INTERVAL


@dataclass(frozen=True, slots=True)
class WatchConfig:
    """What to watch and how politely; see the module docstring for the YAML form."""

    feeds: tuple[WatchedFeed, ...]
    db: str | None = None
    fetch: FetchPolicy = field(default_factory=FetchPolicy)


@dataclass(slots=True)
class WatchReport:
    """Every poll made, and the documents and failures across them."""

    polls: list[PollResult] = field(default_factory=list)
    ingest: IngestReport = field(default_factory=IngestReport)
    stopped_by: str | None = None  # the signal (or reason) that stopped the watcher

    @property
    def ok(self) -> bool:
        return self.ingest.ok


class Stop:
    """A request to stop, set by a signal handler or another thread, checked between items.

    A plain attribute, not a ``threading.Event``: signal handlers must not take locks that
    the interrupted code may hold.
    """

    def __init__(self) -> None:
        self.reason: str | None = None

    @property
    def requested(self) -> bool:
        return self.reason is not None

    def request(self, reason: str) -> None:
        if self.reason is None:
            self.reason = reason

    def sleep(self, seconds: float, *, clock: Callable[[], float] = time.monotonic) -> None:
        """Sleep up to ``seconds``, waking early when a stop is requested."""
        until = clock() + seconds
        while not self.requested and (left := until - clock()) > 0:
            time.sleep(min(_SLEEP_STEP, left))


@contextmanager
def stop_on_signals(
    stop: Stop, signals: tuple[signal.Signals, ...] = (signal.SIGINT, signal.SIGTERM)
) -> Iterator[Stop]:
    """Turn the first SIGINT/SIGTERM into a stop request and a second into an interrupt.

    Handlers are installed for the duration of the block only (main thread only).
    """

    def handle(number: int, frame: FrameType | None) -> None:
        name = signal.Signals(number).name
        if stop.requested:
            raise KeyboardInterrupt(name)
        stop.request(name)
        log.info("%s received: stopping once the item in hand is stored", name)

    previous = {sig: signal.signal(sig, handle) for sig in signals}
    try:
        yield stop
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def load_config(path: str | Path) -> WatchConfig:
    """Read and check a watch config; errors name the key and what is wrong with it."""
    path = Path(path)
    try:
        data = load_yaml(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise _config_error(path, f"cannot be read ({exc.strerror or exc})") from exc
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise _config_error(path, f"is not valid YAML: {' '.join(str(exc).split())}") from exc
    return parse_config(data, path)


def parse_config(data: Any, path: Path) -> WatchConfig:
    """Build a ``WatchConfig`` from loaded YAML; relative paths are taken from ``path``'s folder."""
    if not isinstance(data, Mapping):
        raise _config_error(path, "expected 'key: value' lines at the top level")
    unknown = sorted(set(map(str, data)) - set(_TOP_KEYS))
    if unknown:
        raise _config_error(path, f"unknown key {unknown[0]!r}; known keys: {', '.join(_TOP_KEYS)}")
    base = path.parent
    interval = _number(data, "interval", DEFAULT_INTERVAL, path)
    defaults = FetchPolicy()
    try:
        fetch = FetchPolicy(
            read_timeout=_number(data, "timeout", defaults.read_timeout, path),
            max_bytes=int(_number(data, "max_bytes", defaults.max_bytes, path)),
            max_redirects=int(
                _number(data, "max_redirects", defaults.max_redirects, path, allow_zero=True)
            ),
            host_delay=_number(data, "host_delay", defaults.host_delay, path, allow_zero=True),
            allow_private=_flag(data, "allow_private", path),
        )
    except ValueError as exc:
        raise _config_error(path, str(exc)) from exc
    feeds = data.get("feeds")
    if not isinstance(feeds, list) or not feeds:
        raise _config_error(path, "'feeds' must be a list of at least one feed URL or file")
    watched: list[WatchedFeed] = []
    for number, entry in enumerate(feeds, start=1):
        where = f"feeds[{number}]"
        if isinstance(entry, Mapping):
            extra = sorted(set(map(str, entry)) - {"url", "interval"})
            if extra:
                raise _config_error(path, f"{where}: unknown key {extra[0]!r}; use url, interval")
            location = entry.get("url")
            every = _number(entry, "interval", interval, path, where=where)
        else:
            location, every = entry, interval
        if not isinstance(location, str) or not location.strip():
            raise _config_error(path, f"{where}: expected a feed URL or file, got {location!r}")
        location = location.strip()
        if not is_url(location):
            location = str((base / location).resolve())
        watched.append(WatchedFeed(location, every))
    db = data.get("db")
    if db is not None and (not isinstance(db, str) or not db.strip()):
        raise _config_error(path, f"'db' must be a path or an SQLAlchemy URL, got {db!r}")
    if db is not None and "://" not in db:
        db = str(base / db)
    return WatchConfig(feeds=tuple(watched), db=db, fetch=fetch)


def _config_error(path: Path, why: str) -> ConfigError:
    return ConfigError(ErrorCode.E561.format(path=path, why=why))


def _number(
    data: Mapping[str, Any],
    key: str,
    default: float,
    path: Path,
    *,
    allow_zero: bool = False,
    where: str = "",
) -> float:
    value = data.get(key, default)
    name = f"{where}.{key}" if where else key
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _config_error(path, f"{name!r} must be a number, got {value!r}")
    if value < 0 or (value == 0 and not allow_zero):
        least = "0 or more" if allow_zero else "greater than 0"
        raise _config_error(path, f"{name!r} must be {least}, got {value!r}")
    return float(value)


def _flag(data: Mapping[str, Any], key: str, path: Path) -> bool:
    value = data.get(key, False)
    if not isinstance(value, bool):
        raise _config_error(path, f"{key!r} must be true or false, got {value!r}")
    return value


def run_watch(
    config: WatchConfig,
    *,
    store: Store,
    extract: ExtractFn,
    stop: Stop | None = None,
    once: bool = False,
    clock: Callable[[], float] = time.monotonic,
    relink: Callable[[Store], object] | None = None,
) -> WatchReport:
    """Poll every feed when it is due until ``stop`` is requested (or once, with ``once``).

    A feed is due ``interval`` seconds after its last finished poll, as recorded in the
    store, so a restarted watcher does not poll early and an interrupted poll is redone.
    After a round of polls that stored something, ``relink`` (when given) recomputes the
    claims, so new reporting joins the claims it corroborates or contradicts.
    """
    if not config.feeds:
        raise ValueError("a watch config needs at least one feed")
    stop = stop or Stop()
    report = WatchReport()
    with Fetcher(config.fetch) as fetcher:
        collector = Collector(
            store,
            fetcher=fetcher,
            extract=extract,
            report=report.ingest,
            should_stop=lambda: stop.requested,
        )
        due = _first_due(store, config, clock())
        while not stop.requested:
            stored_this_round = 0
            for feed in config.feeds:
                if stop.requested:
                    break
                if not once and due[feed.url] > clock():
                    continue
                log.info("polling %s", feed.url)
                result = collector.poll(feed.url)
                report.polls.append(result)
                _log_poll(result)
                stored_this_round += result.stored
                due[feed.url] = clock() + feed.interval
            if relink is not None and stored_this_round:
                log.info("relinking claims after %d new items", stored_this_round)
                relink(store)
            if once:
                break
            wait = max(0.0, min(due.values()) - clock())
            log.info("next poll in %.0f s", wait)
            stop.sleep(wait, clock=clock)
    report.stopped_by = stop.reason
    if stop.reason:
        log.info("stopped (%s)", stop.reason)
    return report


def _first_due(store: Store, config: WatchConfig, now: float) -> dict[str, float]:
    """When each feed is next due, from the time its last poll finished."""
    polled = {state.url: state.polled_at for state in store.feeds.feeds()}
    wall = datetime.now(UTC)
    due: dict[str, float] = {}
    for feed in config.feeds:
        last = polled.get(feed.url)
        if last is None:
            due[feed.url] = now
            continue
        if last.tzinfo is None:  # SQLite hands back naive datetimes; they were stored in UTC
            last = last.replace(tzinfo=UTC)
        elapsed = (wall - last).total_seconds()
        due[feed.url] = now + max(0.0, feed.interval - elapsed)
    return due


def _log_poll(result: PollResult) -> None:
    if result.error is not None:
        log.warning("%s: poll failed: %s", result.feed, result.error.reason)
    elif result.not_modified:
        log.info("%s: not modified since the last poll", result.feed)
    else:
        log.info(
            "%s: %d items, %d processed: %d stored, %d already known, %d failed; %d events%s",
            result.feed,
            result.items,
            result.processed,
            result.stored,
            result.present,
            result.failed,
            result.events,
            " (interrupted)" if result.interrupted else "",
        )
