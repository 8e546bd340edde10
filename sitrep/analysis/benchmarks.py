"""Read and score the public benchmark sets (JSONL records with a ``scheme``).

Each record is ``{"id", "text", "date"?, "gold": [{"source", "event", "target", …}],
"scheme", "origin", "meta"}``; ``gold: []`` means nothing should be coded. Schemes:

- ``PLOVER`` (PLOVER gold standard records): category accuracy on sentences with a gold
  event, and triple P/R/F1 where every actor code has a comparable ISO-3 prefix (or "IGO").
- ``PLOVER-actor`` (NGEC actor resolution): a phrase resolved with our actor resolver,
  compared on country (IGOs as ``EUR``/``UNO``), sector where the schemes overlap, and
  "resolves to nothing".
- ``CAMEO`` (PETRARCH 2 unit tests, UniversalPetrarch validation): 2-digit CAMEO roots and
  penta classes; actors are not compared (PETRARCH's are fictional).
- ``PentaClass`` (ConfliBERT): penta class 0-4 of the sentence's event.

The files themselves stay outside the project; only their shapes are known here.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sitrep.analysis.evaluate import Extract, keys_of, score_document
from sitrep.analysis.gold import GoldActor, GoldEvent, GoldSet, evaluation_error
from sitrep.analysis.scores import NONE_LABEL, Counts, ErrorCase, EvalReport
from sitrep.errors import ErrorCode
from sitrep.records import Actor, Document, Event, Extraction

SCHEMES = ("PLOVER", "PLOVER-actor", "CAMEO", "PentaClass")
# Older PLOVER names still found in `event` when `event_plover2021` is missing.
PLOVER_RENAMED = {"DEMAND": "REQUEST", "DISAPPROVE": "ACCUSE", "INVESTIGATE": "ACCUSE"}
PLOVER_RENAMED["FIGHT"] = "ASSAULT"
# Pre-ISO country codes seen in older event data.
LEGACY_ISO3 = {"JAP": "JPN", "ROM": "ROU", "ZAR": "COD", "TMP": "TLS", "BUR": "MMR"}
# Organisation keys that NGEC codes as the "country" of an IGO family.
IGO_FAMILIES = {
    "EUR": frozenset({"EU"}),
    "UNO": frozenset(
        {"UN", "UNSC", "UNGA", "IAEA", "ICJ", "UNHCR", "UNICEF", "WFP", "WHO", "OCHA"}
        | {"UNRWA", "UNIFIL"}
    ),
}
# A PLOVER category's usual CAMEO root, for events that carry no CAMEO code of their own.
PLOVER_ROOT = {
    "AGREE": "03", "CONSULT": "04", "SUPPORT": "05", "CONCEDE": "08", "COOPERATE": "06",
    "AID": "07", "RETREAT": "08", "REQUEST": "10", "ACCUSE": "11", "REJECT": "12",
    "THREATEN": "13", "PROTEST": "14", "SANCTION": "16", "MOBILIZE": "15", "COERCE": "17",
    "ASSAULT": "19",
}  # fmt: skip
NGEC_SECTORS = {"CVL": "CIV"}  # NGEC sector codes that have another name in ours


def root_penta(root: str) -> int | None:
    """CAMEO quad classes with statements split off: 01-02 → 0, 03-05 → 1, 06-08 → 2,
    09-13 → 3, 14-20 → 4 (the ConfliBERT penta classes)."""
    if not root.isdigit():
        return None
    n = int(root)
    for limit, penta in ((2, 0), (5, 1), (8, 2), (13, 3), (20, 4)):
        if 1 <= n <= limit:
            return penta
    return None


def dyads(event: Event) -> int:
    """How many CAMEO records one event stands for: CAMEO codes one source-target pair per
    record, so "A, B and C met" is six records where we keep one event."""
    sources, targets = max(1, len(event.source)), len(event.target)
    if targets:
        return sources * targets
    return sources * (sources - 1) if sources > 1 else 1


def event_root(event: Event) -> str:
    """The 2-digit CAMEO root of a predicted event: its own code, else its category's."""
    if event.cameo and event.cameo[:2].isdigit():
        return event.cameo[:2]
    return PLOVER_ROOT[event.type]


# -- records ---------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class BenchmarkEvent:
    """One gold event: raw source/target as given, the event label, comparable actor codes."""

    event: str | None
    source: str | None = None
    target: str | None = None
    source_codes: tuple[str, ...] = ()
    target_codes: tuple[str, ...] = ()
    reciprocal: bool = False


@dataclass(frozen=True, slots=True)
class ActorGold:
    """NGEC: what a phrase should resolve to. ``country`` "" means "no country"."""

    country: str | None = None
    not_country: str | None = None
    sectors: tuple[str, ...] = ()
    title: str | None = None
    expect_none: bool = False
    xfail: bool = False


@dataclass(frozen=True, slots=True)
class BenchmarkRecord:
    id: str
    text: str
    scheme: str
    published: date | None = None
    events: tuple[BenchmarkEvent, ...] = ()
    actor: ActorGold | None = None
    fictional_actors: bool = False


def _date(value: Any) -> date | None:
    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def _codes(actors: Any, fallback: Any) -> tuple[str, ...]:
    if isinstance(actors, list) and actors:
        return tuple(str(a.get("code") or "") for a in actors if isinstance(a, dict))
    if isinstance(fallback, str) and fallback:
        return tuple(part.strip() for part in fallback.split(";") if part.strip())
    return ()


def read_benchmark_record(raw: dict[str, Any], *, where: str) -> BenchmarkRecord:
    """A typed record from one JSONL line; the scheme comes from its ``scheme`` field."""
    scheme = raw.get("scheme")
    text = raw.get("text")
    gold = raw.get("gold")
    if scheme not in SCHEMES:
        why = f"unknown scheme {scheme!r}; known: {', '.join(SCHEMES)}"
        raise evaluation_error(ErrorCode.E505, where=where, why=why)
    if not isinstance(text, str) or not text.strip() or not isinstance(gold, list):
        why = "needs a non-empty 'text' and a 'gold' list"
        raise evaluation_error(ErrorCode.E505, where=where, why=why)
    meta = raw.get("meta") if isinstance(raw.get("meta"), dict) else {}
    published = _date(raw.get("date")) or _date(meta.get("placeholder_date"))
    record_id = str(raw.get("id") or where)
    items = [g for g in gold if isinstance(g, dict)]
    if scheme == "PLOVER-actor":
        first = items[0] if items else {}
        country = first.get("country")
        marks = meta.get("pytest_marks") or []
        actor = ActorGold(
            country=country if isinstance(country, str) else None,
            not_country=country.get("not") if isinstance(country, dict) else None,
            sectors=tuple(
                NGEC_SECTORS.get(c, c) for c in (first.get("code_1"), first.get("code_2")) if c
            ),
            title=first.get("title") or None,
            expect_none=bool(first.get("expect_none")),
            xfail="xfail" in marks,
        )
        return BenchmarkRecord(record_id, text, scheme, published, actor=actor)
    events = []
    for item in items:
        label = item.get("event")
        if scheme == "PLOVER":
            label = item.get("event_plover2021") or PLOVER_RENAMED.get(str(label), label)
        events.append(
            BenchmarkEvent(
                event=None if label is None else str(label),
                source=item.get("source"),
                target=item.get("target"),
                source_codes=_codes(item.get("source_actors"), item.get("source")),
                target_codes=_codes(item.get("target_actors"), item.get("target")),
                reciprocal=bool(item.get("reciprocal")),
            )
        )
    fictional = "petrarch2" in str(raw.get("origin", "")).lower()
    return BenchmarkRecord(record_id, text, scheme, published, tuple(events), None, fictional)


# -- comparable actor codes --------------------------------------------------------------------
def gold_code(code: str) -> str | None:
    """The comparable part of a CAMEO/PLOVER actor code: an ISO-3 prefix, or "IGO"."""
    from sitrep.nlp.gazetteer import known_iso3

    prefix = LEGACY_ISO3.get(code[:3].upper(), code[:3].upper())
    if prefix == "IGO" or prefix in known_iso3():
        return prefix
    return None


def comparable_key(actor: Actor) -> str | None:
    """A predicted actor in the benchmark's terms: its country, or "IGO" for bodies."""
    if actor.country:
        return actor.country
    if actor.sector in {"IGO", "NGO"}:
        return "IGO"
    return None


def ngec_country(actor: Actor) -> str | None:
    """A resolved actor's "country" as NGEC codes it (IGO families as EUR/UNO)."""
    if actor.country:
        return actor.country
    for family, keys in IGO_FAMILIES.items():
        if actor.code in keys:
            return family
    return None


# -- scoring -------------------------------------------------------------------------------
def _documents(records: Sequence[BenchmarkRecord]) -> list[Document]:
    return [
        Document.from_text(r.text, published=r.published, record_id=r.id, source=r.id)
        for r in records
    ]


def score_benchmark(
    gold_set: GoldSet,
    *,
    extract: Extract,
    resolve: Callable[[str], Sequence[Actor]] | None = None,
) -> EvalReport:
    """Score one benchmark set with the scorer its scheme needs."""
    report = EvalReport(name=gold_set.name, scheme=gold_set.scheme, documents=len(gold_set.records))
    records = gold_set.records
    if gold_set.scheme == "PLOVER-actor":
        _score_actors(report, records, resolve or _default_resolver())
        return report
    extractions = extract(_documents(records))
    if gold_set.scheme == "PLOVER":
        _score_plover(report, records, extractions)
    elif gold_set.scheme == "CAMEO":
        _score_cameo(report, records, extractions)
    else:
        _score_penta(report, records, extractions)
    return report


def _default_resolver() -> Callable[[str], Sequence[Actor]]:
    from sitrep.api import get_extractor
    from sitrep.nlp.resolve_phrase import resolve_phrase

    extractor = get_extractor()
    return lambda text: resolve_phrase(extractor, text)


def _score_plover(
    report: EvalReport, records: Sequence[BenchmarkRecord], extractions: Sequence[Extraction]
) -> None:
    report.events = Counts()
    skipped = 0
    for record, extraction in zip(records, extractions, strict=True):
        predicted = extraction.events
        for gold in record.events:
            if gold.event is None:
                continue
            codes = [gold_code(c) for c in (*gold.source_codes, *gold.target_codes)]
            wanted = {c for c in codes if c}
            best = max(
                predicted,
                key=lambda e: len(keys_of((*e.source, *e.target), comparable_key) & wanted),
                default=None,
            )
            ok = best is not None and best.type == gold.event
            report.metric("category").record(ok)
            report.confuse(gold.event, best.type if best is not None else NONE_LABEL)
            if not ok:
                found = _describe(best) if best is not None else NONE_LABEL
                report.errors.append(
                    ErrorCase(record.id, "category", gold.event, found, record.text)
                )
        triples = [_plover_gold_event(g) for g in record.events]
        if record.events and all(t is not None for t in triples):
            score_document(
                report, record.id, record.text, predicted,
                [t for t in triples if t is not None], key_of=comparable_key, confusion=False,
            )  # fmt: skip
        else:
            skipped += 1
    report.notes.append(
        f"triples scored on {len(records) - skipped} records; {skipped} have actor codes "
        "with no comparable ISO-3 prefix"
    )


def _plover_gold_event(gold: BenchmarkEvent) -> GoldEvent | None:
    if gold.event is None or not gold.source_codes:
        return None
    source = [gold_code(c) for c in gold.source_codes]
    target = [gold_code(c) for c in gold.target_codes]
    if None in source or None in target:
        return None
    return GoldEvent(
        types=(gold.event,),
        source=tuple(GoldActor(frozenset({c})) for c in source if c),
        target=tuple(GoldActor(frozenset({c})) for c in target if c) if target else None,
        reciprocal=gold.reciprocal,
    )


def _describe(event: Event) -> str:
    source = "+".join(sorted({str(comparable_key(a)) for a in event.source})) or "-"
    target = "+".join(sorted({str(comparable_key(a)) for a in event.target})) or "-"
    return f"{event.type} {source}→{target} ({event.trigger or '?'})"


def _score_actors(
    report: EvalReport,
    records: Sequence[BenchmarkRecord],
    resolve: Callable[[str], Sequence[Actor]],
) -> None:
    from sitrep.nlp.gazetteer import SECTORS, known_iso3, load_gazetteer, normalise_alias

    gazetteer = load_gazetteer()
    xfail = uncomparable = 0
    for record in records:
        gold = record.actor
        if gold is None:
            continue
        if gold.xfail:
            xfail += 1
            continue
        actors = [a for a in resolve(record.text) if a.country or a.code]
        first = actors[0] if actors else None
        found = ngec_country(first) if first is not None else None
        label = f"{first.name} ({found or '-'}/{first.sector or '-'})" if first else NONE_LABEL
        if gold.expect_none:
            report.metric("no_actor").record(first is None)
            if first is not None:
                report.errors.append(
                    ErrorCase(record.id, "no_actor", NONE_LABEL, label, record.text)
                )
        if gold.not_country is not None:
            ok = found != gold.not_country
            report.metric("country").record(ok)
        elif gold.country is not None:
            expected = gold.country or None
            if (
                expected is not None
                and expected not in known_iso3()
                and expected not in IGO_FAMILIES
            ):
                uncomparable += 1
            else:
                ok = found == expected
                report.metric("country").record(ok)
                if not ok:
                    report.errors.append(
                        ErrorCase(record.id, "country", expected or NONE_LABEL, label, record.text)
                    )
        sectors = [s for s in gold.sectors if s in SECTORS]
        if sectors:
            report.metric("sector").record(first is not None and first.sector in sectors)
        if gold.title:
            entry = gazetteer.resolve_alias(gold.title)
            names = {normalise_alias(gold.title)}
            if entry is not None:
                names.add(normalise_alias(entry.name))
            report.metric("title").record(
                first is not None and normalise_alias(first.name) in names
            )
    report.notes.append(
        f"{xfail} records marked xfail upstream and {uncomparable} with a non-country code "
        "in 'country' were not scored"
    )


def _match_labels(
    gold: list[str], predicted: list[str]
) -> tuple[list[tuple[str, str]], Counter[str]]:
    """Pair equal labels one to one; return the pairs and the predicted labels left over."""
    left = Counter(predicted)
    pairs = []
    for label in gold:
        if left[label] > 0:
            left[label] -= 1
            pairs.append((label, label))
        else:
            pairs.append((label, ""))
    return pairs, left


def _score_cameo(
    report: EvalReport, records: Sequence[BenchmarkRecord], extractions: Sequence[Extraction]
) -> None:
    report.events = Counts()
    for record, extraction in zip(records, extractions, strict=True):
        predicted = [event_root(e) for e in extraction.events for _ in range(dyads(e))]
        roots = [g.event[:2] for g in record.events if g.event and g.event[:2].isdigit()]
        if not record.events:
            report.metric("no_event").record(not predicted)
        comparable = [r for r in roots if (root_penta(r) or 0) > 0]
        pairs, left = _match_labels(comparable, predicted)
        spare = list(left.elements())
        for gold_root, found in pairs:
            report.metric("cameo_root").record(bool(found))
            if found:
                report.events.tp += 1
                report.confuse(gold_root, found)
            else:
                report.events.fn += 1
                guess = spare.pop(0) if spare else NONE_LABEL
                report.confuse(gold_root, guess)
                report.errors.append(
                    ErrorCase(record.id, "cameo_root", gold_root, guess, record.text)
                )
        report.events.fp += sum(left.values())
        gold_penta = [str(root_penta(r)) for r in comparable]
        pred_penta = [str(root_penta(r)) for r in predicted]
        for _, found in _match_labels(gold_penta, pred_penta)[0]:
            report.metric("penta").record(bool(found))
    report.notes.append(
        "event P/R/F1 compares 2-digit CAMEO roots 03-20, one per source-target pair; "
        "actors are not compared"
    )


def _score_penta(
    report: EvalReport, records: Sequence[BenchmarkRecord], extractions: Sequence[Extraction]
) -> None:
    for record, extraction in zip(records, extractions, strict=True):
        for gold in record.events:
            if gold.event is None or not gold.event.isdigit():
                continue
            if gold.event == "0":
                report.metric("no_event").record(not extraction.events)
                continue
            best = _best_by_text(extraction.events, gold.source)
            found = str(root_penta(event_root(best))) if best is not None else NONE_LABEL
            ok = found == gold.event
            report.metric("penta").record(ok)
            report.confuse(gold.event, found)
            if not ok:
                detail = _describe(best) if best is not None else NONE_LABEL
                report.errors.append(
                    ErrorCase(record.id, "penta", gold.event, f"{found}: {detail}", record.text)
                )
    report.notes.append("penta accuracy on gold classes 1-4; class 0 (statements) scores no_event")


def _best_by_text(events: Sequence[Event], source: str | None) -> Event | None:
    """The event whose source surface text overlaps the gold source span, else the first."""
    if source:
        for event in events:
            if any(a.text and (a.text in source or source in a.text) for a in event.source):
                return event
    return events[0] if events else None
