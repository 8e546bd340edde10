"""Saved HTML pages: trafilatura finds the article text and the page's own metadata.

trafilatura is imported on first use, so that importing sitrep stays cheap. Extraction runs
on the decoded string only: no URL is fetched, whatever the page links to.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sitrep.errors import ErrorCode, SourceError
from sitrep.ingest.meta import DateError, parse_published
from sitrep.records import Document

# Site chrome removed before extraction. trafilatura drops most of it already, but falls back
# to whole-body text on short pages, which would let menus and copyright lines in.
_CHROME = (
    "//nav",
    "//footer",
    "//aside",
    "//body/header",
    "//*[@role='navigation' or @role='banner' or @role='contentinfo' or @role='complementary']",
)


def parse_html(text: str, source: str, published: date | None) -> Document:
    """Main text, title, date, author, site name (as outlet) and canonical URL of a page."""
    from trafilatura import bare_extraction
    from trafilatura.settings import set_date_params

    result: Any = bare_extraction(
        text,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        prune_xpath=list(_CHROME),
        # Dates from the page's markup only; guessing from body text invents dates.
        date_extraction_params=set_date_params(extensive=False),
    )
    body = _clean(getattr(result, "text", None)) if result is not None else None
    if not body:
        raise SourceError(source, ErrorCode.E108)
    raw_date = _clean(result.date)
    try:
        page_date = parse_published(raw_date)
    except DateError as exc:
        raise SourceError(source, ErrorCode.E110, value=exc.value) from exc
    return Document.from_text(
        body,
        title=_clean(result.title),
        outlet=_clean(result.sitename),
        url=_clean(result.url),
        author=_clean(result.author),
        published=page_date or published,
        source=source,
    )


def _clean(value: object) -> str | None:
    """A stripped string, or None for missing or blank values."""
    if not isinstance(value, str):
        return None
    return value.strip() or None
