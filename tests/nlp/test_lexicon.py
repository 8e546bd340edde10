"""The packaged lexicons load, and broken files are refused with a message naming them."""

from __future__ import annotations

import shutil
from importlib import resources
from pathlib import Path

import pytest
from pydantic import ValidationError

from sitrep.errors import DataFileError
from sitrep.nlp.lexicon import TriggerEntry, load_lexicon
from sitrep.records import PLOVER_CATEGORIES, Status


def test_lexicon_packaged_files_load() -> None:
    lexicon = load_lexicon()
    assert lexicon.triggers.verbs["deploy"].type == "AID"
    assert lexicon.triggers.verbs["deploy"].movement
    assert lexicon.attribution.reporting_verbs["confirm"] is Status.CONFIRMED
    assert lexicon.sector_of("soldier") == "MIL"
    assert lexicon.sector_of("foreign minister") == "GOV"


def test_lexicon_covers_every_plover_category() -> None:
    lexicon = load_lexicon()
    covered = {e.type for e in lexicon.triggers.verbs.values()}
    covered |= {e.type for e in lexicon.triggers.nouns.values()}
    assert covered == set(PLOVER_CATEGORIES)


def _copy_lexicon(tmp_path: Path) -> Path:
    source = resources.files("sitrep.data.lexicon")
    for name in ("triggers.yaml", "attribution.yaml", "sectors.yaml"):
        shutil.copyfile(str(source / name), tmp_path / name)
    return tmp_path


@pytest.mark.parametrize(
    ("file", "old", "new", "fragment"),
    [
        (
            "triggers.yaml",
            'type: AGREE, cameo: "030"}',
            'type: AGREEMENT, cameo: "030"}',
            "not a PLOVER category",
        ),
        ("triggers.yaml", 'cameo: "057"', 'cameo: "5x7"', "CAMEO code"),
        ("attribution.yaml", "confirm: confirmed", "confirm: certain", "attribution.yaml"),
        ("sectors.yaml", "  SPY:", "  XYZ:", "unknown sector codes"),
    ],
)
def test_lexicon_invalid_file_raises_naming_it(
    tmp_path: Path, file: str, old: str, new: str, fragment: str
) -> None:
    directory = _copy_lexicon(tmp_path)
    path = directory / file
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(DataFileError) as info:
        load_lexicon(directory)
    assert file in str(info.value)
    assert fragment in str(info.value)


def test_lexicon_alternatives_accept_bare_categories_and_refuse_repeats() -> None:
    entry = TriggerEntry.model_validate(
        {"type": "ASSAULT", "alternatives": ["PROTEST", {"type": "AGREE", "cameo": "030"}]}
    )
    assert [(o.type, o.cameo) for o in entry.alternatives] == [("PROTEST", None), ("AGREE", "030")]
    for bad in (["ASSAULT"], ["PROTEST", "PROTEST"], ["STRIKE"]):
        with pytest.raises(ValidationError):
            TriggerEntry.model_validate({"type": "ASSAULT", "alternatives": bad})


def test_lexicon_packaged_alternatives_are_other_categories() -> None:
    triggers = load_lexicon().triggers
    entries = {**triggers.verbs, **{f"noun {k}": v for k, v in triggers.nouns.items()}}
    ambiguous = {word: e for word, e in entries.items() if e.alternatives}
    assert {"launch", "strike", "release", "press", "warn"} <= set(ambiguous)
    for entry in ambiguous.values():
        assert entry.type not in {o.type for o in entry.alternatives}
