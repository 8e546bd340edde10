"""Claims across documents: link stored events that report the same happening.

Pure functions over ``StoredEvent`` records and their ``Document``s; the store persists what
``link_claims`` returns (``sitrep relink``). Nothing is overwritten: events stay as they
were extracted, and claims are recomputed from all of them, so a better extractor or new
evidence can split or merge claims again.

**Which pairs may link** (every test must pass; a pair failing one never links):

- *type*: the same PLOVER category, or both in one family of ``TYPE_FAMILIES`` (AID and
  MOBILIZE: a troop deployment is coded either way).
- *actors* (``Actor.key``: organisation key, else country): source against source and target
  against target, each side matching when one is empty (unknown) or one key set contains
  the other (PRK matches PRK+RUS); and the two events share at least one actor. For mutual
  types (CONSULT, COOPERATE, AGREE) and undirected fighting (ASSAULT with CAMEO 190,
  "fought") the roles may also match swapped.
- *time*: when both events carry their own date, at most ``DATE_TOLERANCE_DAYS`` (3) apart;
  otherwise their effective dates (own date, else publication date) at most
  ``claim_window_days`` (setting, 10) apart, and an undated report published more than 3
  days before a dated happening is not about it (unless it is an expectation). Undated,
  unpublished events link only within their own document.
- *place*: both located in different countries only if closer than ``claim_distance_km``
  (setting, 500 km; ``sitrep.nlp.places.haversine_km``).
- *weapons*: when both name weapon classes, they share one (an ICBM test is not an SRBM test).

**Score** of an allowed pair, in [0, 1]: ``0.5 * similarity + 0.3 * actors + 0.2 * time``,
where *similarity* is the paraphrase similarity of the evidence sentences (or, if higher, of
the clauses around the two triggers, ``focus``), calibrated to [0, 1]
between the method's floor and ceiling (``analysis/similarity.py``); *actors* is 1 for the
same source and target keys, 0.75 for a subset, an unknown side or swapped mutual roles; and
*time* is ``1 - days / (window + 1)``. Two undated events of one article get
``SAME_ARTICLE_BONUS`` (0.1): an article tells one story, so its undated reports of the same
kind of event by the same actors are most likely that story (a dated one beside them may be
background, "the first launch since …"). Pairs scoring at least ``LINK_THRESHOLD`` (0.6) link.

**Clustering** is deterministic and order-free: links are taken best first (score, then the
events' stable keys) and joined with union-find, except that two groups are never joined if
any pair across them fails a test other than the time window (so two launches five days
apart stay apart even when a vaguer report resembles both). Claim ids hash the sorted
member keys (document id, evidence offsets, type and coding), never database row ids.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date

from sitrep.analysis.claim_status import (
    Observation,
    claim_quantities,
    contradictions,
    current_status,
    observation_status,
    status_history,
)
from sitrep.analysis.origins import Origins, find_origins
from sitrep.analysis.similarity import Similarity, calibrated, prepare_all
from sitrep.config import Settings
from sitrep.nlp.places import haversine_km
from sitrep.records import (
    PLOVER_CATEGORIES,
    Actor,
    Claim,
    ClaimMember,
    Document,
    Event,
    Location,
    Status,
    StoredEvent,
)

LINKER = "claims.link.v1"
TYPE_FAMILIES: Mapping[str, str] = {"AID": "AID/MOBILIZE", "MOBILIZE": "AID/MOBILIZE"}
MUTUAL_TYPES = frozenset({"CONSULT", "COOPERATE", "AGREE"})
UNDIRECTED_CAMEO = frozenset({"190"})  # "use conventional military force": fighting
DATE_TOLERANCE_DAYS = 3
WEIGHT_SIMILARITY, WEIGHT_ACTORS, WEIGHT_TIME = 0.5, 0.3, 0.2
LINK_THRESHOLD = 0.6
SAME_ARTICLE_BONUS = 0.1


@dataclass(frozen=True, slots=True)
class LinkOptions:
    """The settings linking depends on (``Settings`` fields, or given directly in tests)."""

    window_days: int = 10
    distance_km: float = 500.0
    threshold: float = LINK_THRESHOLD

    @classmethod
    def from_settings(cls, settings: Settings) -> LinkOptions:
        return cls(window_days=settings.claim_window_days, distance_km=settings.claim_distance_km)


@dataclass(frozen=True, slots=True)
class Item:
    """One stored event, prepared for comparison."""

    stored: StoredEvent
    order: tuple[object, ...]
    family: str
    sources: frozenset[str]
    targets: frozenset[str]
    own: date | None  # the event's own date
    day: date | None  # own date, else publication date
    weapons: frozenset[str]
    text: str  # the evidence sentence
    focus: str  # the words around the trigger: the clause that carries the event

    @property
    def event(self) -> Event:
        return self.stored.event


@dataclass(frozen=True, slots=True)
class Link:
    """An allowed pair that scored at or above the threshold (indices into the items)."""

    a: int
    b: int
    score: float
    similarity: float  # the raw similarity of the evidence sentences
    method: str


def _keys(actors: Iterable[Actor]) -> frozenset[str]:
    return frozenset(a.key for a in actors if a.key)


def family(event_type: str) -> str:
    return TYPE_FAMILIES.get(event_type, event_type)


FOCUS_WORDS = 6


def focus(sentence: str, trigger: str | None, width: int = FOCUS_WORDS) -> str:
    """The ``width`` words either side of the trigger, or the sentence when it is not found.

    A long sentence can carry an event in one clause ("… as Washington and Seoul accused
    Pyongyang of sending troops to Russia"); comparing that clause as well as the sentence
    keeps the rest of the sentence from hiding the match.
    """
    words = sentence.split()
    if not trigger:
        return sentence
    wanted = trigger.lower()
    for index, word in enumerate(words):
        if word.lower().strip(".,;:!?\"'()") == wanted:
            return " ".join(words[max(0, index - width) : index + width + 1])
    return sentence


def prepare(events: Iterable[StoredEvent]) -> list[Item]:
    """Events as comparable items, in a stable order that ignores ingest order."""
    items = []
    for stored in events:
        event = stored.event
        sources, targets = _keys(event.source), _keys(event.target)
        order = (
            stored.published or event.date or date.max,
            stored.document_id,
            event.evidence.start,
            event.evidence.end,
            event.type,
            tuple(sorted(sources)),
            tuple(sorted(targets)),
            event.location.name if event.location else "",
            event.status.value,
            event.attribution.negated,
            stored.id,
        )
        items.append(
            Item(
                stored=stored,
                order=order,
                family=family(event.type),
                sources=sources,
                targets=targets,
                own=event.date,
                day=event.date or stored.published,
                weapons=frozenset(w.weapon_class or w.name for w in event.weapons),
                text=event.evidence.text,
                focus=focus(event.evidence.text, event.trigger),
            )
        )
    return sorted(items, key=lambda item: item.order)


def _side_matches(a: frozenset[str], b: frozenset[str]) -> bool:
    return not a or not b or a <= b or b <= a


def actor_score(a: Item, b: Item) -> float | None:
    """1 same actors; 0.75 a subset, an unknown side or mutual roles swapped; else None."""
    if not (a.sources | a.targets) & (b.sources | b.targets):
        return None
    if _side_matches(a.sources, b.sources) and _side_matches(a.targets, b.targets):
        return 1.0 if (a.sources, a.targets) == (b.sources, b.targets) else 0.75
    mutual = a.event.type in MUTUAL_TYPES or (
        a.event.type == "ASSAULT"
        and (a.event.cameo in UNDIRECTED_CAMEO or b.event.cameo in UNDIRECTED_CAMEO)
    )
    if mutual and _side_matches(a.sources, b.targets) and _side_matches(a.targets, b.sources):
        return 0.75
    return None


def _places_match(a: Location | None, b: Location | None, distance_km: float) -> bool:
    if a is None or b is None or not a.country or not b.country or a.country == b.country:
        return True
    if None in (a.lat, a.lon, b.lat, b.lon):
        return False
    return haversine_km(a, b) <= distance_km


def _reported_before(report: Item, dated: Item) -> bool:
    """An undated report published before a dated happening cannot be about it, unless it
    is an expectation ("will send", "plans to")."""
    if report.own or not dated.own or report.stored.published is None:
        return False
    if report.event.status is Status.EXPECTED:
        return False
    return (dated.own - report.stored.published).days > DATE_TOLERANCE_DAYS


def mergeable(a: Item, b: Item, options: LinkOptions) -> bool:
    """Every test but the time window: may these two ever be in one claim?"""
    if a.family != b.family or actor_score(a, b) is None:
        return False
    if a.own and b.own and abs((a.own - b.own).days) > DATE_TOLERANCE_DAYS:
        return False
    if _reported_before(a, b) or _reported_before(b, a):
        return False
    if a.weapons and b.weapons and not a.weapons & b.weapons:
        return False
    return _places_match(a.event.location, b.event.location, options.distance_km)


def time_score(a: Item, b: Item, options: LinkOptions) -> float | None:
    """1 on the same day, falling to 0 past the window; None outside it."""
    if a.day is None or b.day is None:
        return 1.0 if a.stored.document_id == b.stored.document_id else None
    days = abs((a.day - b.day).days)
    if days > options.window_days:
        return None
    return 1.0 - days / (options.window_days + 1)


def score_pair(
    a: Item, b: Item, similarity: Similarity, options: LinkOptions
) -> tuple[float, float] | None:
    """``(score, raw similarity)`` for an allowed pair, None when a test fails."""
    if not mergeable(a, b, options):
        return None
    when = time_score(a, b, options)
    if when is None:
        return None
    actors = actor_score(a, b)
    assert actors is not None  # mergeable checked it
    raw = max(similarity.score(a.text, b.text), similarity.score(a.focus, b.focus))
    total = (
        WEIGHT_SIMILARITY * calibrated(similarity, raw)
        + WEIGHT_ACTORS * actors
        + WEIGHT_TIME * when
    )
    if a.stored.document_id == b.stored.document_id and not (a.own or b.own):
        total = min(1.0, total + SAME_ARTICLE_BONUS)
    return round(total, 4), round(raw, 4)


def candidate_links(
    items: Sequence[Item], similarity: Similarity, options: LinkOptions
) -> list[Link]:
    """Every pair at or above the threshold, compared only within a type family and window."""
    prepare_all(similarity, [item.text for item in items] + [item.focus for item in items])
    by_family: dict[str, list[int]] = {}
    for index, item in enumerate(items):
        by_family.setdefault(item.family, []).append(index)
    links = []
    for indices in by_family.values():
        dated = sorted((i for i in indices if items[i].day), key=lambda i: (items[i].day, i))
        undated = [i for i in indices if items[i].day is None]
        pairs: list[tuple[int, int]] = []
        for pos, i in enumerate(dated):
            day_i = items[i].day
            assert day_i is not None
            for j in dated[pos + 1 :]:
                day_j = items[j].day
                assert day_j is not None
                if (day_j - day_i).days > options.window_days:
                    break
                pairs.append((min(i, j), max(i, j)))
        pairs += [(i, j) for p, i in enumerate(undated) for j in undated[p + 1 :]]
        for i, j in pairs:
            scored = score_pair(items[i], items[j], similarity, options)
            if scored is not None and scored[0] >= options.threshold:
                links.append(Link(i, j, scored[0], scored[1], similarity.method))
    return sorted(links, key=lambda link: (-link.score, link.a, link.b))


def cluster(items: Sequence[Item], links: Sequence[Link], options: LinkOptions) -> list[list[int]]:
    """Groups of item indices: best links first, never joining groups that cannot merge."""
    parent = list(range(len(items)))
    members: dict[int, list[int]] = {i: [i] for i in range(len(items))}

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for link in sorted(links, key=lambda k: (-k.score, k.a, k.b)):
        ra, rb = find(link.a), find(link.b)
        if ra == rb:
            continue
        if not all(
            mergeable(items[x], items[y], options) for x in members[ra] for y in members[rb]
        ):
            continue
        keep, gone = min(ra, rb), max(ra, rb)
        parent[gone] = keep
        members[keep] = sorted(members[keep] + members.pop(gone))
    return sorted(members.values())


def member_key(stored: StoredEvent) -> str:
    """What identifies an event across stores: its document, evidence offsets and coding."""
    event = stored.event
    parts = (
        stored.document_id,
        event.evidence.start,
        event.evidence.end,
        event.type,
        ",".join(sorted(_keys(event.source))),
        ",".join(sorted(_keys(event.target))),
        event.location.name if event.location else "",
        event.status.value,
        event.attribution.negated,
        event.date.isoformat() if event.date else "",
    )
    return ":".join(str(part) for part in parts)


def claim_id(events: Iterable[StoredEvent]) -> str:
    """A stable id: the hash of the sorted member keys (never database row ids)."""
    keys = "\n".join(sorted(member_key(e) for e in events))
    return "c" + hashlib.sha256(keys.encode("utf-8")).hexdigest()[:12]


def _outlet_actor(name: str) -> Actor:
    return Actor(text=name, name=name, country=None, sector="MED", code=None)


def _asserter_key(actors: Sequence[Actor], outlet: str) -> str:
    keys = sorted({a.key or a.name.lower() for a in actors})
    return "+".join(keys) if keys else f"outlet:{outlet.lower()}"


def _overlap(a: Item, b: Item, swapped: bool = False) -> int:
    if swapped:
        return len(a.sources & b.targets) + len(a.targets & b.sources)
    return len(a.sources & b.sources) + len(a.targets & b.targets)


def _oriented(items: Sequence[Item]) -> list[tuple[tuple[Actor, ...], tuple[Actor, ...]]]:
    """(source, target) of each member, turned round where its actors sit on the other sides.

    Members are compared with the one that shares most actors in the same roles with the
    others (ties: the first), so "Ukraine fought North Korean troops" reads the same way as
    "North Korean troops fought Ukrainian forces" in one claim about that fighting.
    """
    anchor = max(items, key=lambda a: (sum(_overlap(a, b) for b in items), -items.index(a)))
    roles = []
    for item in items:
        event = item.event
        if _overlap(anchor, item, swapped=True) > _overlap(anchor, item):
            roles.append((event.target, event.source))
        else:
            roles.append((event.source, event.target))
    return roles


def _representatives(
    roles: Sequence[tuple[Actor, ...]], exclude: frozenset[str] = frozenset()
) -> tuple[Actor, ...]:
    """The actors a majority of the members naming this role agree on (else the commonest)."""
    counts: Counter[str] = Counter()
    forms: dict[str, Counter[tuple[str, str, str, str, str]]] = {}
    naming = 0
    for actors in roles:
        keys = _keys(actors) - exclude
        naming += bool(keys)
        counts.update(keys)
        for actor in actors:
            if actor.key and actor.key not in exclude:
                form = (
                    actor.sector or "",
                    actor.code or "",
                    actor.name,
                    actor.text,
                    actor.country or "",
                )
                forms.setdefault(actor.key, Counter())[form] += 1
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    keys = [key for key, count in ranked if count * 2 > naming] or [k for k, _ in ranked[:1]]
    chosen = []
    for key in keys:
        form = min(forms[key].items(), key=lambda kv: (-kv[1], kv[0]))[0]
        sector, code, name, text, country = form
        chosen.append(Actor(text, name, country or None, sector or None, code or None))
    return tuple(chosen)


def _claim_type(items: Sequence[Item]) -> str:
    counts = Counter(item.event.type for item in items)
    return min(counts, key=lambda t: (-counts[t], PLOVER_CATEGORIES.index(t)))


def _location(items: Sequence[Item]) -> Location | None:
    located = [item.event.location for item in items if item.event.location]
    if not located:
        return None
    counts = Counter(loc.name for loc in located)
    name = min(counts, key=lambda n: (-counts[n], n))
    return next(loc for loc in located if loc.name == name)


def build_claim(
    items: Sequence[Item],
    best: Sequence[Link | None],
    origins: Origins,
    documents: Mapping[str, Document],
    linker: str = LINKER,
) -> Claim:
    """One claim from its member items; ``best[i]`` is the best link of ``items[i]``."""
    roles = _oriented(items)
    source = _representatives([src for src, _ in roles])
    target = _representatives([tgt for _, tgt in roles], exclude=_keys(source))
    parties = _keys(source) | _keys(target)
    observations, members, asserters = [], [], {}
    for item, link in zip(items, best, strict=True):
        stored, event = item.stored, item.event
        doc = documents.get(stored.document_id)
        outlet = stored.outlet or (doc.outlet if doc else None) or "unknown outlet"
        said_on = stored.published or event.date
        asserted = event.attribution.asserted_by
        key = _asserter_key(asserted, outlet)
        for actor in asserted or (_outlet_actor(outlet),):
            asserters.setdefault(actor.key or actor.name.lower(), actor)
        status = observation_status(event.status, event.attribution.negated)
        observations.append(
            Observation(
                order=item.order,
                event_id=stored.id,
                document=stored.document_id,
                said_on=said_on,
                event_date=event.date,
                status=status,
                asserted_by=asserted,
                asserter_key=key,
                quantities=event.quantities,
            )
        )
        members.append(
            ClaimMember(
                event_id=stored.id,
                document=stored.document_id,
                type=event.type,
                status=event.status,
                negated=event.attribution.negated,
                asserted_by=asserted,
                evidence=event.evidence,
                date=event.date,
                published=stored.published,
                outlet=stored.outlet or (doc.outlet if doc else None),
                title=stored.title or (doc.title if doc else None),
                url=doc.url if doc else None,
                origin=origins.of.get(stored.document_id, stored.document_id),
                score=link.score if link else None,
                method=link.method if link else None,
            )
        )
    history = status_history(observations, parties)
    said = [o.said_on for o in observations if o.said_on]
    doc_ids = sorted(
        {item.stored.document_id for item in items},
        key=lambda d: (
            min(i.stored.published or date.max for i in items if i.stored.document_id == d),
            d,
        ),
    )
    return Claim(
        id=claim_id(item.stored for item in items),
        type=_claim_type(items),
        source=source,
        target=target,
        location=_location(items),
        first_seen=min(said) if said else None,
        last_seen=max(said) if said else None,
        status=current_status(history),
        status_history=history,
        origins=origins.count(doc_ids),
        asserting_sources=tuple(asserters.values()),
        quantities=claim_quantities(observations),
        contradictions=contradictions(observations),
        documents=tuple(doc_ids),
        members=tuple(members),
        linker=linker,
    )


def link_claims(
    events: Iterable[StoredEvent],
    documents: Iterable[Document],
    similarity: Similarity,
    options: LinkOptions | None = None,
    stored_links: Iterable[tuple[str, str]] = (),
) -> tuple[list[Claim], list[Link]]:
    """Link events into claims; the same events and documents always give the same claims.

    ``stored_links`` are near-duplicate document pairs already known to the store. Returns
    the claims (oldest first, then by id) and the links that were scored.
    """
    options = options or LinkOptions()
    items = prepare(events)
    docs = {d.id: d for d in documents}
    links = candidate_links(items, similarity, options)
    groups = cluster(items, links, options)
    origins = find_origins([docs[d] for d in sorted(docs)], stored_links)
    group_of = {index: n for n, group in enumerate(groups) for index in group}
    best: dict[int, Link] = {}
    for link in links:
        if group_of[link.a] != group_of[link.b]:
            continue
        for end in (link.a, link.b):
            if end not in best or (-link.score, link.a, link.b) < (
                -best[end].score,
                best[end].a,
                best[end].b,
            ):
                best[end] = link
    linker = f"{LINKER}+{similarity.method}"
    claims = [
        build_claim([items[i] for i in group], [best.get(i) for i in group], origins, docs, linker)
        for group in groups
    ]
    return _unique_ids(claims), links


def _unique_ids(claims: list[Claim]) -> list[Claim]:
    """Sorted claims; identical twins (the same coding stored twice) get "-2", "-3" ids."""
    ordered = sorted(claims, key=lambda c: (c.first_seen or date.max, c.id))
    seen: Counter[str] = Counter()
    unique = []
    for claim in ordered:
        seen[claim.id] += 1
        if seen[claim.id] > 1:
            claim = replace(claim, id=f"{claim.id}-{seen[claim.id]}")
        unique.append(claim)
    return unique
