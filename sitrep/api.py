"""The one public Python API. The CLI (and later the REST API and dashboard) call only this.

Example::

    import sitrep
    result = sitrep.extract("North Korea sent troops to Russia.", published="2024-11-12")
    with sitrep.open_store("sitrep.db") as store:
        report = sitrep.ingest_paths(["articles/"], store=store)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from sitrep.config import Settings
from sitrep.records import Document, Extraction, Failure, IngestReport, TimelineDay

if TYPE_CHECKING:
    from sitrep.nlp.extract import RuleExtractor
    from sitrep.store import Store

ProgressCallback = Callable[[Document | Failure], None]


@lru_cache(maxsize=4)
def get_extractor(models: tuple[str, ...] = ()) -> RuleExtractor:
    """The rule extractor over the first installed model (built once per process)."""
    from sitrep.nlp.extract import RuleExtractor
    from sitrep.nlp.gazetteer import load_gazetteer
    from sitrep.nlp.lexicon import load_lexicon
    from sitrep.nlp.pipeline import build_nlp

    candidates = models or Settings.load().model_candidates()
    return RuleExtractor(build_nlp(candidates), load_lexicon(), load_gazetteer())


def _extractor(settings: Settings | None) -> RuleExtractor:
    settings = settings or Settings.load()
    return get_extractor(settings.model_candidates())


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
) -> IngestReport:
    """Read, extract and store documents; a document already stored is not processed again.

    Unreadable inputs are recorded as failures and skipped; the rest of the run goes on.
    """
    settings = settings or Settings.load()
    report = IngestReport()
    pending: list[Document] = []
    pending_ids: set[str] = set()

    def flush() -> None:
        for extraction in extract_documents(pending, settings=settings):
            if isinstance(extraction, Failure):
                report.failed.append(extraction)
                store.record_failure(extraction)
                if on_item is not None:
                    on_item(extraction)
                continue
            new, stored = store.add_extraction(extraction)
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
    return report


def timeline(store: Store, **filters: Any) -> list[TimelineDay]:
    """Events grouped by day (event date, else publication date), oldest first."""
    from sitrep.analysis.timeline import build_timeline

    return build_timeline(store.events(**filters))
