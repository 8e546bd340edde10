"""Saved HTML pages: main text and page metadata via trafilatura, offline, no site chrome."""

from __future__ import annotations

import socket
from datetime import date
from pathlib import Path

import pytest

from sitrep.errors import SourceError
from sitrep.ingest.html import parse_html

FIXTURES = Path(__file__).parent.parent / "fixtures" / "ingest"
PAGE = (FIXTURES / "news_page.html").read_text(encoding="utf-8")


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail loudly if anything tries to open a socket."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("network access attempted")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)


@pytest.mark.usefixtures("no_network")
def test_parse_html_reads_page_metadata() -> None:
    doc = parse_html(PAGE, "news_page.html", date(2000, 1, 1))
    assert doc.title == "Ceasefire talks resume in Doha"
    assert doc.outlet == "The Harbour Ledger"
    assert doc.url == "https://ledger.example.org/world/2024/03/05/ceasefire-talks-resume"
    assert doc.published == date(2024, 3, 5)
    assert doc.author == "Mara Ellison"
    assert doc.source == "news_page.html"


@pytest.mark.usefixtures("no_network")
def test_parse_html_keeps_article_text() -> None:
    doc = parse_html(PAGE, "news_page.html", None)
    assert "third round of indirect talks" in doc.text
    assert "exchange of detainees" in doc.text
    assert "fuel stocks in the north" in doc.text


@pytest.mark.parametrize(
    "chrome",
    [
        "Subscribe for unlimited access",
        "Business",
        "Copyright 2024",
        "Privacy policy",
        "Contact us",
        "Most read",
        "Oil prices slip",
    ],
)
def test_parse_html_drops_navigation_footer_and_sidebar(chrome: str) -> None:
    doc = parse_html(PAGE, "news_page.html", None)
    assert chrome not in doc.text


def test_parse_html_drops_chrome_on_a_short_page() -> None:
    page = (
        "<html><head><title>Short item</title></head><body>"
        "<nav><a href='/'>Home</a> <a href='/world'>World</a></nav>"
        "<article><p>Troops withdrew from the town on Monday, officials said.</p></article>"
        "<footer>Copyright 2024 Example News</footer></body></html>"
    )
    doc = parse_html(page, "short.html", date(2024, 6, 1))
    assert doc.text == "Troops withdrew from the town on Monday, officials said."
    assert doc.published == date(2024, 6, 1)  # the page has no date of its own


@pytest.mark.parametrize(
    "page",
    [
        "<html><head><title>Empty</title></head><body></body></html>",
        "<html><body><nav><a href='/'>Home</a></nav><footer>Copyright</footer></body></html>",
    ],
    ids=["empty-body", "chrome-only"],
)
def test_parse_html_without_main_text_is_e108(page: str) -> None:
    with pytest.raises(SourceError) as caught:
        parse_html(page, "empty.html", None)
    assert caught.value.code == "E108"
    assert caught.value.source == "empty.html"
