"""JSON and JSON Lines records: one document per record, one failure per bad record.

A bad record does not stop the file: it becomes an E107 Failure naming the line it starts
on, and the records after it are still read, in order. (In a ``.json`` list a syntax error
ends the list, since nothing after it can be trusted; records before it are kept.)

Record shape: ``{"id", "text", "title", "url", "published", "outlet", "author"}``; only
``text`` is required. ``source``/``publisher`` and ``date`` are accepted as in front matter.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import date
from typing import Any

from sitrep.errors import ErrorCode
from sitrep.ingest.decode import normalise_newlines
from sitrep.ingest.meta import DateError, FieldError, document_meta, type_name
from sitrep.records import Document, Failure

_SPACE = re.compile(r"[ \t\n\r]*")  # JSON's own whitespace


class _RecordError(ValueError):
    """A record that is not a usable document; the message says why."""


class _BadJSON(ValueError):
    """Text that is not JSON; ``line`` is where the parser gave up (1-based)."""

    def __init__(self, why: str, line: int) -> None:
        self.line = line
        super().__init__(why)


def parse_jsonl(text: str, source: str, published: date | None) -> Iterator[Document | Failure]:
    """One JSON object per line; blank lines are skipped; line numbers count from 1."""
    # Split on "\n" only: str.splitlines would also split on U+2028 inside JSON strings.
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            data = _loads(line)
        except _BadJSON as exc:
            yield _fail(source, number, str(exc))
            continue
        yield _record(data, source, published, number)


def parse_json(text: str, source: str, published: date | None) -> Iterator[Document | Failure]:
    """One object, or a list of objects, each reported by the line it starts on."""
    empty = True
    try:
        for number, data in _top_level_items(text):
            empty = False
            yield _record(data, source, published, number)
    except _BadJSON as exc:
        yield _fail(source, exc.line, str(exc))
        return
    if empty:
        yield Failure(source=source, reason=ErrorCode.E104.format(), code=ErrorCode.E104.name)


def looks_like_jsonl(text: str) -> bool:
    """Standard input is taken as JSON Lines when its first non-space character is '{'."""
    return text.lstrip().startswith("{")


def parse_stdin_records(
    text: str, source: str, published: date | None
) -> Iterator[Document | Failure]:
    """JSON Lines from standard input, or one pretty-printed object spread over lines."""
    first = next((line for line in text.split("\n") if line.strip()), "")
    if not _is_json(first) and _is_json(text):
        yield from parse_json(text, source, published)
    else:
        yield from parse_jsonl(text, source, published)


def _top_level_items(text: str) -> Iterator[tuple[int, Any]]:
    """(line, value) for a single top-level value, or for each element of a top-level list.

    Elements are decoded one at a time, so each can be reported by the line it starts on.
    """
    decoder = json.JSONDecoder()
    lines = _LineCounter(text)
    pos = _skip(text, 0)
    if not text.startswith("[", pos):
        value, end = _decode_at(decoder, text, pos)
        _expect_end(text, end, lines)
        yield lines.at(pos), value
        return
    pos = _skip(text, pos + 1)
    if text.startswith("]", pos):
        _expect_end(text, pos + 1, lines)
        return
    while True:
        value, end = _decode_at(decoder, text, pos)
        yield lines.at(pos), value
        pos = _skip(text, end)
        if text.startswith(",", pos):
            pos = _skip(text, pos + 1)
        elif text.startswith("]", pos):
            _expect_end(text, pos + 1, lines)
            return
        else:
            why = f"invalid JSON at column {_column(text, pos)}: expecting ',' or ']'"
            raise _BadJSON(why, lines.at(pos))


class _LineCounter:
    """Line numbers of increasing offsets, counted incrementally (no quadratic rescans)."""

    def __init__(self, text: str) -> None:
        self.text, self.pos, self.line = text, 0, 1

    def at(self, pos: int) -> int:
        self.line += self.text.count("\n", self.pos, pos)
        self.pos = pos
        return self.line


def _skip(text: str, pos: int) -> int:
    match = _SPACE.match(text, pos)
    return match.end() if match else pos


def _expect_end(text: str, pos: int, lines: _LineCounter) -> None:
    pos = _skip(text, pos)
    if pos != len(text):
        raise _BadJSON(_extra_data(text, pos), lines.at(pos))


def _column(text: str, pos: int) -> int:
    return pos - text.rfind("\n", 0, pos)


def _extra_data(text: str, pos: int) -> str:
    return f"invalid JSON at column {_column(text, pos)}: extra data after the value"


def _decode_at(decoder: json.JSONDecoder, text: str, pos: int) -> tuple[Any, int]:
    try:
        return decoder.raw_decode(text, pos)
    except json.JSONDecodeError as exc:
        raise _BadJSON(_why(exc), exc.lineno) from exc
    except ValueError as exc:  # e.g. an integer longer than Python will convert
        raise _BadJSON(f"invalid JSON: {exc}", text.count("\n", 0, pos) + 1) from exc
    except RecursionError as exc:
        raise _BadJSON("invalid JSON: nested too deeply", text.count("\n", 0, pos) + 1) from exc


def _loads(text: str) -> Any:
    """A whole JSON text, with every bad-input error turned into _BadJSON."""
    value, end = _decode_at(json.JSONDecoder(), text, _skip(text, 0))
    end = _skip(text, end)
    if end != len(text):
        raise _BadJSON(_extra_data(text, end), text.count("\n", 0, end) + 1)
    return value


def _is_json(text: str) -> bool:
    try:
        _loads(text)
    except _BadJSON:
        return False
    return True


def _why(exc: json.JSONDecodeError) -> str:
    """``Expecting value`` at column 5 -> "invalid JSON at column 5: expecting value"."""
    what = exc.msg.removesuffix(" at")
    return f"invalid JSON at column {exc.colno}: {what[:1].lower()}{what[1:]}"


def _record(data: Any, source: str, published: date | None, line: int) -> Document | Failure:
    """Turn one decoded record into a Document, or a Failure that says where and why."""
    try:
        return _document(data, source, published)
    except _RecordError as exc:
        return _fail(source, line, str(exc))
    except DateError as exc:
        reason = f"line {line}: {ErrorCode.E110.format(value=exc.value)}"
        return Failure(source=source, reason=reason, code=ErrorCode.E110.name)


def _document(data: Any, source: str, published: date | None) -> Document:
    if not isinstance(data, dict):
        raise _RecordError(f"expected a JSON object, got {type_name(data)}")
    text = data.get("text")
    if text is None:
        raise _RecordError("no 'text' field; each record needs a non-empty string 'text'")
    if not isinstance(text, str):
        raise _RecordError(f"'text' must be a non-empty string, got {type_name(text)}")
    if not text.strip():
        raise _RecordError("'text' is empty")
    try:
        meta = document_meta(data)
    except FieldError as exc:
        raise _RecordError(str(exc)) from exc
    meta.setdefault("published", published)
    return Document.from_text(
        normalise_newlines(text), source=source, record_id=_record_id(data), **meta
    )


def _record_id(data: dict[str, Any]) -> str | None:
    value = data.get("id")
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise _RecordError(f"'id' must be a string or a whole number, got {type_name(value)}")
    return str(value)


def _fail(source: str, line: int, why: str) -> Failure:
    return Failure(source=source, reason=ErrorCode.E107.format(line=line, why=why), code="E107")
