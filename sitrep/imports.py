"""Importing coded datasets: read each file, store its rows, report what happened.

The readers (``sitrep.ingest.gdelt``, ``sitrep.ingest.acled``) turn rows into records and
failures; the store (``Store.importing``) writes them in batches. This module joins the two
for ``sitrep.api.import_gdelt`` and ``import_acled``: one write transaction per file, bad
rows skipped, counted and quarantined in the ``failures`` table, and a file that breaks off
half-way (a corrupt zip) rolled back whole, so an import is never half-written.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import fields
from pathlib import Path
from typing import TYPE_CHECKING

from sitrep.ingest.tabular import FILE_FAILURES
from sitrep.records import Failure, ImportedEvent, ImportedMention, ImportReport, SkippedRow

if TYPE_CHECKING:
    from sitrep.store import Store

__all__ = ["PROGRESS_EVERY", "Job", "gdelt_jobs", "run_jobs"]

PROGRESS_EVERY = 1_000  # rows between progress callbacks
Item = ImportedEvent | ImportedMention | SkippedRow | Failure
Job = tuple[str, Callable[[], Iterator[Item]]]  # a file and how to read it
FailureCallback = Callable[[Failure], None]
RowsCallback = Callable[[int], None]


class _FileFailed(Exception):
    """Raised inside a file's transaction to roll everything from that file back."""

    def __init__(self, failure: Failure) -> None:
        super().__init__(failure.message())
        self.failure = failure


def gdelt_jobs(paths: Iterable[str | Path]) -> list[Job]:
    """GDELT files in the order they must be read: Events exports, then Mentions files.

    Mentions attach to events already stored, so they go last whatever order the user gave.
    A file that is neither kind becomes a job that yields its failure.
    """
    from sitrep.ingest.gdelt import gdelt_kind, read_gdelt

    events: list[Job] = []
    mentions: list[Job] = []
    for path in paths:
        kind = gdelt_kind(path)
        if isinstance(kind, Failure):
            events.append((str(path), lambda found=kind: iter((found,))))
        else:
            job: Job = (str(path), lambda p=path, k=kind: read_gdelt(p, kind=k))
            (mentions if kind == "mentions" else events).append(job)
    return events + mentions


def run_jobs(
    jobs: Iterable[Job],
    *,
    store: Store,
    origin: str,
    on_failure: FailureCallback | None = None,
    on_rows: RowsCallback | None = None,
) -> ImportReport:
    """Read and store each file in its own transaction; return the counts of the run."""
    report = ImportReport()
    for source, read in jobs:
        report.files.append(source)
        counts = ImportReport()
        try:
            with store.importing(origin) as importer:
                for item in read():
                    if isinstance(item, Failure):
                        if item.code in FILE_FAILURES:
                            raise _FileFailed(item)
                        counts.rows += 1
                        counts.failed.append(item)
                        importer.add_failure(item)
                        if on_failure is not None:
                            on_failure(item)
                    else:
                        counts.rows += 1
                        if isinstance(item, ImportedEvent):
                            importer.add_event(item)
                        elif isinstance(item, ImportedMention):
                            importer.add_mention(item)
                        else:
                            counts.skipped += 1
                    if on_rows is not None and counts.rows % PROGRESS_EVERY == 0:
                        on_rows(PROGRESS_EVERY)
                if on_rows is not None:
                    on_rows(counts.rows % PROGRESS_EVERY)
            _add(report, counts)
            _add(report, importer.report)
        except _FileFailed as stop:
            # Nothing from this file was kept; the row failures seen before the stop are
            # still reported (they are true of the file), then the reason it stopped.
            with store.importing(origin) as quarantine:  # recorded once, however many runs
                quarantine.add_failure(stop.failure)
            report.failed += [*counts.failed, stop.failure]
            if on_failure is not None:
                on_failure(stop.failure)
    return report


def _add(total: ImportReport, part: ImportReport) -> None:
    """Add the counts of ``part`` to ``total`` (files are tracked by the caller)."""
    for item in fields(ImportReport):
        if item.name == "files":
            continue
        value = getattr(part, item.name)
        setattr(total, item.name, getattr(total, item.name) + value)
