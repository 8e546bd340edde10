"""Definite descriptions that point back at actors named earlier in the same document.

"Hezbollah said the group fired rockets", "Wang met Iwaya … the two ministers agreed",
"M23 seized Goma … sending soldiers to back the rebels": news prose names an actor once and
then refers to it by its kind. spaCy's English pipelines ship no coreference component, and a
learned one would need a model download, so this is a small, rule-based step: the nearest
earlier mention whose kind fits the description, within a few sentences.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable

    from spacy.tokens import Doc, Span, Token

    from sitrep.records import Actor

# Heads that describe an armed group, an international body, or a pair of parties.
GROUP_HEADS = frozenset(
    {
        "group",
        "movement",
        "militia",
        "rebel",
        "militant",
        "insurgent",
        "faction",
        "organisation",
        "organization",
        "outfit",
        "force",
    }
)
BODY_HEADS = frozenset({"alliance", "bloc", "agency", "watchdog", "union", "body", "mission"})
PAIR_HEADS = frozenset(
    {
        "country",
        "nation",
        "side",
        "neighbour",
        "neighbor",
        "leader",
        "minister",
        "government",
        "president",
        "capital",
        "rival",
        "party",
        "state",
        "delegation",
        "counterpart",
    }
)
ARMED_SECTORS = frozenset({"REB", "INS"})
WINDOW_SENTENCES = 3  # how far back a description may reach


@dataclass(frozen=True)
class Mention:
    token: int
    sentence: int
    actor: Actor


def collect_mentions(doc: Doc, resolve_entity: Callable[[Span], Actor | None]) -> list[Mention]:
    """Every named actor of the document, in order (entity spans resolved one by one)."""
    sentence_of = _sentence_numbers(doc)
    mentions: list[Mention] = []
    for ent in doc.ents:
        if ent.label_ not in {"ORG", "GPE", "NORP", "PERSON"}:
            continue
        actor = resolve_entity(ent)
        if actor is not None and (actor.code or actor.country):
            mentions.append(Mention(ent.start, sentence_of.get(ent.start, 0), actor))
    return mentions


def antecedents(head: Token, mentions: list[Mention]) -> list[Actor]:
    """The actors a definite description ("the group", "the two countries") refers back to."""
    determiners = {c.lower_ for c in head.children if c.dep_ in {"det", "predet"}}
    if not determiners & {"the", "both"} or _owned(head):
        return []
    sentence = _sentence_index(head)
    earlier = [
        m for m in mentions if m.token < head.i and sentence - m.sentence <= WINDOW_SENTENCES
    ]
    lemma = head.lemma_.lower()
    pair = "both" in determiners or any(
        c.dep_ == "nummod" and c.lower_ in {"two", "2"} for c in head.children
    )
    if pair and lemma in PAIR_HEADS:
        # "Brazil offered talks between the two neighbours": the pair was named before
        before = [m for m in earlier if m.sentence < sentence]
        return _last_distinct(before, 2, lambda a: a.country is not None)
    if lemma in GROUP_HEADS and head.tag_ in {"NN", "NNS"}:
        plural = head.tag_ == "NNS"
        if plural and lemma not in {"rebel", "militant", "insurgent"}:
            return []
        return _last_distinct(earlier, 1, _armed_group)
    if lemma in BODY_HEADS and head.tag_ == "NN":
        # "the agency" after South Korea's spy agency or the IAEA: the last named body
        return _last_distinct(earlier, 1, _body)
    return []


def _body(actor: Actor) -> bool:
    """An organisation rather than a country or a person: it has a code of its own."""
    return actor.code is not None and actor.code != actor.country and actor.sector != "PERSON"


def _armed_group(actor: Actor) -> bool:
    """A non-state armed actor with a key of its own (HEZBOLLAH, M23, RSF)."""
    own_key = actor.code is not None and actor.code != f"{actor.country}{actor.sector}"
    return actor.sector in ARMED_SECTORS and own_key


def _last_distinct(
    mentions: list[Mention], count: int, accept: Callable[[Actor], bool]
) -> list[Actor]:
    found: list[Actor] = []
    for mention in reversed(mentions):
        actor = mention.actor
        if accept(actor) and all(actor.key != a.key for a in found):
            found.append(actor)
            if len(found) == count:
                return list(reversed(found))
    return []


def _owned(head: Token) -> bool:
    """ "the Russian side", "the group's leader": an owner is named, so it is no back-reference."""
    return any(
        c.dep_ in {"poss", "amod", "compound", "nmod"} and c.ent_type_ for c in head.children
    ) or any(c.dep_ == "prep" and c.lower_ == "of" for c in head.children)


def _sentence_index(token: Token) -> int:
    return _sentence_numbers(token.doc).get(token.i, 0)


def _sentence_numbers(doc: Doc) -> dict[int, int]:
    """Token index -> sentence number, computed once per document and kept on it."""
    numbers = doc.user_data.get("sitrep_sentence_numbers")
    if numbers is None:
        numbers = {t.i: n for n, sent in enumerate(doc.sents) for t in sent}
        doc.user_data["sitrep_sentence_numbers"] = numbers
    return numbers
