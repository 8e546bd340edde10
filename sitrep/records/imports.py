"""Records of events imported from coded datasets (GDELT, ACLED)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sitrep.records.core import (
    Document,
    Event,
    Failure,
)


@dataclass(frozen=True, slots=True)
class ImportedEvent:
    """An event read from a coded dataset (GDELT, ACLED) with the document that reports it.

    ``origin`` and ``external_id`` (the dataset's own event id) identify the row, so importing
    the same file twice stores each event once. ``line`` is where it was read, for provenance.
    """

    origin: str  # "gdelt" or "acled"
    external_id: str  # GLOBALEVENTID, event_id_cnty …
    event: Event
    document: Document
    source: str  # the file it was read from
    line: int


@dataclass(frozen=True, slots=True)
class ImportedMention:
    """Another article that mentions an imported event (a GDELT Mentions row)."""

    origin: str
    external_id: str  # the event mentioned
    url: str
    seen_at: datetime | None  # when the dataset saw the mention
    source: str
    line: int


@dataclass(frozen=True, slots=True)
class SkippedRow:
    """A well-formed row deliberately not imported (a CAMEO statement has no PLOVER category)."""

    source: str
    line: int
    reason: str


@dataclass(slots=True)
class ImportReport:
    """Counts of an import run. Skipped rows are well-formed but out of scope, not failures."""

    files: list[str] = field(default_factory=list)
    rows: int = 0  # data rows read, whatever became of them
    imported: int = 0  # events stored by this run
    already_present: int = 0  # events stored by an earlier run (or twice in the input)
    skipped: int = 0
    documents: int = 0  # documents this run stored
    mentions: int = 0  # mention sightings this run stored
    mentions_already_present: int = 0
    mentions_unmatched: int = 0  # mentions of events not in the store
    failed: list[Failure] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failed

    def to_dict(self) -> dict[str, Any]:
        return {
            "files": len(self.files),
            "rows": self.rows,
            "imported": self.imported,
            "already_present": self.already_present,
            "skipped": self.skipped,
            "documents": self.documents,
            "mentions": self.mentions,
            "mentions_already_present": self.mentions_already_present,
            "mentions_unmatched": self.mentions_unmatched,
            "failed": len(self.failed),
            "failures": [f.message() for f in self.failed],
        }
