"""The one HTTP client of sitrep: every page and feed is fetched through ``Fetcher``.

Why each guard exists:

- **SSRF**: a feed is untrusted input that names URLs we then request. Each host is
  resolved once, every address it resolves to is checked (loopback, private, link-local and
  other non-public addresses are refused unless ``allow_private``), and the connection is
  made to the address that was checked, so DNS cannot answer differently in between. The
  check runs on every hop, because redirects are followed here, one at a time, never by
  httpx.
- **Resources**: connect/read timeouts, a deadline for the whole download, a byte cap on
  the decoded body (so a compressed bomb stops at the cap), a bounded number of redirects
  and a check of the content type before the body is read.
- **Politeness**: an honest User-Agent, conditional GET (ETag / Last-Modified) and a
  minimum delay between requests to the same host.

Environment proxies and ``.netrc`` are ignored: a proxy would connect on our behalf to
addresses we never checked.
"""

from __future__ import annotations

import ipaddress
import socket
import ssl
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from types import TracebackType
from typing import Self
from urllib.parse import urljoin

import httpx

from sitrep import __version__
from sitrep.errors import ErrorCode, FetchError

USER_AGENT = f"sitrep/{__version__} (+https://example.org/sitrep)"
PAGE_TYPES: frozenset[str] = frozenset({"text/html", "application/xhtml+xml"})
FEED_TYPES: frozenset[str] = frozenset(
    {
        "application/rss+xml",
        "application/atom+xml",
        "application/rdf+xml",
        "application/xml",
        "text/xml",
    }
)
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_SCHEMES = ("http", "https")

Resolver = Callable[[str, int], Sequence[str]]


@dataclass(frozen=True, slots=True)
class FetchPolicy:
    """Limits for one fetcher. The defaults suit public news sites."""

    connect_timeout: float = 10.0  # seconds to open a connection
    read_timeout: float = 30.0  # seconds of silence tolerated while reading
    total_timeout: float = 120.0  # seconds for a whole fetch, redirects included
    max_bytes: int = 5_000_000  # decoded body size cap
    max_redirects: int = 5
    host_delay: float = 1.0  # minimum seconds between two requests to the same host
    allow_private: bool = False  # allow loopback, private and link-local addresses

    def __post_init__(self) -> None:
        for name in ("connect_timeout", "read_timeout", "total_timeout"):
            if not getattr(self, name) > 0:
                raise ValueError(f"{name} must be > 0, got {getattr(self, name)!r}")
        if self.max_bytes <= 0:
            raise ValueError(f"max_bytes must be > 0, got {self.max_bytes!r}")
        if self.max_redirects < 0:
            raise ValueError(f"max_redirects must be 0 or more, got {self.max_redirects!r}")
        if self.host_delay < 0:
            raise ValueError(f"host_delay must be 0 or more, got {self.host_delay!r}")


@dataclass(frozen=True, slots=True)
class Fetched:
    """A response body with what later stages need to know about it."""

    url: str  # as requested
    final_url: str  # after redirects: the URL that carried the body
    status: int
    body: bytes
    media_type: str | None
    charset: str | None
    etag: str | None
    last_modified: str | None

    @property
    def not_modified(self) -> bool:
        """True for a 304 answer to a conditional GET: nothing new, and no body."""
        return self.status == 304


def is_url(text: str) -> bool:
    """Whether an input names a URL (any ``scheme://``) rather than a local path."""
    scheme, sep, _ = text.partition("://")
    return bool(sep) and scheme.isascii() and scheme.replace("+", "").isalpha()


def resolve(host: str, port: int) -> list[str]:
    """Every address ``host`` resolves to, in resolver order, without repeats."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    addresses: list[str] = []
    for info in infos:
        address = str(info[4][0])
        if address not in addresses:
            addresses.append(address)
    return addresses


def blocked_kind(address: str) -> str | None:
    """Why an address may not be fetched without ``allow_private`` (None when public)."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])  # drop an IPv6 zone ("fe80::1%eth0")
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped  # ::ffff:127.0.0.1 is 127.0.0.1
    if ip.is_loopback:
        return "loopback"
    if ip.is_link_local:
        return "link-local"
    if ip.is_private:
        return "private"
    if ip.is_multicast or ip.is_unspecified or ip.is_reserved or not ip.is_global:
        return "non-public"
    return None


class HostRateLimiter:
    """Keeps at least ``interval`` seconds between two requests to the same host."""

    def __init__(
        self,
        interval: float,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.interval = interval
        self._clock = clock
        self._sleep = sleep
        self._next: dict[str, float] = {}
        self._lock = threading.Lock()

    def wait(self, host: str) -> None:
        """Sleep until ``host`` may be asked again, and book the slot after this request."""
        with self._lock:
            now = self._clock()
            start = max(now, self._next.get(host, now))
            self._next[host] = start + self.interval
        if start > now:
            self._sleep(start - now)


class _Refused(Exception):
    """Raised inside the transport; ``Fetcher.get`` turns it into a ``FetchError`` that names
    the URL the caller asked for and the hop that was refused."""

    def __init__(self, code: ErrorCode, *, transient: bool = False, **kwargs: object) -> None:
        super().__init__(code.name)
        self.code = code
        self.transient = transient
        self.kwargs = kwargs


class _GuardedTransport(httpx.BaseTransport):
    """Resolves, checks and pins the address of every connection httpx makes.

    The request goes to the checked IP address; the ``Host`` header and TLS server name
    (``sni_hostname``) stay those of the URL, so virtual hosts and certificates still work.
    """

    def __init__(
        self, *, allow_private: bool, resolver: Resolver, verify: ssl.SSLContext | bool
    ) -> None:
        self._allow_private = allow_private
        self._resolver = resolver
        self._inner = httpx.HTTPTransport(verify=verify, trust_env=False)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        host = request.url.raw_host.decode("ascii")
        port = request.url.port or (443 if request.url.scheme == "https" else 80)
        try:
            addresses = list(self._resolver(host, port))
        except (OSError, UnicodeError) as exc:
            raise _Refused(ErrorCode.E556, transient=True, why=f"cannot resolve {host}") from exc
        if not addresses:
            raise _Refused(ErrorCode.E556, transient=True, why=f"{host} has no address")
        if not self._allow_private:
            for address in addresses:
                kind = blocked_kind(address)
                if kind is not None:
                    raise _Refused(ErrorCode.E551, host=host, address=address, kind=kind)
        error: httpx.ConnectError | None = None
        for address in addresses:
            pinned = httpx.Request(
                request.method,
                request.url.copy_with(host=address.split("%", 1)[0]),
                headers=request.headers,  # keeps Host: the name, not the address
                stream=request.stream,
                extensions={**request.extensions, "sni_hostname": host},
            )
            try:
                return self._inner.handle_request(pinned)
            except httpx.ConnectError as exc:
                error = exc  # try the host's next address, as a browser would
        assert error is not None
        raise error

    def close(self) -> None:
        self._inner.close()


class Fetcher:
    """Fetches pages and feeds under a ``FetchPolicy``. Use it as a context manager."""

    def __init__(
        self,
        policy: FetchPolicy | None = None,
        *,
        resolver: Resolver = resolve,
        limiter: HostRateLimiter | None = None,
        verify: ssl.SSLContext | None = None,
    ) -> None:
        """``verify`` replaces the certifi CA bundle (a company CA, a test certificate)."""
        self.policy = policy or FetchPolicy()
        self._limiter = limiter or HostRateLimiter(self.policy.host_delay)
        transport = _GuardedTransport(
            allow_private=self.policy.allow_private,
            resolver=resolver,
            verify=verify if verify is not None else True,
        )
        self._client = httpx.Client(
            transport=transport,
            headers={"User-Agent": USER_AGENT},
            timeout=httpx.Timeout(
                connect=self.policy.connect_timeout,
                read=self.policy.read_timeout,
                write=self.policy.read_timeout,
                pool=self.policy.connect_timeout,
            ),
            follow_redirects=False,
            trust_env=False,
        )

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def get(
        self,
        url: str,
        *,
        accept: Iterable[str],
        etag: str | None = None,
        last_modified: str | None = None,
    ) -> Fetched:
        """GET ``url``, following redirects hop by hop; raise ``FetchError`` on any refusal.

        ``accept`` lists the media types wanted; anything else is refused before its body is
        read. ``etag``/``last_modified`` make the request conditional: a 304 comes back as a
        ``Fetched`` with ``not_modified`` set and an empty body.
        """
        wanted = frozenset(accept)
        deadline = time.monotonic() + self.policy.total_timeout
        headers = {"Accept": ", ".join(sorted(wanted)) + ", */*;q=0.1"}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        current = url
        for _hop in range(self.policy.max_redirects + 1):
            target = _checked_url(current, url)
            self._limiter.wait(target.raw_host.decode("ascii"))
            try:
                with self._client.stream("GET", target, headers=headers) as response:
                    status = response.status_code
                    if status in _REDIRECTS:
                        current = _location(response, url)
                        continue
                    return self._finish(url, response, wanted, deadline)
            except _Refused as exc:
                where = url if current == url else f"{url} (redirected to {current})"
                raise FetchError(where, exc.code, transient=exc.transient, **exc.kwargs) from exc
            except httpx.TimeoutException as exc:
                why = f"timed out ({type(exc).__name__})"
                raise FetchError(url, ErrorCode.E556, transient=True, why=why) from exc
            except httpx.HTTPError as exc:
                why = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
                raise FetchError(url, ErrorCode.E556, transient=True, why=why) from exc
        raise FetchError(url, ErrorCode.E555, limit=self.policy.max_redirects, url=current)

    def _finish(
        self, url: str, response: httpx.Response, wanted: frozenset[str], deadline: float
    ) -> Fetched:
        status = response.status_code
        media_type, charset = parse_content_type(response.headers.get("content-type"))
        result = Fetched(
            url=url,
            final_url=str(response.request.url),
            status=status,
            body=b"",
            media_type=media_type,
            charset=charset,
            etag=response.headers.get("etag"),
            last_modified=response.headers.get("last-modified"),
        )
        if status == 304:
            return result
        if not 200 <= status < 300:
            transient = status == 429 or status >= 500
            phrase = response.reason_phrase or ""
            raise FetchError(url, ErrorCode.E552, transient=transient, status=status, phrase=phrase)
        if media_type not in wanted:
            expected = ", ".join(sorted(wanted))
            raise FetchError(url, ErrorCode.E554, media_type=media_type or "", expected=expected)
        body = self._read(url, response, deadline)
        return Fetched(
            url=url,
            final_url=result.final_url,
            status=status,
            body=body,
            media_type=media_type,
            charset=charset,
            etag=result.etag,
            last_modified=result.last_modified,
        )

    def _read(self, url: str, response: httpx.Response, deadline: float) -> bytes:
        """The decoded body, refused as soon as it passes the cap or the deadline."""
        limit = self.policy.max_bytes
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            raise FetchError(url, ErrorCode.E553, limit=limit)
        chunks: list[bytes] = []
        size = 0
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > limit:
                raise FetchError(url, ErrorCode.E553, limit=limit)
            if time.monotonic() > deadline:
                why = f"the download took longer than {self.policy.total_timeout:g} s"
                raise FetchError(url, ErrorCode.E556, transient=True, why=why)
            chunks.append(chunk)
        return b"".join(chunks)


def parse_content_type(value: str | None) -> tuple[str | None, str | None]:
    """``text/html; charset=UTF-8`` -> ("text/html", "utf-8")."""
    if not value:
        return None, None
    media_type, *params = value.split(";")
    charset = None
    for param in params:
        name, _, raw = param.partition("=")
        if name.strip().lower() == "charset":
            charset = raw.strip().strip("\"'").lower() or None
    return media_type.strip().lower() or None, charset


def _checked_url(url: str, source: str) -> httpx.URL:
    """The URL parsed, or E550 when it is not an absolute http(s) URL with a host."""
    where = url if url == source else f"{source} (redirected to {url})"
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, TypeError, ValueError) as exc:
        raise FetchError(where, ErrorCode.E550) from exc
    if parsed.scheme not in _SCHEMES or not parsed.raw_host:
        raise FetchError(where, ErrorCode.E550)
    return parsed


def _location(response: httpx.Response, source: str) -> str:
    """Where a redirect points, resolved against the URL that answered."""
    location = response.headers.get("location", "").strip()
    if not location:
        phrase = f"{response.reason_phrase or 'redirect'} without a Location header"
        raise FetchError(source, ErrorCode.E552, status=response.status_code, phrase=phrase)
    return urljoin(str(response.request.url), location)
