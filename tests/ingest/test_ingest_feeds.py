"""Feed parsing: items with their lines, links resolved, DTDs and entities refused."""

from __future__ import annotations

from datetime import date

import feedparser
import pytest

from sitrep.errors import SourceError
from sitrep.ingest.feeds import parse_feed, scan_xml

RSS = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0">
<channel>
  <title>Harbour Wire</title>
  <item>
    <title>Talks resume</title>
    <link>/world/talks.html</link>
    <guid isPermaLink="false">wire-001</guid>
    <pubDate>Tue, 05 Mar 2024 08:00:00 GMT</pubDate>
  </item>
  <item>
    <title>Port closed</title>
    <link>https://other.example.org/port.html</link>
  </item>
  <item>
    <title>No link here</title>
    <description>Only a summary.</description>
  </item>
  <item>
    <title>Talks resume (again)</title>
    <link>/world/talks-2.html</link>
    <guid isPermaLink="false">wire-001</guid>
  </item>
</channel>
</rss>
"""

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Ledger</title>
  <entry>
    <id>urn:ledger:1</id>
    <title>Ceasefire</title>
    <link rel="alternate" href="stories/1.html"/>
    <updated>2024-03-06T10:00:00Z</updated>
  </entry>
</feed>
"""


def test_parse_feed_reads_rss_items_with_lines() -> None:
    feed = parse_feed(RSS, "wire.xml", base_url="https://wire.example.org/feeds/rss.xml")
    assert feed.title == "Harbour Wire"
    first, second, third = feed.items  # the repeated guid is dropped
    assert first.key == "wire-001"
    assert first.link == "https://wire.example.org/world/talks.html"
    assert first.published == date(2024, 3, 5)
    assert first.line == 5
    assert (second.key, second.link, second.published, second.line) == (
        "https://other.example.org/port.html",
        "https://other.example.org/port.html",
        None,
        11,
    )
    assert third.link is None
    assert third.key.startswith("sha256:")
    assert third.line == 15


def test_parse_feed_item_key_without_id_or_link_is_stable() -> None:
    once = parse_feed(RSS, "a.xml").items[2].key
    again = parse_feed(RSS, "b.xml").items[2].key
    assert once == again


def test_parse_feed_reads_atom() -> None:
    feed = parse_feed(ATOM, "ledger.xml", base_url="https://ledger.example/atom.xml")
    (entry,) = feed.items
    assert feed.title == "Ledger"
    assert entry.key == "urn:ledger:1"
    assert entry.link == "https://ledger.example/stories/1.html"
    assert entry.published == date(2024, 3, 6)
    assert entry.line == 4


@pytest.mark.parametrize(
    ("data", "line", "column"),
    [
        (b'<?xml version="1.0"?>\n<rss>\n<channel>\n<item></channel>\n</rss>', 4, 9),
        (b"<rss><channel><title>A & B</title></channel></rss>", 1, 25),
        (b"", 1, 1),
    ],
)
def test_parse_feed_reports_malformed_xml_with_line(data: bytes, line: int, column: int) -> None:
    with pytest.raises(SourceError) as caught:
        parse_feed(data, "broken.xml")
    assert caught.value.code == "E557"
    assert f"(line {line}, column {column})" in caught.value.reason
    assert caught.value.source == "broken.xml"


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE rss [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<rss version="2.0"><channel><title>&lol3;</title></channel></rss>
"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<rss version="2.0"><channel><title>&secret;</title></channel></rss>
"""

NETSCAPE_DOCTYPE = b"""<?xml version="1.0"?>
<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" "rss-0.91.dtd">
<rss version="0.91"><channel><title>Old</title></channel></rss>
"""


@pytest.mark.parametrize("data", [BILLION_LAUGHS, EXTERNAL_ENTITY, NETSCAPE_DOCTYPE])
def test_parse_feed_refuses_dtd_before_feedparser_sees_it(
    data: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    def never(*args: object, **kwargs: object) -> None:
        raise AssertionError("feedparser must not see a feed with a DTD")

    monkeypatch.setattr(feedparser, "parse", never)
    with pytest.raises(SourceError) as caught:
        parse_feed(data, "evil.xml")
    assert caught.value.code == "E558"
    assert "at line 2" in caught.value.reason


@pytest.mark.parametrize(
    "data",
    [
        b"<html><body><p>not a feed</p></body></html>",
        b'<?xml version="1.0"?><catalog><book/></catalog>',
    ],
)
def test_parse_feed_refuses_xml_that_is_not_a_feed(data: bytes) -> None:
    with pytest.raises(SourceError) as caught:
        parse_feed(data, "page.xml")
    assert caught.value.code == "E559"
    assert "root element" in caught.value.reason


def test_scan_xml_returns_root_and_item_lines() -> None:
    root, lines = scan_xml(RSS, "wire.xml")
    assert root == "rss"
    assert lines == [5, 11, 15, 19]


def test_parse_feed_empty_channel_has_no_items() -> None:
    feed = parse_feed(b'<rss version="2.0"><channel><title>T</title></channel></rss>', "e.xml")
    assert feed.items == ()
