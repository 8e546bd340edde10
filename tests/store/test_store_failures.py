"""Failures: quarantined inputs are kept with their code and reason."""

from __future__ import annotations

from sitrep.records import Failure
from sitrep.store import Store


def test_store_record_failure_round_trip(store: Store) -> None:
    first = Failure("missing.txt", "file not found.", "E101")
    second = Failure("blob.bin", "looks binary (NUL bytes), not text.", "E102")
    store.record_failure(first)
    store.record_failure(second)
    assert store.failures() == [second, first]
    assert store.failures(limit=1) == [second]
    assert store.counts()["failures"] == 2


def test_store_failures_empty(store: Store) -> None:
    assert store.failures() == []
