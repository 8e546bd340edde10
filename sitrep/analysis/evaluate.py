"""Score extraction against gold: matching, scoring, and running the extractor.

Events are compared as triples (source keys, PLOVER type, target keys) where an actor's key
is its country, or its organisation key (``NATO``, ``EU``, ``UN`` …), as
:attr:`sitrep.records.Actor.key` gives. Per document, predicted and gold events are matched
one to one by an optimal assignment (Hungarian method) over compatible pairs; a pair is
compatible when the predicted type is allowed, each judged side shares a key with the gold
side, and the prediction's sentence holds the gold evidence. Unmatched predictions are false
positives, unmatched required gold events are misses, and optional gold events are neither.
Attribution, actors, dates and places are then scored on the matched pairs.

Gold is read by :mod:`sitrep.analysis.gold`; benchmark JSONL sets are scored in
:mod:`sitrep.analysis.benchmarks`; the CI gate lives in :mod:`sitrep.analysis.gate`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from sitrep.analysis.gold import (
    BASELINE_KIND,
    GOLD_SCHEME,
    SPLITS,
    GoldActor,
    GoldDocument,
    GoldEvent,
    GoldSet,
    evaluation_error,
    normalise_key,
    parse_gold_document,
    read_gold,
)
from sitrep.analysis.scores import NONE_LABEL, ErrorCase, EvalReport
from sitrep.records import Actor, Document, Event, Extraction

__all__ = [
    "BASELINE_KIND",
    "GOLD_SCHEME",
    "SPLITS",
    "GoldActor",
    "GoldDocument",
    "GoldEvent",
    "GoldSet",
    "assign",
    "default_key",
    "evaluate",
    "evaluate_sets",
    "evaluation_error",
    "match_events",
    "normalise_key",
    "parse_gold_document",
    "read_gold",
    "score_document",
    "score_gold",
]

Extract = Callable[[Sequence[Document]], Sequence[Extraction]]
KeyOf = Callable[[Actor], str | None]


# -- matching --------------------------------------------------------------------------------
def default_key(actor: Actor) -> str | None:
    """An actor's key for matching; a generic actor with no country ("police", "civilians",
    coded by sector alone) has none, since "COP" names no one in particular."""
    key = actor.key
    if key is not None and actor.country is None and key == actor.sector:
        return None
    return key


def keys_of(actors: Iterable[Actor], key_of: KeyOf = default_key) -> frozenset[str]:
    return frozenset(k for k in (key_of(a) for a in actors) if k)


def _allowed(side: tuple[GoldActor, ...]) -> frozenset[str]:
    return frozenset().union(*(a.keys for a in side)) if side else frozenset()


def _side_ok(predicted: frozenset[str], gold: tuple[GoldActor, ...] | None) -> bool:
    if gold is None:
        return True
    if not gold:
        return not predicted
    return bool(predicted & _allowed(gold))


def _side_exact(predicted: frozenset[str], gold: tuple[GoldActor, ...] | None) -> bool:
    """Every gold actor named, and every predicted key belonging to some gold actor."""
    if gold is None:
        return True
    return all(a.keys & predicted for a in gold) and predicted <= _allowed(gold)


def actors_compatible(event: Event, gold: GoldEvent, key_of: KeyOf = default_key) -> bool:
    """Whether the predicted actors can be the gold ones (roles free when reciprocal)."""
    source, target = keys_of(event.source, key_of), keys_of(event.target, key_of)
    if gold.reciprocal:
        both = _allowed((*(gold.source or ()), *(gold.target or ())))
        return bool(source & both) and (not target or bool(target & both))
    return _side_ok(source, gold.source) and _side_ok(target, gold.target)


def actors_exact(event: Event, gold: GoldEvent, key_of: KeyOf = default_key) -> bool:
    source, target = keys_of(event.source, key_of), keys_of(event.target, key_of)
    if gold.reciprocal:
        return _side_exact(source | target, (*(gold.source or ()), *(gold.target or ())))
    return _side_exact(source, gold.source) and _side_exact(target, gold.target)


def status_ok(event: Event, gold: GoldEvent) -> bool | None:
    return None if gold.statuses is None else event.status in gold.statuses


def asserted_ok(event: Event, gold: GoldEvent) -> bool | None:
    if gold.asserted_by is None:
        return None
    return _side_exact(keys_of(event.attribution.asserted_by), gold.asserted_by)


def same_place(event: Event, gold: GoldEvent) -> bool:
    """Whether a predicted event's sentence holds the gold event's evidence (when both say
    where they are), so an event read from one sentence never matches one in another."""
    start, end = event.evidence.start, event.evidence.end
    if not gold.spans or end <= start:
        return True
    return any(s < end and start < e for s, e in gold.spans)


def _weight(event: Event, gold: GoldEvent, key_of: KeyOf, *, typed: bool) -> float:
    """How much pairing these two is worth: 0 when incompatible; required gold first, then
    agreement on type (for the confusion pass), attribution, actors and date."""
    if not same_place(event, gold) or not actors_compatible(event, gold, key_of):
        return 0.0
    type_ok = event.type in gold.types
    if typed and not type_ok:
        return 0.0
    weight = 100.0 if gold.optional else 1000.0
    weight += 40.0 * type_ok
    weight += 8.0 * bool(status_ok(event, gold)) + 8.0 * bool(asserted_ok(event, gold))
    weight += 4.0 * actors_exact(event, gold, key_of)
    weight += 2.0 * (gold.date_judged and event.date == gold.date)
    return weight


def match_events(
    predicted: Sequence[Event],
    gold: Sequence[GoldEvent],
    *,
    key_of: KeyOf = default_key,
    typed: bool = True,
) -> list[tuple[int, int]]:
    """The best one-to-one pairing (predicted index, gold index) of compatible events.

    ``typed=False`` pairs on actors alone, as the confusion table needs.
    """
    weights = [[_weight(p, g, key_of, typed=typed) for g in gold] for p in predicted]
    return assign(weights)


def assign(weights: Sequence[Sequence[float]]) -> list[tuple[int, int]]:
    """Maximum-weight one-to-one assignment (Hungarian method); zero-weight pairs dropped."""
    rows = len(weights)
    cols = len(weights[0]) if rows else 0
    if not rows or not cols:
        return []
    flip = rows > cols
    matrix = (
        [list(col) for col in zip(*weights, strict=True)] if flip else [list(r) for r in weights]
    )
    n, m = len(matrix), len(matrix[0])
    top = max(max(row) for row in matrix)
    cost = [[top - w for w in row] for row in matrix]
    inf = float("inf")
    u, v = [0.0] * (n + 1), [0.0] * (m + 1)
    owner, way = [0] * (m + 1), [0] * (m + 1)
    for i in range(1, n + 1):
        owner[0], j0 = i, 0
        minv, used = [inf] * (m + 1), [False] * (m + 1)
        while True:
            used[j0] = True
            i0, delta, j1 = owner[j0], inf, 0
            for j in range(1, m + 1):
                if not used[j]:
                    cur = cost[i0 - 1][j - 1] - u[i0] - v[j]
                    if cur < minv[j]:
                        minv[j], way[j] = cur, j0
                    if minv[j] < delta:
                        delta, j1 = minv[j], j
            for j in range(m + 1):
                if used[j]:
                    u[owner[j]] += delta
                    v[j] -= delta
                else:
                    minv[j] -= delta
            j0 = j1
            if owner[j0] == 0:
                break
        while j0:
            j1 = way[j0]
            owner[j0] = owner[j1]
            j0 = j1
    pairs = []
    for j in range(1, m + 1):
        if owner[j]:
            r, c = owner[j] - 1, j - 1
            if flip:
                r, c = c, r
            if weights[r][c] > 0:
                pairs.append((r, c))
    return sorted(pairs)


# -- scoring our gold ----------------------------------------------------------------------------
def _names(actors: Iterable[Actor]) -> str:
    return "+".join(sorted(str(a.key) for a in actors if a.key)) or "-"


def _gold_names(side: tuple[GoldActor, ...] | None) -> str:
    if side is None:
        return "*"
    return "+".join("|".join(sorted(a.keys)) for a in side) or "-"


def describe_event(event: Event) -> str:
    """ "AID PRK→RUS reported by KOR" (or "by outlet"), for error listings."""
    by = _names(event.attribution.asserted_by) if event.attribution.asserted_by else "outlet"
    neg = " (not)" if event.attribution.negated else ""
    return f"{event.type}{neg} {_names(event.source)}→{_names(event.target)} {event.status} by {by}"


def describe_gold(gold: GoldEvent) -> str:
    statuses = "|".join(s.value for s in gold.statuses) if gold.statuses else "*"
    by = "*" if gold.asserted_by is None else (_gold_names(gold.asserted_by) or "outlet")
    by = "outlet" if gold.asserted_by == () else by
    opt = " (optional)" if gold.optional else ""
    return (
        f"{'|'.join(gold.types)} {_gold_names(gold.source)}→{_gold_names(gold.target)} "
        f"{statuses} by {by}{opt}"
    )


def score_document(
    report: EvalReport,
    doc_id: str,
    text: str,
    predicted: Sequence[Event],
    gold: Sequence[GoldEvent],
    *,
    key_of: KeyOf = default_key,
    confusion: bool = True,
) -> None:
    """Add one document's matches, misses and false positives to ``report``.

    ``confusion=False`` leaves the confusion table to a caller that fills it another way.
    """
    from sitrep.nlp.places import haversine_km

    events = report.events if report.events is not None else None
    if events is None:
        raise ValueError("report.events must be a Counts to score events")
    pairs = match_events(predicted, gold, key_of=key_of)
    matched_pred = {p for p, _ in pairs}
    matched_gold = {g for _, g in pairs}
    for p, g in pairs:
        event, expected = predicted[p], gold[g]
        if expected.optional:
            continue
        events.tp += 1
        report.category(event.type).tp += 1
        s_ok, a_ok = status_ok(event, expected), asserted_ok(event, expected)
        if s_ok is not None:
            report.metric("status").record(s_ok)
        if a_ok is not None:
            report.metric("asserted_by").record(a_ok)
        if s_ok is not None or a_ok is not None:
            ok = s_ok is not False and a_ok is not False
            report.metric("attribution").record(ok)
            if not ok:
                report.errors.append(
                    ErrorCase(
                        doc_id,
                        "attribution",
                        describe_gold(expected),
                        describe_event(event),
                        event.evidence.text or text,
                    )
                )
        if expected.negated is not None:
            report.metric("negation").record(event.attribution.negated == expected.negated)
        report.metric("actors").record(actors_exact(event, expected, key_of))
        if expected.date_judged:
            report.metric("dates").record(event.date == expected.date)
        _score_location(report, event, expected, haversine_km)
    _score_actor_resolution(report, predicted, gold, key_of)
    # what the typed matching left over: a wrong type on the right actors, or plain misses
    left_pred = [i for i in range(len(predicted)) if i not in matched_pred]
    left_gold = [j for j in range(len(gold)) if j not in matched_gold]
    relaxed = match_events(
        [predicted[i] for i in left_pred], [gold[j] for j in left_gold], key_of=key_of, typed=False
    )
    typed_pairs = {(left_pred[p], left_gold[g]) for p, g in relaxed}
    wrong_pred = {p for p, _ in typed_pairs}
    wrong_gold = {g for _, g in typed_pairs}
    confuse = report.confuse if confusion else (lambda gold_label, predicted_label: None)
    for p, g in pairs:
        if not gold[g].optional:
            confuse(predicted[p].type, predicted[p].type)
    for p, g in sorted(typed_pairs):
        event, expected = predicted[p], gold[g]
        if expected.optional:
            continue
        confuse(expected.types[0], event.type)
        report.errors.append(
            ErrorCase(doc_id, "wrong_type", describe_gold(expected), describe_event(event), text)
        )
    for p in left_pred:
        event = predicted[p]
        events.fp += 1
        report.category(event.type).fp += 1
        if p in wrong_pred and not any(gold[g].optional for q, g in typed_pairs if q == p):
            continue
        confuse(NONE_LABEL, event.type)
        report.errors.append(
            ErrorCase(doc_id, "spurious", "", describe_event(event), event.evidence.text or text)
        )
    for g in left_gold:
        expected = gold[g]
        if expected.optional:
            continue
        events.fn += 1
        report.category(expected.types[0]).fn += 1
        if g not in wrong_gold:
            confuse(expected.types[0], NONE_LABEL)
            report.errors.append(
                ErrorCase(doc_id, "missed", describe_gold(expected), "", expected.evidence or text)
            )


def _score_actor_resolution(
    report: EvalReport, predicted: Sequence[Event], gold: Sequence[GoldEvent], key_of: KeyOf
) -> None:
    """Each gold actor of the document (once) is found if any predicted event names it,
    whatever the event: actor resolution measured apart from event typing."""
    found = frozenset().union(*(keys_of((*e.source, *e.target), key_of) for e in predicted))
    seen: set[frozenset[str]] = set()
    for expected in gold:
        if expected.optional:
            continue
        for side in (expected.source or (), expected.target or ()):
            for gold_actor in side:
                if gold_actor.keys not in seen:
                    seen.add(gold_actor.keys)
                    report.metric("actors_found").record(bool(gold_actor.keys & found))


def _score_location(
    report: EvalReport,
    event: Event,
    expected: GoldEvent,
    distance: Callable[[tuple[float, float], tuple[float, float]], float],
) -> None:
    gold = expected.location
    if gold is None:
        return
    predicted = event.location
    if gold.country:
        report.metric("location_country").record(
            predicted is not None and predicted.country == gold.country
        )
    if predicted is not None and None not in (gold.lat, gold.lon, predicted.lat, predicted.lon):
        report.geocoding.km.append(
            distance((gold.lat, gold.lon), (predicted.lat, predicted.lon))  # type: ignore[arg-type]
        )


def score_gold(gold_set: GoldSet, extractions: Sequence[Extraction]) -> EvalReport:
    """Score our gold documents against their extractions (same order)."""
    from sitrep.analysis.scores import Counts

    report = EvalReport(
        name=gold_set.name,
        scheme=GOLD_SCHEME,
        split=gold_set.split,
        documents=len(gold_set.documents),
        events=Counts(),
    )
    optional = sum(1 for d in gold_set.documents for e in d.events if e.optional)
    for doc, extraction in zip(gold_set.documents, extractions, strict=True):
        doc_id = doc.document.record_id or doc.document.id
        score_document(report, doc_id, doc.document.text, extraction.events, doc.events)
    required = sum(1 for d in gold_set.documents for e in d.events if not e.optional)
    report.notes.append(f"{required} required and {optional} optional gold events")
    return report


# -- running -------------------------------------------------------------------------------------
def extract_with_sitrep(documents: Sequence[Document]) -> list[Extraction]:
    """Extract with the configured rule extractor; a quarantined document counts as empty."""
    from sitrep import api
    from sitrep.records import Failure

    out: list[Extraction] = []
    for document, result in zip(documents, api.extract_documents(documents), strict=True):
        if isinstance(result, Failure):
            result = Extraction(document, (), (), extractor=f"failed: {result.reason}")
        out.append(result)
    return out


def evaluate_sets(
    sets: Sequence[GoldSet],
    *,
    extract: Extract | None = None,
    resolve: Callable[[str], Sequence[Actor]] | None = None,
) -> list[EvalReport]:
    """Score each gold set; ``extract`` and ``resolve`` default to the real extractor."""
    from sitrep.analysis.benchmarks import score_benchmark

    extract = extract or extract_with_sitrep
    reports = []
    for gold_set in sets:
        if gold_set.scheme == GOLD_SCHEME:
            extractions = extract([d.document for d in gold_set.documents])
            reports.append(score_gold(gold_set, extractions))
        else:
            reports.append(score_benchmark(gold_set, extract=extract, resolve=resolve))
    return reports


def evaluate(
    paths: Iterable[str | Path],
    *,
    split: str = "all",
    extract: Extract | None = None,
    resolve: Callable[[str], Sequence[Actor]] | None = None,
) -> list[EvalReport]:
    """Read gold from ``paths`` and score extraction against it, one report per gold set."""
    return evaluate_sets(read_gold(paths, split=split), extract=extract, resolve=resolve)
