"""Full-text search helpers: make any user query safe for FTS5, and snippets without it.

Users type queries such as ``U.S. "air defence" -- what's new?``. Passed raw to FTS5 MATCH,
punctuation, unbalanced quotes or words like NOT raise syntax errors. Instead each term (a
bare word or a double-quoted phrase) becomes a quoted FTS5 phrase of its word tokens, and
terms are ANDed. Punctuation inside a bare term keeps its parts together as a phrase, which
is how the FTS5 tokenizer splits the indexed text too (``U.S.`` matches "U.S.").
"""

from __future__ import annotations

import re

_TERM = re.compile(r'"([^"]*)"?|(\S+)')
_WORD = re.compile(r"[^\W_]+")  # letters and digits: what the FTS5 tokenizer keeps
_EDGES = re.compile(r"^[\W_]+|[\W_]+$")

SNIPPET_OPEN = "["
SNIPPET_CLOSE = "]"
SNIPPET_ELLIPSIS = "…"
SNIPPET_TOKENS = 16  # FTS5 snippet length, in tokens
SNIPPET_CHARS = 80  # fallback snippet context, in characters each side


def query_terms(query: str) -> list[list[str]]:
    """The query as a list of terms, each a list of words (a phrase); empty terms dropped."""
    terms: list[list[str]] = []
    for match in _TERM.finditer(query):
        words = _WORD.findall(match.group(1) if match.group(1) is not None else match.group(2))
        if words:
            terms.append(words)
    return terms


def like_terms(query: str) -> list[str]:
    """The query's terms as substrings for LIKE: edge punctuation dropped, inner kept.

    LIKE cannot tokenise, so ``U.S.`` is looked for as "U.S" rather than as two letters
    that would match almost anything; ``"air defence"`` is looked for as that phrase.
    """
    terms: list[str] = []
    for match in _TERM.finditer(query):
        raw = match.group(1) if match.group(1) is not None else match.group(2)
        term = " ".join(_EDGES.sub("", raw).split())
        if _WORD.search(term):
            terms.append(term)
    return terms


def fts5_query(query: str) -> str | None:
    """An FTS5 MATCH expression that cannot raise a syntax error; None if nothing to search."""
    terms = query_terms(query)
    if not terms:
        return None
    phrases = ('"' + " ".join(words).replace('"', '""') + '"' for words in terms)
    return " AND ".join(phrases)


def like_snippet(text: str, terms: list[str]) -> str:
    """A window of ``text`` around the first matching term, marked like the FTS5 snippet."""
    found = [re.search(re.escape(term), text, re.IGNORECASE) for term in terms]
    hits = [(match.start(), match.end()) for match in found if match]
    if not hits:
        end = min(len(text), 2 * SNIPPET_CHARS)
        return text[:end] + (SNIPPET_ELLIPSIS if end < len(text) else "")
    at, stop = min(hits)
    start = max(0, at - SNIPPET_CHARS)
    end = min(len(text), stop + SNIPPET_CHARS)
    return "".join(
        (
            SNIPPET_ELLIPSIS if start > 0 else "",
            text[start:at],
            SNIPPET_OPEN,
            text[at:stop],
            SNIPPET_CLOSE,
            text[stop:end],
            SNIPPET_ELLIPSIS if end < len(text) else "",
        )
    )


def like_pattern(term: str) -> str:
    """A LIKE pattern matching ``term`` anywhere, with LIKE's wildcards escaped."""
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"
