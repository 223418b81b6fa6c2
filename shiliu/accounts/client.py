"""The client's address, the one way every part of Shiliu reads it (login lockout, audit log).

Behind a reverse proxy every request comes from the proxy's address, so a lockout keyed on it locks everybody
out. The real address is in X-Forwarded-For, but only the entries the proxies themselves appended can be
trusted: anything to their left came from the client and may be forged. ``SHILIU_TRUSTED_PROXIES`` says how many
proxies stand in front of Django (0, the default, means none: the header is ignored and REMOTE_ADDR is the
client); with N proxies the client is the N-th entry from the right of ``SHILIU_CLIENT_IP_HEADER``.
"""

from __future__ import annotations

import ipaddress
import logging

from django.conf import settings
from django.http import HttpRequest

log = logging.getLogger(__name__)
_warned = False


def _valid(address: str) -> str | None:
    address = address.strip()
    if address.startswith("[") and "]" in address:  # [v6]:port
        address = address[1 : address.index("]")]
    elif address.count(":") == 1:  # v4:port
        address = address.split(":", 1)[0]
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str | None:
    global _warned
    remote = _valid(request.META.get("REMOTE_ADDR", "") or "")
    proxies = settings.SHILIU_TRUSTED_PROXIES
    header = "HTTP_" + settings.SHILIU_CLIENT_IP_HEADER.upper().replace("-", "_")
    if proxies <= 0:
        if not _warned and header in request.META and not settings.DEBUG:
            _warned = True
            log.warning(
                "%s arrives but SHILIU_TRUSTED_PROXIES is 0: behind a reverse proxy every client shares the "
                "proxy's address and one attacker can lock everyone out; set it to the number of proxies.",
                settings.SHILIU_CLIENT_IP_HEADER,
            )
        return remote
    hops = [h for h in (request.META.get(header, "") or "").split(",") if h.strip()]
    if len(hops) < proxies:
        # The request did not pass through all the proxies (or a proxy is misconfigured): trust nothing.
        return remote
    return _valid(hops[-proxies]) or remote
