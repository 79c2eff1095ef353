"""A Redis cache that the site can live without.

Django's RedisCache raises when Redis cannot be reached, which would turn a cache outage into a
site outage. This subclass treats Redis errors as misses (reads) and no-ops (writes), so pages are
served uncached instead. After a connection failure it stops trying for a few seconds (a circuit
breaker): a Redis that hangs rather than refuses would otherwise cost every cache call a timeout,
and every failure a log line.

Hand-written rather than django-redis (whose IGNORE_EXCEPTIONS does the first half): that would
replace Django's own backend and its client for one try/except, and it has no breaker.
"""

import logging
import pickle
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.filebased import FileBasedCache
from django.core.cache.backends.redis import RedisCache
from django.dispatch import Signal
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import RedisError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

# Sent when Redis answers again after an outage, for whatever kept state there that writes made
# during the outage could not update. (The page cache needs none: what is stale is decided in the
# database, newsroom/invalidation/keys.py.)
cache_recovered = Signal()


class ResilientRedisCache(RedisCache):
    """RedisCache that degrades to "no cache" while Redis is down. OPTIONS["RETRY_AFTER"] is how
    many seconds to leave Redis alone after a connection failure (default 5)."""

    def __init__(self, server, params):
        options = dict(params.get("OPTIONS") or {})
        self.retry_after = float(options.pop("RETRY_AFTER", 5))
        super().__init__(server, {**params, "OPTIONS": options})
        self._down_until = 0.0

    def _attempt(self, operation, fallback, *args, **kwargs):
        if time.monotonic() < self._down_until:
            return fallback
        try:
            result = getattr(super(), operation)(*args, **kwargs)
        except (RedisConnectionError, RedisTimeoutError) as error:
            if not self._down_until:
                logger.warning(
                    "Cache unavailable, serving uncached: %s",
                    error,
                    extra={"cache_operation": operation, "retry_after_s": self.retry_after},
                )
            self._down_until = time.monotonic() + self.retry_after
            return fallback
        except RedisError as error:  # e.g. out of memory: this call fails, the cache stays up
            logger.warning("Cache error, ignored: %s", error, extra={"cache_operation": operation})
            return fallback
        if self._down_until:
            logger.info("Cache available again")
            self._down_until = 0.0
            cache_recovered.send(sender=type(self), cache=self)
        return result

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._attempt("add", False, key, value, timeout, version)

    def get(self, key, default=None, version=None):
        return self._attempt("get", default, key, default, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._attempt("set", None, key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._attempt("touch", False, key, timeout, version)

    def delete(self, key, version=None):
        return self._attempt("delete", False, key, version)

    def get_many(self, keys, version=None):
        return self._attempt("get_many", {}, keys, version)

    def has_key(self, key, version=None):
        return self._attempt("has_key", False, key, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        # Django's contract: the keys that failed to be set.
        return self._attempt("set_many", list(data), data, timeout, version)

    def delete_many(self, keys, version=None):
        return self._attempt("delete_many", None, keys, version)

    def clear(self):
        return self._attempt("clear", False)

    def incr(self, key, delta=1, version=None):
        missing = object()
        result = self._attempt("incr", missing, key, delta, version)
        if result is missing:
            raise ValueError(f"Key '{key}' not found (the cache is unavailable).")
        return result


class FileCache(FileBasedCache):
    """Django's file cache, for one machine's workers without Redis, made cheap to write and read.

    - Before every write Django's lists the whole folder to see whether it is full: 3.8 ms at
      3,300 entries, 25 at 20,000, paid again for each teaser of a list rendered (set_many writes
      one by one). Here a process checks at most every CULL_INTERVAL seconds; the folder may run
      past MAX_ENTRIES by what is written in between.
    - Django's zlib-compresses every entry: the pages kept are compressed already (Brotli, gzip),
      and inflating the rest was the largest single cost of serving a cached page (0.11 ms of 0.7).
    """

    CULL_INTERVAL = 10.0

    def __init__(self, dir, params):
        super().__init__(dir, params)
        self._culled_at = float("-inf")

    def _cull(self):
        now = time.monotonic()
        if now - self._culled_at >= self.CULL_INTERVAL:
            self._culled_at = now
            super()._cull()

    def get(self, key, default=None, version=None):
        fname = self._key_to_file(key, version)
        try:
            with open(fname, "rb") as f:
                if not self._is_expired(f):
                    return pickle.loads(f.read())  # noqa: S301 - our own cache's files
        except FileNotFoundError:
            pass
        except Exception:  # a file half written, or one from Django's own (zlib) format: a miss
            logger.debug("Unreadable cache file %s", fname)
        return default

    def _write_content(self, file, timeout, value):
        expiry = self.get_backend_timeout(timeout)
        file.write(pickle.dumps(expiry, self.pickle_protocol))
        file.write(pickle.dumps(value, self.pickle_protocol))

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        value = self.get(key, self, version)
        if value is self:
            return False
        self.set(key, value, timeout, version)
        return True
