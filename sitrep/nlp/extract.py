"""The rule extractor: Document -> Extraction (events with attribution, details, evidence)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from typing import TYPE_CHECKING

from sitrep.errors import ErrorCode
from sitrep.nlp.actors import ActorResolver, entity_of
from sitrep.nlp.attribution import Attributor, is_passive
from sitrep.nlp.backrefs import referred_event
from sitrep.nlp.cascade import Cascade, Reduction
from sitrep.nlp.details import location_in, quantities_in, resolve_date, weapons_in
from sitrep.nlp.events import NONSTATE_SECTORS, STATE_SECTORS, EventFinder, Frame
from sitrep.nlp.pipeline import gazetteer_patterns
from sitrep.nlp.retype import noted
from sitrep.records import (
    Actor,
    Attribution,
    Document,
    Entity,
    Event,
    Evidence,
    Extraction,
    Failure,
    Location,
    Status,
)

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Span, Token

    from sitrep.nlp.gazetteer import Gazetteer
    from sitrep.nlp.lexicon import Lexicon
    from sitrep.nlp.retype import EventTyper

DATELINE = re.compile(
    r"^(?P<dateline>[A-Z][A-Z.' -]{1,40}(?:,\s*[A-Z][A-Za-z0-9.' -]{1,30})?"
    r"(?:\s*\([^)\n]{1,40}\))?\s*[-\u2013\u2014:]+\s)",
    re.MULTILINE,
)
EXTRACTOR_NAME = "extract.events.rules.v1"


class RuleExtractor:
    """Extracts PLOVER events from documents with a spaCy parse and our lexicons."""

    name = EXTRACTOR_NAME

    def __init__(
        self,
        nlp: Language,
        lexicon: Lexicon,
        gazetteer: Gazetteer,
        *,
        cascade: bool = True,
        typer: EventTyper | None = None,  # the learned stage for ambiguous triggers (retype.py)
    ) -> None:
        self.nlp = nlp
        self.typer = typer
        self.cascade = Cascade(lexicon, nlp.lang, gazetteer_patterns()) if cascade else None
        self.gazetteer = gazetteer
        self.actors = ActorResolver(gazetteer, lexicon)
        self.finder = EventFinder(lexicon, self.actors)
        self.attributor = Attributor(lexicon, self.actors.resolve)
        self.intent = lexicon.triggers.intent
        self.context_words = {
            context: frozenset(words) for context, words in lexicon.triggers.context_words.items()
        }

    def extract(self, document: Document) -> Extraction:
        masked = self.mask_datelines(document.text)
        reduction = self._reduce(masked)
        text = reduction.text if reduction else masked
        return self.from_doc(document, self.nlp(text), reduction)

    def _reduce(self, text: str) -> Reduction | None:
        return self.cascade.reduce(text) if self.cascade is not None else None

    @staticmethod
    def mask_datelines(text: str) -> str:
        """Blank out wire datelines ("SEOUL (Northstar Wire) - ") so a place in a dateline is
        never read as the subject of the first sentence; same length, so offsets hold."""
        return DATELINE.sub(lambda m: " " * len(m.group("dateline")), text)

    def pipe(
        self, documents: Iterable[Document], batch_size: int = 16
    ) -> Iterator[Extraction | Failure]:
        """Extract from many documents in batches; one that breaks the rules is quarantined.

        A document whose extraction raises becomes a ``Failure`` carrying the exception, so
        one odd page never stops a feed (the error is recorded, not swallowed).
        """

        def reduced() -> Iterator[tuple[str, tuple[Document, Reduction | None]]]:
            for document in documents:
                masked = self.mask_datelines(document.text)
                reduction = self._reduce(masked)
                yield (reduction.text if reduction else masked), (document, reduction)

        for doc, (document, reduction) in self.nlp.pipe(
            reduced(), as_tuples=True, batch_size=batch_size
        ):
            try:
                yield self.from_doc(document, doc, reduction)
            except Exception as exc:  # noqa: BLE001 - quarantined with the exception, see above
                source = document.source or document.id
                yield Failure(source, ErrorCode.E202.format(error=repr(exc)), "E202")

    def from_doc(
        self, document: Document, doc: Doc, reduction: Reduction | None = None
    ) -> Extraction:
        """Events and entities of a parsed document; ``reduction`` (from the cascade) maps
        the parse of the selected sentences back to the document's own offsets."""
        to_original = reduction.offsets if reduction else (lambda offset: offset)
        skipped = reduction.skipped_entities if reduction else ()
        events: list[Event] = []
        seen: set[tuple[object, ...]] = set()
        self.actors.learn(doc, [e for e in skipped if e.label_ == "PERSON"])
        history: list[tuple[Frame, Event]] = []  # earlier events a reaction may point at
        for sent in doc.sents:
            frames = self.finder.frames(sent)
            retyped = self.typer.retype(frames, sent) if self.typer is not None else {}
            pairs = [pair for f in frames for pair in self._events(f, sent, document, to_original)]
            pairs = [(f, noted(e, retyped.get(f.trigger.i))) for f, e in pairs]
            for frame, event in _merge_nested_events(pairs):
                if not event.target:
                    aimed = referred_event(frame, history, self._event_noun_type)
                    event = replace(event, target=tuple(aimed)) if aimed else event
                    event = _same_destination(frame, event, history)
                history.append((frame, event))
                key = (
                    event.type,
                    _keys(event.source),
                    _keys(event.target),
                    event.date,
                    event.attribution.negated,
                )
                if frame.nominal and key in seen:
                    continue  # the same happening named again later in the document
                seen.add(key)
                events.append(event)
        return Extraction(
            document=document,
            events=tuple(events),
            entities=tuple(
                sorted(
                    [*self._entities(doc, to_original), *self._entities(skipped, None)],
                    key=lambda e: (e.start, e.end),
                )
            ),
            extractor=self.name,
        )

    def _event_noun_type(self, noun: Token) -> str | None:
        entry = self.finder.noun_entry(noun)
        return entry.type if entry is not None else None

    def _intent(self, frame: Frame, attribution: Attribution) -> Attribution:
        """An intention announced by the actor itself is coded as PLOVER does: AGREE for a
        cooperative action, THREATEN for a conflictual one, REJECT for refusing to cooperate.
        Expectations voiced by others about the actor ("is expected to", "are likely to", a
        passive "will be sent") stay as they are.
        """
        intent = self.intent
        if attribution.status is not Status.EXPECTED or not frame.source:
            return attribution
        source_keys = {a.key for a in frame.source}
        own_words = (
            bool(attribution.asserted_by)
            and {a.key for a in attribution.asserted_by} <= source_keys
        )
        declared = attribution.cue in intent.declaring_words
        # "Turkey will allow…", "Israel will evacuate…": the actor's own future action in
        # the active voice is an announced intention, as PLOVER codes it
        volition = (
            attribution.cue in {"will", "would", "'ll", "shall"}
            and not frame.nominal
            and not is_passive(frame.anchor)
            and any(c.dep_ == "nsubj" for c in frame.anchor.children)
        )
        if not (own_words or declared or volition):
            return attribution
        negated = attribution.negated
        conditional = any(t.lower_ in intent.conditional_markers for t in frame.anchor.subtree)
        if attribution.cue == "threaten":
            frame.type, frame.cameo, frame.mode = "THREATEN", "130", None  # whatever the act
        elif frame.type in intent.cooperative and not conditional:
            frame.type, frame.cameo, frame.mode = (
                ("REJECT", "120", None) if negated else ("AGREE", "030", None)
            )
        elif frame.type in intent.conflictual or frame.type in intent.cooperative:
            frame.type, frame.cameo, frame.mode = "THREATEN", "130", None
        else:
            return attribution
        return Attribution(
            status=Status.REPORTED,
            asserted_by=attribution.asserted_by,
            negated=False,
            cue=attribution.cue,
        )

    def _events(
        self, frame: Frame, sent: Span, document: Document, to_original: Callable[[int], int]
    ) -> list[tuple[Frame, Event]]:
        """The frame's event; an announced intention gives two: the intent as PLOVER codes
        it (AGREE, THREATEN) and the announced action itself, still to come (expected)."""
        attribution = self.attributor.attribute(frame.anchor)
        original = replace(frame)
        intent = self._intent(frame, attribution)
        pairs = [(frame, self._event(frame, intent, sent, document, to_original))]
        # a threat's content is conditional, not an expected action
        if frame.type != original.type and not attribution.negated and intent.cue != "threaten":
            pairs.append(
                (original, self._event(original, attribution, sent, document, to_original))
            )
        return pairs

    def _event(
        self,
        frame: Frame,
        attribution: Attribution,
        sent: Span,
        document: Document,
        to_original: Callable[[int], int],
    ) -> Event:
        tokens = frame.tokens()
        date, date_text = self._date(tokens, document, attribution.status)
        location, _ = location_in(tokens, exclude=set())
        if location is None and frame.destination is not None:
            location, _ = location_in([frame.destination], exclude=set())
        frame.source = self._situate(frame.source, sent)
        acting = {a.country for a in frame.source if a.country}
        frame.target = self._situate(frame.target, sent, avoid=acting)
        attribution = _situate_asserters(attribution, frame)
        if attribution.status is Status.REPORTED and any(_suspected(a) for a in frame.source):
            # "killed by suspected Islamic State fighters": who did it is only suspected
            attribution = replace(attribution, status=Status.SUSPECTED)
        asserters = self._situate(list(attribution.asserted_by), sent)
        if asserters != list(attribution.asserted_by):
            attribution = replace(attribution, asserted_by=tuple(asserters))
        # a non-state group placed in the story's country ("gunmen") attacks that country
        source_countries = {
            a.country for a in frame.source if a.country and a.sector not in NONSTATE_SECTORS
        }
        if (
            frame.type in {"ASSAULT", "COERCE"}
            and not frame.target
            and source_countries
            and not any(t.lower_ in ALLY_MARKERS for t in sent)
            and frame.trigger.lemma_.lower() not in UNDIRECTED_TRIGGERS
        ):
            # "Indian jets struck nine sites in Pakistan": an attack in another country is
            # coded against that country, as PLOVER does
            struck = self._struck_country(location, tokens, source_countries)
            if struck is not None:
                frame.target = [Actor(struck, struck, struck, None, struck)]
        start = to_original(sent.start_char + (len(sent.text) - len(sent.text.lstrip())))
        end = to_original(sent.start_char + len(sent.text.rstrip()))
        evidence_text = document.text[start:end]
        return Event(
            type=frame.type,
            mode=frame.mode,
            context=self._context(frame, tokens),
            cameo=frame.cameo if frame.type == frame.entry.type or frame.cameo else None,
            source=tuple(frame.source),
            target=tuple(a for a in frame.target if a not in frame.source),
            attribution=attribution,
            date=date,
            date_text=date_text,
            location=location,
            quantities=tuple(quantities_in(tokens)),
            weapons=tuple(weapons_in(tokens, self.gazetteer)),
            evidence=Evidence(text=evidence_text, start=start, end=end),
            trigger=frame.trigger.text,
            extractor=self.name,
        )

    def _struck_country(
        self, location: Location | None, tokens: list, source_countries: set[str]
    ) -> str | None:
        """The country where an attack landed: the event's place, else a country named in
        its clause ("sites in Pakistan and Pakistan-administered Kashmir")."""
        if location is not None and location.country:
            return location.country if location.country not in source_countries else None
        for token in tokens:
            ent = entity_of(token)
            if ent is not None and ent.label_ in {"GPE", "LOC", "NORP"} and token.i == ent.start:
                country = self._entity_country(ent)
                if country and country not in source_countries:
                    return country
        return None

    def _situate(
        self, actors: list[Actor], sent: Span, avoid: frozenset[str] | set[str] = frozenset()
    ) -> list[Actor]:
        """Give "police", "protesters", "the army" the country the story is about: the one
        country named in the sentence, else the document's dominant one. A target avoids the
        source's own country when the sentence names one other ("Vietnam accused Chinese
        officers of beating fishermen")."""
        if not any(_sector_only(a) for a in actors):
            return actors
        country = (
            self._sentence_country(sent, avoid)
            or self._sentence_country(sent)
            or self._document_country(sent.doc)
        )
        if country is None:
            return actors
        return [
            Actor(a.text, f"{country} ({a.sector})", country, a.sector, f"{country}{a.sector}")
            if _sector_only(a)
            else a
            for a in actors
        ]

    def _sentence_country(
        self, sent: Span, avoid: frozenset[str] | set[str] = frozenset()
    ) -> str | None:
        countries = {
            c
            for ent in sent.ents
            if ent.label_ in COUNTRY_LABELS
            for c in [self._entity_country(ent)]
            if c and c not in avoid
        }
        return countries.pop() if len(countries) == 1 else None

    def _document_country(self, doc: Doc) -> str | None:
        cached = doc.user_data.get("sitrep_dominant_country", "?")
        if cached != "?":
            return cached
        counts: dict[str, int] = {}
        for ent in doc.ents:
            if ent.label_ in COUNTRY_LABELS:
                country = self._entity_country(ent)
                if country:
                    counts[country] = counts.get(country, 0) + 1
        total = sum(counts.values())
        best = max(counts, key=lambda c: (counts[c], c)) if counts else None
        dominant = best if best is not None and counts[best] * 2 > total else None
        doc.user_data["sitrep_dominant_country"] = dominant
        return dominant

    def _entity_country(self, ent: Span) -> str | None:
        from sitrep.nlp.places import resolve_place

        actor = self.actors.from_entity(ent)
        if actor is not None and actor.country:
            return actor.country
        if ent.label_ in {"GPE", "LOC"}:
            place = resolve_place(ent.text)
            return place.country if place else None
        return None

    def _context(self, frame: Frame, tokens: list) -> tuple[str, ...]:
        """The entry's contexts plus any that words in the event's clause add."""
        contexts = list(frame.entry.context)
        lemmas = {t.lemma_.lower() for t in tokens}
        for context, words in self.context_words.items():
            if context not in contexts and lemmas & words:
                contexts.append(context)
        return tuple(contexts)

    def _date(self, tokens: list, document: Document, status: Status) -> tuple:
        """The first DATE span in the event's clause, resolved against the publication date."""
        for token in tokens:
            if token.ent_type_ != "DATE":
                continue
            ent = entity_of(token)
            if ent is None:
                continue
            resolved = resolve_date(
                ent.text, document.published, prefer_future=status == Status.EXPECTED
            )
            return resolved, ent.text
        return None, None

    def _entities(
        self, source: Doc | Iterable[Span], to_original: Callable[[int], int] | None
    ) -> Iterator[Entity]:
        ents = source.ents if hasattr(source, "ents") else source
        for ent in ents:
            actor = (
                self.actors.from_entity(ent)
                if ent.label_ in {"PERSON", "ORG", "GPE", "NORP"}
                else None
            )
            name = actor.name if actor else None
            country = actor.country if actor else None
            code = actor.code if actor else None
            if ent.label_ in {"WEAPON", "LOC", "FAC"} and ent.ent_id_:
                entry = self.gazetteer.entry(ent.ent_id_)
                if entry is not None:
                    name, country = entry.name, getattr(entry, "country", None)
            yield Entity(
                text=ent.text,
                label=ent.label_,
                start=to_original(ent.start_char) if to_original else ent.start_char,
                end=to_original(ent.end_char) if to_original else ent.end_char,
                name=name,
                country=country,
                code=code,
            )


def _merge_nested_events(pairs: list[tuple[Frame, Event]]) -> list[tuple[Frame, Event]]:
    """ "threatened to deliver blows to the US" is one THREATEN: an event whose trigger sits in
    the clause of another with the same type and source folds its targets into that one."""
    merged: list[tuple[Frame, Event]] = []
    for frame, event in pairs:
        keys = (_keys(event.source), _kin(event.type))
        outer = next(
            (
                i
                for i, (other, other_event) in enumerate(merged)
                if (_keys(other_event.source), _kin(other_event.type)) == keys
                and other.anchor.is_ancestor(frame.anchor)
            ),
            None,
        )
        if outer is None:
            merged.append((frame, event))
            continue
        other, other_event = merged[outer]
        known = {a.key for a in other_event.target}
        extra = tuple(a for a in event.target if a.key not in known)
        merged[outer] = (other, replace(other_event, target=other_event.target + extra))
    return merged


def _same_destination(frame: Frame, event: Event, history: list[tuple[Frame, Event]]) -> Event:
    """ "…has sent troops to Russia. It is likely to send more artillery": a shipment with no
    destination goes where the same sender's earlier one went, in the same document."""
    if not (frame.entry.movement and event.type == "MOBILIZE" and frame.destination is None):
        return event
    senders = {a.country for a in event.source if a.country}
    for _, earlier in reversed(history):
        earlier_senders = {a.country for a in earlier.source if a.country}
        if earlier.type == "AID" and earlier.target and senders and senders == earlier_senders:
            return replace(event, type="AID", cameo="072", mode="military", target=earlier.target)
    return event


def _suspected(actor: Actor) -> bool:
    words = actor.text.lower().split()
    return bool(words) and any(w in {"suspected", "alleged", "presumed"} for w in words[:3])


def _kin(type_: str) -> str:
    """ "summoned the envoy to protest": an official protest inside a complaint is one act."""
    return "ACCUSE" if type_ == "PROTEST" else type_


def _situate_asserters(attribution: Attribution, frame: Frame) -> Attribution:
    """ "…, the interior ministry said" after "Georgian police arrested…": a state body named
    without its country speaks for the country the event happens in."""
    countries = {a.country for a in (*frame.source, *frame.target) if a.country}
    if len(countries) != 1 or not any(_unsituated_body(a) for a in attribution.asserted_by):
        return attribution
    (country,) = countries
    situated = tuple(
        Actor(a.text, a.name, country, a.sector, f"{country}{a.sector}")
        if _unsituated_body(a)
        else a
        for a in attribution.asserted_by
    )
    return Attribution(attribution.status, situated, attribution.negated, attribution.cue)


# Taking part in fighting somewhere is not an attack on that place's country.
UNDIRECTED_TRIGGERS = frozenset(
    {
        "fight",
        "fighting",
        "combat",
        "battle",
        "clash",
        "war",
        "hostility",
        "operation",
        "engage",
        "engagement",
        "kill",
        "wound",
        "injure",
    }
)
ALLY_MARKERS = frozenset({"alongside", "beside", "together", "behalf", "help", "helping"})
COUNTRY_LABELS = frozenset({"GPE", "NORP", "LOC"})


def _sector_only(actor: Actor) -> bool:
    return actor.country is None and actor.sector is not None and actor.code == actor.sector


def _unsituated_body(actor: Actor) -> bool:
    """A state body written as a common noun ("the interior ministry"), never a named person."""
    words = actor.text.split()
    common = bool(words) and (words[0].lower() == "the" or words[0][:1].islower())
    return actor.country is None and actor.sector in STATE_SECTORS and common


def _keys(actors: tuple) -> tuple:
    return tuple(sorted(str(a.key) for a in actors))
