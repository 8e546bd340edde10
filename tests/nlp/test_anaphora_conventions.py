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


def test_condemning_the_strikes_targets_who_struck() -> None:
    text = (
        "Israeli warplanes struck missile factories in three Iranian provinces on Saturday. "
        "Qatar condemned the strikes as a violation of Iranian sovereignty."
    )
    extraction = extract(text)
    (attack,) = events_of(extraction, "ASSAULT")
    assert {a.country for a in attack.source} == {"ISR"} and keys(attack.target) == ["IRN"]
    (condemnation,) = events_of(extraction, "ACCUSE")
    assert keys(condemnation.source) == ["QAT"]
    assert {a.country for a in condemnation.target} == {"ISR"}


def test_rejecting_the_charge_in_the_next_sentence_answers_the_accuser() -> None:
    text = (
        "Pakistan accused Afghanistan of sheltering militants. "
        "The government in Kabul rejected the charge."
    )
    (rejection,) = events_of(extract(text), "REJECT")
    assert {a.country for a in rejection.source} == {"AFG"} and keys(rejection.target) == ["PAK"]


def test_severing_relations_is_a_sanction_on_the_partner() -> None:
    (event,) = extract("Mali's government severed diplomatic relations with Ukraine.").events
    assert event.type == "SANCTION" and event.cameo == "161"
    assert {a.country for a in event.source} == {"MLI"} and keys(event.target) == ["UKR"]


def test_lodging_a_protest_is_an_official_complaint() -> None:
    (event,) = extract("Serbia lodged an official protest with Albania on Monday.").events
    assert (event.type, event.cameo) == ("ACCUSE", "114") and keys(event.target) == ["ALB"]


def test_preventing_a_demonstration_is_coercion() -> None:
    (event,) = extract("Turkish police prevented a demonstration by students in Sivas.").events
    assert event.type == "COERCE" and {a.country for a in event.source} == {"TUR"}


def test_summoning_an_envoy_is_a_complaint_against_the_envoys_state() -> None:
    (event,) = extract("The Taliban summoned Pakistan's envoy in Kabul to protest.").events
    assert event.type == "ACCUSE" and {a.country for a in event.target} == {"PAK"}


def test_promised_punishment_is_a_threat_but_reported_retaliation_is_not() -> None:
    (threat,) = extract("Zelensky vowed that Russia would be held accountable.").events
    assert threat.type == "THREATEN" and keys(threat.target) == ["RUS"]
    done = extract("Hezbollah said it had struck an Israeli base in retaliation.")
    assert [e.type for e in done.events] == ["ASSAULT"]


def test_participial_clause_takes_the_main_subject() -> None:
    text = "Congo severed diplomatic relations with Rwanda, accusing Kigali of backing rebels."
    (accusation,) = events_of(extract(text), "ACCUSE")
    assert keys(accusation.source) == ["COD"] and {a.country for a in accusation.target} == {"RWA"}


def test_object_control_gives_the_infinitive_its_doer() -> None:
    text = "The deal commits Rwanda to withdraw its forces from eastern Congo within 90 days."
    (retreat,) = events_of(extract(text), "RETREAT")
    assert keys(retreat.source) == ["RWA"] and keys(retreat.target) == ["COD"]


def test_a_trailing_reporting_clause_names_the_asserter() -> None:
    text = (
        "Pakistani jets bombed hideouts in eastern Afghanistan on Sunday, the Taliban "
        "government said, calling the raid a violation of Afghan sovereignty."
    )
    (attack,) = events_of(extract(text), "ASSAULT")
    assert {a.country for a in attack.attribution.asserted_by} == {"AFG"}


def test_measured_event_before_of_is_the_event() -> None:
    text = "French and Egyptian warships launched ten days of war games in the Mediterranean."
    (event,) = extract(text).events
    assert event.type == "COOPERATE" and {a.country for a in event.source} == {"FRA", "EGY"}


def test_a_shipment_with_no_destination_goes_where_the_last_one_went() -> None:
    text = (
        "North Korea has sent more troops to Russia. "
        "Seoul believes Pyongyang is also likely to send more artillery."
    )
    aids = events_of(extract(text), "AID")
    assert [keys(e.target) for e in aids] == [["RUS"], ["RUS"]]
    assert aids[1].status.value == "believed"


def test_forces_remaining_abroad_aid_the_host() -> None:
    (event,) = extract("Russian troops remain in Transnistria.").events
    assert event.type == "AID" and keys(event.target) == ["MDA"]


def test_blamed_for_the_blasts_gives_the_alleged_attack() -> None:
    extraction = extract("Hezbollah blamed Israel for the blasts.")
    (attack,) = events_of(extraction, "ASSAULT")
    assert keys(attack.source) == ["ISR"] and attack.status.value == "suspected"
    assert keys(attack.attribution.asserted_by) == ["HEZBOLLAH"]


def test_a_dateline_with_a_date_is_not_read_as_an_actor() -> None:
    text = "SEOUL, March 12 (Seoul Desk) - North Korea fired several cruise missiles on Tuesday."
    (event,) = extract(text).events
    assert keys(event.source) == ["PRK"]


def test_declaring_a_deal_void_rejects_it() -> None:
    (event,) = extract("Somalia's cabinet declared the port deal null and void.").events
    assert event.type == "REJECT" and {a.country for a in event.source} == {"SOM"}


def test_a_drill_called_a_warning_is_also_a_threat() -> None:
    text = "China staged drills around Taiwan, in what Beijing called a stern warning to Taipei."
    types = sorted(e.type for e in extract(text).events)
    assert types == ["MOBILIZE", "THREATEN"]


def test_refusing_to_attend_talks_is_a_rejection() -> None:
    text = "Sudan's government said it would not attend the ceasefire talks in Geneva."
    (event,) = extract(text).events
    assert event.type == "REJECT" and {a.country for a in event.source} == {"SDN"}


def test_a_list_of_states_read_as_an_apposition_keeps_every_member() -> None:
    (event,) = extract(
        "Mali, Burkina Faso and Niger recalled their ambassadors from Algiers."
    ).events
    assert keys(event.source) == ["BFA", "MLI", "NER"] and {a.country for a in event.target} == {
        "DZA"
    }


def test_accepting_a_proposal_is_agreement_but_accepting_demands_concedes() -> None:
    (agree,) = extract("Denmark accepted a formula for ending the fisheries dispute.").events
    assert agree.type == "AGREE"
    (concede,) = extract("Russia accepted the demands of the strikers.").events
    assert concede.type == "CONCEDE"


def test_a_declaration_demanding_speaks_for_whoever_issued_it() -> None:
    text = "The PKK issued a declaration demanding that the Turkish government free its leader."
    (event,) = events_of(extract(text), "REQUEST")
    assert keys(event.source) == ["PKK"] and {a.country for a in event.target} == {"TUR"}


def test_arrivals_of_forces_aid_the_host_and_of_envoys_are_visits() -> None:
    (aid,) = extract("Two hundred Kenyan police officers arrived in Haiti on Tuesday.").events
    assert aid.type == "AID" and keys(aid.target) == ["HTI"]
    (visit,) = extract("Blinken arrived in Brussels on Tuesday.").events
    assert visit.type == "CONSULT" and keys(visit.target) == ["BEL"]
    assert extract("Ukrainian refugees arrived in Poland on Tuesday.").events == ()


def test_a_refusal_or_threat_is_aimed_at_the_target_of_what_it_refuses_or_threatens() -> None:
    (refusal,) = extract("Pakistan has refused to deploy peacekeepers in Iraq.").events
    assert refusal.type == "REJECT" and keys(refusal.target) == ["IRQ"]
    text = "A French minister threatened to impose import restrictions against German goods."
    (threat,) = extract(text).events
    assert threat.type == "THREATEN" and keys(threat.target) == ["DEU"]
