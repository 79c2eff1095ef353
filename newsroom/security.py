"""Who is asking: the client address, taken from a proxy header only when the operator says so.

Behind a reverse proxy every request arrives from the proxy's own address, so the admin's login
lockout (django-axes) would count everyone's failures together and lock out the whole newsroom at
once. The proxy passes the real address in a header, but any client can send that header too: it
is trusted only when TRUSTED_PROXY_HEADER names it, and only the entry the last TRUSTED_PROXY_COUNT
proxies appended is believed. Without that setting, REMOTE_ADDR is the client.
"""

import ipaddress

from django.conf import settings
from django.shortcuts import render


def _valid_ip(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_ip(request) -> str | None:
    remote_addr = request.META.get("REMOTE_ADDR")
    header = settings.TRUSTED_PROXY_HEADER
    if not header:
        return remote_addr
    # "X-Forwarded-For" arrives in META as HTTP_X_FORWARDED_FOR.
    raw = request.META.get("HTTP_" + header.upper().replace("-", "_"), "")
    hops = [hop.strip() for hop in raw.split(",") if hop.strip()]
    count = settings.TRUSTED_PROXY_COUNT
    # Each trusted proxy appends the address it saw, so the client is `count` entries from the
    # right. Anything further left was written by the client and proves nothing. Too few entries
    # means the request did not come through the proxies: fall back to the connecting address.
    if len(hops) < count:
        return remote_addr
    return _valid_ip(hops[-count]) or remote_addr


def lockout_response(request, original_response=None, credentials=None):
    """What a locked-out client sees (django-axes' AXES_LOCKOUT_CALLABLE): a plain 429 page."""
    minutes = max(1, round(settings.AXES_COOLOFF_TIME.total_seconds() / 60))
    context = {"failure_limit": settings.AXES_FAILURE_LIMIT, "minutes": minutes}
    return render(request, "admin/locked_out.html", context, status=429)
