"""Fetch, extract and store web documents one at a time: URLs and feed items.

Shared by ``sitrep ingest URL… --feed …`` and ``sitrep watch``. Each item is settled in one
transaction (``FeedStore.record``), so a run that is stopped or killed at any point resumes
without storing an item twice. A feed's validators (ETag, Last-Modified) are saved only
after all its items are settled: otherwise a crash mid-poll would be followed by a 304 and
the unsettled items would be lost until the feed changed again.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from sitrep.errors import ErrorCode, FetchError, SourceError
from sitrep.ingest import dedup
from sitrep.ingest.feeds import Feed, FeedItem
from sitrep.ingest.fetch import Fetcher
from sitrep.ingest.web import fetch_feed, fetch_page
from sitrep.records import Document, Extraction, Failure, IngestReport
from sitrep.store import Store
from sitrep.store.feeds import ItemRef, NearDuplicate, Signature

if TYPE_CHECKING:
    from datasketch import MinHash

log = logging.getLogger("sitrep.collect")

ExtractFn = Callable[[Sequence[Document]], Iterable[Extraction | Failure]]
ItemCallback = Callable[[Document | Failure], None]
MAX_ATTEMPTS = 3  # a transient failure (timeout, HTTP 5xx) is tried this many times in all
_BACKFILL_BATCH = 500


@dataclass(slots=True)
class PollResult:
    """What one poll of one feed did."""

    feed: str
    not_modified: bool = False
    items: int = 0  # items in the feed
    stored: int = 0  # new documents
    present: int = 0  # texts already stored (a sighting was added)
    failed: int = 0
    events: int = 0
    error: Failure | None = None  # the feed itself could not be read
    interrupted: bool = False  # stopped before every item was settled

    @property
    def processed(self) -> int:
        return self.stored + self.present + self.failed


class Deduplicator:
    """Keeps a near-duplicate index in step with the store.

    The index is built on first use from the signatures in the store; documents stored
    before near-duplicate detection existed are signed then, once.
    """

    def __init__(self, store: Store) -> None:
        self._store = store
        self._index: dedup.NearDuplicateIndex | None = None

    def _ready(self) -> dedup.NearDuplicateIndex:
        if self._index is None:
            feeds = self._store.feeds
            while batch := feeds.unsigned_documents(dedup.METHOD, _BACKFILL_BATCH):
                signed = [(doc_id, dedup.to_bytes(dedup.signature(text))) for doc_id, text in batch]
                feeds.add_signatures(dedup.METHOD, signed)
            self._index = dedup.NearDuplicateIndex()
            self._index.add_all(feeds.signatures(dedup.METHOD))
        return self._index

    def check(self, document: Document) -> tuple[Signature, NearDuplicate | None, MinHash]:
        """The document's signature, and its near-duplicate link if it has one."""
        minhash = dedup.signature(document.text)
        match = self._ready().match(minhash, exclude=document.id)
        near = None
        if match is not None:
            near = NearDuplicate(document.id, match.document_id, match.similarity, dedup.METHOD)
        return Signature(dedup.METHOD, dedup.to_bytes(minhash)), near, minhash

    def stored(self, document_id: str, minhash: MinHash) -> None:
        """Index a document once its transaction has committed."""
        self._ready().add(document_id, minhash)

    def record(
        self, extraction: Extraction, *, item: ItemRef | None = None
    ) -> tuple[bool, int, NearDuplicate | None]:
        """Store an extraction with its signature and near-duplicate link, all at once."""
        signature, near, minhash = self.check(extraction.document)
        new, events = self._store.feeds.record(
            extraction, item=item, signature=signature, near=near
        )
        if new:
            self.stored(extraction.document.id, minhash)
        return new, events, near if new else None


class Collector:
    """Turns URLs and feeds into stored documents, reporting into one ``IngestReport``."""

    def __init__(
        self,
        store: Store,
        *,
        fetcher: Fetcher,
        extract: ExtractFn,
        report: IngestReport | None = None,
        published: date | None = None,
        on_item: ItemCallback | None = None,
        should_stop: Callable[[], bool] = lambda: False,
        dedup: Deduplicator | None = None,
    ) -> None:
        self.store = store
        self.fetcher = fetcher
        self.extract = extract
        self.report = report if report is not None else IngestReport()
        self.published = published
        self.on_item = on_item
        self.should_stop = should_stop
        self.dedup = dedup or Deduplicator(store)

    def ingest_url(self, url: str) -> None:
        """Fetch one page and store its text (a sighting if the text is already stored)."""
        result = PollResult(url)
        try:
            document = fetch_page(self.fetcher, url, published=self.published)
        except SourceError as exc:
            self._failed(Failure(exc.source, exc.reason, exc.code), None, False, result)
            return
        self._document(document, None, result)

    def poll(self, location: str) -> PollResult:
        """Fetch a feed (URL or file) and settle every item not settled before."""
        state = self.store.feeds.feed(location)
        result = PollResult(location)
        try:
            fetched = fetch_feed(
                self.fetcher,
                location,
                etag=state.etag,
                last_modified=state.last_modified,
                max_bytes=self.fetcher.policy.max_bytes,
            )
        except SourceError as exc:
            result.error = Failure(exc.source, exc.reason, exc.code)
            self.store.feeds.poll_failed(state.id, result.error)
            self._report(result.error)
            return result
        if fetched.feed is None:
            result.not_modified = True
            self.store.feeds.finish_poll(
                state.id, etag=state.etag, last_modified=state.last_modified
            )
            return result
        feed = fetched.feed
        result.items = len(feed.items)
        seen = self.store.feeds.items(state.id)
        log.debug("%s: %d items, %d seen before", location, len(feed.items), len(seen))
        for number, item in enumerate(feed.items, start=1):
            known = seen.get(item.key)
            if known is not None and known.settled(MAX_ATTEMPTS):
                continue
            if self.should_stop():
                result.interrupted = True
                return result  # validators not saved: the next poll fetches the feed in full
            self._item(state.id, feed, item, number, result)
        retrying = any(
            not known.settled(MAX_ATTEMPTS) for known in self.store.feeds.items(state.id).values()
        )
        if retrying:  # keep the old validators, so the next poll does not get a 304
            self.store.feeds.finish_poll(
                state.id, title=feed.title, etag=state.etag, last_modified=state.last_modified
            )
        else:
            self.store.feeds.finish_poll(
                state.id, title=feed.title, etag=fetched.etag, last_modified=fetched.last_modified
            )
        return result

    def _item(
        self, feed_id: int, feed: Feed, item: FeedItem, number: int, result: PollResult
    ) -> None:
        where = f"at line {item.line}" if item.line else f"{number} (line unknown)"
        ref = ItemRef(feed_id, item.key, item.link)
        if item.link is None:
            reason = ErrorCode.E560.format(line=item.line or "?")
            self._failed(Failure(feed.source, reason, ErrorCode.E560.name), ref, False, result)
            return
        log.debug("fetching item %s: %s", where, item.link)
        try:
            document = fetch_page(
                self.fetcher,
                item.link,
                published=item.published or self.published,
                title=item.title,
                outlet=feed.title,
            )
        except SourceError as exc:
            reason = f"item {where}: {item.link}: {exc.reason}"
            retry = isinstance(exc, FetchError) and exc.transient
            self._failed(Failure(feed.source, reason, exc.code), ref, retry, result)
            return
        self._document(document, ref, result)

    def _document(self, document: Document, ref: ItemRef | None, result: PollResult) -> None:
        """Extract and store a new text; only record a sighting of a known one."""
        if self.store.has_document(document.id):
            self.store.feeds.record(document, item=ref)
            self.report.already_present.append(document.id)
            result.present += 1
            log.info("already stored: %s (document %s)", document.source, document.id)
            self._notify(document)
            return
        outcomes = list(self.extract([document]))
        if len(outcomes) != 1:
            raise RuntimeError(f"the extractor returned {len(outcomes)} results for one document")
        outcome = outcomes[0]
        if isinstance(outcome, Failure):
            self._failed(outcome, ref, False, result)
            return
        new, events, near = self.dedup.record(outcome, item=ref)
        if new:
            self.report.ingested.append(document.id)
            self.report.events += events
            result.stored += 1
            result.events += events
            also = f", near duplicate of {near.duplicate_of}" if near else ""
            log.info("stored: %s (%d events%s)", document.source, events, also)
        else:
            self.report.already_present.append(document.id)
            result.present += 1
        self._notify(document)

    def _failed(
        self, failure: Failure, ref: ItemRef | None, retry: bool, result: PollResult
    ) -> None:
        self.store.feeds.record(failure, item=ref, retry=retry)
        result.failed += 1
        self._report(failure)

    def _report(self, failure: Failure) -> None:
        self.report.failed.append(failure)
        log.warning("failed: %s", failure.message())
        self._notify(failure)

    def _notify(self, item: Document | Failure) -> None:
        if self.on_item is not None:
            self.on_item(item)
