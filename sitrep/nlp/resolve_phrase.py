"""Resolve a bare actor phrase ("a US destroyer", "Russia's ambassador to Poland") to actors.

The extractor resolves actors as heads of noun phrases inside parsed sentences; evaluation
against actor-resolution gold (NGEC) needs the same resolver on a phrase alone. This parses
the phrase with the extractor's pipeline and asks its :class:`ActorResolver`, head first,
so the figures measure exactly what extraction uses.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sitrep.nlp.gazetteer import ActorEntry, CountryEntry
from sitrep.nlp.placenames import fuzzy_country
from sitrep.nlp.places import resolve_place
from sitrep.records import Actor

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

    from sitrep.nlp.extract import RuleExtractor

__all__ = ["resolve_phrase"]


def _heads(doc: Doc) -> list[Token]:
    """Candidate heads, most telling first: sentence roots, noun-chunk roots, entity roots."""
    heads: list[Token] = [sent.root for sent in doc.sents]
    heads += [chunk.root for chunk in doc.noun_chunks]
    heads += [ent.root for ent in doc.ents]
    unique: dict[int, Token] = {}
    for head in heads:
        unique.setdefault(head.i, head)
    return list(unique.values())


def resolve_phrase(extractor: RuleExtractor, text: str) -> list[Actor]:
    """Actors the phrase names, as the extractor would code them; [] when it names none.

    Falls back to entities anywhere in the phrase ("the Zetas Cartel"), then to the
    gazetteer's alias table and the place resolver for the whole phrase: a small model's
    NER often mislabels a name standing alone ("Mariupol" as ORG); last, a single word may
    be a misspelt demonym or country ("Kazahks"), which NER takes for a person.
    """
    text = text.strip()
    if not text:
        return []
    doc = extractor.nlp(text)
    resolver = extractor.actors
    resolver.learn(doc)
    for head in _heads(doc):
        actors = [a for a in resolver.resolve(head) if a.country or a.code]
        if actors:
            return actors
    for ent in doc.ents:
        actor = resolver.from_entity(ent)
        if actor is not None and (actor.country or actor.code):
            return [actor]
    entry = extractor.gazetteer.resolve_alias(text)
    if isinstance(entry, CountryEntry | ActorEntry):
        return [entry.actor(text)]
    place = resolve_place(text)  # a place named alone stands for its country, as GPEs do
    if place is not None and place.country:
        return [Actor(text=text, name=place.name, country=place.country, code=place.country)]
    country = fuzzy_country(text) if len(doc) == 1 else None  # a misspelt "Kazahks"
    if country is not None:
        return [
            Actor(
                text=text,
                name=extractor.gazetteer.countries[country].name,
                country=country,
                code=country,
            )
        ]
    return []
