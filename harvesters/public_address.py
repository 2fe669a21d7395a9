"""Which IP addresses a harvest may connect to: IANA's special-purpose registries as data.

An address is public when the most specific block containing it is globally reachable
(IANA's IPv4 and IPv6 Special-Purpose Address Registries, plus multicast, the former site-local
block and, for IPv6, everything outside the global unicast space 2000::/3), and every IPv4
address carried inside an IPv6 one is public too: a mapped, compatible, NAT64, 6to4 or Teredo
address can reach the IPv4 it wraps.

Python's `ipaddress.is_global` is not enough on 3.11: it passes 192.0.0.8, 192.88.99.0/24,
multicast, fec0::/10, ::/96, ::ffff:0:0:0/96, 64:ff9b:1::/48, 3fff::/20 and 5f00::/16, and
refuses all of 2001::/23 although the registry marks parts of it globally reachable.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from dataclasses import dataclass

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


@dataclass(frozen=True)
class AddressBlock:
    """One row of an address registry: a block, what it is for, where it is defined."""

    network: IPNetwork
    purpose: str
    reference: str
    globally_reachable: bool


def _block(cidr: str, purpose: str, reference: str, reachable: bool = False) -> AddressBlock:
    return AddressBlock(ipaddress.ip_network(cidr), purpose, reference, reachable)


# IANA IPv4 Special-Purpose Address Registry (as of 2025), plus multicast. A True row only
# matters inside a wider False row (192.0.0.9 in 192.0.0.0/24); the others document the registry.
IPV4_BLOCKS: tuple[AddressBlock, ...] = (
    _block("0.0.0.0/8", "this network", "RFC 791"),
    _block("10.0.0.0/8", "private use", "RFC 1918"),
    _block("100.64.0.0/10", "shared address space (carrier-grade NAT)", "RFC 6598"),
    _block("127.0.0.0/8", "loopback", "RFC 1122"),
    _block("169.254.0.0/16", "link local (cloud metadata services)", "RFC 3927"),
    _block("172.16.0.0/12", "private use", "RFC 1918"),
    _block("192.0.0.0/24", "IETF protocol assignments", "RFC 6890"),
    _block("192.0.0.0/29", "IPv4 service continuity prefix", "RFC 7335"),
    _block("192.0.0.8/32", "IPv4 dummy address", "RFC 7600"),
    _block("192.0.0.9/32", "port control protocol anycast", "RFC 7723", True),
    _block("192.0.0.10/32", "traversal using relays around NAT anycast", "RFC 8155", True),
    _block("192.0.0.170/31", "NAT64/DNS64 discovery", "RFC 8880"),
    _block("192.0.2.0/24", "documentation (TEST-NET-1)", "RFC 5737"),
    _block("192.31.196.0/24", "AS112-v4", "RFC 7535", True),
    _block("192.52.193.0/24", "automatic multicast tunneling", "RFC 7450", True),
    _block("192.88.99.0/24", "deprecated 6to4 relay anycast", "RFC 7526"),
    _block("192.168.0.0/16", "private use", "RFC 1918"),
    _block("192.175.48.0/24", "direct delegation AS112 service", "RFC 7534", True),
    _block("198.18.0.0/15", "benchmarking", "RFC 2544"),
    _block("198.51.100.0/24", "documentation (TEST-NET-2)", "RFC 5737"),
    _block("203.0.113.0/24", "documentation (TEST-NET-3)", "RFC 5737"),
    _block("224.0.0.0/4", "multicast", "RFC 5771"),
    _block("240.0.0.0/4", "reserved", "RFC 1112"),
    _block("255.255.255.255/32", "limited broadcast", "RFC 919"),
)

# IANA IPv6 Special-Purpose Address Registry (as of 2025), the IPv6 Address Space registry's
# split between global unicast and the rest, multicast and the former site-local block.
# The registry marks ::ffff:0:0/96 not reachable because such an address never goes on the
# wire; a socket given one connects to the IPv4 address inside, so that address decides.
IPV6_BLOCKS: tuple[AddressBlock, ...] = (
    _block("::/0", "outside the global unicast space", "RFC 4291 2.4"),
    _block("2000::/3", "global unicast", "RFC 4291 2.4", True),
    _block("::/128", "unspecified address", "RFC 4291"),
    _block("::1/128", "loopback", "RFC 4291"),
    _block("::/96", "deprecated IPv4-compatible addresses", "RFC 4291 2.5.5.1"),
    _block("::ffff:0:0/96", "IPv4-mapped (checked by its IPv4 address)", "RFC 4291", True),
    _block("::ffff:0:0:0/96", "IPv4-translated addresses", "RFC 2765"),
    _block("64:ff9b::/96", "IPv4/IPv6 translation, well-known prefix", "RFC 6052", True),
    _block("64:ff9b:1::/48", "IPv4/IPv6 translation, local use", "RFC 8215"),
    _block("100::/64", "discard only", "RFC 6666"),
    _block("100:0:0:1::/64", "dummy IPv6 prefix", "RFC 9780"),
    _block("2001::/23", "IETF protocol assignments", "RFC 2928"),
    _block("2001::/32", "Teredo (checked by its IPv4 addresses)", "RFC 4380", True),
    _block("2001:1::1/128", "port control protocol anycast", "RFC 7723", True),
    _block("2001:1::2/128", "traversal using relays around NAT anycast", "RFC 8155", True),
    _block("2001:1::3/128", "DNS-SD service registration protocol anycast", "RFC 9665", True),
    _block("2001:2::/48", "benchmarking", "RFC 5180"),
    _block("2001:3::/32", "automatic multicast tunneling", "RFC 7450", True),
    _block("2001:4:112::/48", "AS112-v6", "RFC 7535", True),
    _block("2001:10::/28", "deprecated ORCHID", "RFC 4843"),
    _block("2001:20::/28", "ORCHIDv2", "RFC 7343", True),
    _block("2001:30::/28", "drone remote ID protocol entity tags", "RFC 9374", True),
    _block("2001:db8::/32", "documentation", "RFC 3849"),
    _block("2002::/16", "6to4 (checked by its IPv4 address)", "RFC 3056", True),
    _block("2620:4f:8000::/48", "direct delegation AS112 service", "RFC 7534", True),
    _block("3fff::/20", "documentation", "RFC 9637"),
    _block("5f00::/16", "segment routing SIDs", "RFC 9602"),
    _block("fc00::/7", "unique local", "RFC 4193"),
    _block("fe80::/10", "link-local unicast", "RFC 4291"),
    _block("fec0::/10", "deprecated site-local", "RFC 3879"),
    _block("ff00::/8", "multicast", "RFC 4291"),
)


def _last_32_bits(address: ipaddress.IPv6Address) -> list[ipaddress.IPv4Address]:
    return [ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)]


def _sixtofour(address: ipaddress.IPv6Address) -> list[ipaddress.IPv4Address]:
    return [ipaddress.IPv4Address((int(address) >> 80) & 0xFFFFFFFF)]  # bits 16 to 48


def _teredo(address: ipaddress.IPv6Address) -> list[ipaddress.IPv4Address]:
    server = ipaddress.IPv4Address((int(address) >> 64) & 0xFFFFFFFF)  # bits 32 to 64
    client = ipaddress.IPv4Address(~int(address) & 0xFFFFFFFF)  # the last 32 bits, inverted
    return [server, client]


Extractor = Callable[[ipaddress.IPv6Address], list[ipaddress.IPv4Address]]

# IPv6 forms that carry an IPv4 address (named, with their RFC), and where it sits in them.
IPV4_CARRIERS: tuple[tuple[ipaddress.IPv6Network, str, Extractor], ...] = (
    (ipaddress.IPv6Network("::/96"), "IPv4-compatible, RFC 4291", _last_32_bits),
    (ipaddress.IPv6Network("::ffff:0:0/96"), "IPv4-mapped, RFC 4291", _last_32_bits),
    (ipaddress.IPv6Network("::ffff:0:0:0/96"), "IPv4-translated, RFC 2765", _last_32_bits),
    (ipaddress.IPv6Network("64:ff9b::/96"), "NAT64 well-known prefix, RFC 6052", _last_32_bits),
    (ipaddress.IPv6Network("64:ff9b:1::/48"), "NAT64 local use, RFC 8215", _last_32_bits),
    (ipaddress.IPv6Network("2002::/16"), "6to4, RFC 3056", _sixtofour),
    (ipaddress.IPv6Network("2001::/32"), "Teredo server and client, RFC 4380", _teredo),
)


def embedded_ipv4(address: ipaddress.IPv6Address) -> list[ipaddress.IPv4Address]:
    """The IPv4 addresses an IPv6 address carries (none for a plain IPv6 address)."""
    found: list[ipaddress.IPv4Address] = []
    for prefix, _form, extract in IPV4_CARRIERS:
        if address in prefix:
            found += extract(address)
    return found


def governing_block(address: IPAddress) -> AddressBlock | None:
    """The most specific registry row containing the address, or None if no row does."""
    blocks = IPV4_BLOCKS if isinstance(address, ipaddress.IPv4Address) else IPV6_BLOCKS
    containing = [block for block in blocks if address in block.network]
    return max(containing, key=lambda block: block.network.prefixlen, default=None)


def is_public_address(address: IPAddress) -> bool:
    """True if the address and every IPv4 address it carries are globally reachable."""
    block = governing_block(address)
    if block is not None and not block.globally_reachable:
        return False
    if isinstance(address, ipaddress.IPv6Address):
        return all(is_public_address(inner) for inner in embedded_ipv4(address))
    return True
