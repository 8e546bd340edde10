"""JSON and JSON Lines: records in order, bad records reported by line, the rest still read."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from sitrep.ingest.jsonrecords import (
    looks_like_jsonl,
    parse_json,
    parse_jsonl,
    parse_stdin_records,
)
from sitrep.records import Document, Failure

FIXTURES = Path(__file__).parent.parent / "fixtures" / "ingest"


def _summary(results: list[Document | Failure]) -> list[tuple[str, str]]:
    """(record id or failure code, reason prefix) for each result, in order."""
    return [
        (r.record_id or "", "ok") if isinstance(r, Document) else (r.code, r.reason.split(":")[0])
        for r in results
    ]


def test_parse_jsonl_keeps_order_and_reports_bad_lines() -> None:
    text = (FIXTURES / "records.jsonl").read_text(encoding="utf-8")
    results = list(parse_jsonl(text, "records.jsonl", None))
    assert _summary(results) == [
        ("r1", "ok"),
        ("r2", "ok"),
        ("E107", "line 4"),
        ("E107", "line 5"),
        ("E110", "line 6"),
        ("E107", "line 7"),
        ("6", "ok"),
    ]
    assert all(r.source == "records.jsonl" for r in results)


def test_parse_jsonl_reads_record_fields() -> None:
    text = (FIXTURES / "records.jsonl").read_text(encoding="utf-8")
    first, second = list(parse_jsonl(text, "records.jsonl", date(2024, 9, 9)))[:2]
    assert isinstance(first, Document)
    assert first.text == "Police dispersed a protest outside parliament on Friday."
    assert first.title == "Protest dispersed"
    assert first.outlet == "City Courier"
    assert first.published == date(2024, 2, 2)
    assert isinstance(second, Document)
    assert second.published == date(2024, 2, 3)  # a date-time, cut to its date


def test_parse_jsonl_uses_default_date_when_record_has_none() -> None:
    results = list(parse_jsonl('{"text": "Talks ended."}\n', "a.jsonl", date(2024, 9, 9)))
    assert isinstance(results[0], Document)
    assert results[0].published == date(2024, 9, 9)


@pytest.mark.parametrize(
    ("line", "fragment"),
    [
        ('{"text": 42}', "'text' must be a non-empty string, got a number"),
        ('{"text": "   "}', "'text' is empty"),
        ('{"title": "No text"}', "no 'text' field"),
        ('{"text": "Ok.", "id": [1]}', "'id' must be a string or a whole number"),
        ('{"text": "Ok.", "title": {"a": 1}}', "'title' must be text, got a mapping"),
        ('{"text": "Ok."', "invalid JSON at column"),
        ('{"text": "Ok."} trailing', "invalid JSON at column"),
        ('"just a string"', "expected a JSON object, got a string"),
    ],
)
def test_parse_jsonl_bad_record_is_e107(line: str, fragment: str) -> None:
    good = '{"text": "The road was reopened."}'
    results = list(parse_jsonl(f"{good}\n{line}\n{good}\n", "a.jsonl", None))
    assert [type(r) for r in results] == [Document, Failure, Document]
    failure = results[1]
    assert isinstance(failure, Failure)
    assert failure.code == "E107"
    assert failure.reason.startswith("line 2: ")
    assert fragment in failure.reason
    assert failure.message().startswith("a.jsonl: line 2: ")


def test_parse_jsonl_counts_blank_lines_and_crlf_text() -> None:
    text = '\n\n{"text": "one\\r\\ntwo"}\n\n{"oops"\n'
    results = list(parse_jsonl(text, "a.jsonl", None))
    assert isinstance(results[0], Document)
    assert results[0].text == "one\ntwo"
    assert isinstance(results[1], Failure)
    assert results[1].reason.startswith("line 5: ")


def test_parse_jsonl_does_not_split_on_unicode_line_separators() -> None:
    results = list(parse_jsonl('{"text": "a\u2028b"}\n', "a.jsonl", None))
    assert len(results) == 1
    assert isinstance(results[0], Document)


def test_parse_json_list_reports_records_by_line() -> None:
    text = (FIXTURES / "records.json").read_text(encoding="utf-8")
    results = list(parse_json(text, "records.json", None))
    assert _summary(results) == [("a1", "ok"), ("E107", "line 11"), ("a3", "ok")]
    first = results[0]
    assert isinstance(first, Document)
    assert first.author == "Lena Ortiz"
    assert first.url == "https://maritime.example.org/convoy"
    assert first.published == date(2024, 1, 15)


def test_parse_json_single_object() -> None:
    results = list(parse_json('{"id": "x", "text": "A single report."}', "one.json", None))
    assert _summary(results) == [("x", "ok")]


def test_parse_json_syntax_error_keeps_earlier_records() -> None:
    text = '[\n  {"text": "First."},\n  {"text": "Second."}\n  {"text": "Third."}\n]\n'
    results = list(parse_json(text, "a.json", None))
    assert _summary(results) == [("", "ok"), ("", "ok"), ("E107", "line 4")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[]", [("E104", "is empty (no text after cleaning).")]),
        ("{not json}", [("E107", "line 1")]),
        ('{"text": "a"}\n{"text": "b"}', [("E107", "line 2")]),
        ("[" * 100_000, [("E107", "line 1")]),
        ('{"n": ' + "7" * 5_000 + "}", [("E107", "line 1")]),
    ],
)
def test_parse_json_whole_file_problems(text: str, expected: list[tuple[str, str]]) -> None:
    assert _summary(list(parse_json(text, "a.json", None))) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('  {"text": "a"}', True),
        ('\n{"text": "a"}', True),
        ("[1, 2]", False),
        ("{curly} prose", True),
        ("Plain report.", False),
    ],
)
def test_looks_like_jsonl(text: str, expected: bool) -> None:
    assert looks_like_jsonl(text) is expected


def test_parse_stdin_records_reads_one_pretty_printed_object() -> None:
    text = '{\n  "id": "p1",\n  "text": "Pretty printed."\n}\n'
    assert _summary(list(parse_stdin_records(text, "<stdin>", None))) == [("p1", "ok")]


def test_parse_stdin_records_reads_json_lines() -> None:
    text = '{"id": "a", "text": "One."}\n{"id": "b", "text": "Two."}\n'
    assert _summary(list(parse_stdin_records(text, "<stdin>", None))) == [
        ("a", "ok"),
        ("b", "ok"),
    ]
