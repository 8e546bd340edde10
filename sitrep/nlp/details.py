"""Dates, quantities, places and weapons attached to an event's clause."""

from __future__ import annotations

import re
import warnings
from datetime import date, datetime
from typing import TYPE_CHECKING

from sitrep.records import Location, Quantity, Weapon

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

    from sitrep.nlp.gazetteer import Gazetteer

# A DATE span only names a point in time when it has one of these; "four years" or
# "the past decade" are durations and are not resolved.
_POINT_IN_TIME = re.compile(
    r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\b|"
    r"\b(mon|tues|wednes|thurs|fri|satur|sun)day\b|\b(19|20)\d\d\b|"
    r"\b(yesterday|today|tomorrow|tonight)\b|\b(last|next|this|previous|coming)\s+"
    r"(week|month|year|weekend|mon|tue|wed|thu|fri|sat|sun)|\bago\b|\b\d{1,2}/\d{1,2}\b",
    re.IGNORECASE,
)
_MONTH_OR_YEAR = re.compile(
    r"((early|mid|late|mid-)\s*)?((jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?)?"
    r"\s*,?\s*((19|20)\d\d)?|(the\s+)?(last|next|this|coming|previous)\s+(month|year)",
    re.IGNORECASE,
)
_MONTH = re.compile(r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b", re.I)
_WEEKDAY = re.compile(r"(mon|tues|wednes|thurs|fri|satur|sun)day", re.I)
_VAGUE = re.compile(r"\b(recent|recently|earlier|later|past|decade|century|era)\b", re.I)


def resolve_date(text: str, published: date | None, *, prefer_future: bool = False) -> date | None:
    """Resolve a DATE span against the publication date; None for durations and vague spans.

    dateparser's ``search_dates`` misses dates inside long sentences, so we parse the DATE
    spans spaCy found, one at a time.
    """
    cleaned = re.sub(r"^(on|in|since|by|until|from|the)\s+", "", text.strip(), flags=re.I)
    if not _POINT_IN_TIME.search(cleaned) or (_VAGUE.search(cleaned) and "ago" not in cleaned):
        return None
    weekday = _WEEKDAY.fullmatch(cleaned.strip())
    if weekday and published is not None:
        # "on Friday" in a story published on a Friday means that day, not a week before
        names = ["mon", "tues", "wednes", "thurs", "fri", "satur", "sun"]
        if names.index(weekday.group(1).lower()) == published.weekday():
            return published
    import dateparser

    base = datetime(published.year, published.month, published.day) if published else None
    settings: dict[str, object] = {
        # a future weekday ("on Thursday") for planned events; named months stay as written
        "PREFER_DATES_FROM": "future" if prefer_future and not _MONTH.search(cleaned) else "past",
        "RETURN_AS_TIMEZONE_AWARE": False,
        "PREFER_DAY_OF_MONTH": "first",
    }
    if base is not None:
        settings["RELATIVE_BASE"] = base
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        parsed = dateparser.parse(cleaned, languages=["en"], settings=settings)  # type: ignore[arg-type]
    if parsed is None:
        return None
    if _MONTH_OR_YEAR.fullmatch(cleaned.strip()):
        return None  # a bare year or month is not a day; keep the text only
    return parsed.date()


_NUMBER_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "fifteen": 15,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "hundred": 100,
    "dozen": 12,
    "dozens": 24,
    "hundreds": 200,
    "thousands": 2000,
}
_SCALE = {"thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000, "k": 1_000}
QUALIFIERS = (
    "more than",
    "fewer than",
    "less than",
    "up to",
    "at least",
    "at most",
    "as many as",
    "over",
    "about",
    "around",
    "nearly",
    "almost",
    "roughly",
    "approximately",
    "some",
    "under",
    "upwards of",
    "an estimated",
    "estimated",
)


def parse_number(tokens: list[Token]) -> float | None:
    """The value of a number written with digits, commas, scale words or number words."""
    value: float | None = None
    for token in tokens:
        text = token.lower_.replace(",", "")
        if re.fullmatch(r"\d+(\.\d+)?", text):
            value = float(text) if value is None else value * float(text)
        elif text in _SCALE and value is not None:
            value *= _SCALE[text]
        elif text in _NUMBER_WORDS:
            value = float(_NUMBER_WORDS[text]) if value is None else value * _NUMBER_WORDS[text]
    return value


def quantities_in(tokens: list[Token]) -> list[Quantity]:
    """Numbers attached to counted nouns ("over 10,000 soldiers", "a range of 15,000 km")."""
    found: list[Quantity] = []
    seen: set[int] = set()
    for token in tokens:
        if token.i in seen or not (token.like_num or token.lower_ in _NUMBER_WORDS):
            continue
        if token.ent_type_ in {"DATE", "TIME", "WEAPON", "ORDINAL"}:
            continue
        if token.dep_ not in {"nummod", "quantmod", "compound", "pobj", "dobj", "nsubj", "appos"}:
            continue
        group = [token]
        head = token.head
        while head.like_num and head.i not in seen and head != head.head:
            group.append(head)
            head = head.head
        if token.dep_ not in {"nummod", "quantmod", "compound"} and not head.like_num:
            head = token  # a bare number with no counted noun
        numbers = sorted({t.i: t for t in group}.values(), key=lambda t: t.i)
        for t in numbers:
            seen.add(t.i)
        value = parse_number(numbers)
        if value is None:
            continue
        doc = token.doc
        start = numbers[0].i
        qualifier = None
        window = doc[max(0, start - 3) : start].text.lower()
        for phrase in QUALIFIERS:
            if window.endswith(phrase):
                qualifier = phrase
                start -= len(phrase.split())
                break
        unit = head.text.lower() if head != token and head.pos_ in {"NOUN", "PROPN"} else None
        if unit is None:
            counted = [p for p in token.children if p.dep_ == "prep" and p.lower_ == "of"]
            objects = [c for p in counted for c in p.children if c.dep_ == "pobj"]
            unit = objects[0].text.lower() if objects else None  # "dozens of rockets"
        end = max(t.i for t in numbers) + 1
        found.append(
            Quantity(text=doc[start:end].text, value=value, unit=unit, qualifier=qualifier)
        )
    return found


def weapons_in(tokens: list[Token], gazetteer: Gazetteer) -> list[Weapon]:
    """Weapon systems tagged by the gazetteer ruler among the given tokens."""
    out: dict[str, Weapon] = {}
    for token in tokens:
        if token.ent_type_ != "WEAPON" or token.ent_iob_ != "B":
            continue
        ent = token.doc[token.i : token.i + 1]
        for span in token.doc.ents:
            if span.start == token.i:
                ent = span
                break
        entry = gazetteer.entry(ent.ent_id_) if ent.ent_id_ else None
        if entry is None:
            continue
        out.setdefault(
            entry.name,
            Weapon(
                text=ent.text,
                name=entry.name,
                weapon_class=getattr(entry, "weapon_class", None) or getattr(entry, "class_", None),
                country=entry.country,
            ),
        )
    return list(out.values())


PLACE_PREPS = frozenset(
    {
        "in",
        "at",
        "near",
        "into",
        "to",
        "across",
        "outside",
        "inside",
        "over",
        "from",
        "around",
        "along",
    }
)
PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})


def location_in(tokens: list[Token], exclude: set[int]) -> tuple[Location | None, Span | None]:
    """The first place named as the object of a locative preposition among ``tokens``."""
    from sitrep.nlp.actors import entity_of
    from sitrep.nlp.places import resolve_place

    for token in tokens:
        if token.dep_ != "pobj" or token.head.lower_ not in PLACE_PREPS or token.i in exclude:
            continue
        candidates = [token, *[c for c in token.children if c.dep_ == "compound"]]
        for candidate in candidates:
            ent = entity_of(candidate)
            if ent is None or ent.label_ not in PLACE_LABELS | {"ORG"}:
                continue
            if ent.label_ == "ORG" and not ent.ent_id_.startswith("region:"):
                continue
            text = ent.text
            phrase = token.doc[ent.start : token.i + 1] if token.i >= ent.end else ent
            location = resolve_place(phrase.text) or resolve_place(text)
            if location is not None:
                return location, ent
    return None, None
