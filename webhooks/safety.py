"""Where a webhook may point: http(s) addresses whose host resolves to public addresses
only. Checked when a manager saves the address and again before every attempt, on the
addresses the attempt then connects to (a name that resolved to a public address when it
was saved may point inside the network later: DNS rebinding).

FORUM_WEBHOOK_ALLOW_PRIVATE lets endpoints inside the network (loopback, private ranges)
through, for a site whose receivers live there, and for the tests' receiver."""

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings

from webhooks import errors


class UnsafeURL(ValueError):
    """The address may not be called: `code` and `params` say why (webhooks/errors.py)."""

    def __init__(self, code, **params):
        super().__init__(code)
        self.code, self.params = code, params

    def __str__(self):
        return errors.message(self.code, self.params)


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str
    port: int
    path: str
    addresses: tuple


def _refused(address):
    if address.version == 6 and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return (
        address.is_loopback
        or address.is_link_local
        or address.is_private
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
        or not address.is_global
    )


def parse(url):
    """The parts of `url` an attempt needs, or UnsafeURL for an address that is not a
    plain http(s) one."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as error:
        raise UnsafeURL("invalid") from error
    if parts.scheme not in ("http", "https"):
        raise UnsafeURL("scheme")
    if not parts.hostname:
        raise UnsafeURL("no_host")
    if parts.username is not None or parts.password is not None:
        raise UnsafeURL("credentials")
    path = parts.path or "/"
    if parts.query:
        path = f"{path}?{parts.query}"
    return parts.scheme, parts.hostname, port or (443 if parts.scheme == "https" else 80), path


def resolve(url):
    """The Target of `url`, with every address its host resolves to now; UnsafeURL when
    the host does not resolve or one of its addresses is not public (unless allowed)."""
    scheme, host, port, path = parse(url)
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise UnsafeURL("unresolved", host=host) from error
    addresses = tuple(dict.fromkeys(info[4][0] for info in infos))
    if not settings.FORUM_WEBHOOK_ALLOW_PRIVATE:
        for address in addresses:
            if _refused(ipaddress.ip_address(address.split("%", 1)[0])):
                raise UnsafeURL("private", host=host, address=address)
    return Target(scheme=scheme, host=host, port=port, path=path, addresses=addresses)
