"""Plain text and Markdown: front matter, titles from headings, and offsets into the text."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from sitrep.errors import SourceError
from sitrep.ingest.markdown import leading_heading, parse_markdown, parse_text

FIXTURES = Path(__file__).parent.parent / "fixtures" / "ingest"


def test_parse_text_keeps_the_whole_text_without_title() -> None:
    doc = parse_text("Line one.\nLine two.\n", "a.txt", date(2024, 1, 1))
    assert doc.text == "Line one.\nLine two.\n"
    assert doc.title is None
    assert doc.published == date(2024, 1, 1)
    assert doc.source == "a.txt"


def test_parse_markdown_reads_front_matter() -> None:
    text = (FIXTURES / "briefing.md").read_text(encoding="utf-8")
    doc = parse_markdown(text, "briefing.md", date(2000, 1, 1))
    assert doc.title == "Border crossing reopens after talks"
    assert doc.outlet == "Northern Wire"
    assert doc.url == "https://wire.example.net/2024/03/07/crossing"
    assert doc.published == date(2024, 3, 7)
    assert doc.author == "Idris Kahn"
    assert doc.text.startswith("# Border crossing reopens\n")
    assert "---" not in doc.text
    assert "outlet:" not in doc.text


def test_parse_markdown_offsets_point_into_the_body() -> None:
    text = (FIXTURES / "briefing.md").read_text(encoding="utf-8")
    doc = parse_markdown(text, "briefing.md", None)
    sentence = "The first convoy of forty lorries carried fuel and flour"
    start = doc.text.index(sentence)
    assert doc.text[start : start + len(sentence)] == sentence


def test_parse_markdown_takes_title_from_leading_heading() -> None:
    text = (FIXTURES / "field_notes.md").read_text(encoding="utf-8")
    doc = parse_markdown(text, "field_notes.md", date(2024, 5, 1))
    assert doc.title == "Shelling reported near the river port"
    assert doc.text == text  # the heading stays in the text
    assert doc.published == date(2024, 5, 1)


def test_parse_markdown_heading_after_front_matter_without_title() -> None:
    text = "---\noutlet: Wire\n---\n\n# Port closed\n\nThe port closed.\n"
    doc = parse_markdown(text, "a.md", None)
    assert doc.title == "Port closed"
    assert doc.outlet == "Wire"
    assert doc.text == "# Port closed\n\nThe port closed.\n"


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("source: Wire", "Wire"),
        ("publisher: Wire Group", "Wire Group"),
        ("outlet: Ledger\nsource: Wire", "Ledger"),
    ],
)
def test_parse_markdown_outlet_aliases(header: str, expected: str) -> None:
    doc = parse_markdown(f"---\n{header}\n---\nBody text.\n", "a.md", None)
    assert doc.outlet == expected


def test_parse_markdown_date_alias_and_datetime() -> None:
    doc = parse_markdown("---\ndate: 2024-03-05T10:00:00Z\n---\nBody.\n", "a.md", None)
    assert doc.published == date(2024, 3, 5)


def test_parse_markdown_empty_front_matter() -> None:
    doc = parse_markdown("---\n---\nJust the body.\n", "a.md", date(2024, 1, 1))
    assert doc.text == "Just the body.\n"
    assert doc.published == date(2024, 1, 1)


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("---\ntitle: [unclosed\n---\nBody.\n", "line 2"),
        ("---\ntitle: A\nBody with no closing fence.\n", "no closing '---'"),
        ("---\n- a\n- b\n---\nBody.\n", "got a list"),
        ("---\ntitle: [a, b]\n---\nBody.\n", "'title' must be text"),
        ("---\ntitle: !!python/object:os.system ls\n---\nBody.\n", "constructor"),
        ("---\nn: " + "9" * 5000 + "\n---\nBody.\n", "integer"),
        ("---\n" + "[" * 50_000 + "\n---\nBody.\n", "nested too deeply"),
    ],
    ids=[
        "bad-yaml",
        "unclosed",
        "not-a-mapping",
        "title-not-text",
        "unsafe-tag",
        "huge-int",
        "deep",
    ],
)
def test_parse_markdown_bad_front_matter_is_e109(text: str, fragment: str) -> None:
    with pytest.raises(SourceError) as caught:
        parse_markdown(text, "bad.md", None)
    assert caught.value.code == "E109"
    assert caught.value.reason.startswith("bad front matter: ")
    assert fragment in caught.value.reason
    assert "\n" not in caught.value.reason


@pytest.mark.parametrize("value", ["2024-13-01", "March 5th", "2024-02-30"])
def test_parse_markdown_bad_date_is_e110(value: str) -> None:
    with pytest.raises(SourceError) as caught:
        parse_markdown(f"---\npublished: {value}\n---\nBody.\n", "a.md", None)
    assert caught.value.code == "E110"
    assert value in caught.value.reason


def test_parse_markdown_front_matter_without_body_is_empty() -> None:
    with pytest.raises(SourceError) as caught:
        parse_markdown("---\ntitle: Nothing here\n---\n\n  \n", "a.md", None)
    assert caught.value.code == "E104"


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("# Title\n\nText", "Title"),
        ("\n\n#   Spaced title  \nText", "Spaced title"),
        ("# Closed heading ##\nText", "Closed heading"),
        ("## Second level\nText", None),
        ("#hashtag\nText", None),
        ("Text first\n# Later heading", None),
    ],
)
def test_leading_heading(body: str, expected: str | None) -> None:
    assert leading_heading(body) == expected
