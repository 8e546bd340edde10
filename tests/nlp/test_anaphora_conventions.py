"""Back-references to named actors and reporting conventions, on sentences written here.

Each case is a construction the extractor used to miss or misread: a description that points
back at an actor ("the group", "the two ministers"), a charge rejected in a trailing clause,
a verdict ("called the pact a threat"), a request ("called on X to"), a reaction drawn from
someone ("drew criticism from"), and a bare body as the speaker ("the army said").
"""

from __future__ import annotations

import sitrep
from sitrep.records import Event, Extraction


def extract(text: str) -> Extraction:
    return sitrep.extract(text, published="2025-03-04")


def events_of(extraction: Extraction, type_: str) -> list[Event]:
    return [e for e in extraction.events if e.type == type_]


def keys(actors) -> list[str | None]:
    return sorted(str(a.key) for a in actors)


def test_the_group_refers_back_to_the_named_armed_group() -> None:
    text = (
        "Israeli officials said Hezbollah launched drones overnight. "
        "The army said the group fired rockets at northern Israel."
    )
    (attack,) = events_of(extract(text), "ASSAULT")
    assert keys(attack.source) == ["HEZBOLLAH"]
    assert keys(attack.target) == ["ISR"]
    # "the army" speaks for the country the sentence names
    assert [a.code for a in attack.attribution.asserted_by] == ["ISRMIL"]


def test_the_two_ministers_are_the_two_named_before() -> None:
    text = (
        "Chinese Foreign Minister Wang Yi met Japan's foreign minister in Beijing on Tuesday. "
        "The two ministers agreed to resume regular security talks."
    )
    (agreement,) = events_of(extract(text), "AGREE")
    assert {a.country for a in agreement.source} == {"CHN", "JPN"}


def test_a_description_without_a_fitting_antecedent_stays_unresolved() -> None:
    text = "Chad and Sudan traded accusations. The group fired rockets at the town on Monday."
    assert events_of(extract(text), "ASSAULT") == []


def test_the_rebels_refers_back_to_the_named_rebel_movement() -> None:
    text = (
        "M23 fighters captured the town of Sake on Friday. "
        "Congo accused Rwanda of sending troops to back the rebels."
    )
    extraction = extract(text)
    (accusation,) = events_of(extraction, "ACCUSE")
    assert keys(accusation.source) == ["COD"] and keys(accusation.target) == ["RWA"]
    (aid,) = events_of(extraction, "AID")
    assert keys(aid.source) == ["RWA"] and keys(aid.target) == ["M23"]
    assert aid.status.value == "suspected"


def test_a_charge_rejected_in_a_trailing_clause_keeps_the_accusation() -> None:
    text = "Armenia accused Azerbaijan of shelling border villages, a charge that Baku rejected."
    extraction = extract(text)
    (accusation,) = events_of(extraction, "ACCUSE")
    assert keys(accusation.source) == ["ARM"] and keys(accusation.target) == ["AZE"]
    (rejection,) = events_of(extraction, "REJECT")
    assert {a.country for a in rejection.source} == {"AZE"}
    assert keys(rejection.target) == ["ARM"]


def test_asking_verb_still_suppresses_what_it_asks_for() -> None:
    extraction = extract("Japan urged China to lift its ban on seafood imports.")
    assert [e.type for e in extraction.events] == ["REQUEST"]


def test_verdict_on_a_pact_is_an_accusation_not_the_pact() -> None:
    extraction = extract("NATO's secretary general called the pact a threat to the alliance.")
    assert [e.type for e in extraction.events] == ["ACCUSE"]
    assert keys(extraction.events[0].source) == ["NATO"]


def test_calling_on_someone_is_a_request_to_them() -> None:
    text = "Lebanon's prime minister called on the UN Security Council to stop the escalation."
    extraction = extract(text)
    assert [e.type for e in extraction.events] == ["REQUEST"]
    assert keys(extraction.events[0].target) == ["UNSC"]


def test_described_as_a_provocation_is_an_accusation() -> None:
    extraction = extract("Beijing described the exercise as a grave provocation.")
    assert [e.type for e in extraction.events] == ["ACCUSE"]


def test_criticism_drawn_from_states_targets_whoever_drew_it() -> None:
    text = "The deployment of Iranian drone instructors to Syria drew criticism from France."
    extraction = extract(text)
    (accusation,) = events_of(extraction, "ACCUSE")
    assert keys(accusation.source) == ["FRA"]
    assert {a.country for a in accusation.target} == {"IRN"}
    (aid,) = events_of(extraction, "AID")
    assert {a.country for a in aid.source} == {"IRN"} and keys(aid.target) == ["SYR"]
