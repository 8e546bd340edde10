"""Claim linking as pure functions over hand-built StoredEvents (no spaCy, no model)."""

from __future__ import annotations

import random
from datetime import date
from typing import Any

import pytest

from sitrep.analysis.claims import (
    LinkOptions,
    actor_score,
    claim_id,
    link_claims,
    mergeable,
    prepare,
)
from sitrep.analysis.similarity import LexicalSimilarity
from sitrep.records import (
    Actor,
    Attribution,
    Document,
    Event,
    Evidence,
    Location,
    Quantity,
    Status,
    StoredEvent,
    Weapon,
)

PRK = Actor("North Korea", "North Korea", "PRK", None, "PRK")
PRKMIL = Actor("North Korean troops", "North Korea", "PRK", "MIL", "PRKMIL")
RUS = Actor("Russia", "Russia", "RUS", None, "RUS")
RUSGOV = Actor("the Kremlin", "Russia", "RUS", "GOV", "RUSGOV")
UKRMIL = Actor("Ukrainian forces", "Ukraine", "UKR", "MIL", "UKRMIL")
KORSPY = Actor("the NIS", "South Korea", "KOR", "SPY", "KORSPY")
NATO = Actor("NATO", "NATO", None, "IGO", "NATO")
USAMIL = Actor("the Pentagon", "United States", "USA", "MIL", "USAMIL")
JPNGOV = Actor("Japan", "Japan", "JPN", "GOV", "JPNGOV")
KURSK = Location("Kursk", "Kursk Oblast", "RUS", 51.7, 36.2)
KYIV = Location("Kyiv", "Kyiv", "UKR", 50.45, 30.52)
LISBON = Location("Lisbon", "Lisbon", "PRT", 38.7, -9.1)


def make(
    event_id: int,
    text: str,
    published: date,
    *,
    type: str = "AID",
    source: tuple[Actor, ...] = (PRK,),
    target: tuple[Actor, ...] = (RUS,),
    status: Status = Status.REPORTED,
    asserted_by: tuple[Actor, ...] = (),
    doc: str | None = None,
    start: int = 0,
    **fields: Any,
) -> StoredEvent:
    event = Event(
        type=type,
        source=source,
        target=target,
        evidence=Evidence(text, start, start + len(text)),
        attribution=Attribution(status=status, asserted_by=asserted_by),
        **fields,
    )
    return StoredEvent(
        id=event_id,
        document_id=doc or f"doc{event_id:02d}",
        event=event,
        published=published,
        outlet=f"Outlet {event_id}",
    )


def documents(events: list[StoredEvent], texts: dict[str, str] | None = None) -> list[Document]:
    texts = texts or {}
    seen = {}
    for stored in events:
        doc_id = stored.document_id
        seen[doc_id] = Document(
            id=doc_id,
            text=texts.get(doc_id, f"Story {doc_id}: {stored.event.evidence.text}"),
            outlet=stored.outlet,
            published=stored.published,
        )
    return list(seen.values())


def link(events: list[StoredEvent], texts: dict[str, str] | None = None, **options: Any):
    claims, _ = link_claims(
        events, documents(events, texts), LexicalSimilarity(), LinkOptions(**options)
    )
    return claims


def groups(claims) -> list[set[int]]:
    return sorted(({m.event_id for m in c.members} for c in claims), key=min)


DEPLOYMENT = [
    make(
        1,
        "North Korea has sent about 12,000 troops to Russia, the NIS said.",
        date(2024, 10, 18),
        asserted_by=(KORSPY,),
        quantities=(Quantity("12,000 troops", 12000, "troops"),),
    ),
    make(
        2,
        "The Kremlin denied that North Korea had sent troops to Russia.",
        date(2024, 10, 20),
        status=Status.DENIED,
        asserted_by=(RUSGOV,),
    ),
    make(
        3,
        "NATO confirmed that North Korean troops had been sent to Russia's Kursk region.",
        date(2024, 10, 28),
        source=(PRKMIL,),
        status=Status.CONFIRMED,
        asserted_by=(NATO,),
        location=KURSK,
    ),
    make(
        4,
        "The Pentagon declined to confirm that North Korean troops were sent to Kursk.",
        date(2024, 10, 28),
        source=(PRKMIL,),
        status=Status.UNCONFIRMED,
        asserted_by=(USAMIL,),
        location=KURSK,
    ),
    make(
        5,
        "The Pentagon said North Korea has sent about 10,000 soldiers to Russia.",
        date(2024, 10, 28),
        status=Status.BELIEVED,
        asserted_by=(USAMIL,),
        quantities=(Quantity("10,000 soldiers", 10000, "soldiers"),),
    ),
]


def test_claims_link_reports_of_one_deployment() -> None:
    claims = link(DEPLOYMENT)
    assert groups(claims) == [{1, 2, 3, 4, 5}]
    claim = claims[0]
    assert claim.type == "AID"
    assert [a.key for a in claim.source] == ["PRK"]
    assert [a.key for a in claim.target] == ["RUS"]
    assert claim.status is Status.CONFIRMED
    assert claim.first_seen == date(2024, 10, 18)
    assert claim.last_seen == date(2024, 10, 28)
    assert claim.contested


def test_claims_denial_by_the_accused_is_beside_not_refutation() -> None:
    claim = link(DEPLOYMENT)[0]
    denial = next(o for o in claim.status_history if o.status is Status.DENIED)
    assert denial.party is True
    assert claim.status is Status.CONFIRMED


def test_claims_contradictions_list_both_sides() -> None:
    claim = link(DEPLOYMENT)[0]
    kinds = {(c.kind, c.a.value, c.b.value) for c in claim.contradictions}
    assert ("quantity", 12000, 10000) in kinds
    status = [c for c in claim.contradictions if c.kind == "status"]
    assert {(s.a.value, s.b.value) for s in status} == {("confirmed", "unconfirmed")}
    assert status[0].a.document != status[0].b.document


def test_claims_ids_do_not_depend_on_input_order_or_row_ids() -> None:
    forward = link(DEPLOYMENT)
    shuffled = DEPLOYMENT[:]
    random.Random(3).shuffle(shuffled)
    renumbered = [
        StoredEvent(100 - s.id, s.document_id, s.event, s.published, s.outlet) for s in shuffled
    ]
    backward = link(renumbered)
    assert [c.to_dict() for c in forward] == [c.to_dict() for c in backward]
    assert claim_id(DEPLOYMENT) == claim_id(list(reversed(renumbered)))


def test_claims_two_launches_days_apart_stay_apart_even_through_a_vague_report() -> None:
    icbm = make(
        1,
        "North Korea fired an intercontinental ballistic missile on Thursday.",
        date(2024, 10, 31),
        type="MOBILIZE",
        target=(),
        date=date(2024, 10, 31),
    )
    srbm = make(
        2,
        "North Korea fired short-range ballistic missiles on Tuesday.",
        date(2024, 11, 5),
        type="MOBILIZE",
        target=(),
        date=date(2024, 11, 5),
    )
    vague = make(
        3,
        "North Korea fired ballistic missiles again this week.",
        date(2024, 11, 6),
        type="MOBILIZE",
        target=(),
    )
    claims = link([icbm, srbm, vague])
    assert {1, 2} not in [g & {1, 2} for g in groups(claims)]
    assert not any({1, 2} <= g for g in groups(claims))


def test_claims_undated_report_published_before_a_dated_happening_is_not_about_it() -> None:
    earlier = make(1, "North Korea fired missiles.", date(2024, 10, 31), type="MOBILIZE")
    later = make(
        2, "North Korea fired missiles.", date(2024, 11, 6), type="MOBILIZE", date=date(2024, 11, 6)
    )
    a, b = prepare([earlier, later])
    assert not mergeable(a, b, LinkOptions())
    expected = make(
        3, "North Korea will fire missiles.", date(2024, 10, 31), type="MOBILIZE",
        status=Status.EXPECTED,
    )  # fmt: skip
    c, d = prepare([expected, later])
    assert mergeable(c, d, LinkOptions())


@pytest.mark.parametrize(
    ("first", "second", "score"),
    [
        (((PRK,), (RUS,)), ((PRKMIL,), (RUS,)), 1.0),  # PRKMIL and PRK share the key PRK
        (((PRK,), (RUS,)), ((PRK, RUS), ()), 0.75),  # subset and unknown side
        (((PRK,), (RUS,)), ((RUS,), (PRK,)), None),  # reversed aid is another claim
        (((PRK,), (RUS,)), ((UKRMIL,), ()), None),  # no actor in common
    ],
)
def test_claims_actor_compatibility(first, second, score) -> None:
    a, b = prepare(
        [
            make(1, "x", date(2024, 1, 1), source=first[0], target=first[1]),
            make(2, "x", date(2024, 1, 1), source=second[0], target=second[1]),
        ]
    )
    assert actor_score(a, b) == score


def test_claims_undirected_fighting_matches_with_roles_swapped() -> None:
    a, b = prepare(
        [
            make(1, "x", date(2024, 11, 5), type="ASSAULT", source=(PRKMIL,), target=(UKRMIL,)),
            make(
                2, "x", date(2024, 11, 5), type="ASSAULT", source=(UKRMIL,), target=(PRKMIL,),
                cameo="190",
            ),
        ]
    )  # fmt: skip
    assert actor_score(a, b) == 0.75


@pytest.mark.parametrize(
    ("loc_a", "loc_b", "allowed"),
    [(KURSK, KURSK, True), (KURSK, KYIV, True), (KURSK, LISBON, False), (None, LISBON, True)],
)
def test_claims_places_in_other_countries_only_when_close(loc_a, loc_b, allowed) -> None:
    a, b = prepare(
        [
            make(1, "x", date(2024, 1, 1), location=loc_a),
            make(2, "x", date(2024, 1, 1), location=loc_b),
        ]
    )
    assert mergeable(a, b, LinkOptions(distance_km=600)) is allowed


def test_claims_different_weapon_classes_never_merge() -> None:
    icbm = Weapon("Hwasong-19", "Hwasong-19", "ICBM", "PRK")
    srbm = Weapon("KN-23", "KN-23", "SRBM", "PRK")
    a, b = prepare(
        [
            make(1, "x", date(2024, 1, 1), type="MOBILIZE", weapons=(icbm,)),
            make(2, "x", date(2024, 1, 1), type="MOBILIZE", weapons=(srbm,)),
        ]
    )
    assert not mergeable(a, b, LinkOptions())


def test_claims_window_setting_bounds_links() -> None:
    first = make(1, "North Korea sent troops to Russia.", date(2024, 10, 1))
    second = make(2, "North Korea sent troops to Russia.", date(2024, 10, 20))
    assert groups(link([first, second], window_days=10)) == [{1}, {2}]
    assert groups(link([first, second], window_days=30)) == [{1, 2}]


def test_claims_types_link_within_a_family_only() -> None:
    aid = make(1, "North Korea sent troops to Russia.", date(2024, 10, 1))
    mobilize = make(2, "North Korea sent troops to Russia.", date(2024, 10, 1), type="MOBILIZE")
    threat = make(3, "North Korea sent troops to Russia.", date(2024, 10, 1), type="THREATEN")
    assert groups(link([aid, mobilize, threat])) == [{1, 2}, {3}]


def test_claims_wire_copies_count_as_one_origin() -> None:
    text = "North Korea sent troops to Russia, officials said on Friday."
    events = [make(i, text, date(2024, 10, 18), doc=f"w{i}") for i in (1, 2, 3)]
    events.append(make(4, text, date(2024, 10, 18), doc="own"))
    texts = {f"w{i}": f"Story number {i} about troops.\n\n(Northstar Wire)" for i in (1, 2, 3)}
    texts["own"] = "Our own reporting from the border, by our correspondent."
    claim = link(events, texts)[0]
    assert len(claim.documents) == 4
    assert claim.origins == 2
    assert len({m.origin for m in claim.members if m.document.startswith("w")}) == 1
    assert sorted(a.name for a in claim.asserting_sources) == [f"Outlet {i}" for i in (1, 2, 3, 4)]


def test_claims_members_record_link_score_and_method() -> None:
    claim = link(DEPLOYMENT)[0]
    assert all(m.method == "lexical.v1" and m.score and m.score >= 0.6 for m in claim.members)
    assert claim.linker == "claims.link.v1+lexical.v1"
    alone = link([make(9, "Japan protested.", date(2024, 11, 1), type="PROTEST",
                       source=(JPNGOV,), target=())])[0]  # fmt: skip
    assert alone.members[0].score is None and alone.members[0].method is None


def test_claims_to_dict_is_the_contract_and_round_trips() -> None:
    from sitrep.records import Claim

    claim = link(DEPLOYMENT)[0]
    data = claim.to_dict()
    assert list(data) == [
        "id",
        "type",
        "source",
        "target",
        "location",
        "first_seen",
        "last_seen",
        "status",
        "status_history",
        "origins",
        "asserting_sources",
        "quantities",
        "contradictions",
        "documents",
    ]
    assert Claim.from_dict(claim.detail_dict()) == claim
    assert Claim.from_dict(data).to_dict() == data
