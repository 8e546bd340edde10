"""Find events in a parsed sentence: trigger words from the lexicon and their arguments.

Verbal triggers ("North Korea sent troops to Russia"), light verbs with event nouns
("commenced combat operations", "were thrown into battle") and nominal events ("the deployment
of X to Y", "X's test of Y") each give a ``Frame``: trigger, sources, targets and the tokens
of its clause. Attribution and details are read afterwards from the same tokens.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sitrep.nlp.attribution import agent_of, is_passive, subject_of
from sitrep.nlp.conventions import PloverConventions, future_clause
from sitrep.nlp.frames import (
    ACTOR_ENTS,
    BACKREF_DETS,
    DEFAULT_TARGET_PREPS,
    EVENT_SUBJECTS,
    HELP_VERBS,
    JOINT_TYPES,
    MUNITIONS,
    NON_EVENT_OBJECTS,
    NONSTATE_SECTORS,
    PLACE_TARGET_TYPES,
    PURPOSE_DEPS,
    SKIP_VERB_DEPS,
    SPAN_NOUNS,
    STATE_SECTORS,
    VOICED_TYPES,
    Frame,
    arrival_of_nobody,
    compound_key,
    compounds_of,
    envoys_moved,
    make_frame,
    object_of_own_action,
    own_thing,
    participle_modifier,
    prep_object,
    prune_actors,
    target_prep,
    verb_forms_of,
)

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

    from sitrep.nlp.actors import ActorResolver
    from sitrep.nlp.lexicon import Lexicon, TriggerEntry
    from sitrep.records import Actor

__all__ = ["NONSTATE_SECTORS", "STATE_SECTORS", "EventFinder", "Frame"]


class EventFinder(PloverConventions):
    """Finds event frames in a sentence using the trigger lexicon and the dependency parse."""

    def __init__(self, lexicon: Lexicon, actors: ActorResolver) -> None:
        self.lexicon = lexicon
        self.triggers = lexicon.triggers
        self.actors = actors
        self.verb_forms = verb_forms_of(lexicon)

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
        demanded = [f for f in frames if self._demanded(f)]
        for asked in demanded:  # "refused to deploy troops in Iraq": the refusal is Iraq's
            governor = next((f for f in frames if f.anchor == asked.anchor.head), None)
            if governor is not None and not governor.target:
                own = {a.key for a in governor.source}
                governor.target = [a for a in asked.target if a.key not in own]
        asked_for = {id(f) for f in demanded}  # by identity: frames compare by their fields
        frames = [f for f in frames if id(f) not in asked_for]
        obliged = self._obligations(sent)
        frames = [f for f in frames if f.anchor.i not in {o.trigger.i for o in obliged}]
        frames.extend(obliged)
        for token in sent:
            if token.pos_ in {"NOUN", "PROPN"} and token.i not in consumed:
                frame = self._nominal(token)
                if frame is not None:
                    frames.append(frame)
        for frame in frames:
            frame.source = prune_actors(frame.source)
            frame.target = prune_actors(frame.target)
        self._answer_accusations(frames)
        self._warned_targets(frames)
        frames = [f for f in frames if not object_of_own_action(f, frames)]
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
        # "Kyiv was attacked", but not "two soldiers were killed" (no one named on either side)
        named = any(a.country or a.code != a.sector for a in frame.target)
        return named and (passive or by_event) and not frame.entry.movement

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
            frame = make_frame(noun, entry, verb)
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
        frame = make_frame(verb, entry, verb)
        for rule in entry.by_object:  # "accepted a proposal" (AGREE), not demands (CONCEDE)
            if any(c.dep_ == "dobj" and c.lemma_.lower() in rule.objects for c in verb.children):
                frame.recode(rule)
                break
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
                if self.noun_entry(child) is not None and compound_key(child) in nouns:
                    return child
                for candidate in (*compounds_of(child), child):
                    if self.noun_entry(candidate) is not None:
                        return candidate
                if child.lemma_ == "part":  # "take part in the fighting"
                    for prep in child.children:
                        found = prep_object(prep, {"in"}, nouns)
                        if found is not None:
                            return found
                if child.lemma_.lower() in SPAN_NOUNS:  # "launched ten days of war games"
                    for prep in child.children:
                        found = prep_object(prep, {"of"}, nouns)
                        if found is not None:
                            return found
            if child.dep_ == "prep" and child.lower_ in {"into", "in", "to"}:
                found = prep_object(child, {"into", "in", "to"}, nouns)
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
        passive = is_passive(verb) or participle_modifier(verb)
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
            frame.source = resolve(agent) if agent is not None else self._event_agent(verb)
            frame.target = resolve(subject) if subject is not None else []
        else:
            frame.source = resolve(subject) if subject is not None else []
            for obj in objects:
                if own_thing(obj):
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

    def _event_agent(self, verb: Token) -> list[Actor]:
        """ "was killed in an Israeli strike": with no "by" phrase, the actor of the event
        named in an "in" phrase did it."""
        for prep in (c for c in verb.children if c.dep_ == "prep" and c.lower_ == "in"):
            for noun in (c for c in prep.children if c.dep_ == "pobj"):
                entry = self.noun_entry(noun)
                if entry is None or entry.type not in {"ASSAULT", "COERCE"}:
                    continue
                for child in noun.children:
                    if child.dep_ in {"amod", "compound", "poss", "nmod"} and child.ent_type_:
                        found = self._modifier_actor(child) or self.actors.resolve(child)
                        if found:
                            return found
        return []

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
                if child.dep_ == "prep" and child.lower_ in {"by", "from", "of", "between"}:
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
            if child.dep_ not in {"prep", "dative"} or not target_prep(child, head, preps):
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
        if arrival_of_nobody(frame):
            frame.source = []  # no actor: the frame is dropped
            return
        if envoys_moved(frame):
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
        return nouns.get(compound_key(noun)) or nouns.get(noun.lemma_.lower())

    def _nominal(self, noun: Token) -> Frame | None:
        entry = self.noun_entry(noun)
        if entry is None or entry.light_only:
            return None
        if noun.dep_ == "compound" or (noun.ent_type_ and noun.ent_type_ != ""):
            return None
        frame = make_frame(noun, entry, noun)
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
