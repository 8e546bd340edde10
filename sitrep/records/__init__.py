"""The typed records that flow through every stage: defined once, used everywhere.

Stages pass these records, never bare dicts. ``to_dict`` gives the stable JSON shape of the
contracts (``extract --json``, ``claims --json``); ``from_dict`` reads it back.
"""

from sitrep.records.claims import (
    Claim,
    ClaimMember,
    ClaimQuantity,
    Contradiction,
    ContradictionSide,
    RelinkReport,
    StatusObservation,
)
from sitrep.records.core import (
    PLOVER_CATEGORIES,
    Actor,
    ActorSummary,
    Attribution,
    Document,
    Entity,
    Event,
    Evidence,
    Extraction,
    Failure,
    IngestReport,
    Location,
    Quantity,
    Status,
    StoredEvent,
    TimelineDay,
    Weapon,
    document_id,
    normalise_text,
)
from sitrep.records.imports import (
    ImportedEvent,
    ImportedMention,
    ImportReport,
    SkippedRow,
)

__all__ = [
    "PLOVER_CATEGORIES",
    "Actor",
    "ActorSummary",
    "Attribution",
    "Claim",
    "ClaimMember",
    "ClaimQuantity",
    "Contradiction",
    "ContradictionSide",
    "Document",
    "Entity",
    "Event",
    "Evidence",
    "Extraction",
    "Failure",
    "ImportReport",
    "ImportedEvent",
    "ImportedMention",
    "IngestReport",
    "Location",
    "Quantity",
    "RelinkReport",
    "SkippedRow",
    "Status",
    "StatusObservation",
    "StoredEvent",
    "TimelineDay",
    "Weapon",
    "document_id",
    "normalise_text",
]
