"""Site-wide middleware: a request id and one JSON log line per request; a 503 when the database is
down; NUL characters in the address refused or replaced."""

import logging
import re
import time
import uuid

from django.db import DatabaseError
from django.http import HttpResponseBadRequest, QueryDict

from . import health
from .logging import request_id
from .security import client_ip

logger = logging.getLogger("newsroom.request")

# An incoming X-Request-ID (set by a load balancer or proxy) is kept only if it looks like an id:
# short, and letters, digits and a few separators. Anything else (newlines that would forge log
# lines, 10 KB of padding) is replaced by a fresh one.
SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")


def incoming_request_id(request):
    candidate = request.headers.get("X-Request-ID", "")
    if SANE_REQUEST_ID.fullmatch(candidate):
        return candidate
    return uuid.uuid4().hex


def user_id(request):
    """The signed-in user's id, or None. Never lets a failure here (the database being down while
    the session is read) turn into a failed request."""
    user = getattr(request, "user", None)
    if user is None:
        return None
    try:
        return user.pk if user.is_authenticated else None
    except Exception:  # noqa: BLE001 - logging must not fail the request
        return None


class RequestLogMiddleware:
    """Gives each request an id (kept from X-Request-ID if sane), sends it back in the X-Request-ID
    response header, and logs one line when the response leaves: method, path, status, duration,
    user, remote address. Goes first after SecurityMiddleware, so its timing covers the rest."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.id = incoming_request_id(request)
        token = request_id.set(request.id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request.id
            uid = user_id(request)
            logger.info(
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                    "user": uid if uid is not None else "anonymous",
                    "remote_addr": client_ip(request) or "",
                },
            )
            return response
        finally:
            request_id.reset(token)


class DatabaseUnavailableMiddleware:
    """Turns a database outage into a plain 503 page with Retry-After, logged once with its
    traceback. Catches what views and template rendering raise (process_exception); what a
    middleware raises reaches Django's 500 handler, which newsroom.health.handler500 answers the
    same way. Goes before SessionMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not (isinstance(exception, DatabaseError) and health.database_unavailable(exception)):
            return None
        logger.error(
            "Database unavailable: %s %s",
            request.method,
            request.path,
            exc_info=exception,
            extra={"status": 503},
        )
        response = health.service_unavailable()
        response._has_been_logged = True  # Django's own request logger would log it a second time
        return response


class NulCharacterMiddleware:
    """A NUL character has no place in a URL, and PostgreSQL refuses it in text: a %00 reaching a
    query fails there as a 500. An address with one is a 400. In query parameters it is read as
    U+FFFD, the way Django already reads bytes that are not UTF-8, so a search for "x%00y" still
    gets its page of results."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path:
            return HttpResponseBadRequest(
                "Bad request: the address contains a NUL character.", content_type="text/plain"
            )
        if any(
            "\x00" in key or any("\x00" in value for value in values)
            for key, values in request.GET.lists()
        ):
            cleaned = QueryDict(mutable=True)
            for key, values in request.GET.lists():
                cleaned.setlist(
                    key.replace("\x00", "\ufffd"), [v.replace("\x00", "\ufffd") for v in values]
                )
            cleaned._mutable = False
            request.GET = cleaned
        return self.get_response(request)
