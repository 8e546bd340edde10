"""PLOVER coding conventions layered on the event finder.

Each method here turns a construction into the category PLOVER gives it, or keeps an event
from being reported that the sentence does not assert: obligations voiced by others are
REQUESTs, actions asked for or refused are not events, verdicts are accusations or praise,
alert postures are MOBILIZE, a claim of responsibility names the attacker.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sitrep.nlp.attribution import subject_of
from sitrep.nlp.backrefs import CHARGE_NOUNS
from sitrep.nlp.frames import make_frame

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

    from sitrep.nlp.events import Frame
    from sitrep.records import Actor

# Verbs whose complement is asked for, refused or imposed rather than done.
DEMANDING_TYPES = frozenset({"REQUEST", "REJECT", "COERCE"})
VERDICT_CAMEO = {"ACCUSE": "111", "SUPPORT": "051", "REJECT": "120", "THREATEN": "130"}
PRESENCE_VERBS = frozenset({"be", "remain", "stay"})
# Verbs by which something provokes a reaction: "drew criticism from", "sparked protests".
REACTION_VERBS = frozenset(
    {"draw", "attract", "prompt", "provoke", "spark", "trigger", "face", "receive", "earn"}
)


class PloverConventions:
    """Mixin for ``EventFinder``: uses its lexicon, actor resolver and frame helpers."""

    def _demanded(self, frame: Frame) -> bool:
        """ "Japan urged China to lift its ban", "Hamas refused to disarm", "demanded their
        release": the embedded action is asked for or refused, not reported as done."""
        anchor = frame.anchor
        governor = anchor.head
        if governor == anchor or anchor.i < governor.i:
            # what is asked for follows the asking verb; a clause before it is reported
            # ("Congo accused Rwanda…, a charge Kigali rejected")
            return False
        if anchor.dep_ in {"xcomp", "ccomp", "dobj"} and governor.pos_ == "VERB":
            entry = self.triggers.verbs.get(self.verb_lemma(governor))
            return entry is not None and entry.type in DEMANDING_TYPES
        if anchor.dep_ in {"acl", "ccomp"} and governor.pos_ == "NOUN":
            entry = self.noun_entry(governor)  # "its demand that Israel ease restrictions"
            return entry is not None and entry.type == "REQUEST"
        return False

    def _obligations(self, sent: Span) -> list[Frame]:
        """ "Britain said Libya must hand over the suspects" -> REQUEST GBR -> LBY."""
        obligation = self.triggers.obligation
        reporting = self.lexicon.attribution.reporting_verbs
        found = []
        # from each modal to its verb: one pass over the tokens, not one per verb's children
        verbs = [t.head for t in sent if t.dep_ == "aux" and t.lower_ in obligation.modals]
        for verb in verbs:
            governor = verb.head
            if verb.dep_ not in {"ccomp", "conj"} or governor.lemma_.lower() not in reporting:
                continue
            speaker = subject_of(governor)
            subject = subject_of(verb)
            if speaker is None or subject is None:
                continue
            frame = make_frame(verb, obligation.entry, governor)
            frame.source = self.actors.resolve(speaker)
            frame.target = self.actors.resolve(subject)
            if frame.source and frame.target:
                found.append(frame)
        return found

    def _on_alert(self, verb: Token) -> Frame | None:
        """ "Troops remained on alert", "placed its forces on high alert" -> MOBILIZE."""
        for prep in verb.children:
            if prep.dep_ != "prep" or prep.lower_ != "on":
                continue
            for pobj in prep.children:
                entry = self.triggers.nouns.get(pobj.lemma_.lower())
                if pobj.dep_ == "pobj" and pobj.lemma_.lower() in {"alert", "standby"} and entry:
                    frame = make_frame(pobj, entry, verb)
                    self._verb_arguments(frame, verb, light=True)
                    return frame if frame.source else None
        return None

    def _verdict(self, verb: Token) -> Frame | None:
        """ "NATO called the pact a threat" -> ACCUSE; "hailed it a milestone" -> SUPPORT."""
        verdicts = self.triggers.verdicts
        if verdicts is None or verb.lemma_.lower() not in verdicts.verbs:
            return None
        if not any(c.dep_ == "dobj" for c in verb.children) or any(
            c.dep_ == "prep" and c.lower_ in {"on", "upon", "for"} for c in verb.children
        ):
            return None  # "called on the Council to stop the escalation" is a request
        words = {
            t.lemma_.lower()
            for c in verb.children
            if c.dep_ in {"oprd", "xcomp", "acomp", "attr", "ccomp"}
            or (c.dep_ == "prep" and c.lower_ == "as")  # "described the drills as a threat"
            for t in c.subtree
        }
        for obj in (c for c in verb.children if c.dep_ == "dobj"):
            # "declared the deal null and void", parsed with "null" as the object
            heads = {obj.lemma_.lower(), *(c.lemma_.lower() for c in obj.conjuncts)}
            words |= heads & verdicts.reject
        if words & verdicts.reject:
            type_ = "REJECT"
        elif words & verdicts.threaten:
            type_ = "THREATEN"
        elif words & verdicts.accuse:
            type_ = "ACCUSE"
        elif words & verdicts.support:
            type_ = "SUPPORT"
        else:
            return None
        verb_of = {"ACCUSE": "condemn", "SUPPORT": "praise", "REJECT": "reject"}
        entry = self.triggers.verbs.get(verb_of.get(type_, "threaten"))
        if entry is None:
            return None
        frame = make_frame(verb, entry, verb)
        frame.cameo = VERDICT_CAMEO[type_]
        subject = subject_of(verb)
        frame.source = self.actors.resolve(subject) if subject is not None else []
        objects = [c for c in verb.children if c.dep_ == "dobj"]
        for obj in objects:
            frame.target.extend(self.actors.resolve(obj))
        if not frame.target:
            frame.target = self._object_owner(objects)
        if not frame.target and type_ == "THREATEN":  # "a stern warning to separatist forces"
            for prep in (t for t in verb.subtree if t.dep_ == "prep" and t.lower_ == "to"):
                for pobj in (c for c in prep.children if c.dep_ == "pobj"):
                    frame.target.extend(self.actors.resolve(pobj))
        return frame

    @staticmethod
    def _answer_accusations(frames: list[Frame]) -> None:
        """ "Congo accused Rwanda of …, a charge Kigali rejected": rejecting a charge answers
        the accuser of the same sentence."""
        accusers = [a for f in frames if f.type == "ACCUSE" for a in f.source]
        if not accusers:
            return
        for frame in frames:
            if frame.type != "REJECT" or frame.target:
                continue
            anchor = frame.anchor
            linked = [c for c in anchor.children if c.dep_ in {"dobj", "nsubj", "nsubjpass"}]
            if anchor.dep_ == "relcl":
                linked.append(anchor.head)
            if any(t.lemma_.lower() in CHARGE_NOUNS for t in linked):
                frame.target = [a for a in accusers if a not in frame.source]

    def _punitive(self, verb: Token) -> Frame | None:
        """ "vowed that Russia would be held accountable", "said Israel would pay a heavy
        price": promising someone punishment is a THREATEN against them (PLOVER), whatever
        the speech verb is."""
        punitive = self.triggers.punitive
        if punitive is None or verb.lemma_.lower() not in punitive.speech:
            return None
        clauses = [
            c
            for c in verb.children
            if c.dep_ in {"ccomp", "xcomp"} or (c.dep_ == "prep" and c.lower_ == "of")
        ]  # "warned of painful retaliation"
        for clause in clauses:
            if clause.dep_ == "ccomp" and not _future(clause):
                continue  # "said it had struck a base in retaliation" reports a done act
            words = {t.lemma_.lower() for t in clause.subtree}
            found = words & punitive.words
            if found == {"price"} and "pay" not in words:
                continue  # "the price of oil would rise" is no threat; "pay a price" is
            if found <= {"respond", "response"} and verb.lemma_.lower() == "say":
                continue  # "said it would respond to the proposal"
            if not found:
                continue
            entry = self.triggers.verbs.get("threaten")
            subject = subject_of(verb)
            if entry is None or subject is None:
                return None
            frame = make_frame(verb, entry, verb)
            frame.source = self.actors.resolve(subject)
            threatened = subject_of(clause) if clause.dep_ == "ccomp" else None
            found = self.actors.resolve(threatened) if threatened is not None else []
            frame.target = [a for a in found if a.key not in {s.key for s in frame.source}]
            return frame if frame.source else None
        return None

    def _presence(self, verb: Token) -> Frame | None:
        """ "North Korean units were in Russia", "Russian troops remain in Transnistria": forces
        of one state present in another are AID to the host, as if sent there."""
        if verb.lemma_.lower() not in PRESENCE_VERBS:
            return None
        subject = subject_of(verb)
        entry = self.triggers.verbs.get("deploy")
        if subject is None or entry is None:
            return None
        forces = [a for a in self.actors.resolve(subject) if a.sector == "MIL" and a.country]
        if not forces:
            return None
        for prep in (c for c in verb.children if c.dep_ == "prep" and c.lower_ == "in"):
            for place in (c for c in prep.children if c.dep_ == "pobj"):
                host = self.actors.resolve(place) or [
                    o for o in [self._place_owner(place)] if o is not None
                ]
                foreign = [
                    h for h in host if h.country and h.country not in {f.country for f in forces}
                ]
                if foreign:
                    frame = make_frame(verb, entry, verb)
                    frame.source, frame.target, frame.destination = forces, foreign[:1], place
                    frame.mode, frame.cameo = "military", "074"
                    return frame
        return None

    def _warned_targets(self, frames: list[Frame]) -> None:
        """ "warned that Washington would pay a heavy price": the one warned about is the
        subject of the warning's clause."""
        for frame in frames:
            if frame.type not in {"THREATEN", "REQUEST"} or frame.target or frame.nominal:
                continue  # "warned that Washington would pay", "demanded that Ankara provide"
            for clause in (c for c in frame.anchor.children if c.dep_ == "ccomp"):
                subject = subject_of(clause)
                found = self.actors.resolve(subject) if subject is not None else []
                frame.target = [a for a in found if a.key not in {s.key for s in frame.source}]
                if frame.target:
                    break

    def _participant(self, noun: Token) -> list[Actor]:
        """ "arrived in Taipei for meetings with…", "after talks with…": the subject of the
        clause takes part in the talks it went to."""
        prep = noun.head
        if noun.dep_ != "pobj" or prep.lower_ not in {"for", "after", "during", "in", "at"}:
            return []
        if not any(c.dep_ == "prep" and c.lower_ == "with" for c in noun.children):
            return []  # "recalled its ambassador for consultations" names no partner
        verb = prep.head
        if verb.pos_ not in {"VERB", "AUX"}:
            return []
        subject = subject_of(verb)
        return self.actors.resolve(subject) if subject is not None else []

    def _reaction(self, frame: Frame, noun: Token) -> None:
        """ "The deployment drew criticism from France": France voiced it, and what drew the
        reaction is its target, the actor of the subject (or the owner named inside it)."""
        verb = noun.head
        if noun.dep_ != "dobj" or verb.lemma_.lower() not in REACTION_VERBS:
            return
        if not frame.source:
            for prep in (c for c in verb.children if c.dep_ == "prep" and c.lower_ == "from"):
                for pobj in (c for c in prep.children if c.dep_ == "pobj"):
                    frame.source.extend(self.actors.resolve(pobj))
        if not frame.target:
            frame.target = self._drawn_by(verb)

    def _drawn_by(self, verb: Token) -> list[Actor]:
        subject = subject_of(verb)
        if subject is None:
            return []
        found = self.actors.resolve(subject)
        for token in subject.subtree if not found else ():
            if token.dep_ in {"poss", "amod", "compound", "nmod", "pobj"}:
                found = self.actors.resolve(token)
                if found:
                    break
        return found

    def _blamed_on(self, noun: Token) -> list[Actor]:
        """ "Hezbollah blamed Israel for the blasts": the one blamed did it (allegedly)."""
        prep = noun.head
        if noun.dep_ != "pobj" or prep.lower_ != "for":
            return []
        verb = prep.head
        if verb.lemma_.lower() not in self.lexicon.attribution.allegation_verbs:
            return []
        blamed = [c for c in verb.children if c.dep_ == "dobj"]
        return self.actors.resolve(blamed[0]) if blamed else []

    def _claimed_by(self, noun: Token) -> list[Actor]:
        """ "The Houthis claimed responsibility for a drone attack": the claimant did it."""
        prep = noun.head
        if noun.dep_ != "pobj" or prep.lower_ != "for" or prep.head.lemma_ != "responsibility":
            return []
        verb = prep.head.head
        if verb.lemma_ not in {"claim", "accept", "admit", "take", "bear"}:
            return []
        subject = subject_of(verb)
        return self.actors.resolve(subject) if subject is not None else []


def _future(clause: Token) -> bool:
    """A clause about what is yet to happen: "would pay", "will face", "must be punished"."""
    return any(
        c.dep_ in {"aux", "auxpass"} and c.lower_ in {"would", "will", "'ll", "shall", "must"}
        for c in clause.children
    )


def future_clause(verb: Token) -> bool:
    """A complement clause about the future: "warned that it would seal the border"."""
    return any(
        c.dep_ == "ccomp"
        and any(a.dep_ == "aux" and a.lower_ in {"would", "will"} for a in c.children)
        for c in verb.children
    )
