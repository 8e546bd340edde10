"""Timelines: stored events ordered and grouped by the day they happened."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date

from sitrep.records import StoredEvent, TimelineDay


def effective_date(stored: StoredEvent) -> date | None:
    """When an event happened: its own resolved date, else its document's publication date."""
    return stored.event.date or stored.published


def build_timeline(events: Iterable[StoredEvent]) -> list[TimelineDay]:
    """Group events by effective day, oldest first; undated events are left out."""
    days: dict[date, list[StoredEvent]] = defaultdict(list)
    for stored in events:
        day = effective_date(stored)
        if day is not None:
            days[day].append(stored)
    timeline = []
    for day in sorted(days):
        items = tuple(sorted(days[day], key=lambda s: (s.event.type, s.id)))
        dated_by = "event" if all(s.event.date for s in items) else "mixed"
        timeline.append(TimelineDay(day=day, events=items, dated_by=dated_by))
    return timeline
