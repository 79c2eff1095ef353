"""Log lines as JSON, one object a line, each carrying the id of the request it belongs to.

Hand-written rather than python-json-logger: the whole job is json.dumps over a record's fields,
about thirty lines, and the request id comes from a context variable that no library knows about.
"""

import contextvars
import json
import logging
from datetime import UTC, datetime

# The id of the request being served, set by newsroom.middleware.RequestLogMiddleware. A context
# variable, so that threads (gunicorn's gthread workers) and async tasks each see their own.
request_id = contextvars.ContextVar("request_id", default=None)

# Attributes every LogRecord has; anything else came through `extra=` and is logged as a field.
STANDARD_ATTRIBUTES = set(vars(logging.makeLogRecord({}))) | {"message", "asctime"}


class JSONFormatter(logging.Formatter):
    """time, level, logger, message, request_id, any `extra=` fields; an exception as its type,
    message and traceback. Values JSON cannot hold are written as their str()."""

    def format(self, record):
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None) or request_id.get(),
        }
        for key, value in vars(record).items():
            if key not in STANDARD_ATTRIBUTES and key not in entry and not key.startswith("_"):
                entry[key] = value
        if record.exc_info and record.exc_info[0] is not None:
            error_type, error, _ = record.exc_info
            module = "" if error_type.__module__ == "builtins" else error_type.__module__ + "."
            entry["error_type"] = module + error_type.__qualname__
            entry["error"] = str(error)
            entry["traceback"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, default=str, ensure_ascii=False)
