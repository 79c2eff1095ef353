"""Who is asking the API: anyone (public read, limited per client address) or a partner with an
API key (`Authorization: Api-Key <key>`, created in the desk), limited per key and higher.

Session cookies do not authenticate here: a signed-in editor reading the API is anonymous to it,
so no CSRF token is ever involved (and the API only reads). The limits are counted before the
page cache (views.py), so answers served from the cache count too.
"""

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication
from rest_framework.throttling import SimpleRateThrottle

from newsroom.security import client_ip

from ..apikeys import APIKey

KEYWORD = "Api-Key"


class APIKeyAuthentication(BaseAuthentication):
    """`Authorization: Api-Key <prefix>.<secret>`. A wrong, malformed or revoked key is a 401;
    other schemes (a staging server's Basic auth) are none of the API's business."""

    def authenticate(self, request):
        scheme, _, credentials = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
        if scheme.lower() != KEYWORD.lower():
            return None
        key = APIKey.objects.for_key(credentials.strip())
        if key is None:
            raise exceptions.AuthenticationFailed("Unknown or revoked API key.")
        key.record_use()
        return AnonymousUser(), key

    def authenticate_header(self, request):
        return KEYWORD


class CountRefusedKeys:
    """For the API's views: a refused key counts against the client address's anonymous limit
    before its 401 (DRF authenticates before it throttles), so that sending made-up keys is
    limited like any other request, and a 429 once past it."""

    def perform_authentication(self, request):
        try:
            super().perform_authentication(request)
        except exceptions.AuthenticationFailed:
            self.check_throttles(request)  # request.auth is None by now: the anonymous limit
            raise


class APIKeyScheme(OpenApiAuthenticationExtension):
    target_class = APIKeyAuthentication
    name = "ApiKey"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": 'Optional. Send "Api-Key <key>"; a key lifts the anonymous rate limit.',
        }


class APIRateThrottle(SimpleRateThrottle):
    """API_ANONYMOUS_RATE per client address, API_KEY_RATE per key (read from the settings on
    each request, so tests and operators can change them). Past it: 429 with Retry-After."""

    cache_format = "api:throttle:%(scope)s:%(ident)s"

    def __init__(self):  # the rate depends on the request: see allow_request
        pass

    def allow_request(self, request, view):
        if isinstance(request.auth, APIKey):
            self.scope, self.rate = "key", settings.API_KEY_RATE
        else:
            self.scope, self.rate = "anonymous", settings.API_ANONYMOUS_RATE
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)

    def get_cache_key(self, request, view):
        keyed = self.scope == "key"
        ident = request.auth.pk if keyed else (client_ip(request._request) or "unknown")
        return self.cache_format % {"scope": self.scope, "ident": ident}
