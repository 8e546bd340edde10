"""Near-duplicate detection: shingles, stable signatures, and the LSH index's best match."""

from __future__ import annotations

import pytest

from sitrep.ingest.dedup import (
    NUM_PERM,
    NearDuplicateIndex,
    from_bytes,
    shingles,
    signature,
    to_bytes,
)

WIRE = (
    "Three cargo ships left the port of Halvik on Monday after the navy escorted them past the "
    "minefield, port officials said, the first departures in six weeks. The ministry said a "
    "fourth ship would follow on Wednesday if the weather held, and that inspectors had "
    "cleared the loading terminal overnight. Insurers had refused cover for the route since "
    "the blockade began, traders said, and freight rates had doubled in a month. A spokesman "
    "for the harbour authority declined to say how many mines remained in the approaches."
)
# The same wire story as another outlet ran it: one figure corrected, a byline line added.
REWRITE = WIRE.replace("six weeks", "seven weeks") + " Reporting by Mara Ellison."
OTHER = (
    "Rebel units shelled the northern bridge near Dunmore overnight, the defence ministry "
    "said, cutting the last road into the valley. Aid agencies said convoys had been halted "
    "and that fuel stocks in the town would last less than a week."
)


def test_shingles_are_word_runs_ignoring_case_and_punctuation() -> None:
    assert shingles("One, two THREE four five six.") == {
        b"one two three four five",
        b"two three four five six",
    }
    assert shingles("Too short.") == {b"too short"}


def test_signature_is_the_same_in_every_process() -> None:
    assert to_bytes(signature(WIRE)) == to_bytes(signature(WIRE))
    assert len(to_bytes(signature(WIRE))) == NUM_PERM * 4


def test_signature_round_trips_through_bytes() -> None:
    original = signature(WIRE)
    restored = from_bytes(to_bytes(original))
    assert restored.jaccard(original) == 1.0
    assert restored.jaccard(signature(REWRITE)) == original.jaccard(signature(REWRITE))


def test_from_bytes_refuses_a_signature_of_another_size() -> None:
    with pytest.raises(ValueError, match="128 values"):
        from_bytes(b"\x00" * 16)


def test_index_matches_a_near_duplicate_and_not_an_unrelated_text() -> None:
    index = NearDuplicateIndex()
    index.add("wire", signature(WIRE))
    index.add("other", signature(OTHER))
    match = index.match(signature(REWRITE))
    assert match is not None
    assert match.document_id == "wire"
    assert 0.8 <= match.similarity < 1.0
    unrelated = "The envoy inspected a grain terminal near Tarvel at dusk, officials said."
    assert index.match(signature(unrelated)) is None


def test_index_prefers_the_most_similar_document() -> None:
    index = NearDuplicateIndex()
    index.add("rewrite", signature(REWRITE))
    index.add("wire", signature(WIRE))
    match = index.match(signature(REWRITE + " Editing by Tom Hale."))
    assert match is not None and match.document_id == "rewrite"


def test_index_excludes_the_document_itself() -> None:
    index = NearDuplicateIndex()
    index.add("wire", signature(WIRE))
    assert index.match(signature(WIRE), exclude="wire") is None
    assert index.match(signature(WIRE)) is not None


def test_index_add_all_reads_stored_signatures() -> None:
    index = NearDuplicateIndex()
    index.add_all([("wire", to_bytes(signature(WIRE))), ("wire", to_bytes(signature(WIRE)))])
    assert len(index) == 1 and "wire" in index
    match = index.match(signature(REWRITE))
    assert match is not None and match.document_id == "wire"
