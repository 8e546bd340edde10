"""Opening tabular exports (plain or zipped) and turning what goes wrong into failures.

Shared by the GDELT and ACLED readers. Row problems are failures naming the file and line
that the caller skips and counts; file problems (missing, not a zip, a zip that breaks
half-way) are failures with a code in :data:`FILE_FAILURES`, after which the reader stops
and the caller discards whatever it already took from that file: an import is never
half-written.
"""

from __future__ import annotations

import zipfile
import zlib
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import IO

from sitrep.errors import ErrorCode, SourceError
from sitrep.records import Failure

__all__ = [
    "FILE_FAILURES",
    "READ_ERRORS",
    "failure",
    "open_export",
    "row_failure",
    "stopped",
]

# Codes that mean "this whole file", not one row: the caller keeps nothing from the file.
FILE_FAILURES = frozenset({"E101", "E111", "E606", "E607", "E608", "E609", "E610"})

# What reading a stream can raise half-way: a corrupt or truncated zip member, a disk error.
READ_ERRORS: tuple[type[BaseException], ...] = (
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    OSError,
)


def failure(source: str, code: ErrorCode, **kwargs: object) -> Failure:
    """A ``Failure`` for ``source`` from a catalogue entry."""
    return Failure(source=source, reason=code.format(**kwargs), code=code.name)


def row_failure(source: str, line: int, field: str, value: str, why: str) -> Failure:
    """A bad value in one row (E602): the row is skipped, the rest of the file goes on."""
    return failure(source, ErrorCode.E602, line=line, field=field, value=value, why=why)


def stopped(source: str, line: int, exc: BaseException) -> Failure:
    """Reading broke off at ``line`` (E608); nothing from the file may be kept."""
    why = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    return failure(source, ErrorCode.E608, line=line, why=why)


@contextmanager
def open_export(path: Path) -> Iterator[IO[bytes]]:
    """The bytes of an export: the file itself, or the one file inside a ``.zip``.

    Raises ``SourceError`` (E101, E111, E606, E607) when there is nothing to read; readers
    turn it into a failure. A zip is recognised by its content, not only its name.
    """
    source = str(path)
    if not path.exists():
        raise SourceError(source, ErrorCode.E101)
    if path.is_dir():
        raise SourceError(source, ErrorCode.E111, why="it is a folder; pass the files in it")
    with ExitStack() as stack:
        try:
            if path.suffix.lower() == ".zip" or zipfile.is_zipfile(path):
                archive = stack.enter_context(zipfile.ZipFile(path))
                members = [info for info in archive.infolist() if not info.is_dir()]
                if len(members) != 1:
                    raise SourceError(source, ErrorCode.E607, count=len(members))
                stream: IO[bytes] = stack.enter_context(archive.open(members[0]))
            else:
                stream = stack.enter_context(path.open("rb"))
        except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError) as exc:
            raise SourceError(source, ErrorCode.E606, why=str(exc) or type(exc).__name__) from exc
        except OSError as exc:
            raise SourceError(source, ErrorCode.E111, why=exc.strerror or str(exc)) from exc
        yield stream
