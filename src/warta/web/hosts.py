"""The ``Host`` header allow-list of ``warta serve`` (a defence against DNS rebinding).

A page on ``http://evil.example:8000/`` whose name an attacker re-points at ``127.0.0.1`` can make
the victim's browser read a warta server bound to loopback: the browser believes it talks to
``evil.example`` and sends ``Host: evil.example:8000``. Refusing every ``Host`` that is not a
name of the server closes that hole.

Allowed by default: the address the server is bound to and its names (``127.0.0.1``,
``localhost`` and ``::1`` for a loopback bind). A server bound to every interface (``0.0.0.0``,
``::``) also accepts any IP-address ``Host`` (a browser that addresses the server by IP is on the
server's own origin, which no rebinding can forge) and the machine's host names. More names come
from ``Settings.allowed_hosts`` (``--allowed-host``, ``WARTA_ALLOWED_HOSTS``, ``allowed_hosts``
in warta.toml): exact names, ``*.example.org`` for every sub-domain, or ``*`` for any host (only
behind a proxy that checks ``Host`` itself).
"""

from __future__ import annotations

import ipaddress
import re
import socket
from dataclasses import dataclass

LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})
_WILDCARD_BINDS = frozenset({"", "0.0.0.0", "::"})
_NAME = re.compile(r"^[a-z0-9_]([a-z0-9_.-]*[a-z0-9_])?$")


@dataclass(frozen=True, slots=True)
class HostPolicy:
    """Which ``Host`` header values the app answers."""

    names: frozenset[str]  # exact host names or addresses (lower case, IPv6 without brackets)
    suffixes: tuple[str, ...] = ()  # ".example.org" for "*.example.org"
    any_ip: bool = False  # every IP-literal host (wildcard binds)
    any_host: bool = False  # "*": no check

    def allows(self, header: str | None) -> bool:
        """Whether a request with this ``Host`` header is answered (no header: not a browser)."""
        if self.any_host or header is None:
            return True
        host = host_name(header)
        if host is None:
            return False
        if host in self.names or any(host.endswith(s) for s in self.suffixes):
            return True
        return self.any_ip and _is_ip(host)

    def describe(self) -> str:
        if self.any_host:
            return "any host"
        parts = sorted(self.names) + ["*" + s for s in self.suffixes]
        return ", ".join(parts) + (" and any IP address" if self.any_ip else "")


def host_name(header: str) -> str | None:
    """The host part of a ``Host`` header (``name``, ``name:port``, ``[v6]:port``), or None if malformed."""
    value = header.strip().lower()
    if value.startswith("["):
        end = value.find("]")
        rest = value[end + 1:] if end > 0 else ""
        if end < 0 or rest and not (rest.startswith(":") and rest[1:].isdigit()):
            return None
        host = value[1:end]
        return host if _is_ip(host) else None
    name, sep, port = value.partition(":")
    if sep and not port.isdigit():
        return None
    name = name.rstrip(".")
    return name if _NAME.match(name) else None


def _is_ip(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def _normal(entry: str) -> str:
    entry = entry.strip().lower()
    if entry.startswith("[") and entry.endswith("]"):
        entry = entry[1:-1]
    return entry.rstrip(".")


def split_hosts(value: str) -> list[str]:
    """Entries of a comma- or space-separated host list."""
    return [e for e in re.split(r"[,\s]+", value) if e]


def host_policy(bind: str, extra: str = "") -> HostPolicy:
    """The policy for a server bound to ``bind``, plus the ``extra`` entries (comma-separated)."""
    bind = _normal(bind)
    names = {bind} if bind not in _WILDCARD_BINDS else set()
    wildcard = bind in _WILDCARD_BINDS
    if wildcard or bind in LOOPBACK_NAMES or _is_loopback(bind):
        names |= LOOPBACK_NAMES
    if wildcard:
        names |= _machine_names()
    suffixes: list[str] = []
    any_host = False
    for entry in map(_normal, split_hosts(extra)):
        if entry == "*":
            any_host = True
        elif entry.startswith("*."):
            suffixes.append(entry[1:])
        else:
            names.add(entry)
    return HostPolicy(frozenset(names), tuple(suffixes), any_ip=wildcard, any_host=any_host)


def _is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _machine_names() -> set[str]:
    names = {socket.gethostname().lower()}
    try:
        names.add(socket.getfqdn().lower())
    except OSError:  # pragma: no cover - resolver trouble: the short name still counts
        pass
    return {n.rstrip(".") for n in names if n}
