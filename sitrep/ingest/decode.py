"""Bytes to text: bounded reads and strict decoding.

Inputs are decoded strictly so that a mis-encoded file is reported, not silently turned into
replacement characters that would later show up as evidence text. UTF-8 is the norm; a UTF-8
byte-order mark is dropped, and UTF-16 is accepted only when a byte-order mark says so.
"""

from __future__ import annotations

import codecs
import re
from typing import BinaryIO

from sitrep.errors import ErrorCode, SourceError

_CHUNK = 1 << 16
_NEWLINES = re.compile(r"\r\n?")
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


def read_limited(handle: BinaryIO, source: str, limit: int, size: int | None = None) -> bytes:
    """Read at most ``limit`` bytes, or raise E105 with the real size, keeping memory bounded.

    ``size`` is the size known before reading (a regular file); a larger input is refused
    without reading it. Streams of unknown size are read up to the limit and, when longer,
    drained in chunks only to count their length for the message.
    """
    if size is not None and size > limit:
        raise SourceError(source, ErrorCode.E105, size=size, limit=limit)
    data = handle.read(limit + 1)
    if len(data) <= limit:
        return data
    total = len(data)
    while chunk := handle.read(_CHUNK):
        total += len(chunk)
    raise SourceError(source, ErrorCode.E105, size=total, limit=limit)


def normalise_newlines(text: str) -> str:
    """Turn Windows and old Mac line endings into "\\n" so offsets agree across platforms."""
    return _NEWLINES.sub("\n", text)


def decode_text(data: bytes, source: str) -> str:
    """Decode bytes as UTF-8 (or BOM-marked UTF-16), refusing binary and empty input."""
    if data.startswith(codecs.BOM_UTF8):
        text = _strict(data[len(codecs.BOM_UTF8) :], "utf-8", source)
    elif data.startswith(_UTF16_BOMS):
        text = _strict(data, "utf-16", source)
        if "\x00" in text:
            raise SourceError(source, ErrorCode.E102)
    elif b"\x00" in data:
        hint = _bomless_utf16(data)
        if hint:
            raise SourceError(source, ErrorCode.E103, encoding=f"UTF-8 ({hint})")
        raise SourceError(source, ErrorCode.E102)
    else:
        text = _strict(data, "utf-8", source)
    text = normalise_newlines(text)
    if not text.strip():
        raise SourceError(source, ErrorCode.E104)
    return text


def _strict(data: bytes, encoding: str, source: str) -> str:
    """Decode or raise E103 naming the encoding and where the first bad byte is."""
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        name = "UTF-8" if encoding == "utf-8" else "UTF-16"
        bad = data[exc.start : exc.start + 1].hex().upper()
        where = f"{name} (byte 0x{bad} at offset {exc.start})"
        raise SourceError(source, ErrorCode.E103, encoding=where) from exc


def _bomless_utf16(data: bytes) -> str | None:
    """Say so when NUL-laden bytes read cleanly as UTF-16 text: a clearer hint than "binary"."""
    if len(data) % 2:
        return None
    for codec, label in (("utf-16-le", "little-endian"), ("utf-16-be", "big-endian")):
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        # Text in UTF-16 has NUL bytes mostly because of ASCII characters: demand many.
        readable = all(c.isprintable() or c in "\r\n\t" for c in text)
        ascii_share = sum(c < "\x80" for c in text) / max(len(text), 1)
        if "\x00" not in text and readable and ascii_share >= 0.5:
            return f"it looks like {label} UTF-16 without a byte-order mark"
    return None
