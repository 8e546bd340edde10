"""Who asserts an event and how sure they are, read from the reporting structure around it.

Cues only count when they govern the event's own clause: "a suspected ICBM" does not make the
launch suspected, and a "will" in another clause does not make it expected. The innermost
status cue wins (X confirmed that Y *may* … is a suspicion); the nearest reporting verb or
"according to" names the asserter.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from sitrep.records import Actor, Attribution, Status

if TYPE_CHECKING:
    from spacy.tokens import Token

    from sitrep.nlp.lexicon import Lexicon

ResolveActors = Callable[["Token"], list[Actor]]
POSITION_NOUNS = frozenset({"position", "ability", "way", "means", "capacity"})
CLAUSE_LINKS = frozenset({"ccomp", "xcomp", "conj", "advcl", "acl", "relcl", "pcomp", "csubj"})


def _negated(token: Token) -> bool:
    return any(
        c.dep_ == "neg" or (c.lower_ in {"never", "no"} and c.dep_ in {"det", "advmod"})
        for c in token.children
    )


def _negated_above(verb: Token) -> bool:
    """ "was not in a position to confirm", "is not able to verify": negation on the clause
    that holds the verb through a noun or adjective."""
    current = verb
    for _ in range(4):
        head = current.head
        if head == current:
            return False
        if head.pos_ in {"VERB", "AUX"}:
            return _negated(head)
        current = head
    return False


# Verbs whose object does what their infinitive says: "urged Iran to stop", "committing Rwanda
# to withdraw" (object control), unlike "promised Kyiv to send" (the subject sends).
OBJECT_CONTROL = frozenset(
    {
        "urge",
        "ask",
        "commit",
        "force",
        "order",
        "allow",
        "invite",
        "persuade",
        "tell",
        "push",
        "oblige",
        "require",
        "call",
        "press",
        "encourage",
        "permit",
        "authorise",
        "authorize",
        "compel",
        "instruct",
        "enable",
        "help",
        "warn",
        "advise",
        "convince",
        "pressure",
        "expect",
    }
)


# Nouns for texts an actor issues; a participle on one speaks for the issuer.
DOCUMENT_NOUNS = frozenset(
    {
        "declaration",
        "statement",
        "resolution",
        "letter",
        "communique",
        "communiqué",
        "message",
        "note",
        "petition",
        "motion",
        "decree",
        "order",
        "bill",
        "appeal",
        "memo",
        "report",
    }
)


def subject_of(verb: Token) -> Token | None:
    """The grammatical subject of a verb, inherited through xcomp/conj when it has none."""
    current: Token | None = verb
    for _ in range(4):
        if current is None:
            return None
        subjects = [c for c in current.children if c.dep_ in {"nsubj", "nsubjpass", "csubj"}]
        if subjects:
            # a misparse may give two ("a charge Kigali rejected"): prefer the named one
            named = [c for c in subjects if c.ent_type_ or c.pos_ == "PROPN"]
            return (named or subjects)[0] if len(subjects) > 1 else subjects[0]
        if current.dep_ == "xcomp" and current.head != current:
            controller = [c for c in current.head.children if c.dep_ == "dobj"]
            if controller and current.head.lemma_.lower() in OBJECT_CONTROL:
                return controller[0]  # "committing Rwanda to withdraw": Rwanda withdraws
        if current.dep_ in {"xcomp", "conj"} and current.head != current:
            current = current.head
            continue
        if current.dep_ == "advcl" and current.tag_ == "VBG" and current.head != current:
            current = current.head  # "…, accusing Kigali of…": the main clause's subject
            continue
        if current.dep_ in {"acomp", "attr"} and current.head != current:
            current = current.head  # "it is willing to withdraw": the subject of "is"
            continue
        if current.dep_ == "pcomp" and current.head.dep_ == "prep":
            governor = current.head.head
            accused = [c for c in governor.children if c.dep_ == "dobj"]
            if current.head.lower_ in {"of", "for", "with"} and accused:
                return accused[0]  # "accused the RSF of killing civilians": the RSF
            current = governor  # "… by sharing technology": the subject of the verb
            continue
        if current.dep_ in {"acl", "relcl"} and current.head.lemma_ in POSITION_NOUNS:
            current = current.head.head  # "was not in a position to confirm"
            while current.dep_ == "prep" and current.head != current:
                current = current.head
            continue
        if current.dep_ == "acl" and current.head.lemma_.lower() in DOCUMENT_NOUNS:
            # "issued a declaration demanding that…": whoever issued it demands
            current = current.head.head
            while current.dep_ in {"prep", "pobj"} and current.head != current:
                current = current.head
            continue
        if current.dep_ in {"acl", "relcl"} and current.head.pos_ in {"NOUN", "PROPN"}:
            return current.head
        return None
    return None


def agent_of(verb: Token) -> Token | None:
    """The object of a passive 'by' phrase."""
    for child in verb.children:
        if child.dep_ == "agent":
            for grandchild in child.children:
                if grandchild.dep_ == "pobj":
                    return grandchild
    return None


def is_passive(verb: Token) -> bool:
    return any(c.dep_ in {"auxpass", "nsubjpass"} for c in verb.children)


class Attributor:
    """Reads status, asserter and negation for an event anchored on a token."""

    def __init__(self, lexicon: Lexicon, resolve: ResolveActors) -> None:
        self.cues = lexicon.attribution
        self.resolve = resolve

    def attribute(self, anchor: Token) -> Attribution:
        cues = self.cues
        status: Status | None = None
        cue: str | None = None
        asserted_by: list[Actor] = []
        negated = _negated(anchor)

        # cues on the event's own verb: modals and adverbs
        own = self._own_cue(anchor)
        if own is not None:
            status, cue = own

        current = anchor
        for _ in range(8):
            head = current.head
            if head == current:
                break
            dep = current.dep_
            lemma = head.lemma_.lower()
            # "X confirmed that …", "…, X said", "X declined to confirm that …"
            if dep in CLAUSE_LINKS and head.pos_ in {"VERB", "AUX"}:
                if lemma in cues.reporting_verbs and dep not in {"advcl", "conj"}:
                    status, cue, asserted_by = self._reported(head, status, cue)
                    break
                if (
                    dep == "xcomp"
                    and lemma in cues.raising_participles
                    and (is_passive(head) or head.pos_ == "ADJ")
                ):
                    status = status or cues.raising_participles[lemma]
                    cue = cue or head.text
                    agent = agent_of(head)
                    if agent is not None:
                        asserted_by = self.resolve(agent)
                        break
                elif dep == "xcomp" and lemma in cues.future_verbs:
                    status = status or Status.EXPECTED
                    cue = cue or lemma
                own = self._own_cue(head) if dep in {"xcomp", "conj"} else None
                if own is not None and status is None:
                    status, cue = own
            elif head.pos_ == "ADJ" and dep == "xcomp" and lemma in cues.raising_participles:
                status = status or cues.raising_participles[lemma]  # "likely to", "set to"
                cue = cue or lemma
            elif head.pos_ in {"NOUN", "PROPN"} and head.lemma_.lower() in cues.cue_nouns:
                if dep in {"acl", "relcl", "ccomp", "pobj"} or current.dep_ == "pobj":
                    status, cue, asserted_by = self._cue_noun(head, status, cue, asserted_by)
                    break
            elif (
                (dep == "pcomp" or (dep == "pobj" and head.lower_ == "for"))
                and head.dep_ == "prep"
                and head.head.lemma_.lower() in cues.allegation_verbs
            ):
                # "X accused Y of killing …", "X blamed Y for the blasts": alleged by X
                accuser = head.head
                status = status or Status.SUSPECTED
                cue = cue or accuser.lemma_
                found = subject_of(accuser)
                asserted_by = self.resolve(found) if found is not None else []
                break
            elif dep == "pobj" and head.dep_ == "prep" and head.head.pos_ in {"NOUN", "PROPN"}:
                noun = head.head
                if noun.lemma_.lower() in cues.cue_nouns and head.lower_ in {"of", "about"}:
                    status, cue, asserted_by = self._cue_noun(noun, status, cue, asserted_by)
                    break
            current = head

        if not asserted_by:
            trailing = self._trailing_reporter(anchor)
            if trailing is not None:  # "X bombed Y, the Taliban government said, calling…"
                status, cue, asserted_by = self._reported(trailing, status, cue)
        if not asserted_by:
            according = self._according_to(anchor)
            if according:
                asserted_by = according
        return Attribution(
            status=status or Status.REPORTED,
            asserted_by=tuple(asserted_by),
            negated=negated,
            cue=cue,
        )

    def _reported(
        self, verb: Token, status: Status | None, cue: str | None
    ) -> tuple[Status | None, str | None, list[Actor]]:
        """Status, cue and asserters once a reporting verb governs the event: its own status
        wins over a cue already found only when it denies or declines to confirm."""
        outer = self._reporting_status(verb)
        if outer in {Status.DENIED, Status.UNCONFIRMED} or status is None:
            status, cue = outer, verb.text
        return status, cue, self._reporter(verb)

    def _trailing_reporter(self, anchor: Token) -> Token | None:
        """A reporting verb hung on the event's clause after it ("…, X said"), which the
        parser may attach as a dependent of the event's verb rather than as its governor."""
        verb = anchor
        while verb.dep_ in {"conj", "xcomp"} and verb.head != verb:
            verb = verb.head  # "…bombed A and struck B, X said": the first verb carries it
        for child in verb.children:
            if (
                child.dep_ == "parataxis"
                and child.i > anchor.i
                and child.lemma_.lower() in self.cues.reporting_verbs
                and subject_of(child) is not None
            ):
                return child
        return None

    def _own_cue(self, verb: Token) -> tuple[Status, str] | None:
        for child in verb.children:
            text = child.lower_
            if child.dep_ == "aux" and text in self.cues.modals:
                return self.cues.modals[text], child.text
            if child.dep_ == "advmod" and text in self.cues.adverbs:
                return self.cues.adverbs[text], child.text
            if child.dep_ == "aux" and text == "to" and verb.head.lemma_ in {"be"}:
                return Status.EXPECTED, "is to"  # "is to visit"
        return None

    def _reporting_status(self, verb: Token) -> Status:
        cues = self.cues
        lemma = verb.lemma_.lower()
        status = cues.reporting_verbs[lemma]
        governor = verb.head if verb.dep_ in {"xcomp", "acl", "relcl"} else None
        # "neither confirmed nor denied", "neither side has acknowledged": no assertion
        neither = any(c.lower_ == "neither" for c in (*verb.children, *verb.head.children))
        subject = subject_of(verb)
        nobody = subject is not None and any(
            c.lower_ in {"neither", "no", "none"} for c in (subject, *subject.children)
        )
        if neither or nobody:
            return Status.UNCONFIRMED
        if lemma in cues.verification_verbs:
            declined = (
                governor is not None and governor.lemma_.lower() in cues.unconfirmed_governors
            )
            unable = any(c.lower_ in {"unable", "not"} for c in verb.children)
            if declined or _negated(verb) or unable or _negated_above(verb):
                return Status.UNCONFIRMED
        if status == Status.DENIED and _negated(verb):
            return Status.REPORTED  # "did not deny"
        return status

    def _reporter(self, verb: Token) -> list[Actor]:
        agent = agent_of(verb)
        if agent is not None:
            return self.resolve(agent)
        subject = subject_of(verb)
        if subject is None or subject.dep_ == "nsubjpass":
            # "…, South Korea's spy agency said": the parser often hangs the speaker on the
            # clause before; the noun right before the verb is then the speaker.
            before = verb.doc[verb.i - 1] if verb.i > verb.sent.start else None
            if before is not None and before.pos_ in {"NOUN", "PROPN"}:
                speaker = self.resolve(before)
                if speaker:
                    return speaker
            return self._according_to(verb)
        return self.resolve(subject)

    def _cue_noun(
        self, noun: Token, status: Status | None, cue: str | None, asserted_by: list[Actor]
    ) -> tuple[Status, str, list[Actor]]:
        """Status, cue and asserter from a cue noun governing the event ("concern that…",
        "reports of…"): the verb over the noun may decide it ("dismissed reports of")."""
        verdict = self._cue_noun_verdict(noun)
        if verdict is not None:
            status, cue = verdict, noun.head.text
        status = status or self.cues.cue_nouns[noun.lemma_.lower()]
        owner = self._cue_noun_owner(noun)
        return status, cue or noun.text, owner or asserted_by

    def _cue_noun_verdict(self, noun: Token) -> Status | None:
        """ "dismissed reports of X" denies X; "declined to confirm reports" leaves it open."""
        verb = noun.head
        if noun.dep_ not in {"dobj", "nsubjpass"} or verb.pos_ not in {"VERB", "AUX"}:
            return None
        lemma = verb.lemma_.lower()
        if lemma in {"dismiss", "reject", "deny", "refute", "dispute", "rebut"}:
            return Status.REPORTED if _negated(verb) else Status.DENIED
        if lemma in self.cues.reporting_verbs:
            status = self._reporting_status(verb)
            return status if status != Status.REPORTED else None
        return None

    def _cue_noun_owner(self, noun: Token) -> list[Actor]:
        """Who holds the concern: the subject of "expressed concern", or "X's concern"."""
        for child in noun.children:
            if child.dep_ == "poss":
                return self.resolve(child)
        verb = noun.head
        while verb.dep_ in {"prep", "pobj", "dobj", "conj"} and verb.head != verb:
            if verb.pos_ in {"VERB", "AUX"}:
                break
            verb = verb.head
        if verb.pos_ in {"VERB", "AUX"}:
            subject = subject_of(verb)
            if subject is not None:
                return self.resolve(subject)
        return []

    def _according_to(self, anchor: Token) -> list[Actor]:
        """Asserters named by "according to X" or "citing X" anywhere in the sentence."""
        for token in anchor.sent:
            if token.lower_ in self.cues.according_preps:
                for inner in token.subtree:
                    if inner.dep_ == "pobj":
                        actors = self.resolve(inner)
                        if actors:
                            return actors
        return []
