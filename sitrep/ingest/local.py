"""Local inputs: files, folders and standard input, read one at a time into Documents.

Every input either becomes documents or a Failure that names it, so one unreadable file in
a folder of hundreds is reported and skipped rather than stopping the run.
"""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from pathlib import Path
from typing import BinaryIO

from sitrep.errors import ErrorCode, SourceError
from sitrep.ingest.decode import decode_text, read_limited
from sitrep.ingest.html import parse_html
from sitrep.ingest.jsonrecords import (
    looks_like_jsonl,
    parse_json,
    parse_jsonl,
    parse_stdin_records,
)
from sitrep.ingest.markdown import parse_markdown, parse_text
from sitrep.records import Document, Failure

STDIN = "-"
STDIN_SOURCE = "<stdin>"

_OneDocument = Callable[[str, str, date | None], Document]
_ManyRecords = Callable[[str, str, date | None], Iterator[Document | Failure]]

# Suffix (lower case, "" for none) -> parser. Files with one document each …
_SINGLE: dict[str, _OneDocument] = {
    "": parse_text,
    ".txt": parse_text,
    ".md": parse_markdown,
    ".markdown": parse_markdown,
    ".html": parse_html,
    ".htm": parse_html,
}
# … and files holding records, which may yield several documents and failures.
_RECORDS: dict[str, _ManyRecords] = {
    ".json": parse_json,
    ".jsonl": parse_jsonl,
    ".ndjson": parse_jsonl,
}
SUPPORTED_SUFFIXES: tuple[str, ...] = tuple(s for s in (*_SINGLE, *_RECORDS) if s)


def read_inputs(
    paths: Iterable[str | Path],
    *,
    published: date | None = None,
    max_bytes: int = 5_000_000,
    stdin: BinaryIO | None = None,
) -> Iterator[Document | Failure]:
    """Read files, folders and ``"-"`` (standard input) into Documents, lazily and in order.

    Yields a ``Document`` per readable document and a ``Failure`` per unreadable input or
    record; bad input never raises. ``published`` is the date used when a document carries
    none of its own. Inputs larger than ``max_bytes`` are refused before being read.
    """
    if isinstance(paths, str | Path):
        raise TypeError(f"read_inputs takes a list of paths; wrap the single path: [{paths!r}]")
    if max_bytes <= 0:
        raise ValueError(f"max_bytes must be > 0, got {max_bytes}")
    for path in paths:
        if isinstance(path, str) and path == STDIN:
            stream = stdin if stdin is not None else sys.stdin.buffer
            yield from _read_stdin(stream, published, max_bytes)
        else:
            yield from _read_path(Path(path), str(path), published, max_bytes)


def _read_stdin(
    stream: BinaryIO, published: date | None, max_bytes: int
) -> Iterator[Document | Failure]:
    """Standard input is JSON Lines when it starts with '{', plain text otherwise."""
    try:
        data = read_limited(stream, STDIN_SOURCE, max_bytes)
        text = decode_text(data, STDIN_SOURCE)
    except SourceError as exc:
        yield _failure(exc)
        return
    except OSError as exc:
        yield _os_failure(STDIN_SOURCE, exc)
        return
    if looks_like_jsonl(text):
        yield from parse_stdin_records(text, STDIN_SOURCE, published)
    else:
        yield parse_text(text, STDIN_SOURCE, published)


def _read_path(
    path: Path, source: str, published: date | None, max_bytes: int
) -> Iterator[Document | Failure]:
    """A folder is walked; anything else is read as one file."""
    try:
        mode = path.stat().st_mode
    except (OSError, ValueError) as exc:
        yield _os_failure(source, exc)
        return
    if stat.S_ISDIR(mode):
        yield from _walk(path, source, published, max_bytes)
    else:
        yield from _read_file(path, source, published, max_bytes)


def _walk(
    folder: Path, source: str, published: date | None, max_bytes: int
) -> Iterator[Document | Failure]:
    """Every non-hidden file below ``folder``, by name, depth first.

    Hidden names (starting with ".") are skipped, as are links to folders, which could loop.
    """
    try:
        with os.scandir(folder) as listing:
            entries = sorted(listing, key=lambda entry: entry.name)
    except OSError as exc:
        yield _os_failure(source, exc)
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        child = os.path.join(source, entry.name)
        if entry.is_dir(follow_symlinks=False):
            yield from _walk(Path(entry.path), child, published, max_bytes)
        elif not (entry.is_symlink() and entry.is_dir()):
            yield from _read_file(Path(entry.path), child, published, max_bytes)


def _read_file(
    path: Path, source: str, published: date | None, max_bytes: int
) -> Iterator[Document | Failure]:
    """Check the suffix, then the size, then decode and parse; every refusal is a Failure."""
    suffix = path.suffix.lower()
    if suffix not in _SINGLE and suffix not in _RECORDS:
        supported = ", ".join(SUPPORTED_SUFFIXES) + " or no suffix"
        yield _failure(SourceError(source, ErrorCode.E106, suffix=suffix, supported=supported))
        return
    try:
        text = decode_text(_read_bytes(path, source, max_bytes), source)
    except SourceError as exc:
        yield _failure(exc)
        return
    except OSError as exc:
        yield _os_failure(source, exc)
        return
    try:
        if suffix in _SINGLE:
            yield _SINGLE[suffix](text, source, published)
        else:
            yield from _RECORDS[suffix](text, source, published)
    except SourceError as exc:
        yield _failure(exc)


def _read_bytes(path: Path, source: str, max_bytes: int) -> bytes:
    """The file's bytes, refused with E105 from its size before anything is read."""
    with path.open("rb") as handle:
        info = os.fstat(handle.fileno())
        size = info.st_size if stat.S_ISREG(info.st_mode) else None
        return read_limited(handle, source, max_bytes, size)


def _failure(exc: SourceError) -> Failure:
    return Failure(source=exc.source, reason=exc.reason, code=exc.code)


def _os_failure(source: str, exc: OSError | ValueError) -> Failure:
    """E101 when the path does not exist, E111 for any other reason it cannot be opened."""
    if isinstance(exc, FileNotFoundError | NotADirectoryError):
        return _failure(SourceError(source, ErrorCode.E101))
    why = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
    return _failure(SourceError(source, ErrorCode.E111, why=why))
