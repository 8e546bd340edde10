"""Build the spaCy pipeline: a trained English model plus our gazetteer EntityRuler before NER."""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from sitrep.errors import ErrorCode, ExtractionError

if TYPE_CHECKING:
    from spacy.language import Language

RULER_NAME = "sitrep_gazetteer"


def load_model(candidates: tuple[str, ...]) -> Language:
    """Load the first installed spaCy pipeline among ``candidates``."""
    import spacy

    for name in candidates:
        try:
            return spacy.load(name)
        except OSError:
            continue
    raise ExtractionError(ErrorCode.E201.format(tried=", ".join(candidates)))


@lru_cache(maxsize=4)
def build_nlp(candidates: tuple[str, ...]) -> Language:
    """The model with our gazetteer patterns placed before ``ner`` (cached per model list).

    Gazetteer matches win over the statistical NER because NER keeps entities already set.
    """
    from sitrep.nlp.gazetteer import load_gazetteer

    nlp = load_model(candidates)
    before = "ner" if "ner" in nlp.pipe_names else None
    ruler = nlp.add_pipe(
        "entity_ruler",
        name=RULER_NAME,
        before=before,
        config={"phrase_matcher_attr": "LOWER", "overwrite_ents": True},
    )
    ruler.add_patterns(load_gazetteer().ruler_patterns())  # type: ignore[attr-defined]
    return nlp


def model_version(nlp: Language) -> str:
    """``name-version`` of the trained pipeline, recorded with every extraction."""
    meta = nlp.meta
    return f"{meta.get('lang', 'xx')}_{meta.get('name', 'model')}-{meta.get('version', '?')}"
