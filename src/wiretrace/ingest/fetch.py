"""Fetching one URL with httpx, guarded: scheme, address, redirect, time and size limits."""

from __future__ import annotations

import ipaddress
import re
import socket
import time
from dataclasses import dataclass
from importlib import metadata
from urllib.parse import urljoin

import httpx

from wiretrace.errors import BlockedAddress, FetchError, InputError

_REDIRECTS = {301, 302, 303, 307, 308}
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


def _user_agent() -> str:
    try:
        version = metadata.version("wiretrace")
    except metadata.PackageNotFoundError:
        version = "dev"
    return f"wiretrace/{version} (+https://github.com/wiretrace)"


@dataclass(frozen=True, slots=True)
class FetchedPage:
    """A fetched response: the url after redirects, status, content type and body bytes."""

    url: str
    status: int
    content_type: str
    body: bytes

    @property
    def media_type(self) -> str:
        """The content type without its parameters, lower case."""
        return self.content_type.partition(";")[0].strip().lower()

    @property
    def charset(self) -> str | None:
        """The charset the server declared, if any."""
        for param in self.content_type.split(";")[1:]:
            key, _, value = param.strip().partition("=")
            if key.lower() == "charset" and value:
                return value.strip().strip("\"'")
        return None


def is_blocked(ip: IPAddress) -> bool:
    """True for an address no user-given URL should reach: private, loopback, link-local, etc."""
    if isinstance(ip, ipaddress.IPv6Address):
        # An IPv4 address dressed as IPv6 reaches the IPv4 host: judge that host.
        inner = ip.ipv4_mapped or ip.sixtofour or (ip.teredo[1] if ip.teredo else None)
        if inner is not None and is_blocked(inner):
            return True
    return (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_reserved
        or ip.is_multicast
        or ip.is_unspecified
        or not ip.is_global
    )


def _resolve(host: str, port: int) -> list[IPAddress]:
    """Every address the host resolves to, in the resolver's order."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    seen: list[IPAddress] = []
    for info in infos:
        ip = ipaddress.ip_address(str(info[4][0]).split("%", 1)[0])  # drop an IPv6 zone id
        if ip not in seen:
            seen.append(ip)
    return seen


def _addresses(url: httpx.URL, *, allow_private: bool) -> list[IPAddress]:
    """Vetted addresses for the url's host; BlockedAddress when any of them is off limits."""
    if url.scheme not in ("http", "https"):
        raise FetchError(
            f"only http and https URLs can be fetched, not {url.scheme or 'none'}:", source=str(url)
        )
    if not url.host:
        raise FetchError("the URL has no host", source=str(url))
    port = url.port or (443 if url.scheme == "https" else 80)
    try:
        ips = _resolve(url.host, port)
    except (OSError, UnicodeError, ValueError) as exc:
        raise FetchError(f"cannot resolve host {url.host!r} ({exc})", source=str(url)) from exc
    if not allow_private:
        # One bad address blocks the host: a resolver may hand out either on the next lookup.
        for ip in ips:
            if is_blocked(ip):
                raise BlockedAddress(
                    f"{url.host} resolves to a non-public address ({ip})", source=str(url)
                )
    return ips


def _get(
    client: httpx.Client, url: httpx.URL, ips: list[IPAddress], *, deadline: float, max_bytes: int
) -> FetchedPage | httpx.Response:
    """GET the url from the vetted addresses; a redirect response comes back unread."""
    last: httpx.ConnectError | None = None
    for ip in ips:
        # Connect to the address we checked, not to a fresh lookup the DNS could answer otherwise.
        pinned = url.copy_with(host=str(ip))
        headers = {"Host": url.netloc.decode("ascii")}
        extensions = {"sni_hostname": url.host} if url.scheme == "https" else {}
        request = client.build_request("GET", pinned, headers=headers, extensions=extensions)
        try:
            response = client.send(request, stream=True)
        except httpx.ConnectError as exc:
            last = exc
            continue
        try:
            if response.status_code in _REDIRECTS and "location" in response.headers:
                return response
            if not 200 <= response.status_code < 300:
                raise FetchError(
                    f"HTTP {response.status_code} {response.reason_phrase}".strip(), source=str(url)
                )
            declared = response.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > max_bytes:
                raise FetchError(f"response larger than {max_bytes} bytes", source=str(url))
            chunks: list[bytes] = []
            size = 0
            for chunk in response.iter_bytes():  # decoded bytes: a gzip bomb counts in full
                size += len(chunk)
                if size > max_bytes:
                    raise FetchError(f"response larger than {max_bytes} bytes", source=str(url))
                if time.monotonic() > deadline:
                    raise httpx.ReadTimeout("deadline passed")
                chunks.append(chunk)
            return FetchedPage(
                str(url),
                response.status_code,
                response.headers.get("content-type", ""),
                b"".join(chunks),
            )
        finally:
            response.close()
    raise FetchError(f"cannot connect to {url.host} ({last})", source=str(url))


_SURROGATE = re.compile("[\ud800-\udfff]")


def _parsed(url: str, error: type[InputError], what: str, source: str) -> httpx.URL:
    """The URL parsed, or `error` (never httpx's or the codec's own exception).

    A lone surrogate (from a JSON "\\udcff" escape, or bytes that are not UTF-8) made httpx's
    percent-encoding raise UnicodeEncodeError, a ValueError that escaped every reader."""
    source = _SURROGATE.sub("\ufffd", source)  # printable and encodable wherever it is shown
    if _SURROGATE.search(url):
        raise error(f"{what} (it holds a lone surrogate, which is not text)", source=source)
    try:
        return httpx.URL(url)
    except (httpx.InvalidURL, TypeError, ValueError) as exc:
        raise error(f"{what} ({exc})", source=source) from exc


def given_url(url: str) -> httpx.URL:
    """A URL the user gave, checked before any fetch: InputError (a bad input, not a failed
    fetch) when it cannot be parsed, is not http(s) or has no host."""
    parsed = _parsed(url, InputError, "invalid URL", url)
    source = _SURROGATE.sub("\ufffd", url)
    if parsed.scheme not in ("http", "https"):
        raise InputError(
            f"only http and https URLs can be fetched, not {parsed.scheme or 'none'}:",
            source=source,
        )
    if not parsed.host:
        raise InputError("the URL has no host", source=source)
    return parsed


def fetch_url(
    url: str, *, timeout: float, max_bytes: int, allow_private: bool, max_redirects: int = 5
) -> FetchedPage:
    """Fetch a URL: http(s) only, public addresses only unless allowed, bounded in time and size."""
    deadline = time.monotonic() + timeout  # read timeouts alone let a trickling server run forever
    current = given_url(url)
    limits = httpx.Timeout(timeout)
    # trust_env=False: a proxy from the environment would connect for us and void the address check
    with httpx.Client(
        timeout=limits,
        follow_redirects=False,
        trust_env=False,
        headers={"User-Agent": _user_agent()},
    ) as client:
        for _hop in range(max_redirects + 1):
            ips = _addresses(current, allow_private=allow_private)
            try:
                result = _get(client, current, ips, deadline=deadline, max_bytes=max_bytes)
            except httpx.TimeoutException as exc:
                raise FetchError(f"timed out after {timeout:g}s", source=url) from exc
            except httpx.HTTPError as exc:
                raise FetchError(f"fetch failed ({exc})", source=url) from exc
            if isinstance(result, FetchedPage):
                return result
            location = urljoin(str(current), result.headers["location"])
            current = _parsed(location, FetchError, "bad redirect location", url)
    raise FetchError(f"more than {max_redirects} redirects", source=url)
