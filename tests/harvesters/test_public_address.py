"""Which addresses a harvest may connect to, address by address (harvesters/public_address.py)."""

from __future__ import annotations

import ipaddress

import pytest

from harvesters.public_address import (
    IPV4_BLOCKS,
    IPV6_BLOCKS,
    AddressBlock,
    embedded_ipv4,
    is_public_address,
)

REFUSED = {
    # IPv4 special-purpose blocks
    "0.0.0.0": "this network",
    "0.1.2.3": "this network",
    "10.0.0.1": "private use",
    "100.64.0.1": "shared address space",
    "100.127.255.254": "shared address space",
    "127.0.0.1": "loopback",
    "127.255.255.254": "loopback",
    "169.254.169.254": "link local, the cloud metadata service",
    "172.16.0.1": "private use",
    "172.31.255.254": "private use",
    "192.0.0.1": "IPv4 service continuity prefix",
    "192.0.0.8": "IPv4 dummy address, passed by Python 3.11's is_global",
    "192.0.0.170": "NAT64/DNS64 discovery",
    "192.0.0.255": "IETF protocol assignments",
    "192.0.2.1": "TEST-NET-1",
    "192.88.99.1": "deprecated 6to4 relay anycast",
    "192.168.0.10": "private use",
    "198.18.0.1": "benchmarking",
    "198.19.255.254": "benchmarking",
    "198.51.100.7": "TEST-NET-2",
    "203.0.113.9": "TEST-NET-3",
    "224.0.0.1": "multicast",
    "239.255.255.250": "multicast (SSDP)",
    "240.0.0.1": "reserved",
    "255.255.255.255": "limited broadcast",
    # IPv6 special-purpose blocks
    "::": "unspecified",
    "::1": "loopback",
    "100::1": "discard only",
    "2001:2::1": "benchmarking",
    "2001:10::1": "deprecated ORCHID",
    "2001:db8::1": "documentation",
    "3fff::1": "documentation (RFC 9637)",
    "5f00::1": "segment routing SIDs",
    "fc00::1": "unique local",
    "fd12:3456:789a::1": "unique local",
    "fe80::1": "link local",
    "fec0::1": "deprecated site-local",
    "feff:ffff::1": "deprecated site-local, last part",
    "ff02::1": "multicast, all nodes",
    "ff0e::1": "multicast, global scope",
    "4000::1": "outside global unicast 2000::/3",
    "1::1": "outside global unicast 2000::/3",
    # IPv4 inside IPv6
    "::a9fe:a9fe": "IPv4-compatible of 169.254.169.254",
    "::7f00:1": "IPv4-compatible of 127.0.0.1",
    "::808:808": "IPv4-compatible, deprecated even for a public address",
    "::ffff:127.0.0.1": "IPv4-mapped of loopback",
    "::ffff:a9fe:a9fe": "IPv4-mapped of 169.254.169.254",
    "::ffff:192.0.0.8": "IPv4-mapped of the dummy address",
    "::ffff:0:a9fe:a9fe": "IPv4-translated of 169.254.169.254",
    "::ffff:0:808:808": "IPv4-translated, not routed even for a public address",
    "64:ff9b::a9fe:a9fe": "NAT64 well-known prefix of 169.254.169.254",
    "64:ff9b::a00:1": "NAT64 well-known prefix of 10.0.0.1",
    "64:ff9b:1::a9fe:a9fe": "NAT64 local use of 169.254.169.254",
    "64:ff9b:1::808:808": "NAT64 local use, not globally reachable",
    "2002:a00:1::1": "6to4 of 10.0.0.1",
    "2002:a9fe:a9fe::1": "6to4 of 169.254.169.254",
    "2002:7f00:1:1::1": "6to4 of 127.0.0.1",
    "2001:0:4136:e378:8000:63bf:f5ff:fffe": "Teredo, client 10.0.0.1",
    "2001:0:4136:e378:8000:63bf:5601:5601": "Teredo, client 169.254.169.254",
    "2001:0:a9fe:a9fe:8000:63bf:f7f7:f7f7": "Teredo, server 169.254.169.254",
    "2001:0:4136:e378:8000:63bf:3fff:fdd2": "Teredo, client 192.0.2.45 (RFC 4380's example)",
}

ALLOWED = {
    "8.8.8.8": "Google public DNS",
    "93.184.216.34": "example.com",
    "1.1.1.1": "Cloudflare DNS",
    "100.63.255.255": "just below the shared address space",
    "100.128.0.0": "just above the shared address space",
    "172.15.255.255": "just below 172.16/12",
    "172.32.0.1": "just above 172.16/12",
    "192.0.0.9": "port control protocol anycast, reachable inside 192.0.0.0/24",
    "192.0.0.10": "TURN anycast, reachable inside 192.0.0.0/24",
    "192.0.1.1": "just above 192.0.0.0/24",
    "192.31.196.1": "AS112-v4",
    "223.255.255.254": "just below multicast",
    "2a00:1450:4001:80b::200e": "google.com",
    "2001:4860:4860::8888": "Google public DNS, outside 2001::/23",
    "2606:4700:4700::1111": "Cloudflare DNS",
    "2001:1::1": "port control protocol anycast, reachable inside 2001::/23",
    "2001:3::1": "automatic multicast tunneling, reachable inside 2001::/23",
    "2001:4:112::1": "AS112-v6",
    "2001:20::1": "ORCHIDv2",
    "2620:4f:8000::1": "direct delegation AS112",
    "64:ff9b::808:808": "NAT64 well-known prefix of 8.8.8.8",
    "64:ff9b::5db8:d822": "NAT64 well-known prefix of 93.184.216.34",
    "::ffff:8.8.8.8": "IPv4-mapped of 8.8.8.8: the socket connects to 8.8.8.8",
    "2002:808:808::1": "6to4 of 8.8.8.8",
    "2001:0:4136:e378:8000:63bf:f7f7:f7f7": "Teredo, server 65.54.227.120, client 8.8.8.8",
}


@pytest.mark.parametrize("address", sorted(REFUSED))
def test_a_private_local_or_special_address_is_refused(address: str) -> None:
    assert not is_public_address(ipaddress.ip_address(address)), REFUSED[address]


@pytest.mark.parametrize("address", sorted(ALLOWED))
def test_a_public_address_is_allowed(address: str) -> None:
    assert is_public_address(ipaddress.ip_address(address)), ALLOWED[address]


@pytest.mark.parametrize(
    ("address", "carried"),
    [
        ("::a9fe:a9fe", ["169.254.169.254"]),
        ("::ffff:127.0.0.1", ["127.0.0.1"]),
        ("::ffff:0:a9fe:a9fe", ["169.254.169.254"]),
        ("64:ff9b::808:808", ["8.8.8.8"]),
        ("64:ff9b:1::a9fe:a9fe", ["169.254.169.254"]),
        ("2002:a9fe:a9fe::1", ["169.254.169.254"]),  # bits 16 to 48
        ("2001:0:4136:e378:8000:63bf:3fff:fdd2", ["65.54.227.120", "192.0.2.45"]),
        ("2a00:1450:4001:80b::200e", []),
    ],
)
def test_the_ipv4_address_inside_an_ipv6_form_is_found_where_its_rfc_puts_it(
    address: str, carried: list[str]
) -> None:
    found = embedded_ipv4(ipaddress.IPv6Address(address))
    assert [str(ipv4) for ipv4 in found] == carried


def _unreachable_blocks() -> list[AddressBlock]:
    return [block for block in IPV4_BLOCKS + IPV6_BLOCKS if not block.globally_reachable]


@pytest.mark.parametrize("block", _unreachable_blocks(), ids=lambda block: str(block.network))
def test_every_unreachable_registry_block_refuses_its_first_and_last_address(
    block: AddressBlock,
) -> None:
    assert not is_public_address(block.network.network_address), block.purpose
    assert not is_public_address(block.network.broadcast_address), block.purpose


def test_every_registry_row_names_its_rfc() -> None:
    assert all(block.reference.startswith("RFC ") for block in IPV4_BLOCKS + IPV6_BLOCKS)
