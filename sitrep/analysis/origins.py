"""Independence of sources: which documents are one origin (a wire story and its copies).

Ten outlets reprinting one agency story are one source, not ten. Two documents share an
origin when any of these holds (and the relation is closed transitively, with union-find):

- **the same wire credit**: a news agency named as the source of the copy, in the byline
  ("Mina Park (Northstar Wire)"), in a dateline or credit line ("(AFP)", "- Reuters",
  "Reporting by … for Northstar Wire"), or as the outlet itself. Known agencies (AFP,
  Reuters, AP, Yonhap, Xinhua, TASS, Kyodo, …) and any "(X Wire)", "X News Agency" or
  "X News Service" credit are recognised. A mere citation ("Reuters reported") is not a
  credit: the outlet may have done its own reporting besides.
- **near-duplicate text**: MinHash over 5-word shingles with LSH for candidates, confirmed
  by an exact Jaccard similarity of at least ``NEAR_DUPLICATE_JACCARD`` (0.5: a rewrite that
  keeps half its word runs is still the same story). Deterministic: fixed seed, sorted input.
- **a near-duplicate link already in the store** (recorded at ingest by ``sitrep.ingest``).

Each origin is named by its wire ("wire:northstar wire") or else by its earliest document.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from datasketch import MinHash, MinHashLSH

from sitrep.records import Document, normalise_text

NEAR_DUPLICATE_JACCARD = 0.5
SHINGLE_WORDS = 5
NUM_PERM = 128
SEED = 7

# Agencies by the names they are credited under; the value is the name an origin is keyed on.
AGENCIES: Mapping[str, str] = {
    "afp": "afp",
    "agence france-presse": "afp",
    "agence france presse": "afp",
    "reuters": "reuters",
    "thomson reuters": "reuters",
    "ap": "associated press",
    "associated press": "associated press",
    "the associated press": "associated press",
    "yonhap": "yonhap",
    "yonhap news agency": "yonhap",
    "xinhua": "xinhua",
    "xinhua news agency": "xinhua",
    "tass": "tass",
    "kyodo": "kyodo",
    "kyodo news": "kyodo",
    "dpa": "dpa",
    "efe": "efe",
    "ansa": "ansa",
    "upi": "upi",
    "united press international": "upi",
    "interfax": "interfax",
    "ria novosti": "ria novosti",
    "anadolu agency": "anadolu",
    "press trust of india": "pti",
    "pti": "pti",
    "bloomberg news": "bloomberg",
}
_AGENCY_ALT = "|".join(sorted((re.escape(k) for k in AGENCIES), key=len, reverse=True))
_GENERIC = r"[A-Z][\w&'.-]*(?:\s[A-Z][\w&'.-]*){0,3}\s(?:Wire|News\sAgency|News\sService)"
_CREDIT = f"(?:{_GENERIC}|(?i:{_AGENCY_ALT}))"
# "(AFP)", "(Northstar Wire)", "SEOUL (Reuters) -": a credit in parentheses.
_PAREN = re.compile(rf"\(\s*(?P<name>{_CREDIT})\s*\)")
# "- Reuters" / "— AFP" closing a text, "Reporting by … for Northstar Wire", "Source: AP".
_TRAILER = re.compile(rf"(?:^|\n)\s*[-—–]\s*(?P<name>{_CREDIT})\s*\.?\s*$")
_REPORTING = re.compile(
    rf"(?:reporting|reported|written|additional reporting)\s+by\b[^\n]{{0,80}}?"
    rf"\b(?:for|of|from)\s+(?P<name>{_CREDIT})\b",
    re.IGNORECASE,
)
_SOURCE_LINE = re.compile(rf"(?:^|\n)\s*(?:source|via)\s*:\s*(?P<name>{_CREDIT})\s*$", re.I)
_EDGE = 400  # credits sit at the start or the end of a text; the middle holds citations


def _canonical(name: str) -> str:
    key = " ".join(name.lower().split())
    return AGENCIES.get(key, key)


def wire_credits(document: Document) -> frozenset[str]:
    """The news agencies a document is credited to (lower-case canonical names)."""
    found: set[str] = set()
    if document.author:
        found.update(_canonical(m["name"]) for m in _PAREN.finditer(document.author))
        if _canonical(document.author) in AGENCIES.values():
            found.add(_canonical(document.author))
    if document.outlet and _canonical(document.outlet) in set(AGENCIES.values()) | set(AGENCIES):
        found.add(_canonical(document.outlet))
    text = document.text
    edges = (text[:_EDGE], text[-_EDGE:]) if len(text) > 2 * _EDGE else (text,)
    for part in edges:
        for pattern in (_PAREN, _TRAILER, _REPORTING, _SOURCE_LINE):
            found.update(_canonical(m["name"]) for m in pattern.finditer(part))
    return frozenset(found)


_WORD = re.compile(r"\w+")


def shingles(text: str, size: int = SHINGLE_WORDS) -> frozenset[str]:
    """Overlapping runs of ``size`` lower-cased words; a shorter text is one shingle."""
    words = _WORD.findall(normalise_text(text).lower())
    if len(words) <= size:
        return frozenset({" ".join(words)})
    return frozenset(" ".join(words[i : i + size]) for i in range(len(words) - size + 1))


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a or b else 0.0


def near_duplicate_pairs(
    documents: Sequence[Document], threshold: float = NEAR_DUPLICATE_JACCARD
) -> list[tuple[str, str, float]]:
    """Pairs of documents whose texts are near duplicates: ``(id_a, id_b, jaccard)``, a < b."""
    ordered = sorted({d.id: d for d in documents}.values(), key=lambda d: d.id)
    sets = {d.id: shingles(d.text) for d in ordered}
    lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
    pairs: list[tuple[str, str, float]] = []
    for doc in ordered:
        minhash = MinHash(num_perm=NUM_PERM, seed=SEED)
        minhash.update_batch([s.encode("utf-8") for s in sorted(sets[doc.id])])
        for other in sorted(lsh.query(minhash)):
            score = jaccard(sets[doc.id], sets[other])
            if score >= threshold:
                pairs.append((other, doc.id, round(score, 4)))
        lsh.insert(doc.id, minhash)
    return sorted(pairs)


@dataclass(frozen=True, slots=True)
class Origins:
    """Which origin each document belongs to, and the documents of each origin."""

    of: Mapping[str, str]  # document id -> origin name
    groups: Mapping[str, tuple[str, ...]]  # origin name -> document ids, sorted

    def count(self, document_ids: Iterable[str]) -> int:
        """How many independent origins a set of documents comes from."""
        return len({self.of.get(d, d) for d in document_ids})


def find_origins(
    documents: Sequence[Document], stored_links: Iterable[tuple[str, str]] = ()
) -> Origins:
    """Group documents into origins by wire credit, near-duplicate text and stored links."""
    by_id = {d.id: d for d in documents}
    parent = {doc_id: doc_id for doc_id in by_id}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(a: str, b: str) -> None:
        if a in parent and b in parent:
            ra, rb = find(a), find(b)
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)

    credits = {doc_id: wire_credits(doc) for doc_id, doc in by_id.items()}
    first_with: dict[str, str] = {}
    for doc_id in sorted(by_id):
        for credit in sorted(credits[doc_id]):
            union(first_with.setdefault(credit, doc_id), doc_id)
    for a, b, _score in near_duplicate_pairs(list(by_id.values())):
        union(a, b)
    for a, b in stored_links:
        union(a, b)

    members: dict[str, list[str]] = {}
    for doc_id in by_id:
        members.setdefault(find(doc_id), []).append(doc_id)
    of: dict[str, str] = {}
    groups: dict[str, tuple[str, ...]] = {}
    for ids in members.values():
        ordered = sorted(ids, key=lambda i: (by_id[i].published or date.max, i))
        wires = sorted(set().union(*(credits[i] for i in ordered)))
        name = f"wire:{wires[0]}" if wires else ordered[0]
        groups[name] = tuple(ordered)
        for doc_id in ordered:
            of[doc_id] = name
    return Origins(of=of, groups=groups)
