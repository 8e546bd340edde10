"""Reactions to an event named earlier: whoever did it is the target of the reaction.

"Israeli jets struck sites in Iran. Saudi Arabia and Qatar condemned the strikes." The
condemnation names no actor, only "the strikes"; an analyst codes it against Israel. The same
holds for "rejected the charge" (the accuser), "criticised the decision" and "called the raid
a violation". The rule: a reaction with no target whose object is a definite mention of an
event takes as target the actors of the latest earlier event that mention fits.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sitrep.nlp.frames import BACKREF_DETS

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from spacy.tokens import Token

    from sitrep.nlp.events import Frame
    from sitrep.records import Actor, Event

REACTION_TYPES = frozenset({"ACCUSE", "PROTEST", "REJECT", "SUPPORT", "REQUEST"})
# Nouns that stand for whatever an actor just did: "the decision", "the move".
GENERIC_EVENT_NOUNS = frozenset(
    {
        "decision",
        "move",
        "step",
        "measure",
        "action",
        "incident",
        "incursion",
        "operation",
        "plan",
        "policy",
        "announcement",
        "violation",
        "escalation",
        "provocation",
        "act",
    }
)
# Nouns that stand for an accusation: rejecting one answers the accuser.
CHARGE_NOUNS = frozenset(
    {"charge", "accusation", "allegation", "claim", "assertion", "report", "criticism"}
)


def referred_event(
    frame: Frame,
    history: Sequence[tuple[Frame, Event]],
    event_type: Callable[[Token], str | None],
) -> list[Actor]:
    """The actors a reaction with no target is aimed at, found through its object."""
    if frame.type not in REACTION_TYPES or frame.target or frame.nominal:
        return []
    own = {a.key for a in frame.source}
    for noun in _objects(frame.anchor):
        kind = _kind(noun, event_type)
        if kind is None:
            continue
        # the same word first ("condemned the strikes" after "struck"), then the same kind
        for fits in (_same_word, _fits):
            for earlier, event in reversed(history):
                actors = [a for a in event.source if a.key not in own]
                if actors and fits(kind, noun, earlier):
                    return actors
    return []


def _same_word(kind: str, noun: Token, earlier: Frame) -> bool:
    return kind not in {"charge", "act"} and earlier.trigger.lemma_.lower() == noun.lemma_.lower()


def _kind(noun: Token, event_type: Callable[[Token], str | None]) -> str | None:
    """What a definite object refers back to: a charge, any act, or an event of its name."""
    pronoun = noun.lower_ in {"it", "them"}
    definite = any(c.dep_ == "det" and c.lower_ in BACKREF_DETS for c in noun.children)
    if not (definite or pronoun):
        return None
    lemma = noun.lemma_.lower()
    if lemma in CHARGE_NOUNS:
        return "charge"
    if pronoun or lemma in GENERIC_EVENT_NOUNS:
        return "act"
    return event_type(noun)  # "the raid": an earlier event of the same category


def _fits(kind: str, noun: Token, earlier: Frame) -> bool:
    if kind == "charge":
        return earlier.type == "ACCUSE"
    if kind == "act":
        return earlier.type not in REACTION_TYPES
    return earlier.type == kind


def _objects(anchor: Token) -> list[Token]:
    """The direct objects of the reaction, and the object of "as"/"to" for nouns."""
    return [c for c in anchor.children if c.dep_ in {"dobj", "nsubjpass"}]
