"""Claims in the store: replaced as a whole by a relink, read back as ``Claim`` records.

Reached through ``Store.claims``. Claims are computed (``sitrep.analysis.claims``) from the
stored events, which are never modified here: ``replace`` swaps every claim row in one
transaction, so a reader sees either the old claims or the new ones, never a mixture.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from sitrep.records import Claim
from sitrep.store.schema import claim_events, claims, event_actors

Begin = Callable[..., AbstractContextManager[Connection]]

# The near-duplicate links kept by the ingest side (revision 0002_feeds), read only when that
# table exists; described here so this module does not depend on that revision's schema.
_near_duplicates = sa.table(
    "near_duplicates", sa.column("document_id", sa.String), sa.column("duplicate_of", sa.String)
)


def _claim_row(claim: Claim, now: datetime) -> dict[str, Any]:
    return {
        "id": claim.id,
        "type": claim.type,
        "status": claim.status.value,
        "first_seen": claim.first_seen,
        "last_seen": claim.last_seen,
        "origins": claim.origins,
        "documents": len(claim.documents),
        "contested": claim.contested,
        "linker": claim.linker,
        "data": json.dumps(claim.detail_dict(), ensure_ascii=False, sort_keys=True),
        "linked_at": now,
    }


class ClaimStore:
    """Claim rows over the store's transactions."""

    def __init__(self, begin: Begin) -> None:
        self._begin = begin

    def replace(self, computed: Sequence[Claim]) -> int:
        """Replace every stored claim with ``computed``, all or nothing; returns the count."""
        now = datetime.now(UTC)
        member_rows = [
            {
                "claim_id": claim.id,
                "event_id": member.event_id,
                "score": member.score,
                "method": member.method,
            }
            for claim in computed
            for member in claim.members
        ]
        with self._begin(write=True) as connection:
            connection.execute(claim_events.delete())
            connection.execute(claims.delete())
            if computed:
                connection.execute(claims.insert(), [_claim_row(c, now) for c in computed])
            if member_rows:
                connection.execute(claim_events.insert(), member_rows)
        return len(computed)

    def list(
        self,
        *,
        actor: str | None = None,
        type: str | None = None,  # mirrors Claim.type
        contested: bool | None = None,
        since: date | None = None,
        status: str | None = None,
        limit: int | None = None,
    ) -> list[Claim]:
        """Claims matching every filter, oldest first seen first, then by id.

        ``actor`` matches a source or target actor of any member event by code, country or
        name, ignoring case; ``since`` keeps claims still reported on or after that day.
        """
        query = sa.select(claims.c.data)
        if actor is not None:
            wanted = actor.lower()
            query = query.where(
                sa.exists().where(
                    claim_events.c.claim_id == claims.c.id,
                    event_actors.c.event_id == claim_events.c.event_id,
                    event_actors.c.role.in_(("source", "target")),
                    sa.or_(
                        sa.func.lower(event_actors.c.code) == wanted,
                        sa.func.lower(event_actors.c.country) == wanted,
                        sa.func.lower(event_actors.c.name) == wanted,
                    ),
                )
            )
        if type is not None:
            query = query.where(claims.c.type == type.upper())
        if contested is not None:
            query = query.where(claims.c.contested == contested)
        if since is not None:
            query = query.where(claims.c.last_seen >= since)
        if status is not None:
            query = query.where(claims.c.status == status.lower())
        nulls_last = sa.case((claims.c.first_seen.is_(None), 1), else_=0)
        query = query.order_by(nulls_last, claims.c.first_seen, claims.c.id).limit(limit)
        with self._begin() as connection:
            return [
                Claim.from_dict(json.loads(data)) for data in connection.execute(query).scalars()
            ]

    def get(self, claim_id: str) -> Claim | None:
        """The claim with this id, or with this unique id prefix (at least 4 characters)."""
        with self._begin() as connection:
            data = connection.execute(
                sa.select(claims.c.data).where(claims.c.id == claim_id)
            ).scalar()
            if data is None and len(claim_id) >= 4:
                pattern = claim_id.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
                found = list(
                    connection.execute(
                        sa.select(claims.c.data)
                        .where(claims.c.id.like(pattern + "%", escape="\\"))
                        .limit(2)
                    ).scalars()
                )
                data = found[0] if len(found) == 1 else None
        return Claim.from_dict(json.loads(data)) if data is not None else None

    def count(self) -> int:
        with self._begin() as connection:
            return int(connection.execute(sa.select(sa.func.count()).select_from(claims)).scalar())

    def near_duplicate_links(self) -> list[tuple[str, str]]:
        """Near-duplicate document pairs recorded at ingest, if that table exists."""
        with self._begin() as connection:
            if not sa.inspect(connection).has_table("near_duplicates"):
                return []
            query = sa.select(_near_duplicates.c.document_id, _near_duplicates.c.duplicate_of)
            return sorted((str(a), str(b)) for a, b in connection.execute(query))
