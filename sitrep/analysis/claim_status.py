"""What the sources say about one claim: status history, current status, numbers, conflicts.

Current status (the precedence rule, also in the README):

1. Each linked event is one observation: (date it was asserted = the document's publication
   date, status, asserted_by, document). A negated report ("X did not send troops") is a
   ``denied`` observation by its asserter.
2. Positive observations rank ``confirmed`` > ``reported`` > ``believed`` > ``suspected`` >
   ``expected``; the current status is the highest rank seen, the latest among equals. So an
   official confirmation outranks an earlier suspicion, and an expected event becomes
   realised once it is reported or confirmed.
3. ``denied`` never refutes: a denial (by the accused party — an asserter that is a source or
   target of the claim — or by anyone else) is recorded in the history beside the positive
   observations and marks the claim contested; it does not change the current status while
   any positive observation exists.
4. ``unconfirmed`` ("declined to confirm", "could not verify") is not a denial and never
   overrides a positive observation.
5. With no positive observation, the current status is the latest of ``denied`` and
   ``unconfirmed`` (``denied`` wins a tie on the same day).

Contradictions (each with both sides and their sources):

- ``quantity``: two numbers of the same unit family (soldiers = troops = personnel …) from
  different asserters differing by more than ``QUANTITY_TOLERANCE`` (10%) of the larger. A
  source revising its own figure is an update, not a contradiction.
- ``status``: a positive (confirmed/reported) and a negative (denied/unconfirmed)
  observation from different asserters asserted on the same day.
- ``date``: two event dates given for the claim more than ``DATE_TOLERANCE_DAYS`` (1) apart.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sitrep.records import (
    Actor,
    ClaimQuantity,
    Contradiction,
    ContradictionSide,
    Quantity,
    Status,
    StatusObservation,
)

QUANTITY_TOLERANCE = 0.10
DATE_TOLERANCE_DAYS = 1
RANK: dict[Status, int] = {
    Status.CONFIRMED: 5,
    Status.REPORTED: 4,
    Status.BELIEVED: 3,
    Status.SUSPECTED: 2,
    Status.EXPECTED: 1,
}
POSITIVE_FOR_CONFLICT = frozenset({Status.CONFIRMED, Status.REPORTED})
NEGATIVE = frozenset({Status.DENIED, Status.UNCONFIRMED})

# Units that count the same thing; any other unit is its own family (singular, lower case).
_TROOP_UNITS = (
    "soldier troop trooper personnel servicemen serviceman men fighter forces force "
    "special-forces commando infantry"
)
UNIT_FAMILIES: dict[str, str] = {unit: "troops" for unit in _TROOP_UNITS.split()}


def unit_family(unit: str | None) -> str:
    """The family a unit belongs to, so "soldiers" and "troops" are compared."""
    if not unit:
        return ""
    word = unit.lower().strip()
    for candidate in (word, word.removesuffix("s"), word.removesuffix("es")):
        if candidate in UNIT_FAMILIES:
            return UNIT_FAMILIES[candidate]
    return word.removesuffix("s")


@dataclass(frozen=True, slots=True)
class Observation:
    """What one linked event contributes to its claim (built by ``analysis.claims``)."""

    order: tuple[object, ...]  # the stable sort key of the event
    event_id: int
    document: str
    said_on: date | None  # publication date, else the event's own date
    event_date: date | None
    status: Status
    asserted_by: tuple[Actor, ...]
    asserter_key: str  # actor keys joined, or "outlet:<name>" for the outlet itself
    quantities: tuple[Quantity, ...]


def observation_status(status: Status, negated: bool) -> Status:
    """A negated plain report is the asserter denying it happened."""
    if negated and status in (Status.CONFIRMED, Status.REPORTED, Status.BELIEVED):
        return Status.DENIED
    return status


def status_history(
    observations: Sequence[Observation], parties: frozenset[str]
) -> tuple[StatusObservation, ...]:
    """Every observation in date order; ``party`` marks assertions by the claim's own actors."""
    history = []
    for obs in sorted(observations, key=lambda o: (o.said_on or date.max, o.order)):
        keys = {a.key for a in obs.asserted_by if a.key}
        history.append(
            StatusObservation(
                date=obs.said_on,
                status=obs.status,
                asserted_by=obs.asserted_by,
                document=obs.document,
                event_id=obs.event_id,
                party=bool(keys & parties),
            )
        )
    return tuple(history)


def current_status(history: Sequence[StatusObservation]) -> Status:
    """The status by the precedence rule in the module docstring."""
    positive = [(i, o) for i, o in enumerate(history) if o.status in RANK]
    if positive:
        _, best = max(positive, key=lambda p: (RANK[p[1].status], p[1].date or date.min, p[0]))
        return best.status
    if not history:
        return Status.REPORTED

    def negative_key(item: tuple[int, StatusObservation]) -> tuple[date, int, int]:
        index, obs = item
        return (obs.date or date.min, obs.status is Status.DENIED, index)

    return max(enumerate(history), key=negative_key)[1].status


def claim_quantities(observations: Sequence[Observation]) -> tuple[ClaimQuantity, ...]:
    """Every number asserted for the claim, once per document, value and unit, by date."""
    seen: set[tuple[str, float | None, str | None]] = set()
    found = []
    for obs in sorted(observations, key=lambda o: (o.said_on or date.max, o.order)):
        for quantity in obs.quantities:
            key = (obs.document, quantity.value, quantity.unit)
            if key in seen or quantity.value is None:
                continue
            seen.add(key)
            found.append(
                (
                    obs.asserter_key,
                    ClaimQuantity(
                        value=quantity.value,
                        unit=quantity.unit,
                        asserted_by=obs.asserted_by,
                        document=obs.document,
                        date=obs.said_on,
                        text=quantity.text,
                    ),
                )
            )
    return tuple(q for _, q in found)


def _side(
    obs: Observation, value: float | str | None, unit: str | None = None
) -> ContradictionSide:
    return ContradictionSide(
        value=value, asserted_by=obs.asserted_by, document=obs.document, date=obs.said_on, unit=unit
    )


def contradictions(observations: Sequence[Observation]) -> tuple[Contradiction, ...]:
    """Quantity, status and date conflicts between sources, each pair listed once."""
    ordered = sorted(observations, key=lambda o: (o.said_on or date.max, o.order))
    found: list[Contradiction] = []
    seen: set[tuple[object, ...]] = set()

    numbers = [(o, q) for o in ordered for q in o.quantities if q.value is not None]
    for i, (obs_a, qa) in enumerate(numbers):
        for obs_b, qb in numbers[i + 1 :]:
            assert qa.value is not None and qb.value is not None
            if obs_a.asserter_key == obs_b.asserter_key:
                continue
            if unit_family(qa.unit) != unit_family(qb.unit):
                continue
            larger = max(abs(qa.value), abs(qb.value))
            if larger == 0 or abs(qa.value - qb.value) <= QUANTITY_TOLERANCE * larger:
                continue
            key = ("quantity", obs_a.asserter_key, qa.value, obs_b.asserter_key, qb.value)
            if key in seen:
                continue
            seen.add(key)
            a, b = _side(obs_a, qa.value, qa.unit), _side(obs_b, qb.value, qb.unit)
            found.append(Contradiction("quantity", a, b))

    for i, obs_a in enumerate(ordered):
        for obs_b in ordered[i + 1 :]:
            if obs_a.said_on is None or obs_a.said_on != obs_b.said_on:
                continue
            if obs_a.asserter_key == obs_b.asserter_key:
                continue
            pair = {obs_a.status, obs_b.status}
            if not (pair & POSITIVE_FOR_CONFLICT and pair & NEGATIVE):
                continue
            key = ("status", obs_a.asserter_key, obs_a.status, obs_b.asserter_key, obs_b.status)
            if key in seen:
                continue
            seen.add(key)
            found.append(
                Contradiction(
                    "status", _side(obs_a, obs_a.status.value), _side(obs_b, obs_b.status.value)
                )
            )

    dated = sorted((o for o in ordered if o.event_date), key=lambda o: (o.event_date, o.order))
    for i, obs_a in enumerate(dated):
        for obs_b in dated[i + 1 :]:
            assert obs_a.event_date is not None and obs_b.event_date is not None
            if (obs_b.event_date - obs_a.event_date).days <= DATE_TOLERANCE_DAYS:
                continue
            key = ("date", obs_a.event_date, obs_b.event_date)
            if key in seen:
                continue
            seen.add(key)
            found.append(
                Contradiction(
                    "date",
                    _side(obs_a, obs_a.event_date.isoformat()),
                    _side(obs_b, obs_b.event_date.isoformat()),
                )
            )
    return tuple(found)
