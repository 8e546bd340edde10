"""Reading our gold format: validation with errors that name where and why, keys, digests,
splits by folder, and the baseline file skipped inside a gold folder. No model is loaded."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from sitrep.analysis.gold import (
    BASELINE_KIND,
    GoldDocument,
    normalise_key,
    parse_gold_document,
    read_gold,
)
from sitrep.errors import EvaluationError
from sitrep.records import Status

TEXT = "Russia struck Kharkiv on Monday, Kyiv said. Moscow denied it. Seoul praised Kyiv."
ASSAULT = {"type": "ASSAULT", "source": ["RUS"], "target": ["UKR"], "status": "reported"}


def gold(events: list[dict[str, Any]], text: str = TEXT, doc_id: str = "d1") -> GoldDocument:
    return parse_gold_document(
        {"document": {"id": doc_id, "published": "2024-11-12"}, "text": text, "events": events},
        where="test",
    )


def test_gold_normalise_key_cuts_sector_codes() -> None:
    assert normalise_key(" prkmil ") == "PRK"
    assert normalise_key("NATO") == "NATO"
    assert normalise_key("HAMAS") == "HAMAS"


@pytest.mark.parametrize(
    ("event_json", "message"),
    [
        ({"type": "FIGHT"}, "unknown PLOVER categories"),
        ({"types": []}, "exactly one of 'type' or 'types'"),
        ({"type": "AID", "types": ["AID"]}, "exactly one of 'type' or 'types'"),
        ({"type": "AID", "status": "likely"}, "unknown statuses"),
        ({"type": "AID", "staus": "reported"}, "staus"),
        ({"type": "AID", "evidence": "not in the text"}, "is not in the document text"),
        ({"type": "AID", "source": [[]]}, "names no key"),
    ],
)
def test_gold_bad_gold_names_where_and_why(event_json: dict[str, Any], message: str) -> None:
    with pytest.raises(EvaluationError, match="E501") as info:
        gold([event_json])
    assert "test" in str(info.value) and message in str(info.value)


def test_gold_gold_document_keeps_metadata_and_digest() -> None:
    doc = gold([ASSAULT])
    assert doc.document.record_id == "d1" and doc.document.published == date(2024, 11, 12)
    assert doc.events[0].types == ("ASSAULT",) and doc.events[0].statuses == (Status.REPORTED,)
    assert doc.digest == gold([ASSAULT]).digest != gold([{**ASSAULT, "type": "AID"}]).digest


def _write(path: Path, data: Any) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def _doc(doc_id: str, text: str = TEXT) -> dict[str, Any]:
    return {"document": {"id": doc_id}, "text": text, "events": [ASSAULT]}


def test_gold_read_gold_splits_and_skips_the_baseline(tmp_path: Path) -> None:
    _write(tmp_path / "tune" / "a.json", [_doc("t1"), _doc("t2", "Other text.")])
    _write(tmp_path / "test" / "b.json", _doc("x1"))
    _write(tmp_path / "baseline.json", {"kind": BASELINE_KIND, "floors": {}})
    ids = {
        split: [d.document.record_id for d in read_gold([tmp_path], split=split)[0].documents]
        for split in ("tune", "test", "all")
    }
    assert ids == {"tune": ["t1", "t2"], "test": ["x1"], "all": ["x1", "t1", "t2"]}
    assert read_gold([tmp_path], split="test")[0].split == "test"


def test_gold_read_gold_errors(tmp_path: Path) -> None:
    with pytest.raises(EvaluationError, match="E502"):
        read_gold([tmp_path / "missing"])
    with pytest.raises(EvaluationError, match="E504"):
        read_gold([tmp_path], split="dev")
    _write(tmp_path / "dupes" / "a.json", [_doc("same"), _doc("same", "Another text.")])
    with pytest.raises(EvaluationError, match="also used"):
        read_gold([tmp_path / "dupes"])
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"document": ', encoding="utf-8")
    with pytest.raises(EvaluationError, match="E503"):
        read_gold([bad])
