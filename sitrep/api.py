"""The one public Python API. The CLI (and later the REST API and dashboard) call only this.

Example::

    import sitrep
    result = sitrep.extract("North Korea sent troops to Russia.", published="2024-11-12")
    with sitrep.open_store("sitrep.db") as store:
        report = sitrep.ingest_paths(["articles/"], store=store)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import replace
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from sitrep.config import Settings
from sitrep.records import (
    Claim,
    Document,
    Extraction,
    Failure,
    ImportReport,
    IngestReport,
    RelinkReport,
    TimelineDay,
)

if TYPE_CHECKING:
    from sitrep.analysis.similarity import Similarity
    from sitrep.collect import ExtractFn
    from sitrep.ingest.fetch import FetchPolicy
    from sitrep.nlp.extract import RuleExtractor
    from sitrep.store import Store
    from sitrep.watch import Stop, WatchConfig, WatchReport

ProgressCallback = Callable[[Document | Failure], None]


def get_extractor(
    models: tuple[str, ...] = (), cascade: bool = True, classifier: str | None = None
) -> RuleExtractor:
    """The rule extractor over the first installed model (built once per process).

    ``models`` and ``classifier`` (auto/on/off, the learned event-type stage) default to the
    settings, so ``SITREP_MODEL`` and ``SITREP_CLASSIFIER`` apply.
    """
    from sitrep.nlp.retype import resolve_choice

    if not models or classifier is None:
        settings = Settings.load()
        models = models or settings.model_candidates()
        classifier = settings.classifier if classifier is None else classifier
    return _build_extractor(models, cascade, resolve_choice(classifier))


@lru_cache(maxsize=4)
def _build_extractor(models: tuple[str, ...], cascade: bool, classifier: str) -> RuleExtractor:
    from sitrep.nlp.extract import RuleExtractor
    from sitrep.nlp.gazetteer import load_gazetteer
    from sitrep.nlp.lexicon import load_lexicon
    from sitrep.nlp.pipeline import build_nlp
    from sitrep.nlp.retype import load_event_typer

    typer = load_event_typer(classifier)
    nlp = build_nlp(models)
    return RuleExtractor(nlp, load_lexicon(), load_gazetteer(), cascade=cascade, typer=typer)


def _extractor(settings: Settings | None) -> RuleExtractor:
    settings = settings or Settings.load()
    return get_extractor(settings.model_candidates(), settings.cascade, settings.classifier)


def extract(
    text: str,
    *,
    published: date | str | None = None,
    title: str | None = None,
    outlet: str | None = None,
    url: str | None = None,
    settings: Settings | None = None,
) -> Extraction:
    """Extract events, attribution and entities from one text (no database involved)."""
    document = Document.from_text(text, published=published, title=title, outlet=outlet, url=url)
    return extract_document(document, settings=settings)


def extract_document(document: Document, *, settings: Settings | None = None) -> Extraction:
    """Extract from a ``Document`` you built or read yourself."""
    return _extractor(settings).extract(document)


def extract_documents(
    documents: Iterable[Document], *, settings: Settings | None = None
) -> Iterator[Extraction | Failure]:
    """Extract from many documents in batches; a document that fails becomes a ``Failure``."""
    settings = settings or Settings.load()
    yield from _extractor(settings).pipe(documents, batch_size=settings.batch_size)


def read(
    paths: Iterable[str | Path],
    *,
    published: date | None = None,
    settings: Settings | None = None,
    stdin: BinaryIO | None = None,
) -> Iterator[Document | Failure]:
    """Read inputs (files, folders, '-' for stdin) into documents, or failures naming them."""
    from sitrep.ingest import read_inputs

    settings = settings or Settings.load()
    yield from read_inputs(paths, published=published, max_bytes=settings.max_bytes, stdin=stdin)


def open_store(url: str | None = None, *, settings: Settings | None = None) -> Store:
    """Open (and migrate) the store: a path to an SQLite file, or an SQLAlchemy URL."""
    from sitrep.store import open_store as _open

    settings = settings or Settings.load()
    return _open(url or settings.db)


def ingest(
    paths: Iterable[str | Path],
    *,
    store: Store,
    published: date | None = None,
    settings: Settings | None = None,
    stdin: BinaryIO | None = None,
    on_item: ProgressCallback | None = None,
    feeds: Iterable[str] = (),
    allow_private: bool = False,
    fetch: FetchPolicy | None = None,
    extract: ExtractFn | None = None,
) -> IngestReport:
    """Read, extract and store documents; a document already stored is not processed again.

    Unreadable inputs are recorded as failures and skipped; the rest of the run goes on.
    Paths that are URLs are fetched as pages; ``feeds`` (URLs or files) have their items
    fetched, each item once across runs. ``allow_private`` lets URLs reach loopback and
    private addresses; ``fetch`` sets timeouts, caps and the per-host delay (its
    ``max_bytes`` defaults to the setting); ``extract`` replaces the rule extractor.
    A new text that nearly duplicates a stored one is stored and linked to it.
    """
    from sitrep.collect import Collector, Deduplicator
    from sitrep.ingest.fetch import Fetcher, FetchPolicy, is_url

    if isinstance(paths, str | Path):
        raise TypeError(f"ingest takes a list of paths; wrap the single path: [{paths!r}]")
    settings = settings or Settings.load()
    extract_fn = extract or _default_extract(settings)
    paths = list(paths)
    urls = [p for p in paths if isinstance(p, str) and is_url(p)]
    paths = [p for p in paths if not (isinstance(p, str) and is_url(p))]
    dedup = Deduplicator(store)
    report = IngestReport()
    pending: list[Document] = []
    pending_ids: set[str] = set()

    def flush() -> None:
        for extraction in extract_fn(pending):
            if isinstance(extraction, Failure):
                report.failed.append(extraction)
                store.record_failure(extraction)
                if on_item is not None:
                    on_item(extraction)
                continue
            new, stored, _near = dedup.record(extraction)
            if new:
                report.ingested.append(extraction.document.id)
                report.events += stored
            else:
                report.already_present.append(extraction.document.id)
        pending.clear()
        pending_ids.clear()

    for item in read(paths, published=published, settings=settings, stdin=stdin):
        if isinstance(item, Failure):
            report.failed.append(item)
            store.record_failure(item)
        elif item.id in pending_ids or store.has_document(item.id):
            if item.id in pending_ids:
                flush()  # store the first copy with its events before recording this one
            store.add_document(item)  # records where this copy was seen; stores nothing new
            report.already_present.append(item.id)
        else:
            pending.append(item)
            pending_ids.add(item.id)
            if len(pending) >= settings.batch_size:
                flush()
        if on_item is not None:
            on_item(item)
    flush()
    feeds = list(feeds)
    if urls or feeds:
        policy = fetch or FetchPolicy(max_bytes=settings.max_bytes)
        if allow_private:
            policy = replace(policy, allow_private=True)
        with Fetcher(policy) as fetcher:
            collector = Collector(
                store,
                fetcher=fetcher,
                extract=extract_fn,
                report=report,
                published=published,
                on_item=on_item,
                dedup=dedup,
            )
            for url in urls:
                collector.ingest_url(url)
            for feed in feeds:
                collector.poll(feed)
    if report.ingested:
        report.claims = relink(store, settings=settings).claims
    return report


def _default_extract(settings: Settings) -> ExtractFn:
    """The rule extractor over the configured model, in batches (built on first use)."""

    def run(documents: Sequence[Document]) -> Iterator[Extraction | Failure]:
        return extract_documents(documents, settings=settings)

    return run


def watch(
    config: WatchConfig | str | Path,
    *,
    store: Store | None = None,
    db: str | None = None,
    settings: Settings | None = None,
    once: bool = False,
    stop: Stop | None = None,
    allow_private: bool = False,
    extract: ExtractFn | None = None,
) -> WatchReport:
    """Poll the feeds of a watch config (a ``WatchConfig`` or a YAML path) until stopped.

    The store is ``store``, else the one at ``db``, else the config's ``db``, else the
    setting. Runs until ``stop.request(...)`` is called, or polls every feed once with
    ``once``. Signals are the caller's to handle: wrap the call in
    ``sitrep.watch.stop_on_signals(stop)`` to stop cleanly on SIGINT/SIGTERM.
    """
    from sitrep.watch import WatchConfig, load_config, run_watch

    if not isinstance(config, WatchConfig):
        config = load_config(config)
    if allow_private:
        config = replace(config, fetch=replace(config.fetch, allow_private=True))
    settings = settings or Settings.load()
    extract_fn = extract or _default_extract(settings)

    def relink_claims(target: Store) -> None:
        relink(target, settings=settings)

    if store is not None:
        return run_watch(
            config, store=store, extract=extract_fn, stop=stop, once=once, relink=relink_claims
        )
    with open_store(db or config.db or settings.db, settings=settings) as own:
        return run_watch(
            config, store=own, extract=extract_fn, stop=stop, once=once, relink=relink_claims
        )


def timeline(store: Store, **filters: Any) -> list[TimelineDay]:
    """Events grouped by day (event date, else publication date), oldest first."""
    from sitrep.analysis.timeline import build_timeline

    return build_timeline(store.events(**filters))


def import_gdelt(
    paths: Iterable[str | Path],
    *,
    store: Store,
    on_failure: Callable[[Failure], None] | None = None,
    on_rows: Callable[[int], None] | None = None,
) -> ImportReport:
    """Import GDELT 2.0 Events exports and Mentions files (tab-separated, plain or zipped).

    Events become stored events (status "reported", asserted by the outlet, extractor
    ``source.gdelt_events.v1``); Mentions files, read after every Events file, add the
    mentioning URLs as sightings of the events' documents. Each file is one transaction.
    Bad rows are reported through ``on_failure``, skipped and counted; CAMEO statements and
    appeals (01x, 02x) have no PLOVER category and are counted as skipped. An event already
    stored is not stored again. ``on_rows(n)`` reports progress. Needs no spaCy model.
    Claims are not recomputed here (that takes minutes on a large import): call
    :func:`relink` when the imports are done.
    """
    from sitrep.imports import gdelt_jobs, run_jobs
    from sitrep.ingest.gdelt import ORIGIN

    if isinstance(paths, str | Path):
        raise TypeError(f"import_gdelt takes a list of paths; wrap the single path: [{paths!r}]")
    jobs = gdelt_jobs(paths)
    return run_jobs(jobs, store=store, origin=ORIGIN, on_failure=on_failure, on_rows=on_rows)


def import_acled(
    paths: Iterable[str | Path],
    *,
    store: Store,
    on_failure: Callable[[Failure], None] | None = None,
    on_rows: Callable[[int], None] | None = None,
) -> ImportReport:
    """Import your own ACLED CSV exports (plain or zipped); as :func:`import_gdelt`.

    Events are stored with status "reported", asserted by the sources ACLED cites,
    extractor ``source.acled.v1``, fatalities as a quantity and ACLED's notes as evidence.
    """
    from sitrep.imports import run_jobs
    from sitrep.ingest.acled import ORIGIN, read_acled

    if isinstance(paths, str | Path):
        raise TypeError(f"import_acled takes a list of paths; wrap the single path: [{paths!r}]")
    jobs = [(str(path), lambda p=path: read_acled(p)) for path in paths]
    return run_jobs(jobs, store=store, origin=ORIGIN, on_failure=on_failure, on_rows=on_rows)


def relink(
    store: Store, *, settings: Settings | None = None, similarity: Similarity | None = None
) -> RelinkReport:
    """Recompute every claim from the stored events and replace the stored claims.

    Deterministic: the same events give the same claims whatever order they were ingested
    in. Events are never modified. ``similarity`` defaults to the ``similarity`` setting.
    """
    from sitrep.analysis.claims import LinkOptions, link_claims
    from sitrep.analysis.similarity import load_similarity

    settings = settings or Settings.load()
    similarity = similarity or load_similarity(settings.similarity)
    events = store.events()
    computed, links = link_claims(
        events,
        store.documents(),
        similarity,
        LinkOptions.from_settings(settings),
        store.claims.near_duplicate_links(),
    )
    store.claims.replace(computed)
    return RelinkReport(
        claims=len(computed),
        linked=sum(1 for c in computed if len(c.members) > 1),
        events=len(events),
        links=len(links),
        method=similarity.method,
    )


def claims(store: Store, **filters: Any) -> list[Claim]:
    """Stored claims (filters: actor, type, contested, since, status, limit); see relink."""
    return store.claims.list(**filters)


def claim(store: Store, claim_id: str) -> Claim | None:
    """One stored claim by id (or unique id prefix), with its members; None if unknown."""
    return store.claims.get(claim_id)
