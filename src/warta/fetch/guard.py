"""No fetch reaches a private address unless the user allows it (SSRF through redirects, DNS).

Every TCP connection the fetcher opens goes through :class:`GuardedBackend`: the host is
resolved once, every address it resolves to is checked with :func:`is_public`, and the
connection is made to the checked address itself, so a second DNS answer cannot swap in another
address between the check and the connect (DNS rebinding). TLS still verifies the host name.

Non-public: loopback, private, link-local (169.254.169.254, the cloud metadata address),
unspecified, reserved, multicast, shared (100.64/10), and the same inside IPv6 wrappers
(IPv4-mapped ``::ffff:a.b.c.d``, NAT64 ``64:ff9b::/96``, 6to4 ``2002::/16``, Teredo).
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections import deque
from collections.abc import Iterable

import httpcore

from warta.errors import HostNotFound, UnsafeAddress

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

NAT64 = ipaddress.ip_network("64:ff9b::/96")
FALLBACK_AFTER = 5.0  # seconds a connect to one of several addresses may take before the next


def embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address carries (mapped, NAT64, 6to4, Teredo client), if any."""
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip in NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip.teredo is not None:
        return ip.teredo[1]
    return None


def is_public(address: str | IPAddress) -> bool:
    """True for a globally routable unicast address (IPv6 wrappers are unwrapped and checked)."""
    try:
        ip = ipaddress.ip_address(address) if isinstance(address, str) else address
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.scope_id:
            return False
        if ip.ipv4_mapped is not None or ip in NAT64:  # the IPv4 address is the one reached
            return is_public(embedded_ipv4(ip) or ip)
        inner = embedded_ipv4(ip)
        if inner is not None and not is_public(inner):
            return False
    bad = ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_multicast
    bad = bad or ip.is_reserved or ip.is_unspecified
    if isinstance(ip, ipaddress.IPv6Address):
        bad = bad or ip.is_site_local
    return ip.is_global and not bad


def check_addresses(host: str, addresses: Iterable[str], allow_private: bool) -> list[str]:
    """The addresses to connect to; raises :class:`UnsafeAddress` if one of them is not public."""
    found = list(dict.fromkeys(addresses))
    if not found:
        raise HostNotFound(f"DNS lookup found no address for {host}", url=host, kind="dns")
    if not allow_private:
        for addr in found:
            if not is_public(addr):
                raise UnsafeAddress(
                    f"{host} resolves to the non-public address {addr} (refused; allow it with"
                    " --allow-private, WARTA_ALLOW_PRIVATE=1 or allow_private = true in warta.toml)",
                    url=host,
                    kind="private-address",
                )
    return found


async def resolve(host: str, port: int, allow_private: bool) -> list[str]:
    """Resolve ``host`` and check every address (a literal IP is checked as it is)."""
    literal = host.strip("[]")
    try:
        return check_addresses(host, [str(ipaddress.ip_address(literal))], allow_private)
    except ValueError:
        pass
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise HostNotFound(f"DNS lookup failed for {host}: {dns_reason(exc)}", url=host, kind="dns") from exc
    return check_addresses(host, [str(info[4][0]) for info in infos], allow_private)


def dns_reason(exc: Exception) -> str:
    """``Name or service not known``, not ``[Errno -2] Name or service not known``."""
    return str(getattr(exc, "strerror", None) or exc)


class GuardedBackend(httpcore.AsyncNetworkBackend):
    """An httpcore network backend that connects only to checked addresses."""

    def __init__(self, allow_private: bool = False, inner: httpcore.AsyncNetworkBackend | None = None) -> None:
        self.allow_private = allow_private
        self.inner = inner if inner is not None else httpcore.AnyIOBackend()
        # the last connections dialled, (host, address, port): what a test or benchmark can check
        self.connects: deque[tuple[str, str, int]] = deque(maxlen=1000)

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        addresses = await resolve(host, port, self.allow_private)
        error: Exception | None = None
        for i, addr in enumerate(addresses):
            self.connects.append((host, addr, port))
            # one address after another (not anyio's parallel attempts, which would resolve the
            # name again); an address that is not the last gets a short try, as happy eyeballs would
            wait = timeout if i == len(addresses) - 1 else min(timeout or FALLBACK_AFTER, FALLBACK_AFTER)
            try:
                return await self.inner.connect_tcp(addr, port, wait, local_address, socket_options)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                error = exc
        raise error or HostNotFound(f"no address to connect to for {host}", url=host, kind="dns")

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        raise UnsafeAddress("unix sockets are not fetched", url=path, kind="private-address")

    async def sleep(self, seconds: float) -> None:
        await self.inner.sleep(seconds)
