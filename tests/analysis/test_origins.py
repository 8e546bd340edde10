"""Origins: wire credits and near-duplicate texts make one origin."""

from __future__ import annotations

from datetime import date

import pytest

from sitrep.analysis.origins import find_origins, near_duplicate_pairs, wire_credits
from sitrep.records import Document

STORY = (
    "North Korea fired an intercontinental ballistic missile into the sea off its east coast "
    "on Thursday, South Korea's military said. The missile flew for about 86 minutes, the "
    "longest flight of any North Korean test, and fell outside Japan's economic zone. The "
    "launch came days before the US election, as Washington and Seoul accused Pyongyang of "
    "sending troops to Russia."
)


def doc(doc_id: str, text: str, **meta: object) -> Document:
    return Document(id=doc_id, text=text, **meta)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("meta", "text", "credit"),
    [
        ({"author": "Mina Park (Northstar Wire)"}, STORY, "northstar wire"),
        ({}, "SEOUL (Reuters) - " + STORY, "reuters"),
        ({}, STORY + "\n\n(AFP)", "afp"),
        ({}, STORY + "\n\nReporting by Mina Park for Northstar Wire.", "northstar wire"),
        ({}, STORY + "\n— Associated Press", "associated press"),
        ({"outlet": "Yonhap"}, STORY, "yonhap"),
    ],
)
def test_origins_wire_credit_forms(meta: dict, text: str, credit: str) -> None:
    assert credit in wire_credits(doc("a", text, **meta))


def test_origins_a_citation_is_not_a_credit() -> None:
    text = STORY[:200] + " Reuters reported that the launch was planned. " + STORY[200:] * 3
    assert wire_credits(doc("a", text)) == frozenset()


def test_origins_near_duplicates_found_and_unrelated_kept_apart() -> None:
    edited = STORY.replace("the longest flight of any", "longer than any earlier")
    other = "Japan lodged a protest with Pyongyang through its embassy in Beijing on Tuesday."
    pairs = near_duplicate_pairs([doc("b", edited), doc("a", STORY), doc("c", other)])
    assert [(a, b) for a, b, _ in pairs] == [("a", "b")]
    assert 0.5 <= pairs[0][2] < 1


def test_origins_group_by_credit_near_duplicate_and_stored_link() -> None:
    docs = [
        doc("w1", "One wire story.\n(Northstar Wire)", published=date(2024, 10, 31)),
        doc("w2", "Another text, same wire.\n(Northstar Wire)", published=date(2024, 10, 30)),
        doc("n1", STORY, published=date(2024, 11, 1)),
        doc("n2", STORY.replace("Thursday", "Thursday morning"), published=date(2024, 11, 2)),
        doc("s1", "Completely separate reporting.", published=date(2024, 11, 3)),
        doc("s2", "Another separate report entirely.", published=date(2024, 11, 4)),
        doc("x", "Alone."),
    ]
    origins = find_origins(docs, stored_links=[("s2", "s1")])
    assert origins.of["w1"] == origins.of["w2"] == "wire:northstar wire"
    assert origins.groups["wire:northstar wire"] == ("w2", "w1")  # earliest first
    assert origins.of["n1"] == origins.of["n2"] == "n1"
    assert origins.of["s1"] == origins.of["s2"] == "s1"
    assert origins.count(["w1", "w2", "n1", "n2", "x"]) == 3
