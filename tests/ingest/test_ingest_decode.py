"""Bytes to text: strict decoding, newline normalisation and bounded reads."""

from __future__ import annotations

import codecs
import io

import pytest

from sitrep.errors import SourceError
from sitrep.ingest.decode import decode_text, normalise_newlines, read_limited

TEXT = "Troops crossed the river at dawn, the ministry said.\n"


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (TEXT.encode("utf-8"), TEXT),
        (codecs.BOM_UTF8 + TEXT.encode("utf-8"), TEXT),
        (codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"), TEXT),
        (codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"), TEXT),
        ("Kyiv – Київ, 5 km\n".encode(), "Kyiv – Київ, 5 km\n"),
    ],
    ids=["utf8", "utf8-bom", "utf16le-bom", "utf16be-bom", "non-ascii"],
)
def test_decode_text_accepts_utf8_and_bom_marked_utf16(data: bytes, expected: str) -> None:
    assert decode_text(data, "a.txt") == expected


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"one\r\ntwo\r\n", "one\ntwo\n"),
        (b"one\rtwo\r", "one\ntwo\n"),
        (b"one\r\n\r\ntwo", "one\n\ntwo"),
    ],
)
def test_decode_text_normalises_newlines(data: bytes, expected: str) -> None:
    assert decode_text(data, "a.txt") == expected


def test_normalise_newlines_leaves_other_characters() -> None:
    assert normalise_newlines("a\tb\u2028c\n") == "a\tb\u2028c\n"


def test_decode_text_refuses_nul_bytes_as_binary() -> None:
    with pytest.raises(SourceError) as caught:
        decode_text(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "chart.txt")
    assert caught.value.code == "E102"
    assert caught.value.source == "chart.txt"


def test_decode_text_names_the_encoding_and_offset_of_bad_utf8() -> None:
    latin1 = "Café de la Paix, Montréal".encode("latin-1")
    with pytest.raises(SourceError) as caught:
        decode_text(latin1, "old.txt")
    assert caught.value.code == "E103"
    assert "not valid UTF-8" in caught.value.reason
    assert "0xE9 at offset 3" in caught.value.reason
    assert "Re-save it as UTF-8" in caught.value.reason


def test_decode_text_explains_utf16_without_bom() -> None:
    with pytest.raises(SourceError) as caught:
        decode_text(TEXT.encode("utf-16-le"), "export.txt")
    assert caught.value.code == "E103"
    assert "UTF-16 without a byte-order mark" in caught.value.reason


def test_decode_text_reports_bad_utf16_after_bom() -> None:
    with pytest.raises(SourceError) as caught:
        decode_text(codecs.BOM_UTF16_LE + b"a\x00\x00\xdc", "x.txt")
    assert caught.value.code == "E103"
    assert "UTF-16" in caught.value.reason


@pytest.mark.parametrize("data", [b"", b"   \n\t\r\n", codecs.BOM_UTF8, codecs.BOM_UTF8 + b"\n"])
def test_decode_text_refuses_empty_text(data: bytes) -> None:
    with pytest.raises(SourceError) as caught:
        decode_text(data, "empty.txt")
    assert caught.value.code == "E104"


def test_read_limited_refuses_known_size_without_reading() -> None:
    stream = io.BytesIO(b"x" * 10)
    with pytest.raises(SourceError) as caught:
        read_limited(stream, "big.txt", limit=5, size=10)
    assert caught.value.code == "E105"
    assert stream.tell() == 0


def test_read_limited_counts_an_oversized_stream() -> None:
    with pytest.raises(SourceError) as caught:
        read_limited(io.BytesIO(b"x" * 200_000), "<stdin>", limit=1_000)
    assert caught.value.code == "E105"
    assert "200,000 bytes" in caught.value.reason
    assert "1,000-byte limit" in caught.value.reason


@pytest.mark.parametrize("size", [0, 4, 5])
def test_read_limited_returns_data_up_to_the_limit(size: int) -> None:
    assert read_limited(io.BytesIO(b"y" * size), "ok.txt", limit=5) == b"y" * size
