"""The cascade picks event sentences cheaply and maps offsets back exactly."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitrep.api import get_extractor
from sitrep.nlp.cascade import Cascade, OffsetMap, inflections
from sitrep.nlp.lexicon import load_lexicon
from sitrep.nlp.pipeline import gazetteer_patterns
from sitrep.records import Document


@pytest.mark.parametrize(
    ("lemma", "form"),
    [
        ("shell", "shelled"),
        ("deploy", "deployed"),
        ("rally", "rallies"),
        ("commit", "committed"),
        ("test-fire", "test-fired"),
        ("seize", "seizing"),
    ],
)
def test_cascade_inflections_cover_regular_forms(lemma: str, form: str) -> None:
    assert form in inflections(lemma)


@pytest.fixture(scope="module")
def cascade() -> Cascade:
    return Cascade(load_lexicon(), "en", gazetteer_patterns())


def test_cascade_selects_event_sentences_and_pronoun_antecedents(cascade: Cascade) -> None:
    text = (
        "The weather in Seoul was mild. Analysts met for coffee. "
        "Russia fought on. It was a long winter. He said nothing new. "
        "Officials sent troops to the border."
    )
    reduction = cascade.reduce(text)
    assert "weather" not in reduction.text
    assert "Russia fought on." in reduction.text
    assert "Officials sent troops" in reduction.text
    # an irregular form ("fought", "sent") is found without a tagger
    assert "Analysts met" in reduction.text


def test_cascade_offsets_map_back_to_the_original(cascade: Cascade) -> None:
    text = "Nothing here. North Korea sent troops to Russia. Calm again. Kyiv shelled Kursk."
    reduction = cascade.reduce(text)
    for sentence in ("North Korea sent troops to Russia.", "Kyiv shelled Kursk."):
        at = reduction.text.index(sentence)
        start = reduction.offsets(at)
        assert text[start : start + len(sentence)] == sentence


def test_cascade_offset_map_identity_when_empty() -> None:
    assert OffsetMap((), ())(42) == 42


def test_cascade_keeps_gazetteer_entities_of_skipped_sentences(cascade: Cascade) -> None:
    reduction = cascade.reduce("Antony Blinken spoke to reporters in Seoul. Nothing happened.")
    assert {e.ent_id_ for e in reduction.skipped_entities} >= {"actor:antony-blinken"}


def test_cascade_finds_the_same_events_as_a_full_parse(articles: Path) -> None:
    full = get_extractor(cascade=False)
    fast = get_extractor(cascade=True)
    documents = [
        Document.from_text((articles / name).read_text(encoding="utf-8"), published="2024-11-12")
        for name in ("kursk_brief.txt", "unrelated.md", "wire_copy.md")
    ]
    for document in documents:
        slow_events = [e.to_dict() for e in full.extract(document).events]
        fast_events = [e.to_dict() for e in fast.extract(document).events]
        assert fast_events == slow_events
