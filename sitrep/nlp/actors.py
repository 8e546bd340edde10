"""Resolve noun phrases in a parse to coded actors (country + sector, organisation, person).

"North Korean soldiers" -> PRK/MIL, "South Korean officials" -> KOR/GOV, "Kim Jong Un" ->
PRK/GOV, "the Kremlin" -> RUS/GOV, "the Hungarian foreign minister" -> HUN/GOV.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from sitrep.nlp.anaphora import Mention, antecedents, collect_mentions
from sitrep.nlp.person_names import match_person
from sitrep.nlp.phrases import (
    child_is_possessive_pronoun,
    definite,
    entity_of,
    noun_conjuncts,
    noun_phrase,
    strip_the,
    with_sector,
)
from sitrep.nlp.placenames import (
    GROUP_HEADS,
    INTERNATIONAL_HEADS,
    country_named_in,
    fuzzy_country,
)
from sitrep.records import Actor

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

    from sitrep.nlp.gazetteer import Gazetteer
    from sitrep.nlp.lexicon import Lexicon

ACTOR_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP"})
# Participles after a hyphenated name that make it the owner ("-backed" does not: an
# "Iran-backed militia" is not Iran's own).
OWNING_PARTICIPLES = frozenset({"linked", "flagged", "owned", "based", "led", "operated", "run"})
MODIFIER_DEPS = frozenset({"amod", "compound", "poss", "nmod"})


PERSONAL_PRONOUNS = frozenset({"he", "she", "him", "her", "his"})
PARTITIVE_HEADS = frozenset(
    {
        "thousand",
        "thousands",
        "hundred",
        "hundreds",
        "dozen",
        "dozens",
        "million",
        "millions",
        "group",
        "number",
        "some",
        "many",
        "most",
        "member",
        "band",
        "team",
        "contingent",
        "unit",
        "battalion",
        "detachment",
        "delegation",
        "wave",
        "column",
        "all",
        "several",
    }
)
PLACE_SUFFIX = re.compile(
    r"\s+(State|Province|Region|County|District|City|Governorate|Prefecture|Oblast)$"
)
LOCATED_SECTORS = frozenset({"REB", "CVL", "MIL", "COP", "INS"})
NONPERSONAL_PRONOUNS = frozenset({"it", "its", "they", "their", "them"})


class ActorResolver:
    """Turns tokens (heads of noun phrases) into ``Actor`` records using the gazetteer."""

    def __init__(self, gazetteer: Gazetteer, lexicon: Lexicon) -> None:
        self.gazetteer = gazetteer
        self.lexicon = lexicon
        self._people: dict[str, Actor] = {}
        self._pronouns: dict[int, Actor] = {}
        self._mentions: list[Mention] = []
        self._resolving: set[int] = set()
        self.event_nouns = frozenset(w.split()[-1] for w in lexicon.triggers.nouns)

    def learn(self, doc: Doc, seen_elsewhere: Iterable[Span] = ()) -> None:
        """Per-document memory, so later mentions resolve like the first one.

        "Kirby said" after "John Kirby, the White House spokesman," is the same person, and a
        "he" refers to the person last named. This is a deliberately small coreference step:
        spaCy's English pipelines ship none, and a learned one would need a model download.
        ``seen_elsewhere`` are gazetteer PERSON spans from sentences the cascade did not parse.
        """
        self._people = {}
        self._pronouns = {}
        self._mentions = []
        last: Actor | None = None
        for span in seen_elsewhere:
            actor = self.from_entity(span)
            if actor is not None and (actor.code or actor.country):
                self._remember(span, actor)
                last = actor
        last_subject: Actor | None = None  # a "he" usually continues the last speaker
        starts = {
            ent.start: ent
            for ent in doc.ents
            if ent.label_ == "PERSON" or ent.text.lower() in self._people
        }
        for token in doc:
            ent = starts.get(token.i)
            if ent is not None:
                actor = self.resolve_one(ent[-1])
                if actor is not None and (actor.code or actor.country):
                    self._remember(ent, actor)
                    last = actor
                    if ent.root.dep_ in {"nsubj", "nsubjpass"}:
                        last_subject = actor
                elif ent.label_ == "PERSON":
                    last = last_subject = None  # a "he" now means this person, not coded
            elif token.pos_ == "PRON" and token.lower_ in PERSONAL_PRONOUNS:
                referent = last_subject or last
                if referent is not None:
                    self._pronouns[token.i] = referent
        self._mentions = collect_mentions(doc, self._mention_actor)

    def _mention_actor(self, ent: Span) -> Actor | None:
        """An entity as a back-reference target, read with its owner ("Venezuela's National
        Assembly" is Venezuela's, whatever the bare name would say)."""
        found = self.resolve_head(ent.root)
        return found[0] if found else self.from_entity(ent)

    def _remember(self, ent: Span, actor: Actor) -> None:
        self._people.setdefault(ent.text.lower(), actor)
        # family names come last in "Antony Blinken", first in "Cho Tae-yul"
        for part in {ent[0], ent[-1]}:
            if part.is_alpha and part.is_title and len(part) > 2:
                known = self._people.setdefault(part.lower_, actor)
                if known.name != actor.name:
                    self._people[part.lower_] = Actor("", "", None)  # ambiguous

    # -- entities -------------------------------------------------------------------------
    def from_entity(self, ent: Span, surface: str | None = None) -> Actor | None:
        """An actor from an entity span: gazetteer id first, else the span as an unknown."""
        text = surface or ent.text
        kind, _, _key = ent.ent_id_.partition(":") if ent.ent_id_ else ("", "", "")
        if kind:
            entry = self.gazetteer.entry(ent.ent_id_)
            if entry is not None:
                return self._from_entry(kind, entry, text)
        known = self._people.get(ent.text.lower())
        if ent.label_ == "PERSON" and known is None:
            known = self._people.get(ent[-1].lower_)
        if known is not None and known.name and ent.root.pos_ == "PROPN":
            # "Kirby said…" after "John Kirby": NER may even call the bare name an ORG
            return Actor(text, known.name, known.country, known.sector, known.code)
        if ent.label_ == "ORG" or (ent.label_ == "PERSON" and _group_head(ent.root)):
            placed = self._named_after_place(ent, text)  # "Oxford University"
            if placed is not None:
                return placed
        if ent.label_ == "PERSON" and ent.root.pos_ == "PROPN":
            listed = match_person(self.gazetteer, ent.text)  # "Mohammed" for "Mohamed"
            if listed is not None:
                return self._from_entry("actor", listed, text)
            return Actor(text=text, name=strip_the(ent.text))
        if ent.label_ == "ORG" and ent.root.pos_ == "PROPN":
            return Actor(text=text, name=strip_the(ent.text))
        if ent.label_ in {"GPE", "NORP"}:
            entry = self.gazetteer.resolve_alias(ent.text)
            if entry is not None:
                return self._from_entry(_entry_kind(entry), entry, text)
            from sitrep.nlp.places import resolve_place

            place = resolve_place(ent.text)
            if place is not None and place.country:
                return Actor(text=text, name=place.name, country=place.country, code=place.country)
            # people named after a region ("Rakhine Buddhists"); a misspelt "Pakistanni"
            country = country_named_in([t.text for t in ent]) if ent.label_ == "NORP" else None
            if country is None and len(ent) == 1:
                country = fuzzy_country(ent.text)
            if country is not None:
                return Actor(text=text, name=country, country=country, code=country)
        return None

    def _named_after_place(self, ent: Span, text: str) -> Actor | None:
        """An organisation named after a place belongs to its country: "Lagos State Police"
        (NGA/COP), "Santa Marta Self Defense Forces" (COL); not a grouping of several
        countries named after where it met ("the Paris Club", "the Minsk Group")."""
        if ent.root.lower_ in INTERNATIONAL_HEADS:
            return None
        country = country_named_in([t.text for t in ent])
        if country is None:
            return None
        sector = self._sector_of_head(ent.root)
        code = f"{country}{sector}" if sector else country
        return Actor(text, strip_the(ent.text), country, sector, code)

    def _from_entry(self, kind: str, entry: Any, text: str) -> Actor | None:
        if kind in {"country", "demonym"}:
            return Actor(text=text, name=entry.name, country=entry.iso3, code=entry.iso3)
        if kind == "metonym":
            return Actor(
                text=text,
                name=f"{entry.name} government",
                country=entry.iso3,
                sector="GOV",
                code=f"{entry.iso3}GOV",
            )
        if kind == "actor":
            return Actor(
                text=text,
                name=entry.name,
                country=entry.country,
                sector=entry.sector,
                code=entry.code,
            )
        return None

    def country_of_entity(self, ent: Span) -> str | None:
        actor = self.from_entity(ent)
        return actor.country if actor else None

    # -- noun phrases ---------------------------------------------------------------------
    def resolve(self, head: Token) -> list[Actor]:
        """Actors for a noun phrase and its conjuncts ("Russia and North Korea")."""
        actors: list[Actor] = []
        for token in [head, *noun_conjuncts(head)]:
            for actor in self.resolve_head(token):
                if all(actor.key != a.key or actor.key is None for a in actors):
                    actors.append(actor)
        return actors

    def resolve_one(self, head: Token) -> Actor | None:
        """The first actor a single noun-phrase head refers to, or None."""
        found = self.resolve_head(head)
        return found[0] if found else None

    def resolve_head(self, head: Token) -> list[Actor]:
        """Actors one head refers to: usually one; "South Korean and Japanese envoys" gives two."""
        if head.i in self._resolving:
            return []  # a pronoun chain that loops back on itself
        self._resolving.add(head.i)
        try:
            return self._resolve_head(head) or antecedents(head, self._mentions)
        finally:
            self._resolving.discard(head.i)

    def _resolve_head(self, head: Token) -> list[Actor]:
        surface = noun_phrase(head).text
        ent = entity_of(head)
        if ent is not None and ent.label_ in ACTOR_LABELS:
            if ent.label_ == "NORP" and head.i == ent.end - 1 and head.dep_ == "amod":
                return []  # an adjective alone ("Russian") is a modifier, not an actor
            actor = self.from_entity(ent, surface)
            owner = self._other_owner(head, actor)
            if owner is not None and actor is not None:
                # "Pakistan's foreign office": the named owner beats the body's usual country
                return [with_sector(owner, actor.sector, surface)]
            if actor is None:
                if ent.label_ == "NORP":
                    # "Iraqi Kurds", "ethnic Albanians in Macedonia": a people group owned by
                    # the country that modifies or hosts it
                    owners = [o for o in self._owners(head, located=True) if o.country]
                    owners = owners or self._place_modifier(head)  # "Kachin Christians"
                    return [with_sector(o, "CVL", surface) for o in owners[:1]]
                if not (ent.label_ == "ORG" and head.pos_ == "NOUN"):
                    return []
                actor = self._common_noun(head, surface)  # "Taiwan's coast guard" as ORG
                return [actor] if actor is not None else []
            if actor.country and not actor.sector and actor.code == actor.country:
                sector = self._sector_in_phrase(head)
                if sector:
                    return [with_sector(actor, sector, surface)]
                if ent.label_ == "NORP" and head.tag_ in {"NNS", "NNPS"}:
                    # "Young Algerians blocked roads": people, not the state
                    return [with_sector(actor, "CVL", surface)]
            if actor.country is None and actor.code is None:
                # "Japan's defence ministry": a generic body named by its owner
                owners = [o for o in self._owners(head) if o.country]
                if owners:
                    sector = actor.sector or self._sector_of_head(head)
                    return [with_sector(o, sector, surface) for o in owners]
                if ent.label_ == "PERSON":
                    return [self._titled_person(head, actor)]
            return [actor]
        if head.i in self._pronouns:
            known = self._pronouns[head.i]
            return [Actor(head.text, known.name, known.country, known.sector, known.code)]
        if head.lower_ in NONPERSONAL_PRONOUNS:
            return self._antecedent(head)
        if head.like_num or head.lemma_.lower() in PARTITIVE_HEADS:
            # "thousands of protesters", "a group of refugees", "some of their units"
            for prep in head.children:
                if prep.dep_ == "prep" and prep.lower_ == "of":
                    for pobj in prep.children:
                        found = self.resolve_head(pobj) if pobj.dep_ == "pobj" else []
                        if found:  # "a US delegation of officials": else the head itself
                            return found
        if head.pos_ not in {"NOUN", "PROPN"}:
            return []
        for appos in (c for c in head.children if c.dep_ == "appos" and c.ent_type_):
            named = self.resolve_head(appos)  # "the state news agency IRNA"
            if any(a.country or a.code for a in named):
                return named
        sector = self._sector_of_head(head)
        if sector is None:
            # "Israeli army bulldozers", "the Islamic Jihad movement": a thing or body named
            # by the organisation that owns it; an event noun ("North Korea's test") is not
            if head.lemma_.lower() not in self.event_nouns:
                for child in head.children:
                    ent = entity_of(child) if child.dep_ in {"compound", "amod"} else None
                    if ent is not None and ent.label_ == "ORG":
                        owner = self.from_entity(ent, surface)
                        if owner is not None and (owner.code or owner.country):
                            return [owner]
                if head.tag_ in {"NNS", "NNPS"} or _group_head(head):
                    # "Rakhine Buddhists", "Kandahar University": people or a body named
                    # by a city or region the NER missed (not "Japanese machine tools")
                    owners = self._place_modifier(head, places_only=True)
                    return [with_sector(o, None, surface) for o in owners]
            return []
        owners = self._owners(head, located=sector in LOCATED_SECTORS)
        if not any(o.country or o.code for o in owners):
            # "Kano State government", "Delhi police": a place, not an organisation, owns it
            owners = self._place_modifier(head) or owners
        if not owners:
            # "rebels", "protesters": a sector with no named owner is still an actor
            # (CAMEO codes it by sector alone); vague heads ("officials") are not.
            # "the army", "the government" name the institution of the country the story
            # is about (placed later); "the soldiers" refers back to a group already named
            plural = head.tag_ in {"NNS", "NNPS"}
            if head.lemma_.lower() in self.lexicon.sectors.vague_heads:
                # "an army spokesman", "a rebel commander": the body the person speaks for
                bodies = [c for c in head.children if c.dep_ in {"compound", "amod"}]
                body = next((b for b in bodies if self._sector_of_head(b)), None)
                if body is not None:
                    sector = self._sector_of_head(body)
                    return [Actor(surface, surface, None, sector, sector)]
                return []
            if definite(head) and plural:
                return []
            return [Actor(surface, surface, None, sector, sector)]
        actors = []
        for owner in owners:
            if owner.country is None:
                # "NATO officials", "EU foreign ministers": the organisation itself speaks.
                actors.append(Actor(surface, owner.name, None, owner.sector, owner.code))
            elif owner.sector and owner.sector != sector:
                actors.append(Actor(surface, owner.name, owner.country, owner.sector, owner.code))
            else:
                actors.append(with_sector(owner, sector, surface))
        return actors

    def _common_noun(self, head: Token, surface: str) -> Actor | None:
        """A generic body the tagger marked as an organisation ("coast guard", "border
        police"): its sector, owned by whoever its modifiers name."""
        sector = self._sector_of_head(head)
        if sector is None:
            return None
        owners = [o for o in self._owners(head) if o.country]
        if owners:
            return with_sector(owners[0], sector, surface)
        return Actor(surface, surface, None, sector, sector)

    def _other_owner(self, head: Token, actor: Actor | None) -> Actor | None:
        """A possessive owner that is a different country from the one the body belongs to."""
        if actor is None or actor.country is None or head.ent_iob_ == "":
            return None
        for child in head.children:
            if child.dep_ == "poss" and child.ent_type_ in {"GPE", "NORP"}:
                owners = self.resolve_head(child)
                if owners and owners[0].country and owners[0].country != actor.country:
                    return owners[0]
        return None

    def _antecedent(self, pronoun: Token) -> list[Actor]:
        """ "Syria says it will…", "Israel has strengthened its forces": the pronoun refers to
        the subject of a governing clause (a cheap, local stand-in for coreference)."""
        current = pronoun
        for _ in range(6):
            verb = current.head
            if verb == current:
                return []
            if verb.pos_ in {"VERB", "AUX"}:
                for child in verb.children:
                    if (
                        child.dep_ in {"nsubj", "nsubjpass"}
                        and child.i < pronoun.i
                        and child.lower_ not in NONPERSONAL_PRONOUNS | PERSONAL_PRONOUNS
                        and not (child.left_edge.i <= pronoun.i <= child.right_edge.i)
                    ):
                        found = self.resolve(child)
                        if found and all(a.sector != "PERSON" for a in found):
                            return found
            current = verb
        return []

    def _sector_of_head(self, head: Token) -> str | None:
        compound = [c for c in head.children if c.dep_ == "compound" and c.i == head.i - 1]
        if compound:
            phrase = f"{compound[0].lemma_} {head.lemma_}".lower()
            sector = self.lexicon.sector_of(phrase)
            if sector:
                return sector
        amods = [c for c in head.children if c.dep_ == "amod" and c.i == head.i - 1]
        if amods:
            sector = self.lexicon.sector_of(f"{amods[0].lemma_} {head.lemma_}".lower())
            if sector:
                return sector
        return self.lexicon.sector_of(head.lemma_) or self.lexicon.sector_of(head.text)

    def _sector_in_phrase(self, head: Token) -> str | None:
        """A sector word inside the same entity-headed phrase ("Russia's defence ministry")."""
        return None if head.pos_ == "PROPN" else self._sector_of_head(head)

    def _owners(self, head: Token, *, located: bool = False) -> list[Actor]:
        """Countries or organisations that own a generic noun ("North Korean" soldiers)."""
        candidates: list[Token] = [c for c in head.children if c.dep_ in MODIFIER_DEPS]
        # "a Russian-linked tanker", "a Togo-flagged ship": the name sits under the participle
        candidates += [
            g
            for c in candidates
            if c.lower_ in OWNING_PARTICIPLES
            for g in c.children
            if g.ent_type_ in {"GPE", "NORP", "ORG"}
        ]
        places: set[int] = set()
        candidates.extend(conj for c in list(candidates) for conj in c.conjuncts if conj.i > c.i)
        for prep in head.children:
            if prep.dep_ == "prep" and prep.lower_ in {"of", "from"}:
                objects = [c for c in prep.children if c.dep_ == "pobj"]
                # "the foreign ministers of Congo and Rwanda": both own the head
                candidates.extend([*objects, *(j for o in objects for j in o.conjuncts)])
            elif (
                prep.dep_ == "prep"
                and prep.lower_ in {"in", "throughout", "across"}
                and located
                and not any(c.ent_type_ for c in candidates)
            ):
                # "rebels in the Ivory Coast", "security forces in Guinea"
                located_at = [c for c in prep.children if c.dep_ == "pobj" and c.ent_type_ == "GPE"]
                candidates.extend(located_at)
                places.update(c.i for c in located_at)
            elif child_is_possessive_pronoun(prep):
                candidates.append(prep)
        owners: list[Actor] = []
        seen: set[int] = set()
        country_only = places
        for child in sorted(candidates, key=lambda t: t.i):
            if child_is_possessive_pronoun(child):
                owners.extend(self._antecedent(child))
                continue
            ent = entity_of(child)
            if ent is None:
                # "activists from the Fatah Party": the name sits on a compound of the head
                named = [c for c in child.children if c.dep_ == "compound" and c.ent_type_]
                ent = entity_of(named[0]) if named else None
            if ent is None or ent.label_ not in ACTOR_LABELS | {"LOC"} or ent.start in seen:
                continue
            seen.add(ent.start)
            actor = self.from_entity(ent)
            if actor is not None and child.i in country_only and actor.country:
                # "students in Jakarta": the place gives the country, not its government
                actor = Actor(actor.text, actor.country, actor.country, None, actor.country)
            if actor is not None:
                owners.append(actor)
        return owners

    def _place_modifier(self, head: Token, *, places_only: bool = False) -> list[Actor]:
        """The country of a place named right before a generic head: "Kano State government".

        A name the tagger did not take for a proper noun ("Rakhine Buddhists", "Dehli
        police") is looked up only among large cities and regions, or as a misspelling.
        ``places_only`` reads only names NER left untagged, and never a country or demonym.
        """
        from sitrep.nlp.places import resolve_place

        words = [
            c
            for c in head.lefts
            if c.dep_ in {"compound", "nmod", "amod"} and (c.is_title or c.is_upper)
        ]
        words = [w for w in words if w.pos_ == "PROPN" or w.dep_ != "amod"] or words
        if places_only:
            words = [w for w in words if w.dep_ != "amod" and not w.ent_type_]
        if not words:
            return []
        span = head.doc[min(w.left_edge.i for w in words) : head.i]
        phrase = span.text
        country: str | None = None
        if all(w.pos_ == "PROPN" for w in words) and not places_only:
            bare = re.sub(PLACE_SUFFIX, "", phrase).strip()  # "Kano State" -> "Kano"
            place = resolve_place(phrase) or (resolve_place(bare) if bare != phrase else None)
            country = place.country if place is not None else None
        if country is None:
            country = country_named_in([t.text for t in span], places_only=places_only)
        if country is None and len(span) == 1 and not places_only:
            country = fuzzy_country(span.text)
        if country is None:
            return []
        return [Actor(phrase, country, country, None, country)]

    def _titled_person(self, head: Token, person: Actor) -> Actor:
        """An unknown person with a title and nationality: "Hungarian Foreign Minister X"."""
        country: str | None = None
        sector: str | None = None
        for token in noun_phrase(head):
            ent = entity_of(token)
            if ent is not None and ent.label_ == "ORG" and country is None:
                org = self.from_entity(ent)
                if org is not None and org.code:
                    return Actor(person.text, person.name, org.country, org.sector, org.code)
            if ent is not None and ent.label_ in {"NORP", "GPE"} and country is None:
                country = self.country_of_entity(ent)
            elif not token.ent_type_ or token.ent_type_ != "PERSON":
                sector = sector or self.lexicon.sector_of(token.lemma_)
        for child in head.children:
            if child.dep_ == "appos":
                sector = sector or self._sector_of_head(child)
                for owner in self._owners(child):
                    country = country or owner.country
        if country is None and sector is None:
            return person
        code = f"{country}{sector}" if country and sector else country
        return Actor(person.text, person.name, country, sector, code)


def _group_head(token: Token) -> bool:
    """Whether a name's head makes it a body or group ("… Police", "Rakhine Buddhists")."""
    return token.lower_ in GROUP_HEADS or token.tag_ in {"NNS", "NNPS"}


def _entry_kind(entry: Any) -> str:
    return "country" if hasattr(entry, "iso3") else "actor"
