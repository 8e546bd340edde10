"""Full-text search: FTS5 on SQLite, LIKE elsewhere; no query can raise."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from sitrep.records import Document
from sitrep.store import Store, search

TEXTS = {
    "missile": "North Korea fired a ballistic missile. U.S. officials said the launch failed.",
    "air": 'Ukraine said its "air defence" shot down 20 drones over Kyiv overnight.',
    "turkey": "Türkiye's foreign minister met NATO officials in Brussels on Friday.",
    "long": "Filler words come first. " * 20 + "Then the word submarine appears once. "
    "More filler follows. " * 20,
}


@pytest.fixture
def searchable(store: Store, make_document: Callable[..., Document]) -> dict[str, Document]:
    docs = {
        key: make_document(text, title=f"Title {key}", published=date(2024, 1, i + 1))
        for i, (key, text) in enumerate(TEXTS.items())
    }
    docs["titled"] = make_document("Body without the word.", title="Sanctions on Iran")
    for doc in docs.values():
        store.add_document(doc)
    return docs


def _found(store: Store, query: str) -> set[str]:
    return {doc.text for doc, _ in store.search(query)}


@pytest.mark.parametrize(
    ("query", "keys"),
    [
        ("missile", {"missile"}),
        ("MISSILE launch", {"missile"}),
        ("officials", {"missile", "turkey"}),
        ('"air defence"', {"air"}),
        ('"defence air"', set()),
        ("U.S.", {"missile"}),
        ("turkiye", {"turkey"}),  # diacritics folded
        ("submarine", {"long"}),
        ("sanctions", {"titled"}),  # titles are searched too
        ("missile drones", set()),  # every term must match
        ("nothinglikethis", set()),
    ],
)
def test_store_search_finds(
    store: Store, searchable: dict[str, Document], query: str, keys: set[str]
) -> None:
    assert _found(store, query) == {searchable[key].text for key in keys}


@pytest.mark.parametrize(
    "query",
    [
        'he said "no',
        "\"air defence\" AND (drones OR 'kyiv') NOT -- ;",
        "drones*",
        "NEAR(drones kyiv)",
        "kyiv:",
        "^drones",
        "'drones'",
        "drones\\",
        '"""',
        "(((",
        "title:drones",
        "%_",
    ],
)
def test_store_search_punctuation_never_raises(
    store: Store, searchable: dict[str, Document], query: str
) -> None:
    results = store.search(query)
    assert all(isinstance(snippet, str) for _, snippet in results)


@pytest.mark.parametrize("query", ["", "   ", "?!", '""', "-- ;"])
def test_store_search_empty_query_finds_nothing(
    store: Store, searchable: dict[str, Document], query: str
) -> None:
    assert store.search(query) == []


def test_store_search_snippet_marks_the_match(
    store: Store, searchable: dict[str, Document]
) -> None:
    ((doc, snippet),) = store.search("submarine")
    assert doc == searchable["long"]
    assert "[submarine]" in snippet
    assert len(snippet) < len(doc.text)


def test_store_search_limit(store: Store, searchable: dict[str, Document]) -> None:
    assert len(store.search("officials", limit=1)) == 1


def test_store_search_sees_new_documents(
    store: Store, make_document: Callable[..., Document]
) -> None:
    assert store.search("flotilla") == []
    store.add_document(make_document("A flotilla sailed."))
    assert len(store.search("flotilla")) == 1


def test_store_search_like_fallback_matches_fts(
    store: Store, searchable: dict[str, Document]
) -> None:
    # The path other backends use, exercised on SQLite.
    for query in ("missile", "OFFICIALS", "U.S.", "sanctions", "missile drones", "%_", ""):
        like = {doc.id for doc, _ in store._search_like(query, 20)}
        assert like == {doc.id for doc, _ in store.search(query)}, query
    ((_, snippet),) = store._search_like("submarine", 20)
    assert "[submarine]" in snippet
    assert snippet.startswith("…") and snippet.endswith("…")


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("missile", '"missile"'),
        ("North Korea", '"North" AND "Korea"'),
        ('"North Korea" missile', '"North Korea" AND "missile"'),
        ("U.S.", '"U S"'),
        ('say "no', '"say" AND "no"'),
        ("NOT OR AND", '"NOT" AND "OR" AND "AND"'),
        ("?!", None),
    ],
)
def test_store_search_fts5_query(query: str, expected: str | None) -> None:
    assert search.fts5_query(query) == expected


def test_store_search_like_pattern_escapes_wildcards() -> None:
    assert search.like_pattern("a_b%") == "%a\\_b\\%%"
