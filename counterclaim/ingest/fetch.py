"""Fetching an article by URL for the web app, without letting a URL reach into the server's own
network: loopback, private, link-local and other reserved addresses are refused (unless explicitly
allowed), redirects are followed by hand and checked the same way, and size and time are capped."""
from __future__ import annotations

import ipaddress
import socket
import time
from urllib.parse import urljoin, urlsplit

from ..settings import DEFAULT


class FetchError(ValueError):
    pass


def check_url(url: str, allow_private: bool = False) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FetchError("only http and https URLs can be fetched")
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or (443 if parts.scheme == "https" else 80),
                                   proto=socket.IPPROTO_TCP)
    except socket.gaierror as err:
        raise FetchError(f"cannot resolve {parts.hostname}: {err.strerror}") from None
    for info in infos:
        ip = ipaddress.ip_address(info[4][0].split("%")[0])
        if not allow_private and not is_public(ip):
            raise FetchError(f"{parts.hostname} resolves to {ip}, an internal address; refused")


_NAT64 = ipaddress.ip_network("64:ff9b::/96")


def is_public(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """Whether an address is one of the internet's: global, and so is every IPv4 address an IPv6 one carries
    (mapped ::ffff:a.b.c.d, 6to4 2002:a.b.c.d::, NAT64 64:ff9b::a.b.c.d, Teredo's server and client). Asking
    for private addresses alone lets carrier-grade NAT (100.64.0.0/10, where one cloud's metadata service
    is) and 6to4 forms of loopback through."""
    if not ip.is_global or ip.is_multicast:
        return False
    if isinstance(ip, ipaddress.IPv6Address):
        carried = [ip.ipv4_mapped, ip.sixtofour, *(ip.teredo or ())]
        if ip in _NAT64:
            carried.append(ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF))
        return all(is_public(v4) for v4 in carried if v4 is not None)
    return True


def fetch(url: str, allow_private: bool = False) -> str:
    """The page's HTML as text. (The address is checked before each request; a host that changes what
    it resolves to between the check and the request is not caught here: put the server behind an egress
    proxy where that matters.)"""
    import httpx

    deadline = time.monotonic() + DEFAULT.page_timeout_s  # connect, redirects and body together
    try:
        for _ in range(DEFAULT.max_redirects + 1):
            check_url(url, allow_private)
            left = deadline - time.monotonic()
            if left <= 0:
                raise FetchError(f"{url} took over {DEFAULT.page_timeout_s:.0f} s")
            with httpx.Client(follow_redirects=False, timeout=left) as client:
                with client.stream("GET", url, headers={"User-Agent": "counterclaim/0.1"}) as resp:
                    if resp.is_redirect:
                        url = urljoin(url, resp.headers.get("location", ""))
                        continue
                    if resp.status_code >= 400:
                        raise FetchError(f"{url} answered HTTP {resp.status_code}")
                    body = read_capped(resp, DEFAULT.max_page_bytes, deadline)
                    if body is None:
                        raise FetchError(f"{url} is over the {DEFAULT.max_page_bytes:,}-byte limit")
                    return body.decode(resp.encoding or "utf-8", errors="replace")
    except httpx.TimeoutException:
        raise FetchError(f"{url} took over {DEFAULT.page_timeout_s:.0f} s") from None
    except httpx.HTTPError as err:  # refused, reset, a bad certificate: the fetch failed, not the server
        raise FetchError(f"{url} could not be fetched ({type(err).__name__})") from None
    raise FetchError(f"more than {DEFAULT.max_redirects} redirects")


def read_capped(resp, limit: int, deadline: float | None = None) -> bytes | None:
    """A streamed response's body, or None as soon as it passes `limit` bytes: a page or feed that big is
    refused without reading the rest. Past `deadline` (time.monotonic) it is a timeout, however slowly
    the bytes keep coming."""
    import httpx

    body = bytearray()
    for chunk in resp.iter_bytes():
        body += chunk
        if len(body) > limit:
            return None
        if deadline is not None and time.monotonic() > deadline:
            raise httpx.ReadTimeout("the whole body took too long")
    return bytes(body)
