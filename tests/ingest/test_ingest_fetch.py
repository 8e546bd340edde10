"""The HTTP client: SSRF guard after DNS and on every hop, limits, validators, politeness.

Pages are served by a real HTTP server on 127.0.0.1 (the ``site`` fixture). Tests that need
a public-looking host use ``public_dns``: ``news.example.com`` resolves to a public address
whose connections the fixture sends to the local server, so the guard sees a public host.
"""

from __future__ import annotations

import socket
import ssl
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from sitrep import __version__
from sitrep.errors import FetchError
from sitrep.ingest.fetch import (
    FEED_TYPES,
    PAGE_TYPES,
    USER_AGENT,
    Fetcher,
    FetchPolicy,
    HostRateLimiter,
    blocked_kind,
    is_url,
    parse_content_type,
)

PUBLIC_ADDRESS = "93.184.216.34"
TLS = Path(__file__).parent.parent / "fixtures" / "tls"
HOSTS = {
    "news.example.com": PUBLIC_ADDRESS,
    "impostor.example.com": PUBLIC_ADDRESS,
    "intranet.example.com": "127.0.0.1",
    "metadata.example.com": "169.254.169.254",
    "office.example.com": "10.1.2.3",
    "v6.example.com": "::1",
}


@pytest.fixture
def public_dns(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fake DNS for the names in HOSTS; connections to PUBLIC_ADDRESS go to 127.0.0.1."""
    real_getaddrinfo = socket.getaddrinfo
    real_connect = socket.create_connection

    def getaddrinfo(host: str, port: int, *args: Any, **kwargs: Any) -> list[Any]:
        if host in HOSTS:
            family = socket.AF_INET6 if ":" in HOSTS[host] else socket.AF_INET
            return [(family, socket.SOCK_STREAM, 6, "", (HOSTS[host], port))]
        return real_getaddrinfo(host, port, *args, **kwargs)

    def create_connection(address: tuple[str, int], *args: Any, **kwargs: Any) -> socket.socket:
        host, port = address
        if host == PUBLIC_ADDRESS:
            address = ("127.0.0.1", port)
        return real_connect(address, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    monkeypatch.setattr(socket, "create_connection", create_connection)


def fetcher(**policy: Any) -> Fetcher:
    policy.setdefault("host_delay", 0)
    return Fetcher(FetchPolicy(**policy))


@pytest.fixture
def open_fetcher() -> Iterator[Fetcher]:
    with fetcher(allow_private=True) as opened:
        yield opened


def test_fetch_sends_honest_user_agent(site: Any, open_fetcher: Fetcher) -> None:
    url = site.add("/page.html", "<html><body><p>hi</p></body></html>")
    fetched = open_fetcher.get(url, accept=PAGE_TYPES)
    assert fetched.body.startswith(b"<html>")
    assert f"sitrep/{__version__} (+https://example.org/sitrep)" == USER_AGENT
    assert site.requests("/page.html")[0].headers["User-Agent"] == USER_AGENT


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost"])
def test_fetch_refuses_loopback_without_allow_private(site: Any, host: str) -> None:
    site.add("/secret", "<html>internal</html>")
    with fetcher() as guarded, pytest.raises(FetchError) as caught:
        guarded.get(f"http://{host}:{site.port}/secret", accept=PAGE_TYPES)
    assert caught.value.code == "E551"
    assert "loopback" in caught.value.reason
    assert "--allow-private" in caught.value.reason
    assert site.count("/secret") == 0


@pytest.mark.parametrize(
    ("host", "kind"),
    [
        ("intranet.example.com", "loopback"),
        ("metadata.example.com", "link-local"),
        ("office.example.com", "private"),
        ("v6.example.com", "loopback"),
    ],
)
@pytest.mark.usefixtures("public_dns")
def test_fetch_checks_the_address_a_name_resolves_to(host: str, kind: str) -> None:
    with fetcher() as guarded, pytest.raises(FetchError) as caught:
        guarded.get(f"http://{host}/", accept=PAGE_TYPES)
    assert caught.value.code == "E551"
    assert f"{host} resolves to {HOSTS[host]}, a {kind} address" in caught.value.reason
    assert not caught.value.transient


@pytest.mark.usefixtures("public_dns")
def test_fetch_allows_a_public_host(site: Any) -> None:
    site.add("/story.html", "<html><body>public story</body></html>")
    with fetcher() as guarded:
        fetched = guarded.get(f"http://news.example.com:{site.port}/story.html", accept=PAGE_TYPES)
    assert fetched.body == b"<html><body>public story</body></html>"
    assert site.requests("/story.html")[0].headers["Host"] == f"news.example.com:{site.port}"


@pytest.mark.parametrize(
    "target", ["http://intranet.example.com:{port}/secret", "http://127.0.0.1:{port}/secret"]
)
@pytest.mark.usefixtures("public_dns")
def test_fetch_refuses_redirect_to_private_address(site: Any, target: str) -> None:
    site.add("/secret", "<html>internal admin page</html>")
    site.redirect("/story.html", target.format(port=site.port))
    start = f"http://news.example.com:{site.port}/story.html"
    with fetcher() as guarded, pytest.raises(FetchError) as caught:
        guarded.get(start, accept=PAGE_TYPES)
    assert caught.value.code == "E551"
    assert caught.value.source.startswith(f"{start} (redirected to http://")
    assert site.count("/story.html") == 1  # the public hop was made …
    assert site.count("/secret") == 0  # … the private one never was


class _TLSPage(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = b"<html>over TLS</html>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        """Quiet."""


@pytest.fixture
def tls_port() -> Iterator[int]:
    """An HTTPS server on 127.0.0.1 with a certificate for news.example.com only."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _TLSPage)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(TLS / "news.example.com.pem", TLS / "news.example.com.key")
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.mark.usefixtures("public_dns")
def test_fetch_pins_the_checked_address_and_still_verifies_the_name(tls_port: int) -> None:
    trust = ssl.create_default_context(cafile=str(TLS / "news.example.com.pem"))
    with Fetcher(FetchPolicy(host_delay=0), verify=trust) as guarded:
        fetched = guarded.get(f"https://news.example.com:{tls_port}/", accept=PAGE_TYPES)
        assert fetched.body == b"<html>over TLS</html>"
        assert fetched.final_url == f"https://news.example.com:{tls_port}/"
        with pytest.raises(FetchError, match="CERTIFICATE_VERIFY_FAILED") as caught:
            guarded.get(f"https://impostor.example.com:{tls_port}/", accept=PAGE_TYPES)
    assert caught.value.code == "E556"


def test_fetch_follows_redirects_and_names_the_final_url(site: Any, open_fetcher: Fetcher) -> None:
    site.add("/final.html", "<html>moved here</html>")
    site.redirect("/b", "/final.html", status=301)
    url = site.redirect("/a", site.url("/b"), status=307)
    fetched = open_fetcher.get(url, accept=PAGE_TYPES)
    assert fetched.url == url
    assert fetched.final_url == site.url("/final.html")
    assert fetched.body == b"<html>moved here</html>"


def test_fetch_stops_after_max_redirects(site: Any) -> None:
    site.redirect("/loop-a", "/loop-b")
    url = site.redirect("/loop-b", "/loop-a")
    with fetcher(allow_private=True, max_redirects=3) as limited, pytest.raises(FetchError) as e:
        limited.get(url, accept=PAGE_TYPES)
    assert e.value.code == "E555"
    assert "more than 3 redirects" in e.value.reason
    assert site.count("/loop-a") + site.count("/loop-b") == 4


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.org/x", "/just/a/path"])
def test_fetch_refuses_other_schemes(url: str, open_fetcher: Fetcher) -> None:
    with pytest.raises(FetchError) as caught:
        open_fetcher.get(url, accept=PAGE_TYPES)
    assert caught.value.code == "E550"


def test_fetch_refuses_redirect_to_another_scheme(site: Any, open_fetcher: Fetcher) -> None:
    url = site.redirect("/to-file", "file:///etc/passwd")
    with pytest.raises(FetchError) as caught:
        open_fetcher.get(url, accept=PAGE_TYPES)
    assert caught.value.code == "E550"
    assert "file:///etc/passwd" in caught.value.source


def test_fetch_refuses_redirect_without_location(site: Any, open_fetcher: Fetcher) -> None:
    url = site.add("/nowhere", b"", status=302)
    with pytest.raises(FetchError, match="without a Location header") as caught:
        open_fetcher.get(url, accept=PAGE_TYPES)
    assert caught.value.code == "E552"


@pytest.mark.parametrize("content_type", ["application/pdf", "image/png", None])
def test_fetch_checks_content_type_before_reading(
    site: Any, open_fetcher: Fetcher, content_type: str | None
) -> None:
    url = site.add("/file", b"%PDF-1.7 not a page", content_type=content_type)
    with pytest.raises(FetchError) as caught:
        open_fetcher.get(url, accept=PAGE_TYPES)
    assert caught.value.code == "E554"
    assert "text/html" in caught.value.reason


def test_fetch_accepts_feed_types_for_feeds(site: Any, open_fetcher: Fetcher) -> None:
    url = site.add("/feed", "<rss/>", content_type="application/rss+xml; charset=utf-8")
    fetched = open_fetcher.get(url, accept=FEED_TYPES)
    assert (fetched.media_type, fetched.charset) == ("application/rss+xml", "utf-8")


@pytest.mark.parametrize("send_length", [True, False])
def test_fetch_caps_the_body(site: Any, send_length: bool) -> None:
    url = site.add("/big.html", b"<html>" + b"x" * 5000, send_length=send_length)
    with fetcher(allow_private=True, max_bytes=1000) as capped, pytest.raises(FetchError) as e:
        capped.get(url, accept=PAGE_TYPES)
    assert e.value.code == "E553"
    assert "1,000-byte limit" in e.value.reason


def test_fetch_reads_a_body_without_length_up_to_the_cap(site: Any) -> None:
    url = site.add("/small.html", b"<html>" + b"y" * 900, send_length=False)
    with fetcher(allow_private=True, max_bytes=1000) as capped:
        assert len(capped.get(url, accept=PAGE_TYPES).body) == 906


def test_fetch_times_out_on_a_silent_server(site: Any) -> None:
    gate = threading.Event()
    url = site.add("/slow.html", "<html>late</html>", gate=gate)
    try:
        with (
            fetcher(allow_private=True, read_timeout=0.2) as impatient,
            pytest.raises(FetchError) as caught,
        ):
            impatient.get(url, accept=PAGE_TYPES)
    finally:
        gate.set()
    assert caught.value.code == "E556"
    assert "timed out" in caught.value.reason
    assert caught.value.transient


@pytest.mark.parametrize(
    ("status", "transient"), [(404, False), (410, False), (429, True), (500, True), (503, True)]
)
def test_fetch_http_errors_say_whether_to_retry(
    site: Any, open_fetcher: Fetcher, status: int, transient: bool
) -> None:
    url = site.add("/error", "<html>oops</html>", status=status)
    with pytest.raises(FetchError) as caught:
        open_fetcher.get(url, accept=PAGE_TYPES)
    assert caught.value.code == "E552"
    assert f"HTTP {status}" in caught.value.reason
    assert caught.value.transient is transient


def test_fetch_connection_refused_is_transient(open_fetcher: Fetcher) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # free now, and nothing listens once closed
    with pytest.raises(FetchError) as caught:
        open_fetcher.get(f"http://127.0.0.1:{port}/", accept=PAGE_TYPES)
    assert caught.value.code == "E556"
    assert caught.value.transient


@pytest.mark.parametrize(
    ("validator", "header"), [("etag", "If-None-Match"), ("last_modified", "If-Modified-Since")]
)
def test_fetch_conditional_get(
    site: Any, open_fetcher: Fetcher, validator: str, header: str
) -> None:
    value = '"v1"' if validator == "etag" else "Tue, 05 Nov 2024 08:00:00 GMT"
    url = site.add("/feed", "<rss/>", content_type="application/rss+xml", **{validator: value})
    first = open_fetcher.get(url, accept=FEED_TYPES)
    assert not first.not_modified
    assert getattr(first, validator) == value
    again = open_fetcher.get(url, accept=FEED_TYPES, **{validator: value})
    assert again.not_modified
    assert again.body == b""
    assert site.requests("/feed")[1].headers[header] == value
    assert header not in site.requests("/feed")[0].headers


def test_rate_limiter_spaces_requests_to_one_host() -> None:
    now = [100.0]
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        now[0] += seconds

    limiter = HostRateLimiter(2.0, clock=lambda: now[0], sleep=sleep)
    limiter.wait("a.example")
    limiter.wait("b.example")  # another host: no wait
    limiter.wait("a.example")
    now[0] += 5
    limiter.wait("a.example")  # long enough since the last one
    assert slept == [2.0]


def test_fetch_applies_the_host_delay(site: Any) -> None:
    url = site.add("/p", "<html>p</html>")
    with fetcher(allow_private=True, host_delay=0.3) as polite:
        polite.get(url, accept=PAGE_TYPES)
        polite.get(url, accept=PAGE_TYPES)
    first, second = site.requests("/p")
    assert second.at - first.at >= 0.25


@pytest.mark.parametrize(
    ("address", "kind"),
    [
        ("127.0.0.1", "loopback"),
        ("::1", "loopback"),
        ("::ffff:127.0.0.1", "loopback"),
        ("10.0.0.1", "private"),
        ("192.168.1.20", "private"),
        ("172.16.5.4", "private"),
        ("fd00::1", "private"),
        ("169.254.169.254", "link-local"),
        ("fe80::1%eth0", "link-local"),
        ("0.0.0.0", "private"),
        ("100.64.0.1", "non-public"),
        ("224.0.0.1", "non-public"),
        ("93.184.216.34", None),
        ("2606:4700::1111", None),
    ],
)
def test_blocked_kind(address: str, kind: str | None) -> None:
    assert blocked_kind(address) == kind


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("https://example.org/a", True),
        ("HTTP://EXAMPLE.ORG", True),
        ("ftp://example.org", True),
        ("articles/", False),
        ("C:\\news\\a.txt", False),
        ("-", False),
        ("notes: http://x", False),
    ],
)
def test_is_url(text: str, expected: bool) -> None:
    assert is_url(text) is expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("text/html; charset=UTF-8", ("text/html", "utf-8")),
        ('Text/HTML;charset="iso-8859-1"', ("text/html", "iso-8859-1")),
        ("application/xml", ("application/xml", None)),
        ("", (None, None)),
        (None, (None, None)),
    ],
)
def test_parse_content_type(value: str | None, expected: tuple[str | None, str | None]) -> None:
    assert parse_content_type(value) == expected


@pytest.mark.parametrize(
    "policy",
    [
        {"connect_timeout": 0},
        {"read_timeout": -1},
        {"max_bytes": 0},
        {"max_redirects": -1},
        {"host_delay": -0.5},
    ],
)
def test_fetch_policy_refuses_bad_limits(policy: dict[str, float]) -> None:
    with pytest.raises(ValueError, match=next(iter(policy))):
        FetchPolicy(**policy)
