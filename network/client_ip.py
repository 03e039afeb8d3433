"""The address a request came from, believing X-Forwarded-For only from the proxies we were told to trust.

A proxy appends the address it saw to X-Forwarded-For; anything to the left of that may have been typed by
the client. So the header is read from the right, skipping our own proxies (settings.TRUSTED_PROXIES), and
the first address that is not one of them is the client. A request that did not come from a trusted proxy
is taken at its connecting address, whatever its headers say.
"""

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(trusted: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(item, strict=False) for item in trusted)


def _parse(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    text = text.strip()
    if text.startswith("[") and "]" in text:  # [2001:db8::1]:443
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:  # 203.0.113.9:443
        text = text.partition(":")[0]
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def client_ip(remote_addr: str | None, forwarded_for: str = "") -> str | None:
    networks = _networks(tuple(settings.TRUSTED_PROXIES))
    address = _parse(remote_addr or "")
    if address is None:
        return None

    def trusted(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
        return any(ip in network for network in networks)

    if not trusted(address):
        return str(address)
    for hop in reversed([part for part in forwarded_for.split(",") if part.strip()]):
        forwarded = _parse(hop)
        if forwarded is None:
            break  # a garbled value: believe nothing further left
        address = forwarded
        if not trusted(forwarded):
            break
    return str(address)


def request_client_ip(request: HttpRequest) -> str | None:
    return client_ip(request.META.get("REMOTE_ADDR"), request.META.get("HTTP_X_FORWARDED_FOR", ""))
