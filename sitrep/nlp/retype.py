"""Where the lexicon is unsure of an event's type, let the learned classifier choose.

The rules stay in charge. The classifier (``nlp/event_types.py``) is consulted for one frame
only when both hold:

1. its trigger entry lists ``alternatives`` in ``triggers.yaml`` (words with several common
   readings: "launch", "strike", "release", "press", "return", "block" …), and
2. no rule has already recoded it (``frame.type`` is still the entry's own type): a convention
   that fired ("fired rockets *at* Israel" → ASSAULT, protesters "blocked roads" → PROTEST,
   troops moved at home → MOBILIZE) is more specific than any classifier.

It then embeds the event's own clause (the sentence when the clause is very short), and
switches to the most probable alternative only when that alternative's probability beats the
lexicon's reading by ``MARGIN``. It never adds or drops events, only retypes them, and an
event it retyped records it: its ``extractor`` becomes
``extract.events.rules.v1+classify.event_types.minilm-logreg.v1``.

The ``classifier`` setting (``SITREP_CLASSIFIER``): ``auto`` uses the classifier when the
embedding files are installed, ``on`` requires them, ``off`` never loads them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from sitrep.config import CHOICES as SETTING_CHOICES
from sitrep.errors import ConfigError, ErrorCode
from sitrep.nlp.embed import ENABLE_HINT, SentenceEmbedder, embedding_files
from sitrep.nlp.event_types import CLASSIFIER_NAME, TypeModel, load_model

if TYPE_CHECKING:
    from spacy.tokens import Span

    from sitrep.nlp.embed import Embedder
    from sitrep.nlp.events import Frame
    from sitrep.nlp.lexicon import TriggerOverride
    from sitrep.records import Event

CHOICES = SETTING_CHOICES["classifier"]  # auto, on, off
# How far the alternative's probability must beat the lexicon's reading. Chosen on our own
# training data, never on a benchmark: over held-out folds and the (reading, alternative)
# pairs of triggers.yaml, 0.2 switches 45% of sentences the lexicon reads wrongly and 0.3% of
# those it reads rightly (0.1: 68% and 1.3%). The lexicon is right far more often than wrong
# on these words, so breaks weigh more than fixes; `python -m sitrep.nlp.train_event_types`
# prints both rates.
MARGIN = 0.2
MIN_CLAUSE_TOKENS = 6  # shorter clauses ("the strike") say too little; use the sentence


class EventTyper:
    """Retypes frames whose trigger is ambiguous, when the classifier is clearly surer."""

    name = CLASSIFIER_NAME

    def __init__(self, model: TypeModel, embedder: Embedder, *, margin: float = MARGIN) -> None:
        self.model = model
        self.embedder = embedder
        self.margin = margin

    def choose(
        self, text: str, current: str, options: Sequence[TriggerOverride]
    ) -> TriggerOverride | None:
        """The alternative to use instead of ``current`` for this text, or None to keep it."""
        probs = self.model.probabilities(self.embedder.embed(text))
        by_label = dict(zip(self.model.labels, (float(p) for p in probs), strict=True))
        best = max(options, key=lambda o: by_label[o.type])  # first listed wins a tie
        return best if by_label[best.type] >= by_label[current] + self.margin else None

    def retype(self, frames: Sequence[Frame], sent: Span) -> dict[int, str]:
        """Recode the frames the classifier decides, in place.

        Returns ``{trigger token index: this stage's name}`` for the frames it recoded, so the
        caller can note it on their events (also on copies made of a frame later).
        """
        decided: dict[int, str] = {}
        for frame in frames:
            options = frame.entry.alternatives
            if not options or frame.type != frame.entry.type:
                continue
            choice = self.choose(clause_text(frame, sent), frame.type, options)
            if choice is not None:
                frame.recode(choice)
                decided[frame.trigger.i] = self.name
        return decided


def clause_text(frame: Frame, sent: Span) -> str:
    """The text of the event's own clause, from its first to its last token."""
    tokens = frame.tokens()
    if len(tokens) < MIN_CLAUSE_TOKENS:
        return sent.text.strip()
    return sent.doc[tokens[0].i : tokens[-1].i + 1].text


def noted(event: Event, note: str | None) -> Event:
    """The event with the deciding stage appended to its extractor name, when there is one."""
    return replace(event, extractor=f"{event.extractor}+{note}") if note else event


def resolve_choice(choice: str = "auto") -> str:
    """``on`` or ``off``: what the ``classifier`` setting means on this installation.

    Raises ``ConfigError`` for an unknown choice, or for ``on`` without the embedding files
    (the message says what to install).
    """
    choice = (choice or "auto").strip().lower()
    if choice not in CHOICES:
        why = f"choose one of {', '.join(CHOICES)}"
        raise ConfigError(ErrorCode.E002.format(key="classifier", value=choice, why=why))
    if choice == "off":
        return "off"
    if embedding_files() is None:
        if choice == "on":
            why = f"the embedding files are not installed; run: {ENABLE_HINT}"
            raise ConfigError(ErrorCode.E002.format(key="classifier", value=choice, why=why))
        return "off"
    return "on"


def load_event_typer(choice: str = "auto") -> EventTyper | None:
    """The typer the ``classifier`` setting asks for; None when it is off (or auto, not installed).

    Raises ``ConfigError`` as ``resolve_choice`` does, and ``DataFileError`` when the shipped
    weights are stale or missing.
    """
    if resolve_choice(choice) == "off":
        return None
    files = embedding_files()
    if files is None:  # uninstalled between the two calls
        raise ConfigError(ErrorCode.E002.format(key="classifier", value=choice, why=ENABLE_HINT))
    embedder = SentenceEmbedder(files, cache=False, threads=1)
    return EventTyper(load_model(embedder.method), embedder)
