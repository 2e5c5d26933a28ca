"""Where a webhook may go: public internet addresses only, unless the operator allows others.

Whoever may add an endpoint chooses where the server sends POSTs. Without this check that
reaches the server's own loopback services, the private network, or a cloud metadata service
(169.254.169.254): server-side request forgery. Private, loopback, link-local, shared
(100.64/10), reserved, multicast and unspecified addresses are refused, IPv4 written as IPv6
included, unless ``webhooks_allow_private`` is on (``make run``'s demo turns it on).

Checked twice. When an endpoint is added: an address written in the URL, in any of the forms
the resolver reads (``127.1``, ``2130706433``, ``[::ffff:127.0.0.1]``), and ``localhost``
names. When delivering: every address the host name resolves to, just before connecting;
and the connection goes to the address that was checked, so a DNS answer that changes in
between (DNS rebinding) cannot redirect it.
"""

from __future__ import annotations

import ipaddress
import socket

from qbwc_server.webhooks.errors import PrivateAddressError

Address = ipaddress.IPv4Address | ipaddress.IPv6Address


def is_public(address: Address) -> bool:
    """Whether ``address`` is on the public internet."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_global and not address.is_multicast


def literal_address(host: str) -> Address | None:
    """The address ``host`` spells out (in any form the resolver accepts), or None for a
    name; never asks DNS."""
    try:
        found = socket.getaddrinfo(host, None, flags=socket.AI_NUMERICHOST)
    except (socket.gaierror, UnicodeError):
        return None
    return _address(found[0][4][0])


def refuse_private_host(host: str) -> None:
    """Refuse a host that names a non-public address without DNS (when an endpoint is added).

    Raises:
        PrivateAddressError: a loopback name, or a non-public address literal.
    """
    name = host.rstrip(".").lower()
    if name == "localhost" or name.endswith(".localhost"):
        raise PrivateAddressError(f"{host} is this machine")
    address = literal_address(host)
    if address is not None and not is_public(address):
        raise PrivateAddressError(f"{host} is not a public address")


def resolve_public(host: str, port: int) -> str:
    """The address to connect to for ``host``: every address it resolves to must be public.

    Raises:
        PrivateAddressError: one of the addresses is not public.
        OSError: the name does not resolve.
    """
    found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    addresses = [_address(info[4][0]) for info in found]
    for address in addresses:
        if not is_public(address):
            raise PrivateAddressError(f"{host} resolves to {address}, which is not a public "
                                      "address")
    return str(addresses[0])


def _address(text: str) -> Address:
    return ipaddress.ip_address(text.split("%", 1)[0])  # drop an IPv6 zone (fe80::1%eth0)
