"""Status precedence, quantities and contradictions of one claim."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from sitrep.analysis.claim_status import (
    Observation,
    claim_quantities,
    contradictions,
    current_status,
    observation_status,
    status_history,
    unit_family,
)
from sitrep.records import Actor, Quantity, Status

UKR = Actor("Kyiv", "Ukraine", "UKR", "GOV", "UKRGOV")
USA = Actor("Washington", "United States", "USA", "GOV", "USAGOV")
NATO = Actor("NATO", "NATO", None, "IGO", "NATO")
RUS = Actor("the Kremlin", "Russia", "RUS", "GOV", "RUSGOV")


def obs(n: int, day: int, status: Status, who: Actor | None, *numbers: float) -> Observation:
    return Observation(
        order=(n,),
        event_id=n,
        document=f"d{n}",
        said_on=date(2024, 10, day),
        event_date=None,
        status=status,
        asserted_by=(who,) if who else (),
        asserter_key=who.key if who and who.key else f"outlet:o{n}",
        quantities=tuple(Quantity(f"{v:g} troops", v, "troops") for v in numbers),
    )


def current(*observations: Observation) -> Status:
    return current_status(status_history(observations, frozenset({"PRK", "RUS"})))


@pytest.mark.parametrize(
    ("observations", "expected"),
    [
        # an official confirmation outranks an earlier suspicion, and a later weaker word
        ((obs(1, 1, Status.SUSPECTED, UKR), obs(2, 5, Status.CONFIRMED, NATO),
          obs(3, 9, Status.BELIEVED, USA)), Status.CONFIRMED),
        # an expected event is realised once reported
        ((obs(1, 1, Status.EXPECTED, UKR), obs(2, 5, Status.REPORTED, USA)), Status.REPORTED),
        # "declined to confirm" never overrides a confirmation, however late
        ((obs(1, 1, Status.CONFIRMED, NATO), obs(2, 9, Status.UNCONFIRMED, USA)),
         Status.CONFIRMED),
        # a denial by the accused is recorded beside, not a refutation
        ((obs(1, 1, Status.SUSPECTED, UKR), obs(2, 9, Status.DENIED, RUS)), Status.SUSPECTED),
        # with nothing positive, the latest of denied / unconfirmed
        ((obs(1, 1, Status.UNCONFIRMED, USA), obs(2, 2, Status.DENIED, RUS)), Status.DENIED),
        ((obs(1, 1, Status.DENIED, RUS), obs(2, 2, Status.UNCONFIRMED, USA)), Status.UNCONFIRMED),
        # latest among equals
        ((obs(1, 1, Status.REPORTED, UKR), obs(2, 2, Status.REPORTED, USA)), Status.REPORTED),
    ],
)  # fmt: skip
def test_claim_status_precedence(observations: tuple[Observation, ...], expected: Status) -> None:
    assert current(*observations) is expected


def test_claim_status_history_is_dated_and_marks_parties() -> None:
    history = status_history(
        [obs(2, 9, Status.DENIED, RUS), obs(1, 1, Status.SUSPECTED, UKR)], frozenset({"RUS"})
    )
    assert [(o.date.day, o.status, o.party) for o in history if o.date] == [
        (1, Status.SUSPECTED, False),
        (9, Status.DENIED, True),
    ]


def test_claim_status_negated_report_is_a_denial_but_declining_is_not() -> None:
    assert observation_status(Status.REPORTED, negated=True) is Status.DENIED
    assert observation_status(Status.UNCONFIRMED, negated=True) is Status.UNCONFIRMED
    assert observation_status(Status.REPORTED, negated=False) is Status.REPORTED


def test_claim_status_quantity_contradictions_between_sources_only() -> None:
    found = contradictions(
        [
            obs(1, 1, Status.REPORTED, UKR, 12000),
            obs(2, 2, Status.REPORTED, USA, 3000),
            obs(3, 3, Status.REPORTED, USA, 10000),  # Washington revising itself: no conflict
            obs(4, 4, Status.REPORTED, NATO, 11000),  # within 10% of 12,000 and 10,000
        ]
    )
    pairs = {(c.a.value, c.b.value) for c in found if c.kind == "quantity"}
    assert pairs == {(12000, 3000), (12000, 10000), (3000, 11000)}


def test_claim_status_opposing_statuses_on_the_same_day() -> None:
    found = contradictions(
        [
            obs(1, 28, Status.CONFIRMED, NATO),
            obs(2, 28, Status.UNCONFIRMED, USA),
            obs(3, 29, Status.DENIED, RUS),  # another day: not a same-day conflict
        ]
    )
    assert [(c.kind, c.a.value, c.b.value) for c in found] == [
        ("status", "confirmed", "unconfirmed")
    ]


def test_claim_status_conflicting_event_dates() -> None:
    dated = [
        replace(obs(n, n, Status.REPORTED, who), event_date=date(2024, 10, day))
        for n, who, day in ((1, UKR, 20), (2, USA, 21), (3, NATO, 23))
    ]
    found = [(x.a.value, x.b.value) for x in contradictions(dated) if x.kind == "date"]
    assert found == [("2024-10-20", "2024-10-23"), ("2024-10-21", "2024-10-23")]


def test_claim_status_quantities_once_per_document_and_units() -> None:
    twice = obs(1, 1, Status.REPORTED, UKR, 12000)
    values = claim_quantities([twice, twice, obs(2, 2, Status.REPORTED, USA, 3000)])
    assert [q.value for q in values] == [12000, 3000]
    assert unit_family("soldiers") == unit_family("troops") == unit_family("personnel")
    assert unit_family("missiles") == "missile"
    assert unit_family(None) == ""
