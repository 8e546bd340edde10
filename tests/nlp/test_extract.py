"""The rule extractor end to end on sentences and articles written for these tests.

These load the spaCy model once per module. They check behaviour an analyst relies on:
actors with codes, PLOVER types, who asserts what with which status, dates resolved against
the publication date, places, quantities, weapons and evidence offsets.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import sitrep
from sitrep.records import Event, Extraction

PUBLISHED = "2024-11-12"


def extract(text: str, published: str = PUBLISHED) -> Extraction:
    return sitrep.extract(text, published=published)


def only(extraction: Extraction, type_: str) -> Event:
    found = [e for e in extraction.events if e.type == type_]
    assert len(found) == 1, [(e.type, e.trigger) for e in extraction.events]
    return found[0]


def codes(actors) -> list[str | None]:
    return [a.code for a in actors]


def test_extract_deployment_nominal_event_with_destination() -> None:
    text = (
        "The deployment of over 10,000 North Korean soldiers to Russia's Kursk region worries Kyiv."
    )
    event = only(extract(text), "AID")
    assert codes(event.source) == ["PRKMIL"]
    assert codes(event.target) == ["RUS"]
    assert event.status.value == "reported" and event.attribution.asserted_by == ()
    assert event.location is not None and event.location.name == "Kursk Oblast"
    assert event.location.country == "RUS" and event.location.lat == pytest.approx(51.7, abs=1)
    assert [(q.value, q.unit, q.qualifier) for q in event.quantities] == [
        (10000.0, "soldiers", "over")
    ]


def test_extract_confirmed_by_reporting_verb() -> None:
    text = "The State Department confirmed that North Korean troops have begun combat operations."
    event = only(extract(text), "ASSAULT")
    assert codes(event.source) == ["PRKMIL"]
    assert event.status.value == "confirmed"
    assert codes(event.attribution.asserted_by) == ["USAGOV"]


def test_extract_reciprocal_agreement_has_both_sources() -> None:
    # PLOVER codes signing a formal agreement (CAMEO 057) as SUPPORT
    event = only(extract("Russia and North Korea signed a defence treaty on Wednesday."), "SUPPORT")
    assert sorted(codes(event.source)) == ["PRK", "RUS"]
    assert event.target == ()
    assert event.date is not None and event.date.isoformat() == "2024-11-06"
    assert event.date_text == "Wednesday"


def test_extract_suspected_from_expressed_concern() -> None:
    text = (
        "South Korean officials have expressed concern that Russia may be supplying missile "
        "technology to North Korea."
    )
    event = only(extract(text), "AID")
    assert codes(event.source) == ["RUS"] and codes(event.target) == ["PRK"]
    assert event.status.value == "suspected"
    assert codes(event.attribution.asserted_by) == ["KORGOV"]


def test_extract_nominal_test_with_date_and_weapon() -> None:
    text = "North Korea's test of the Hwasong-19 missile on October 31 alarmed its neighbours."
    event = only(extract(text), "MOBILIZE")
    assert codes(event.source) == ["PRK"]
    assert event.date is not None and event.date.isoformat() == "2024-10-31"
    assert [(w.name, w.weapon_class, w.country) for w in event.weapons] == [
        ("Hwasong-19", "ICBM", "PRK")
    ]


def test_extract_expected_meeting_with_organisations_and_place() -> None:
    text = "Antony Blinken is expected to meet NATO and EU counterparts in Brussels."
    event = only(extract(text), "CONSULT")
    assert codes(event.source) == ["USAGOV"]
    assert codes(event.target) == ["NATO", "EU"]
    assert event.status.value == "expected" and event.attribution.asserted_by == ()
    assert event.location is not None and event.location.country == "BEL"


@pytest.mark.parametrize(
    ("text", "status", "asserter"),
    [
        (
            "The Kremlin denied that North Korean troops were fighting in Ukraine.",
            "denied",
            "RUSGOV",
        ),
        (
            "The Pentagon declined to confirm that North Korean troops had entered combat.",
            "unconfirmed",
            "USAMIL",
        ),
        (
            "Ukrainian officials said North Korean troops were fighting in Kursk.",
            "reported",
            "UKRGOV",
        ),
        ("North Korean troops are believed to be fighting in Kursk.", "believed", None),
        ("North Korean troops could soon be fighting in Kursk, Seoul said.", "suspected", "KORGOV"),
        (
            "According to the Pentagon, North Korean troops are fighting in Kursk.",
            "reported",
            "USAMIL",
        ),
    ],
)
def test_extract_attribution_status_and_asserter(
    text: str, status: str, asserter: str | None
) -> None:
    event = only(extract(text), "ASSAULT")
    assert codes(event.source) == ["PRKMIL"]
    assert event.status.value == status
    assert codes(event.attribution.asserted_by) == ([asserter] if asserter else [])


@pytest.mark.parametrize(
    ("text", "type_"),
    [
        ("Iraq said it would allow the return of weapons inspectors.", "AGREE"),
        ("Syria says it will not accept any more refugees.", "REJECT"),
        (
            "Nigeria said that it will withdraw its troops from Chad unless the fighting stops.",
            "THREATEN",
        ),
        ("Putin offered to negotiate with the president of Armenia.", "AGREE"),
    ],
)
def test_extract_intentions_are_coded_as_plover_does(text: str, type_: str) -> None:
    types = [e.type for e in extract(text).events]
    assert types and types[0] == type_, types


def test_extract_outlet_expectation_is_not_an_intention() -> None:
    event = only(extract("Kim Jong Un is expected to visit Moscow next month."), "CONSULT")
    assert event.status.value == "expected"


def test_extract_reversal_light_verb() -> None:
    text = "Serbia lifted a night curfew in Montenegro on Sunday."
    assert [e.type for e in extract(text).events] == ["CONCEDE"]


def test_extract_nonstate_actors_blocking_roads_protest() -> None:
    text = "Thousands of protesters blocked roads in Algiers on Monday."
    assert [e.type for e in extract(text).events] == ["PROTEST"]


def test_extract_status_cue_must_govern_the_event_clause() -> None:
    text = "North Korea launched a suspected ICBM on Thursday."
    event = only(extract(text), "MOBILIZE")
    assert event.status.value == "reported"


def test_extract_negation() -> None:
    event = only(extract("The United States did not send troops to Ukraine."), "AID")
    assert event.attribution.negated
    assert codes(event.source) == ["USA"] and codes(event.target) == ["UKR"]


def test_extract_passive_light_verb_keeps_the_fighters_as_source() -> None:
    text = "Officials in Kyiv said North Korean troops were thrown into battle last week."
    event = only(extract(text), "ASSAULT")
    assert codes(event.source) == ["PRKMIL"]
    assert event.date is not None and event.date.isoformat() == "2024-11-05"


def test_extract_titled_unknown_person_resolves_by_nationality() -> None:
    text = "The Hungarian foreign minister criticised the European Union on Monday."
    event = only(extract(text), "ACCUSE")
    assert [(a.country, a.sector) for a in event.source] == [("HUN", "GOV")]
    assert codes(event.target) == ["EU"]


def test_extract_surname_and_pronoun_refer_back() -> None:
    text = (
        "White House spokesman John Kirby spoke on Monday. Kirby said Washington condemned "
        "the launch. He urged Pyongyang to return to talks."
    )
    result = extract(text)
    accuse = only(result, "ACCUSE")
    assert codes(accuse.attribution.asserted_by) == ["USAGOV"]
    request = only(result, "REQUEST")
    assert codes(request.source) == ["USAGOV"] and codes(request.target) == ["PRKGOV"]


def test_extract_no_event_in_background_sentences() -> None:
    text = (
        "The situation remains fluid. Analysts say the region faces a difficult winter. "
        "The international community responded with concern to the deployment of troops."
    )
    assert extract(text).events == ()


def test_extract_evidence_offsets_point_into_the_text(articles: Path) -> None:
    text = (articles / "kursk_brief.txt").read_text(encoding="utf-8")
    result = extract(text)
    assert len(result.events) >= 6
    for event in result.events:
        span = event.evidence
        assert text[span.start : span.end] == span.text
        assert event.extractor == "extract.events.rules.v1"
    labels = {e.label for e in result.entities}
    assert {"GPE", "NORP", "WEAPON"} <= labels
    assert all(text[e.start : e.end] == e.text for e in result.entities)


def test_extract_kursk_brief_finds_the_main_claims(articles: Path) -> None:
    text = (articles / "kursk_brief.txt").read_text(encoding="utf-8")
    events = extract(text).events
    summary = {
        (
            e.type,
            tuple(sorted(str(a.key) for a in e.source)),
            tuple(sorted(str(a.key) for a in e.target)),
            e.status.value,
        )
        for e in events
    }
    assert ("AID", ("PRK",), ("RUS",), "reported") in summary
    assert ("ASSAULT", ("PRK",), (), "confirmed") in summary
    assert ("SUPPORT", ("PRK", "RUS"), (), "reported") in summary
    assert ("AID", ("RUS",), ("PRK",), "suspected") in summary
    assert ("MOBILIZE", ("PRK",), (), "reported") in summary
    assert ("CONSULT", ("NATO",), ("JPN", "KOR"), "expected") in summary
    assert ("ASSAULT", ("PRK",), (), "denied") in summary


def test_extract_unrelated_story_is_coded_too(articles: Path) -> None:
    docs = list(sitrep.api.read([articles / "unrelated.md"]))
    result = sitrep.extract_document(docs[0])
    types = {e.type for e in result.events}
    assert "REJECT" in types or "ACCUSE" in types
    assert any(a.country == "CHN" for e in result.events for a in e.source)


@pytest.mark.issue(2)
def test_extract_possessive_pronoun_inside_its_own_subject_does_not_loop() -> None:
    text = (
        "Rutte confirmed that North Korean troops had been sent to Russia and that some of "
        "their units had been deployed to the Kursk region."
    )
    result = extract(text)
    assert any(e.type == "AID" and codes(e.target) == ["RUS"] for e in result.events)


@pytest.mark.parametrize(
    "text",
    [
        "Washington was not in a position to confirm that North Korean troops had entered combat.",
        "The Kremlin has neither confirmed nor denied that North Korean troops are fighting.",
    ],
)
def test_extract_non_assertions_are_unconfirmed(text: str) -> None:
    event = only(extract(text), "ASSAULT")
    assert event.status.value == "unconfirmed"
    assert event.attribution.asserted_by and event.attribution.asserted_by[0].country in {
        "USA",
        "RUS",
    }


def test_extract_target_in_a_phrase_on_the_object() -> None:
    text = "Ukrainian troops have fought their first engagements with North Korean soldiers."
    event = only(extract(text), "ASSAULT")
    assert codes(event.source) == ["UKRMIL"] and codes(event.target) == ["PRKMIL"]


def test_extract_evidence_never_spans_two_sentences_of_the_original(articles: Path) -> None:
    text = (
        "The weather was mild. A spokesman said Washington could not confirm that North Korean "
        "troops had entered combat. The markets were calm. Kyiv said its forces killed North "
        "Korean soldiers near Sudzha."
    )
    for event in extract(text).events:
        assert event.evidence.text.count(".") == 1, event.evidence.text


def test_extract_accused_of_gerund_gives_the_accused_as_doer() -> None:
    text = "Sudan's army accused the Rapid Support Forces of killing more than 100 civilians."
    killing = only(extract(text), "ASSAULT")
    assert codes(killing.source) == ["RSF"]
    assert killing.status.value == "suspected"
    assert [a.country for a in killing.attribution.asserted_by] == ["SDN"]


def test_extract_weapons_fired_at_a_target_are_an_assault() -> None:
    event = only(extract("Hezbollah fired dozens of rockets at northern Israel."), "ASSAULT")
    assert codes(event.target) == ["ISR"]
    assert [(q.unit, q.value) for q in event.quantities] == [("rockets", 24.0)]


def test_extract_claimed_responsibility_names_the_attacker() -> None:
    text = "The Houthis claimed responsibility for a drone attack on a ship in the Red Sea."
    assert codes(only(extract(text), "ASSAULT").source) == ["HOUTHIS"]


def test_extract_titled_appositive_keeps_the_office_holder_country() -> None:
    text = "Lebanon's prime minister, Najib Mikati, condemned the strikes."
    assert [a.country for a in only(extract(text), "ACCUSE").source] == ["LBN"]


@pytest.mark.parametrize(
    "text",
    [
        "SEOUL (Northstar Wire) - North Korea fired a ballistic missile into the sea on Tuesday.",
        "KYIV, Ukraine \u2014 North Korea fired a ballistic missile into the sea on Tuesday.",
    ],
)
def test_extract_dateline_place_is_not_the_actor(text: str) -> None:
    event = only(extract(text), "MOBILIZE")
    assert codes(event.source) == ["PRK"]
    assert event.evidence.text.startswith("North Korea fired")


def test_extract_named_spokesperson_is_not_given_the_events_country() -> None:
    text = (
        "Spokesman Vedant Patel said North Korean soldiers were fighting alongside Russian units."
    )
    event = only(extract(text), "ASSAULT")
    assert all(a.country != "PRK" for a in event.attribution.asserted_by)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Israeli troops remained on alert in the West Bank on Monday.", [("MOBILIZE", "ISRMIL")]),
        ("Japan urged China to lift its ban on seafood imports.", [("REQUEST", "JPN")]),
        ("Hamas refused to disarm.", [("REJECT", "HAMAS")]),
        ("British officials said Libya must hand over the suspects.", [("REQUEST", "GBRGOV")]),
        (
            "Thousands of students in Jakarta staged mass demonstrations on Saturday.",
            [("PROTEST", "IDNCVL")],
        ),
        (
            "Nicaragua's government ordered the newspaper to suspend publication.",
            [("COERCE", "NICGOV")],
        ),
        (
            "Al-Qaeda has threatened to deliver devastating blows to the United States.",
            [("THREATEN", "ALQAEDA")],
        ),
    ],
)
def test_extract_plover_conventions(text: str, expected: list[tuple[str, str]]) -> None:
    events = extract(text).events
    assert [(e.type, e.source[0].code if e.source else None) for e in events] == expected


def test_extract_generic_body_of_a_named_place_gets_its_country() -> None:
    text = "The Kano State government banned street protests on Monday."
    event = only(extract(text), "COERCE")
    assert [a.country for a in event.source] == ["NGA"]


def test_extract_strike_on_a_place_in_another_country_targets_it() -> None:
    text = "India said it struck nine sites in Pakistan and Pakistan-administered Kashmir."
    event = only(extract(text), "ASSAULT")
    assert codes(event.source) == ["IND"] and codes(event.target) == ["PAK"]


def test_extract_drills_around_a_country_are_not_joint() -> None:
    text = "China's military staged large-scale drills around Taiwan on Monday."
    assert only(extract(text), "MOBILIZE").type == "MOBILIZE"
