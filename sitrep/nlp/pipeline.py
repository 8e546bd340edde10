"""Build the spaCy pipeline: a trained English model plus our gazetteer EntityRuler before NER."""

from __future__ import annotations

from functools import lru_cache
from itertools import product
from typing import TYPE_CHECKING, Any

from sitrep.errors import ErrorCode, ExtractionError

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

RULER_NAME = "sitrep_gazetteer"
MAX_CASINGS = 64  # beyond this many spellings a token pattern is cheaper than phrases


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
    """The model with our gazetteer rulers placed before ``ner`` (cached per model list).

    Gazetteer matches win over the statistical NER because NER keeps entities already set.
    The patterns are split across two EntityRulers for speed: phrase patterns are matched
    by spaCy's PhraseMatcher in one pass, token patterns by the slower Matcher. Multi-word
    names go first (case-insensitive), then single words matched as written, so the longer
    name wins ("North Korea" over "Korea").
    """
    nlp = load_model(candidates)
    if "parser" in nlp.pipe_names:
        _register_boundary_component()
        nlp.add_pipe(BOUNDARY_NAME, before="parser")
    add_gazetteer_rulers(
        nlp, gazetteer_patterns(), before="ner" if "ner" in nlp.pipe_names else None
    )
    return nlp


BOUNDARY_NAME = "sitrep_paragraph_boundaries"


@lru_cache(maxsize=1)
def _register_boundary_component() -> None:
    """Register (once, on first use) the component that starts a sentence after a blank line.

    The cascade joins the sentences it keeps with blank lines; the parser must not merge two
    of them into one sentence, or evidence would span text that was never parsed.
    """
    from spacy.language import Language

    if BOUNDARY_NAME in Language.factories:
        return

    @Language.component(BOUNDARY_NAME)
    def paragraph_boundaries(doc: Doc) -> Doc:
        for token in doc[1:]:
            previous = doc[token.i - 1]
            if "\n\n" in previous.text_with_ws or (previous.is_space and "\n" in previous.text):
                token.is_sent_start = True
        return doc


@lru_cache(maxsize=1)
def gazetteer_patterns() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The packaged gazetteer's patterns, split for the two rulers (computed once)."""
    from sitrep.nlp.gazetteer import load_gazetteer

    return split_patterns(load_gazetteer().ruler_patterns())


def add_gazetteer_rulers(
    nlp: Language,
    patterns: tuple[list[dict[str, Any]], list[dict[str, Any]]],
    *,
    before: str | None,
) -> None:
    """Add the case-insensitive ruler, then the exact-spelling one (longer names win).

    Patterns are added with every pipe disabled: the ruler turns each phrase pattern into a
    Doc by running the pipes before it, but matching on LOWER or ORTH needs only the
    tokenizer, and tagging and parsing thousands of names took most of the load time.
    """
    lower, exact = patterns
    first = nlp.add_pipe(
        "entity_ruler",
        name=RULER_NAME,
        before=before,
        config={"phrase_matcher_attr": "LOWER", "overwrite_ents": True},
    )
    second = nlp.add_pipe(
        "entity_ruler",
        name=f"{RULER_NAME}_exact",
        before=before,
        config={"phrase_matcher_attr": "ORTH", "overwrite_ents": False},
    )
    with nlp.select_pipes(disable=nlp.pipe_names):
        first.add_patterns(lower)  # type: ignore[attr-defined]
        second.add_patterns(exact)  # type: ignore[attr-defined]


def split_patterns(
    patterns: list[dict[str, Any]],
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Token patterns -> (case-insensitive patterns, single words matched as written).

    A multi-token pattern whose every token is a plain ``LOWER`` value (or a list of them)
    becomes phrase strings; one guarded single word ("Turkey", not "turkey"; "US", not "us")
    becomes exact phrase strings in its usual spellings; anything else stays a token pattern.
    """
    lower: list[dict[str, Any]] = []
    exact: list[dict[str, Any]] = []
    for pattern in patterns:
        specs = pattern["pattern"]
        meta = {"label": pattern["label"], "id": pattern["id"]}
        if isinstance(specs, str):
            lower.append(pattern)
        elif len(specs) > 1 and all(set(spec) == {"LOWER"} for spec in specs):
            for words in product(*(_values(spec["LOWER"]) for spec in specs)):
                lower.append({**meta, "pattern": " ".join(words)})
        elif len(specs) == 1 and set(specs[0]) in ({"LOWER", "IS_LOWER"}, {"ORTH"}):
            spec = specs[0]
            if "ORTH" in spec:
                forms = _values(spec["ORTH"])
            else:
                forms = [v for w in _values(spec["LOWER"]) for v in (w.title(), w.upper(), w)]
                forms = [f for f in forms if not f.islower()]
            for form in dict.fromkeys(forms):
                exact.append({**meta, "pattern": form})
        else:
            # mixed acronyms and words ("the US Army"): exact spellings in usual casings
            options = [
                _values(spec["ORTH"]) if "ORTH" in spec else _casings(_values(spec["LOWER"]))
                for spec in specs
                if set(spec) <= {"ORTH", "LOWER", "IS_LOWER"}
            ]
            combinations = 1
            for option in options:
                combinations *= len(option)
            if len(options) != len(specs) or combinations > MAX_CASINGS:
                lower.append(pattern)
                continue
            for words in product(*options):
                exact.append({**meta, "pattern": " ".join(words)})
    return lower, exact


def _casings(words: list[str]) -> list[str]:
    return list(dict.fromkeys(f for w in words for f in (w, w.title(), w.upper())))


def _values(value: str | dict[str, list[str]]) -> list[str]:
    return [value] if isinstance(value, str) else list(value["IN"])


def model_version(nlp: Language) -> str:
    """``name-version`` of the trained pipeline, recorded with every extraction."""
    meta = nlp.meta
    return f"{meta.get('lang', 'xx')}_{meta.get('name', 'model')}-{meta.get('version', '?')}"
