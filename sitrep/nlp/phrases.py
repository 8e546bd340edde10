"""Noun-phrase helpers shared by actor resolution and event finding.

Where an entity span sits, what a head's noun phrase covers, which tokens list further
members ("Russia and North Korea"), and how a sector joins an owner's code.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sitrep.records import Actor

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

# Dependents that belong to the noun phrase of an actor (not clauses or most prepositions).
NP_DEPS = frozenset(
    {
        "det",
        "amod",
        "compound",
        "poss",
        "nmod",
        "nummod",
        "quantmod",
        "case",
        "punct",
        "appos",
        "prep",
    }
)


def entity_of(token: Token) -> Span | None:
    """The entity span a token belongs to, if any (index built once per doc)."""
    if not token.ent_type_:
        return None
    doc = token.doc
    index = doc.user_data.get("sitrep_entity_index")
    if index is None:
        index = {i: ent for ent in doc.ents for i in range(ent.start, ent.end)}
        doc.user_data["sitrep_entity_index"] = index
    return index.get(token.i)


def child_is_possessive_pronoun(token: Token) -> bool:
    return token.dep_ == "poss" and token.lower_ in {"its", "their"}


def definite(head: Token) -> bool:
    """ "the soldiers", "these troops": a reference back, not a new actor."""
    return any(
        c.dep_ == "det" and c.lower_ in {"the", "these", "those", "this", "that"}
        for c in head.children
    )


def with_sector(owner: Actor, sector: str | None, surface: str) -> Actor:
    if sector is None:
        return Actor(surface, owner.name, owner.country, None, owner.code)
    return Actor(
        text=surface,
        name=f"{owner.name} ({sector})",
        country=owner.country,
        sector=sector,
        code=f"{owner.country}{sector}",
    )


def strip_the(text: str) -> str:
    return text[4:] if text.lower().startswith("the ") else text


def noun_conjuncts(head: Token) -> list[Token]:
    """The other members of a list: "Russia and North Korea", and "Mali, Burkina Faso and
    Niger", which the parser may read as an apposition to Mali with its own conjuncts."""
    members = [c for c in head.conjuncts if c.i > head.i]
    if head.ent_type_ == "GPE":
        for appos in (c for c in head.children if c.dep_ == "appos" and c.ent_type_ == "GPE"):
            members += [appos, *(c for c in appos.conjuncts if c.i > appos.i)]
    return [c for c in members if c.pos_ in {"NOUN", "PROPN", "PRON"}]


def noun_phrase(head: Token) -> Span:
    """The noun phrase a head stands for, without clauses, conjuncts or most prepositions."""
    start = head.i
    for child in head.lefts:
        if child.dep_ in NP_DEPS - {"prep", "appos"}:
            start = min(start, child.left_edge.i)
    end = head.i + 1
    ent = entity_of(head)
    if ent is not None:
        start = min(start, ent.start)
        end = max(end, ent.end)
    doc = head.doc
    while start < head.i and doc[start].dep_ in {"punct", "cc"}:
        start += 1
    return doc[start:end]
