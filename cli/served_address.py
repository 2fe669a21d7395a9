"""Which address `catalog serve` and `catalog up` build links and dataset IRIs from.

config.yaml's base_url names the catalog's public address. A local one (localhost, 127.x,
::1, as in the demo config) only says "on this machine": there the address actually served
is the truth, so `up --port 5301` links to port 5301. A public base_url is kept (a reverse
proxy usually stands in front), but when it differs from what is served, one line says so.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from catalog.settings import Settings
from cli.texts import text
from dcat.bilingual import Bilingual

WILDCARD_HOSTS = frozenset({"", "0.0.0.0", "::"})


@dataclass(frozen=True)
class ServedAddress:
    """The base_url to serve with, and a warning when the configured one points elsewhere."""

    base_url: str
    warning: Bilingual | None = None


def is_loopback(host: str) -> bool:
    """localhost or a loopback address (127.0.0.0/8, ::1)."""
    host = host.strip("[]").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def served_base_url(base_url: str, host: str, port: int) -> ServedAddress:
    """The base_url for a catalog served on host:port, given the configured one."""
    configured = urlsplit(base_url)
    configured_host = configured.hostname or ""
    if is_loopback(configured_host):
        # Keep the configured name (localhost stays localhost) unless a real interface is
        # served: then only that address reaches the catalog.
        kept = host in WILDCARD_HOSTS or is_loopback(host)
        netloc = f"{_bracketed(configured_host if kept else host)}:{port}"
        return ServedAddress(urlunsplit((configured.scheme, netloc, configured.path, "", "")))
    served = f"http://{_bracketed(host or '0.0.0.0')}:{port}"
    if _same_place(configured.scheme, configured_host, configured.port, host, port):
        return ServedAddress(base_url)
    return ServedAddress(base_url, warning=base_url_differs(base_url, served))


def base_url_differs(base_url: str, served: str) -> Bilingual:
    """The warning for a public base_url that is not the address served, in both languages."""
    return Bilingual(
        text("de", "base_url_differs", base_url=base_url, served=served),
        text("en", "base_url_differs", base_url=base_url, served=served),
    )


def settings_for_serving(
    settings: Settings, host: str, port: int
) -> tuple[Settings, Bilingual | None]:
    """The settings with the base_url to serve with, and the warning to print, if any."""
    address = served_base_url(settings.catalog.base_url, host, port)
    if address.base_url == settings.catalog.base_url:
        return settings, address.warning
    catalog = settings.catalog.model_copy(update={"base_url": address.base_url})
    return settings.model_copy(update={"catalog": catalog}), address.warning


def _same_place(
    scheme: str, configured_host: str, configured_port: int | None, host: str, port: int
) -> bool:
    default_port = 443 if scheme == "https" else 80
    if (configured_port or default_port) != port:
        return False
    return host in WILDCARD_HOSTS or host.strip("[]").lower() == configured_host.lower()


def _bracketed(host: str) -> str:
    return f"[{host}]" if ":" in host and not host.startswith("[") else host
