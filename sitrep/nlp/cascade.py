"""The cascade: a cheap first pass picks the sentences worth a full parse.

Most news sentences hold no political event. Splitting sentences with a rule-based
sentencizer and looking each token up in a set of trigger word forms costs a small fraction
of tagging, parsing and NER, so the full pipeline only runs over the sentences that name an
event (plus the sentence before one that opens with a pronoun, so "He said…" keeps its
antecedent). The parsed sentences are joined into one shorter text; ``OffsetMap`` takes
offsets in that text back to the document's own.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Span

    from sitrep.nlp.lexicon import Lexicon

SEPARATOR = "\n\n"
OPENING_PRONOUNS = frozenset({"he", "she", "it", "they", "his", "her", "its", "their"})
_WORD = re.compile(r"[A-Za-z][A-Za-z'\u2019-]*")


def inflections(lemma: str) -> set[str]:
    """Regular English inflections of a lemma (verbs and nouns), for the cheap lookup.

    Hand-written because the packaged pipeline's lemmatizer needs POS tags (the very cost
    the cascade avoids) and a few suffix rules cover regular forms; irregular ones come
    from the lexicon's ``irregular_forms``.
    """
    word = lemma.lower()
    forms = {word, word + "s", word + "es", word + "ed", word + "d", word + "ing"}
    if word.endswith("e"):
        forms |= {word[:-1] + "ing", word[:-1] + "ed"}
    if word.endswith("y") and len(word) > 2 and word[-2] not in "aeiou":
        forms |= {word[:-1] + "ies", word[:-1] + "ied"}
    if len(word) > 2 and word[-1] not in "aeiouwxy" and word[-2] in "aeiou":
        forms |= {word + word[-1] + "ed", word + word[-1] + "ing"}  # "shelled", "committed"
    return forms


@dataclass(frozen=True)
class OffsetMap:
    """Maps character offsets in the reduced text back to the original document."""

    reduced_starts: tuple[int, ...]
    original_starts: tuple[int, ...]

    def __call__(self, offset: int) -> int:
        if not self.reduced_starts:
            return offset
        index = max(0, bisect_right(self.reduced_starts, offset) - 1)
        return self.original_starts[index] + offset - self.reduced_starts[index]


@dataclass(frozen=True)
class Reduction:
    """What the cheap pass produced for one document."""

    text: str  # the selected sentences, joined
    offsets: OffsetMap
    skipped_entities: tuple[Span, ...]  # gazetteer entities in sentences not parsed


class Cascade:
    """Decides which sentences to parse, from the trigger and attribution lexicons."""

    def __init__(
        self,
        lexicon: Lexicon,
        lang: str = "en",
        patterns: tuple[list[dict[str, Any]], list[dict[str, Any]]] = ([], []),
    ) -> None:
        words: set[str] = set()
        triggers = lexicon.triggers
        # Only event words: a reporting verb or a light verb alone never makes an event.
        for lemma in [*triggers.verbs, *triggers.nouns]:
            words |= inflections(lemma.split()[-1])
        irregular = triggers.irregular_forms
        words |= {form for lemma in triggers.verbs for form in irregular.get(lemma, ())}
        words |= set(triggers.obligation.modals)
        if triggers.verdicts is not None:  # "described the launch as a provocation"
            for lemma in triggers.verdicts.verbs:
                words |= inflections(lemma)
        if triggers.punitive is not None:  # "said Israel would pay a heavy price"
            for lemma in triggers.punitive.words:
                words |= inflections(lemma)
        for lemma in (triggers.light_verbs & {"put", "place"}) | {"remain", "stay", "station"}:
            words |= inflections(lemma)
        self.forms = frozenset(words)
        self.cheap, self.names = _cheap_pipelines(lang, patterns)

    def select(self, doc: Doc) -> list[tuple[int, int]]:
        """Character spans of the sentences worth parsing, in order."""
        text = doc.text
        sentences = [(s.start_char, s.end_char) for s in doc.sents]
        keep = [self._has_trigger(text[a:b]) for a, b in sentences]
        for i in range(1, len(sentences)):
            if keep[i] and not keep[i - 1]:
                first = _WORD.search(text[sentences[i][0] : sentences[i][1]])
                if first is not None and first.group(0).lower() in OPENING_PRONOUNS:
                    keep[i - 1] = True
        return [span for span, wanted in zip(sentences, keep, strict=True) if wanted]

    def _has_trigger(self, sentence: str) -> bool:
        return any(m.group(0).lower() in self.forms for m in _WORD.finditer(sentence))

    def reduce(self, text: str) -> Reduction:
        """The selected sentences joined into one text, the map back to ``text``, and the
        gazetteer entities of the sentences left out.

        Sentences are split without the gazetteer; the gazetteer then runs only over the
        sentences left out (the others blanked to spaces, so offsets hold), since the full
        parse matches names in the selected ones anyway."""
        doc = self.cheap(text)
        spans = self.select(doc)
        masked = list(text)
        for start, end in spans:
            masked[start:end] = " " * (end - start)
        names = self.names("".join(masked))
        pieces: list[str] = []
        reduced_starts: list[int] = []
        original_starts: list[int] = []
        position = 0
        for start, end in spans:
            reduced_starts.append(position)
            original_starts.append(start)
            pieces.append(text[start:end])
            position += end - start + len(SEPARATOR)
        starts = [a for a, _ in spans]
        skipped = tuple(
            ent
            for ent in names.ents
            if not (0 <= bisect_right(starts, ent.start_char) - 1 < len(spans))
            or ent.start_char >= spans[bisect_right(starts, ent.start_char) - 1][1]
        )
        offsets = OffsetMap(tuple(reduced_starts), tuple(original_starts))
        return Reduction(SEPARATOR.join(pieces), offsets, skipped)


def _cheap_pipelines(
    lang: str, patterns: tuple[list[dict[str, Any]], list[dict[str, Any]]]
) -> tuple[Language, Language]:
    """Tokenizer with rule-based sentences, and tokenizer with the gazetteer rulers: no
    tagging or parsing in either."""
    import spacy

    from sitrep.nlp.pipeline import add_gazetteer_rulers

    cheap = spacy.blank(lang)
    cheap.add_pipe("sentencizer")
    names = spacy.blank(lang)
    add_gazetteer_rulers(names, patterns, before=None)
    return cheap, names
