"""Claims in the store: replaced whole by a relink, filtered, read back; events untouched."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from sitrep import api
from sitrep.analysis.similarity import LexicalSimilarity
from sitrep.config import Settings
from sitrep.records import Extraction, Status
from sitrep.store import Store
from tests.store.conftest import EXTRACTOR, KOR, PRK, Corpus

SETTINGS = Settings.load({"similarity": "lexical"}, environ={})


def test_store_claims_relink_stores_every_event_once(store: Store, corpus: Corpus) -> None:
    report = api.relink(store, settings=SETTINGS)
    assert report.events == 5 and report.method == "lexical.v1"
    claims = store.claims.list()
    members = sorted(m.event_id for c in claims for m in c.members)
    assert members == sorted(corpus.ids.values())
    assert store.claims.count() == report.claims == len(claims)


def test_store_claims_read_back_equals_what_was_linked(store: Store, corpus: Corpus) -> None:
    from sitrep.analysis.claims import link_claims

    computed, _ = link_claims(store.events(), store.documents(), LexicalSimilarity())
    store.claims.replace(computed)
    assert store.claims.list() == computed
    assert store.claims.get(computed[0].id) == computed[0]
    assert store.claims.get(computed[0].id[:6]) == computed[0]
    assert store.claims.get("nope") is None


def test_store_claims_relink_replaces_and_keeps_events(
    store: Store, corpus: Corpus, make_document, make_event
) -> None:
    api.relink(store, settings=SETTINGS)
    before = store.events()
    doc = make_document(
        "North Korea fired a missile toward South Korea, officials said.",
        outlet="Other",
        published=date(2024, 1, 10),
    )
    event = make_event(
        "ASSAULT", (PRK,), (KOR,), Status.REPORTED, evidence=corpus.events["e1"].evidence,
        date=date(2024, 1, 9),
    )  # fmt: skip
    store.add_extraction(Extraction(doc, (event,), (), EXTRACTOR))
    api.relink(store, settings=SETTINGS)
    after = {stored.id: stored for stored in store.events()}
    assert all(after[stored.id] == stored for stored in before)
    merged = [c for c in store.claims.list() if len(c.documents) == 2]
    assert len(merged) == 1 and merged[0].type == "ASSAULT"
    assert merged[0].status is Status.CONFIRMED  # U.S. officials confirmed it in Yonhap
    with store._begin() as connection:
        rows = connection.execute(sa.text("SELECT count(*) FROM claim_events")).scalar()
    assert rows == 6


@pytest.mark.parametrize(
    ("filters", "types"),
    [
        ({"actor": "prk"}, {"ASSAULT", "ACCUSE", "THREATEN"}),
        ({"actor": "Red Cross"}, {"AID"}),
        ({"type": "consult"}, {"CONSULT"}),
        ({"since": date(2024, 1, 20)}, {"CONSULT", "ACCUSE"}),
        ({"contested": True}, {"ACCUSE"}),
        ({"status": "expected"}, {"THREATEN"}),
    ],
)
def test_store_claims_filters(store: Store, corpus: Corpus, filters, types) -> None:
    api.relink(store, settings=SETTINGS)
    assert {c.type for c in store.claims.list(**filters)} == types


def test_store_claims_limit_and_order(store: Store, corpus: Corpus) -> None:
    api.relink(store, settings=SETTINGS)
    claims = store.claims.list()
    seen = [c.first_seen for c in claims if c.first_seen]
    assert seen == sorted(seen)
    assert claims[-1].first_seen is None  # the undated document comes last
    assert len(store.claims.list(limit=2)) == 2


def test_store_claims_near_duplicate_links_read_when_present(store: Store, corpus: Corpus) -> None:
    yonhap, reuters = corpus.documents["yonhap"].id, corpus.documents["reuters"].id
    with store._begin() as connection:
        if not sa.inspect(connection).has_table("near_duplicates"):
            assert store.claims.near_duplicate_links() == []
            return
        connection.execute(
            sa.text(
                "INSERT INTO near_duplicates (document_id, duplicate_of, similarity, method,"
                " found_at) VALUES (:a, :b, 0.9, 'test', CURRENT_TIMESTAMP)"
            ),
            {"a": reuters, "b": yonhap},
        )
    assert store.claims.near_duplicate_links() == [(reuters, yonhap)]


def test_store_claims_relink_twice_is_idempotent(store: Store, corpus: Corpus) -> None:
    api.relink(store, settings=SETTINGS)
    first = store.claims.list()
    api.relink(store, settings=SETTINGS)
    assert store.claims.list() == first
    assert store.counts()["events"] == 5
