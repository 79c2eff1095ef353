"""What the site does when its database is down: /healthz for load balancers, and a plain 503 page
with Retry-After for readers, instead of a traceback or a 500.

"Down" means the database cannot be reached or is refusing work (see database_unavailable()); any
other database error is a bug, and stays a 500 so that it is noticed.
"""

import logging
import sqlite3
import sys

from django.db import DatabaseError, InterfaceError, OperationalError, connections
from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.views.decorators.cache import never_cache
from django.views.defaults import server_error

from . import editions

# Seconds a reader or crawler is asked to wait before trying again.
RETRY_AFTER = 30

logger = logging.getLogger(__name__)

# SQLite result codes (the low byte) that mean the file cannot be used right now, not a bad query:
# BUSY, LOCKED, NOMEM, READONLY, IOERR, FULL, CANTOPEN, PROTOCOL.
SQLITE_UNAVAILABLE = {5, 6, 7, 8, 10, 13, 14, 15}
# PostgreSQL SQLSTATE classes: 08 connection exception, 53 insufficient resources, 57 operator
# intervention (shutdown, cannot connect now, statement timeout).
POSTGRES_UNAVAILABLE = ("08", "53", "57")


def database_unavailable(error):
    """Whether a database error means the database is down or overloaded, as opposed to a bug."""
    if isinstance(error, InterfaceError):  # the connection was already closed
        return True
    if not isinstance(error, OperationalError):
        return False
    cause = error.__cause__
    if isinstance(cause, sqlite3.Error):
        code = getattr(cause, "sqlite_errorcode", None)
        return code is None or code & 0xFF in SQLITE_UNAVAILABLE
    sqlstate = getattr(cause, "sqlstate", None)
    if sqlstate is None:
        # psycopg gives no SQLSTATE when it could not connect or lost the connection.
        return True
    return sqlstate.startswith(POSTGRES_UNAVAILABLE)


def service_unavailable():
    """The 503 page. Rendered without a request: no context processor, no database, no session;
    in the language the address activated (newsroom/editions.py)."""
    html = loader.render_to_string("503.html", {"site_name": editions.site_name()})
    response = HttpResponse(html, status=503)
    response["Retry-After"] = str(RETRY_AFTER)
    response["Cache-Control"] = "no-store"
    return response


def handler500(request, *args, **kwargs):
    """The site's 500 view, which Django calls for an exception no view-level code caught: one
    raised in a middleware (a session read or save, say). A database outage is a 503 there too."""
    error = sys.exc_info()[1]
    if isinstance(error, DatabaseError) and database_unavailable(error):
        return service_unavailable()
    return server_error(request, *args, **kwargs)


@never_cache
def healthz(request):
    """200 when the database answers a trivial query, 503 when it does not. Reads nothing else and
    writes nothing: load balancers call it every few seconds."""
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        logger.warning("Health check: the database does not answer", extra={"error": str(error)})
        return JsonResponse({"status": "unavailable", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok"})
