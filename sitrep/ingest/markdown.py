"""Plain text and Markdown: the text is kept as written, metadata comes from front matter.

Markdown is not rendered: evidence offsets point into the file's own text (minus the front
matter), so a reader can find a quoted sentence in the original.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import yaml

from sitrep.errors import ErrorCode, SourceError
from sitrep.ingest.meta import DateError, FieldError, document_meta, type_name
from sitrep.records import Document

_FENCE = "---"
_CLOSERS = ("---", "...")
_HEADING = re.compile(r"#[ \t]+(?P<title>.+?)(?:[ \t]+#+)?[ \t]*")


class _NoTimestampLoader(yaml.SafeLoader):
    """A safe loader that leaves dates as strings, so that bad ones are reported as E110."""

    yaml_implicit_resolvers = {
        first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }


def parse_text(text: str, source: str, published: date | None) -> Document:
    """A plain-text file is one document, with no title."""
    return Document.from_text(text, source=source, published=published)


def parse_markdown(text: str, source: str, published: date | None) -> Document:
    """Front matter gives metadata; the body is the text; a leading ``# Heading`` the title."""
    header, body = split_front_matter(text, source)
    try:
        meta = document_meta(header)
    except FieldError as exc:
        raise SourceError(source, ErrorCode.E109, why=str(exc)) from exc
    except DateError as exc:
        raise SourceError(source, ErrorCode.E110, value=exc.value) from exc
    if not body.strip():
        raise SourceError(source, ErrorCode.E104)
    if meta["title"] is None:
        meta["title"] = leading_heading(body)
    meta.setdefault("published", published)
    return Document.from_text(body, source=source, **meta)


def split_front_matter(text: str, source: str) -> tuple[dict[str, Any], str]:
    """Split ``---`` YAML ``---`` off the top; raise E109 when it is unclosed or malformed."""
    lines = text.split("\n")
    if lines[0].rstrip() != _FENCE:
        return {}, text
    end = next((i for i, line in enumerate(lines) if i and line.rstrip() in _CLOSERS), None)
    if end is None:
        raise SourceError(source, ErrorCode.E109, why="no closing '---' line after line 1")
    try:
        # A SafeLoader subclass: no arbitrary objects, only dates left as strings.
        data = yaml.load("\n".join(lines[1:end]), Loader=_NoTimestampLoader)
    except yaml.YAMLError as exc:
        raise SourceError(source, ErrorCode.E109, why=_one_line(exc)) from exc
    except ValueError as exc:  # a value YAML parses but Python refuses, e.g. a huge integer
        raise SourceError(source, ErrorCode.E109, why=str(exc)) from exc
    except RecursionError as exc:
        raise SourceError(source, ErrorCode.E109, why="nested too deeply") from exc
    if data is None:
        data = {}
    if not isinstance(data, dict):
        why = f"expected 'key: value' lines, got {type_name(data)}"
        raise SourceError(source, ErrorCode.E109, why=why)
    body = "\n".join(lines[end + 1 :]).lstrip("\n")
    return data, body


def leading_heading(body: str) -> str | None:
    """The text of a first-line ``# Heading`` (level one only), else None."""
    first = body.lstrip("\n").split("\n", 1)[0]
    match = _HEADING.fullmatch(first)
    return match.group("title").strip() if match else None


def _one_line(exc: yaml.YAMLError) -> str:
    """A YAML error on one line, with the line number counted from the top of the file."""
    problem = getattr(exc, "problem", None)
    mark = getattr(exc, "problem_mark", None)
    if problem and mark is not None:
        # +2: the mark is 0-based and the YAML block starts after the opening '---' line.
        return f"{problem} (line {mark.line + 2}, column {mark.column + 1})"
    return " ".join(str(exc).split())
