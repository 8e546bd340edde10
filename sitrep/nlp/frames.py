"""Event frames and the word lists and pure helpers the event finder reads them with.

A ``Frame`` is a trigger with its arguments, before attribution and details are attached.
The constants here are closed grammatical classes (prepositions that introduce a target,
dependency labels, nouns that measure an event); the open vocabulary (trigger words and
their PLOVER categories) lives in ``sitrep/data/lexicon/triggers.yaml``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Token

    from sitrep.nlp.lexicon import Lexicon, TriggerEntry, TriggerOverride
    from sitrep.records import Actor

DEFAULT_TARGET_PREPS: dict[str, tuple[str, ...]] = {
    "AGREE": ("with", "to"),
    "CONSULT": ("with",),
    "SUPPORT": ("for", "to"),
    "CONCEDE": ("to",),
    "COOPERATE": ("with",),
    "AID": ("to", "for"),
    "RETREAT": ("from",),
    "REQUEST": ("on",),
    "ACCUSE": ("against", "with"),
    "REJECT": (),
    "THREATEN": ("against",),
    "PROTEST": ("against", "with"),
    "SANCTION": ("on", "against"),
    "MOBILIZE": ("against", "toward", "towards"),
    "COERCE": ("on", "against", "into"),
    "ASSAULT": ("on", "against", "at", "into"),
}
CLAUSE_DEPS = frozenset({"ccomp", "advcl", "relcl", "csubj", "parataxis"})
HELP_VERBS = frozenset({"help", "assist", "support", "aid", "bolster", "reinforce", "back", "join"})
PURPOSE_DEPS = frozenset({"xcomp", "advcl"})
SKIP_VERB_DEPS = frozenset({"amod", "compound", "nmod"})
# Objects whose maker is not the one acted on: "fired North Korean shells at Kyiv".
MUNITIONS = frozenset(
    {
        "shell",
        "missile",
        "rocket",
        "drone",
        "weapon",
        "arm",
        "ammunition",
        "munition",
        "bomb",
        "round",
        "mortar",
        "artillery",
        "gun",
        "tank",
    }
)
PLACE_TARGET_TYPES = frozenset(
    {"RETREAT", "ASSAULT", "COERCE", "MOBILIZE", "AID", "CONSULT", "SANCTION"}
)
EVENT_SUBJECTS = frozenset(
    {
        "bombing",
        "explosion",
        "blast",
        "attack",
        "airstrike",
        "strike",
        "shelling",
        "raid",
        "bomb",
        "mine",
        "rocket",
        "missile",
        "shell",
        "fire",
        "clash",
        "ambush",
        "crash",
    }
)
NONSTATE_SECTORS = frozenset({"CVL", "REB", "OPP", "INS", "CRM"})
STATE_SECTORS = frozenset({"GOV", "MIL", "COP", "SPY", "LEG", "JUD"})
ACTOR_ENTS = frozenset({"NORP", "GPE", "ORG"})
# Measures of an event that stand before it: "ten days of war games", "a wave of strikes".
SPAN_NOUNS = frozenset(
    {
        "day",
        "week",
        "month",
        "round",
        "series",
        "wave",
        "spate",
        "string",
        "number",
        "couple",
        "hour",
        "night",
        "year",
        "campaign",
        "barrage",
        "volley",
    }
)
# Objects that make a giving or offering verb a figure of speech, not an act.
NON_EVENT_OBJECTS = frozenset(
    {
        "indication",
        "sign",
        "detail",
        "reason",
        "comment",
        "information",
        "timeline",
        "timeframe",
        "explanation",
        "account",
        "answer",
        "figure",
        "estimate",
        "impression",
        "thought",
    }
)
# Movement with envoys aboard is a visit; arrivals of forces abroad are aid to the host.
ENVOY_NOUNS = frozenset(
    {"delegation", "envoy", "diplomat", "negotiator", "minister", "representative", "emissary"}
)
ARRIVAL_VERBS = frozenset({"arrive", "land"})
FORCE_SECTORS = frozenset({"MIL", "COP", "REB"})
ENVOY_SECTORS = frozenset({None, "GOV", "IGO", "LEG"})  # a state or its officials
# "the treaty with Pakistan": a partner named inside an agreement is the one acted on.
AGREEMENT_NOUNS = frozenset(
    {
        "treaty",
        "agreement",
        "deal",
        "accord",
        "pact",
        "cooperation",
        "tie",
        "relation",
        "talk",
        "participation",
        "membership",
        "trade",
        "contact",
        "dialogue",
        "partnership",
    }
)
# Nominal events whose participants are the actors of the clause they sit in.
JOINT_TYPES = frozenset({"CONSULT", "COOPERATE", "AGREE"})
# Nominal reactions whose "from" phrase names who voiced them.
VOICED_TYPES = frozenset({"ACCUSE", "PROTEST", "SUPPORT", "REQUEST", "REJECT", "THREATEN"})
BACKREF_DETS = frozenset({"the", "this", "these", "that", "those", "such"})


@dataclass
class Frame:
    """A trigger with its arguments, before attribution and details are attached."""

    trigger: Token
    entry: TriggerEntry
    anchor: Token  # the token whose clause carries status cues (the verb, or the noun)
    source: list[Actor] = field(default_factory=list)
    target: list[Actor] = field(default_factory=list)
    destination: Token | None = None  # movement: where the troops or weapons go
    type: str = ""
    mode: str | None = None
    cameo: str | None = None
    nominal: bool = False

    def recode(self, override: TriggerOverride) -> None:
        self.type, self.mode, self.cameo = override.type, override.mode, override.cameo

    def tokens(self) -> list[Token]:
        """Tokens of the event's own clause: the anchor's subtree without embedded clauses."""
        out: list[Token] = []
        stack = [self.anchor]
        while stack:
            token = stack.pop()
            out.append(token)
            stack.extend(c for c in token.children if c.dep_ not in CLAUSE_DEPS)
        return sorted(out, key=lambda t: t.i)


def verb_forms_of(lexicon: Lexicon) -> dict[str, str]:
    """Surface form -> lemma for every trigger and light verb (regular and irregular)."""
    from sitrep.nlp.cascade import inflections

    triggers = lexicon.triggers
    forms: dict[str, str] = {}
    for lemma in [*triggers.verbs, *triggers.light_verbs]:
        for form in (*inflections(lemma), *triggers.irregular_forms.get(lemma, ())):
            forms.setdefault(form, lemma)
    return forms


def make_frame(trigger: Token, entry: TriggerEntry, anchor: Token) -> Frame:
    return Frame(
        trigger=trigger,
        entry=entry,
        anchor=anchor,
        type=entry.type,
        mode=entry.mode,
        cameo=entry.cameo,
    )


def target_prep(prep: Token, head: Token, preps: tuple[str, ...]) -> bool:
    """A preposition that introduces the target: one of the entry's, "out of" where "from"
    is, or "with" inside an agreement ("suspended the treaty with Pakistan")."""
    word = prep.lower_
    if word in preps:
        return True
    if word == "of" and prep.head.lower_ == "out":
        return "from" in preps
    return word == "with" and prep.head != head and prep.head.lemma_.lower() in AGREEMENT_NOUNS


def envoys_moved(frame: Frame) -> bool:
    """Diplomats rather than forces are moving: the object (or, for "arrive", the subject)
    is an envoy or delegation, or a state official with no military sector."""
    trigger = frame.trigger
    if trigger.lemma_.lower() in ARRIVAL_VERBS:
        return bool(frame.source) and all(a.sector in ENVOY_SECTORS for a in frame.source)
    return any(c.dep_ == "dobj" and c.lemma_.lower() in ENVOY_NOUNS for c in trigger.children)


def arrival_of_nobody(frame: Frame) -> bool:
    """ "Refugees arrived in Poland", "aid arrived in Gaza": arrivals of neither forces nor
    envoys are no political event."""
    if frame.trigger.lemma_.lower() not in ARRIVAL_VERBS:
        return False
    return not all(a.sector in FORCE_SECTORS | ENVOY_SECTORS for a in frame.source)


def own_thing(obj: Token) -> bool:
    """An object the subject owns ("its troops", "their ambassadors") is not acted upon."""
    return any(c.dep_ == "poss" and c.lower_ in {"its", "their", "our"} for c in obj.children)


def participle_modifier(verb: Token) -> bool:
    """ "entities accused of supplying drones": the noun a past participle modifies is acted
    on, as the subject of a passive is."""
    if verb.dep_ == "conj" and verb.head != verb:
        verb = verb.head  # "soldiers killed or wounded"
    return (
        verb.dep_ == "acl"
        and verb.tag_ == "VBN"
        and not any(c.dep_ in {"aux", "nsubj", "nsubjpass"} for c in verb.children)
    )


def object_of_own_action(frame: Frame, frames: list[Frame]) -> bool:
    """ "threatened to reduce its cooperation": an event noun that is the object of the same
    actor's own verb event is part of that event, not a second one."""
    if not frame.nominal or frame.trigger.dep_ != "dobj":
        return False
    keys = {a.key for a in frame.source}
    return any(
        other is not frame
        and not other.nominal
        and other.anchor == frame.trigger.head
        and keys <= {a.key for a in other.source}
        for other in frames
    )


def prune_actors(actors: list[Actor]) -> list[Actor]:
    """Drop sector-only actors ("soldiers") when a named one fills the same role."""
    named = [a for a in actors if a.country or (a.code and a.code != a.sector)]
    return named if named else actors


def compound_key(token: Token) -> str:
    """ "hunger strike", "martial law": the noun with the modifier right before it."""
    before = token.doc[token.i - 1] if token.i > 0 else None
    if before is not None and before.head == token and before.dep_ in {"compound", "amod"}:
        return f"{before.lemma_.lower()} {token.lemma_.lower()}"
    return token.lemma_.lower()


def compounds_of(token: Token) -> list[Token]:
    return [c for c in token.children if c.dep_ == "compound"]


def prep_object(prep: Token, words: set[str], nouns: dict[str, object]) -> Token | None:
    if prep.dep_ != "prep" or prep.lower_ not in words:
        return None
    for pobj in prep.children:
        if pobj.dep_ == "pobj" and (pobj.lemma_.lower() in nouns or compound_key(pobj) in nouns):
            return pobj
    return None
