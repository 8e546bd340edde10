"""Find events in a parsed sentence: trigger words from the lexicon and their arguments.

Verbal triggers ("North Korea sent troops to Russia"), light verbs with event nouns
("commenced combat operations", "were thrown into battle") and nominal events ("the deployment
of X to Y", "X's test of Y") each give a ``Frame``: trigger, sources, targets and the tokens
of its clause. Attribution and details are read afterwards from the same tokens.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sitrep.nlp.attribution import agent_of, is_passive, subject_of
from sitrep.nlp.conventions import PloverConventions, future_clause

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

    from sitrep.nlp.actors import ActorResolver
    from sitrep.nlp.lexicon import Lexicon, TriggerEntry, TriggerOverride
    from sitrep.records import Actor

DEFAULT_TARGET_PREPS: dict[str, tuple[str, ...]] = {
    "AGREE": ("with",),
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


class EventFinder(PloverConventions):
    """Finds event frames in a sentence using the trigger lexicon and the dependency parse."""

    def __init__(self, lexicon: Lexicon, actors: ActorResolver) -> None:
        self.lexicon = lexicon
        self.triggers = lexicon.triggers
        self.actors = actors
        self.verb_forms = _verb_forms(lexicon)

    def verb_lemma(self, verb: Token) -> str:
        """The lemma, trusting our own inflection table where the lemmatizer slips
        ("staged" -> "stag")."""
        lemma = verb.lemma_.lower()
        if lemma in self.triggers.verbs or lemma in self.triggers.light_verbs:
            return lemma
        return self.verb_forms.get(verb.lower_, lemma)

    def frames(self, sent: Span) -> list[Frame]:
        frames: list[Frame] = []
        consumed: set[int] = set()
        for token in sent:
            copula = token.pos_ == "AUX" and token.dep_ not in {"aux", "auxpass"}
            if copula:  # "North Korean units were in Russia": presence abroad
                frame = self._presence(token)
                if frame is not None:
                    frames.append(frame)
            elif token.pos_ == "VERB" and token.dep_ not in SKIP_VERB_DEPS:
                frame = self._verbal(token, consumed)
                if frame is not None:
                    frames.append(frame)
        frames = [f for f in frames if not self._demanded(f)]
        obliged = self._obligations(sent)
        frames = [f for f in frames if f.anchor.i not in {o.trigger.i for o in obliged}]
        frames.extend(obliged)
        for token in sent:
            if token.pos_ in {"NOUN", "PROPN"} and token.i not in consumed:
                frame = self._nominal(token)
                if frame is not None:
                    frames.append(frame)
        for frame in frames:
            frame.source = _prune(frame.source)
            frame.target = _prune(frame.target)
        self._answer_accusations(frames)
        self._warned_targets(frames)
        frames = [f for f in frames if not _object_of_own_action(f, frames)]
        return [f for f in frames if self._has_actors(f)]

    @staticmethod
    def _has_actors(frame: Frame) -> bool:
        """An event needs its actor; only a passive ("Kyiv was attacked") may name just the
        target, and a target-only frame must be what the entry needs."""
        if frame.entry.needs_target and not frame.target:
            return False
        if frame.source:
            return True
        passive = not frame.nominal and is_passive(frame.anchor)
        # "a roadside bombing killed three soldiers": the doer is an event, not an actor
        subject = None if frame.nominal else subject_of(frame.anchor)
        # "a roadside bombing killed…", but not "the strikes killed…" (said of earlier ones)
        by_event = (
            subject is not None
            and subject.lemma_.lower() in EVENT_SUBJECTS
            and not any(c.dep_ == "det" and c.lower_ in BACKREF_DETS for c in subject.children)
        )
        return bool(frame.target) and (passive or by_event) and not frame.entry.movement

    # -- verbs ----------------------------------------------------------------------------
    def _verbal(self, verb: Token, consumed: set[int]) -> Frame | None:
        lemma = self.verb_lemma(verb)
        verdict = self._verdict(verb) or self._punitive(verb)  # before light verbs
        if verdict is not None:
            return verdict
        noun = self._light_object(verb) if lemma in self.triggers.light_verbs else None
        entry = self.noun_entry(noun) if noun is not None else None
        if noun is not None and entry is not None:
            consumed.update(t.i for t in noun.subtree if t.pos_ == "NOUN")
            frame = _frame(noun, entry, verb)
            self._verb_arguments(frame, verb, light=True)
            self._noun_targets(frame, noun)
            frame = self._conditions(frame)
            reversal = self.triggers.reversals
            called_off = lemma != "call" or any(c.lower_ == "off" for c in verb.children)
            if lemma in reversal.verbs and frame.type in reversal.types and called_off:
                frame.recode(reversal.types[frame.type])
            for rule in (self.triggers.suppressions, self.triggers.complaints):
                if rule is not None and lemma in rule.verbs and frame.type in rule.types:
                    frame.recode(rule.types[frame.type])
                    break
            return frame
        alert = self._on_alert(verb) or self._presence(verb)
        if alert is not None:
            return alert
        entry = self.triggers.verbs.get(lemma)
        if entry is None:
            return None
        if any(c.dep_ == "dobj" and c.lemma_.lower() in NON_EVENT_OBJECTS for c in verb.children):
            return None  # "gave no indication", "offered no details"
        has_object = any(c.dep_ in {"dobj", "nsubjpass"} for c in verb.children)
        if (
            entry.needs_object
            and not has_object
            and not (entry.or_future_clause and future_clause(verb))
        ):
            return None
        if entry.particle and not any(c.lower_ == entry.particle for c in verb.children):
            return None
        if entry.particle_prep and not any(
            c.lower_ in entry.particle_prep.split("|") and c.i == verb.i + 1 for c in verb.children
        ):
            return None
        frame = _frame(verb, entry, verb)
        self._verb_arguments(frame, verb, light=False)
        return self._conditions(frame)

    def _light_object(self, verb: Token) -> Token | None:
        """The event noun a light verb carries: its object, or "part in X", "into battle"."""
        nouns = self.triggers.nouns
        for child in verb.children:
            if child.dep_ in {"dobj", "nsubjpass"} and verb.lemma_ != "be":
                if child.dep_ == "nsubjpass" and not any(
                    p.dep_ == "prep" and p.lower_ in {"into", "in"} for p in verb.children
                ):
                    continue
                if self.noun_entry(child) is not None and _compound_key(child) in nouns:
                    return child
                for candidate in (*_compounds(child), child):
                    if self.noun_entry(candidate) is not None:
                        return candidate
                if child.lemma_ == "part":  # "take part in the fighting"
                    for prep in child.children:
                        found = _prep_object(prep, {"in"}, nouns)
                        if found is not None:
                            return found
                if child.lemma_.lower() in SPAN_NOUNS:  # "launched ten days of war games"
                    for prep in child.children:
                        found = _prep_object(prep, {"of"}, nouns)
                        if found is not None:
                            return found
            if child.dep_ == "prep" and child.lower_ in {"into", "in", "to"}:
                found = _prep_object(child, {"into", "in", "to"}, nouns)
                if found is not None and found.lemma_.lower() in {
                    "combat",
                    "battle",
                    "fighting",
                    "war",
                    "hostility",
                    "action",
                }:
                    return found
        return None

    def _verb_arguments(self, frame: Frame, verb: Token, *, light: bool) -> None:
        entry = frame.entry
        resolve = self.actors.resolve
        subject = subject_of(verb)
        passive = is_passive(verb) or _participle_modifier(verb)
        agent = agent_of(verb)
        objects = [c for c in verb.children if c.dep_ in {"dobj", "dative"}]
        if light or entry.movement:
            if passive:
                theme = subject
                frame.source = resolve(agent) if agent is not None else []
                if not frame.source and theme is not None:
                    frame.source = resolve(theme)
            else:
                frame.source = resolve(subject) if subject is not None else []
                if not frame.source:
                    for obj in objects:
                        frame.source = resolve(obj)
                        if frame.source:
                            break
        elif passive:
            frame.source = resolve(agent) if agent is not None else []
            frame.target = resolve(subject) if subject is not None else []
        else:
            frame.source = resolve(subject) if subject is not None else []
            for obj in objects:
                if _own_thing(obj):
                    continue  # "recalled their ambassadors from Algiers": the source's own
                frame.target.extend(a for a in resolve(obj) if a not in frame.target)
        if entry.particle_prep:
            for child in verb.children:
                if child.dep_ in {"prep", "prt"} and child.lower_ in entry.particle_prep.split("|"):
                    for pobj in (c for c in child.children if c.dep_ == "pobj"):
                        frame.target.extend(resolve(pobj))
        self._prep_targets(frame, verb)
        if not (light or entry.movement or passive or frame.target):
            owned = [
                o for o in objects if o.lemma_.lower() not in MUNITIONS and o.ent_type_ != "WEAPON"
            ]
            frame.target = self._object_owner(owned)
        if entry.movement and not frame.target:
            self._purpose_target(frame, verb)
        self._finish_movement(frame)

    def _object_owner(self, objects: list[Token]) -> list[Actor]:
        """Whose thing the object is: "rejected a Hamas proposal", "attacked Ukraine's grid",
        "welcomed a pledge by South Korea" -> the owner is the target."""
        for obj in objects:
            for child in obj.children:
                if child.dep_ in {"poss", "compound", "amod", "nmod"} and child.ent_type_ in {
                    "GPE",
                    "NORP",
                    "ORG",
                    "PERSON",
                }:
                    found = self._modifier_actor(child)
                    if found:
                        return found
                if child.dep_ == "prep" and child.lower_ in {"by", "from", "of"}:
                    for pobj in (c for c in child.children if c.dep_ == "pobj"):
                        found = self.actors.resolve(pobj)
                        if found:
                            return found
        return []

    def _prep_targets(self, frame: Frame, head: Token) -> None:
        preps = frame.entry.target_preps or DEFAULT_TARGET_PREPS.get(frame.type, ())
        children = list(head.children)
        if head.pos_ in {"VERB", "AUX"}:
            # "fought their first engagements with X", "provide 50 million euros in aid to X":
            # the phrase hangs on the object or a noun inside it
            for obj in (c for c in head.children if c.dep_ == "dobj"):
                children += [c for c in obj.subtree if c.dep_ == "prep" and c.head != head]
        for outward in [c for c in children if c.lower_ == "out" and "from" in preps]:
            children += [c for c in outward.children if c.lower_ == "of"]  # "pulled out of Mali"
        for child in children:
            if child.dep_ not in {"prep", "dative"} or not _target_prep(child, head, preps):
                continue
            for pobj in (c for c in child.children if c.dep_ == "pobj"):
                if frame.entry.movement and child.lower_ in {"to", "into", "in"}:
                    frame.destination = frame.destination or pobj
                actors = self.actors.resolve(pobj) or self._object_owner([pobj])
                if not actors and frame.type in PLACE_TARGET_TYPES:
                    owner = self._place_owner(pobj)  # "withdrew from southern Lebanon"
                    actors = [owner] if owner is not None else []
                frame.target.extend(a for a in actors if a not in frame.target)

    def _purpose_target(self, frame: Frame, verb: Token) -> None:
        """Recipients in purpose clauses: "sent troops to help Russia", "to train in Russia",
        "to take part in Russia's war"."""
        clauses = [c for c in verb.children if c.dep_ in PURPOSE_DEPS]
        clauses += [
            c
            for obj in verb.children
            if obj.dep_ == "dobj"
            for c in obj.children
            if c.dep_ in {"acl", "relcl"}
        ]
        for child in clauses:
            clause = list(child.subtree)
            ranked = (
                [
                    t
                    for t in clause
                    if t.dep_ in {"dobj", "nsubj"}
                    and (t.head.lemma_ in HELP_VERBS or t.head.head.lemma_ in HELP_VERBS)
                ],
                [t for t in clause if t.dep_ == "poss"],
                [
                    t
                    for t in clause
                    if t.dep_ == "pobj" and t.head.lower_ in {"in", "to", "into", "with"}
                ],
            )
            for candidates in ranked:
                for token in candidates:
                    actors = self.actors.resolve(token)
                    if actors:
                        frame.target.extend(actors)
                        frame.destination = frame.destination or token
                        return

    def _finish_movement(self, frame: Frame) -> None:
        """Troops sent abroad aid the host; moved at home (or nowhere named) they mobilise."""
        if not frame.entry.movement:
            return
        source_countries = {a.country for a in frame.source if a.country}
        if frame.destination is not None and not frame.target:
            place_owner = self._place_owner(frame.destination)
            if place_owner is not None:
                frame.target = [place_owner]
        frame.target = [
            a for a in frame.target if not a.country or a.country not in source_countries
        ]
        if _envoys_moved(frame):
            # "sent a delegation to Geneva", "Blinken arrived in Brussels": a visit
            frame.type, frame.mode, frame.cameo = "CONSULT", "visit", "042"
            return
        if not frame.target:
            frame.type, frame.mode, frame.cameo = "MOBILIZE", "troops", "154"

    def _place_owner(self, place: Token) -> Actor | None:
        """The country a destination belongs to: "Russia's Kursk region" -> Russia."""
        for child in place.children:
            if child.dep_ == "poss":
                actors = self.actors.resolve(child)
                if actors:
                    return actors[0]
        from sitrep.nlp.actors import entity_of, noun_phrase
        from sitrep.nlp.places import resolve_place
        from sitrep.records import Actor as ActorRecord

        ent = entity_of(place)
        text = noun_phrase(place).text if ent is None else ent.text
        location = resolve_place(text)
        if location is not None and location.country:
            name = location.country
            return ActorRecord(text=text, name=name, country=location.country, code=name)
        for prep in place.children:  # "the town of Naqoura in southern Lebanon"
            if prep.dep_ == "prep" and prep.lower_ in {"of", "in", "near"}:
                for pobj in (c for c in prep.children if c.dep_ == "pobj"):
                    owner = self._place_owner(pobj)
                    if owner is not None:
                        return owner
        return None

    # -- nouns ----------------------------------------------------------------------------
    def noun_entry(self, noun: Token) -> TriggerEntry | None:
        """The entry for an event noun, preferring a compound ("hunger strike") to its head."""
        nouns = self.triggers.nouns
        return nouns.get(_compound_key(noun)) or nouns.get(noun.lemma_.lower())

    def _nominal(self, noun: Token) -> Frame | None:
        entry = self.noun_entry(noun)
        if entry is None or entry.light_only:
            return None
        if noun.dep_ == "compound" or (noun.ent_type_ and noun.ent_type_ != ""):
            return None
        frame = _frame(noun, entry, noun)
        frame.nominal = True
        resolve = self.actors.resolve
        for child in noun.children:
            if child.dep_ == "poss":
                frame.source.extend(resolve(child))
            elif child.dep_ in {"amod", "compound", "nmod"} and child.ent_type_ in ACTOR_ENTS:
                frame.source.extend(self._modifier_actor(child))
            elif child.dep_ == "prep" and (
                child.lower_ in {"by", "between"}
                or (child.lower_ == "from" and entry.type in VOICED_TYPES)
            ):  # "criticism from France", "calls from Kyiv"
                for pobj in (c for c in child.children if c.dep_ == "pobj"):
                    frame.source.extend(resolve(pobj))
            elif child.dep_ == "prep" and child.lower_ == "of":
                for pobj in (c for c in child.children if c.dep_ == "pobj"):
                    if entry.movement:
                        frame.source.extend(resolve(pobj))
                    elif pobj.ent_type_ != "WEAPON":
                        frame.target.extend(resolve(pobj))
        self._noun_targets(frame, noun)
        self._reaction(frame, noun)
        if frame.type == "REQUEST" and not frame.target:
            for clause in (c for c in noun.children if c.dep_ in {"acl", "ccomp"}):
                subject = subject_of(clause)  # "demand that Israel ease…" -> Israel
                if subject is not None:
                    frame.target = self.actors.resolve(subject)
        self._finish_movement(frame)
        blamed = self._blamed_on(noun) if not frame.source else []
        if not frame.source:
            frame.source = self._claimed_by(noun) or blamed
        if not frame.source and entry.type in JOINT_TYPES:
            frame.source = self._participant(noun)
        if not frame.source:
            return None
        if self._is_backreference(noun) and not blamed:
            return None  # but "blamed Israel for the blasts" names who did them
        return self._conditions(frame)

    @staticmethod
    def _conditions(frame: Frame) -> Frame:
        """Codings that depend on who acts: protesters blocking roads, joint exercises."""
        entry = frame.entry
        if (
            entry.nonstate
            and frame.source
            and all(
                a.sector in NONSTATE_SECTORS
                or (a.country is None and a.sector not in STATE_SECTORS)
                for a in frame.source
            )
        ):
            frame.recode(entry.nonstate)
        # joint: several actors together ("French and Egyptian warships", "drills with
        # the Philippine navy"); drills *around* Taiwan stay a show of force against it
        partnered = any(
            c.dep_ == "prep" and c.lower_ in {"with", "alongside"} for c in frame.trigger.children
        )
        if entry.joint and (len({a.key for a in frame.source}) >= 2 or partnered):
            frame.recode(entry.joint)
        if entry.aimed and frame.target:
            frame.recode(entry.aimed)
        return frame

    def _noun_targets(self, frame: Frame, noun: Token) -> None:
        self._prep_targets(frame, noun)

    def _modifier_actor(self, token: Token) -> list[Actor]:
        from sitrep.nlp.actors import entity_of

        ent = entity_of(token)
        if ent is None:
            return []
        actor = self.actors.from_entity(ent)
        return [actor] if actor is not None else []

    @staticmethod
    def _is_backreference(noun: Token) -> bool:
        """ "responded to the deployment of …": a definite mention inside a prepositional phrase
        of some other clause refers back to an event, it does not report a new one."""
        definite = any(c.dep_ == "det" and c.lower_ in BACKREF_DETS for c in noun.children)
        possessed = any(c.dep_ == "poss" for c in noun.children)
        return definite and not possessed and noun.dep_ == "pobj"


def _verb_forms(lexicon: Lexicon) -> dict[str, str]:
    """Surface form -> lemma for every trigger and light verb (regular and irregular)."""
    from sitrep.nlp.cascade import inflections

    triggers = lexicon.triggers
    forms: dict[str, str] = {}
    for lemma in [*triggers.verbs, *triggers.light_verbs]:
        for form in (*inflections(lemma), *triggers.irregular_forms.get(lemma, ())):
            forms.setdefault(form, lemma)
    return forms


def _frame(trigger: Token, entry: TriggerEntry, anchor: Token) -> Frame:
    return Frame(
        trigger=trigger,
        entry=entry,
        anchor=anchor,
        type=entry.type,
        mode=entry.mode,
        cameo=entry.cameo,
    )


def _target_prep(prep: Token, head: Token, preps: tuple[str, ...]) -> bool:
    """A preposition that introduces the target: one of the entry's, "out of" where "from"
    is, or "with" inside an agreement ("suspended the treaty with Pakistan")."""
    word = prep.lower_
    if word in preps:
        return True
    if word == "of" and prep.head.lower_ == "out":
        return "from" in preps
    return word == "with" and prep.head != head and prep.head.lemma_.lower() in AGREEMENT_NOUNS


def _envoys_moved(frame: Frame) -> bool:
    """Diplomats rather than forces are moving: the object (or, for "arrive", the subject)
    is an envoy or delegation, or a state official with no military sector."""
    trigger = frame.trigger
    if trigger.lemma_.lower() in ARRIVAL_VERBS:
        return bool(frame.source) and all(a.sector not in FORCE_SECTORS for a in frame.source)
    return any(c.dep_ == "dobj" and c.lemma_.lower() in ENVOY_NOUNS for c in trigger.children)


def _own_thing(obj: Token) -> bool:
    """An object the subject owns ("its troops", "their ambassadors") is not acted upon."""
    return any(c.dep_ == "poss" and c.lower_ in {"its", "their", "our"} for c in obj.children)


def _participle_modifier(verb: Token) -> bool:
    """ "entities accused of supplying drones": the noun a past participle modifies is acted
    on, as the subject of a passive is."""
    if verb.dep_ == "conj" and verb.head != verb:
        verb = verb.head  # "soldiers killed or wounded"
    return (
        verb.dep_ == "acl"
        and verb.tag_ == "VBN"
        and not any(c.dep_ in {"aux", "nsubj", "nsubjpass"} for c in verb.children)
    )


def _object_of_own_action(frame: Frame, frames: list[Frame]) -> bool:
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


def _prune(actors: list[Actor]) -> list[Actor]:
    """Drop sector-only actors ("soldiers") when a named one fills the same role."""
    named = [a for a in actors if a.country or (a.code and a.code != a.sector)]
    return named if named else actors


def _compound_key(token: Token) -> str:
    """ "hunger strike", "martial law": the noun with the modifier right before it."""
    before = token.doc[token.i - 1] if token.i > 0 else None
    if before is not None and before.head == token and before.dep_ in {"compound", "amod"}:
        return f"{before.lemma_.lower()} {token.lemma_.lower()}"
    return token.lemma_.lower()


def _compounds(token: Token) -> list[Token]:
    return [c for c in token.children if c.dep_ == "compound"]


def _prep_object(prep: Token, words: set[str], nouns: dict[str, object]) -> Token | None:
    if prep.dep_ != "prep" or prep.lower_ not in words:
        return None
    for pobj in prep.children:
        if pobj.dep_ == "pobj" and (pobj.lemma_.lower() in nouns or _compound_key(pobj) in nouns):
            return pobj
    return None
