"""Shared metadata rules: key aliases, text fields and publication dates."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from sitrep.ingest.meta import DateError, FieldError, document_meta, parse_published


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-03-05", date(2024, 3, 5)),
        (" 2024-03-05 ", date(2024, 3, 5)),
        ("2024-03-05T08:30:00Z", date(2024, 3, 5)),
        ("2024-03-05T23:30:00+02:00", date(2024, 3, 5)),
        ("2024-03-05 08:30", date(2024, 3, 5)),
        (date(2024, 3, 5), date(2024, 3, 5)),
        (datetime(2024, 3, 5, 8, 30), date(2024, 3, 5)),
        (None, None),
        ("", None),
        ("  ", None),
    ],
)
def test_parse_published_reads_iso_dates(value: object, expected: date | None) -> None:
    assert parse_published(value) == expected


@pytest.mark.parametrize("value", ["2024-02-31", "5 March 2024", "yesterday", 20240305, ["x"]])
def test_parse_published_rejects_other_values(value: object) -> None:
    with pytest.raises(DateError) as caught:
        parse_published(value)
    assert caught.value.value == value


def test_document_meta_maps_aliases() -> None:
    meta = document_meta(
        {"title": " T ", "publisher": "Wire", "date": "2024-01-02", "author": "A", "url": "u"}
    )
    assert meta == {
        "title": "T",
        "outlet": "Wire",
        "url": "u",
        "author": "A",
        "published": date(2024, 1, 2),
    }


def test_document_meta_prefers_outlet_over_its_aliases() -> None:
    meta = document_meta({"outlet": "Ledger", "source": "Wire", "publisher": "Group"})
    assert meta["outlet"] == "Ledger"


def test_document_meta_leaves_out_published_when_absent() -> None:
    meta = document_meta({"title": ""})
    assert "published" not in meta
    assert meta["title"] is None


def test_document_meta_accepts_numbers_as_text() -> None:
    assert document_meta({"title": 1984})["title"] == "1984"


@pytest.mark.parametrize("value", [["a", "b"], {"k": "v"}, True])
def test_document_meta_rejects_non_text_values(value: object) -> None:
    with pytest.raises(FieldError, match="'author' must be text"):
        document_meta({"author": value})
