"""Document metadata shared by every format: which keys count, and how dates are read.

Front matter, JSON records and HTML pages name the same things differently; one place maps
them onto ``Document`` fields so that a title or a date means the same whatever the input.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

# Document field -> the input keys that may carry it, first non-empty wins.
ALIASES: dict[str, tuple[str, ...]] = {
    "title": ("title",),
    "outlet": ("outlet", "source", "publisher"),
    "url": ("url",),
    "author": ("author",),
}
DATE_KEYS: tuple[str, ...] = ("published", "date")


class FieldError(ValueError):
    """A metadata value has a type that cannot stand for text (a list, a mapping …)."""


class DateError(ValueError):
    """A publication date that is present but cannot be read."""

    def __init__(self, value: object) -> None:
        self.value = value
        super().__init__(f"bad date {value!r}")


def parse_published(value: object) -> date | None:
    """An ISO date or date-time (``2024-03-05``, ``2024-03-05T08:30:00Z``) as a date.

    Empty values mean "not given"; anything else that is not an ISO date raises DateError,
    because a silently dropped date would put an event on the wrong day.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        raise DateError(value)
    text = value.strip()
    try:
        return date.fromisoformat(text)
    except ValueError:
        pass
    try:
        return datetime.fromisoformat(text).date()
    except ValueError as exc:
        raise DateError(value) from exc


def text_field(data: Mapping[str, Any], key: str) -> str | None:
    """A string value, stripped; numbers are accepted as text, empty means absent."""
    value = data.get(key)
    if value is None:
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        raise FieldError(f"{key!r} must be text, got {type_name(value)}")
    return value.strip() or None


def document_meta(data: Mapping[str, Any]) -> dict[str, Any]:
    """Pick title, outlet, url, author and published from an input's own metadata.

    Raises FieldError for a value of the wrong kind and DateError for an unreadable date.
    ``published`` is left out when the input gives none, so the caller's default applies.
    """
    meta: dict[str, Any] = {}
    for name, keys in ALIASES.items():
        meta[name] = next((v for k in keys if (v := text_field(data, k)) is not None), None)
    for key in DATE_KEYS:
        published = parse_published(data.get(key))
        if published is not None:
            meta["published"] = published
            break
    return meta


def type_name(value: object) -> str:
    """How a JSON or YAML value is described in messages: 'a list', 'a number' …"""
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, list | tuple):
        return "a list"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if value is None:
        return "null"
    return type(value).__name__
