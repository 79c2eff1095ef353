"""A courtesy call to another server, tried a few times: for what the site tells others after an
edit is saved (a WebSub hub, the HTTP caches in front), which must never fail the edit.

`attempt(action, delays=..., logger=..., what=...)` runs `action()` until it returns without
raising, pausing `delays[i]` seconds before each retry; every failure is logged as a warning with
the try's number, and giving up once more. True when a try succeeded.
"""

import logging
import time
from collections.abc import Callable, Sequence


def attempt(
    action: Callable[[], None],
    *,
    delays: Sequence[float],
    logger: logging.Logger,
    what: str,
    gave_up: str = "",
    extra: dict | None = None,
) -> bool:
    tries = len(delays) + 1
    for number in range(1, tries + 1):
        try:
            action()
            return True
        except Exception as error:  # whatever goes wrong, the editor's work is already saved
            logger.warning(
                "%s failed (try %d of %d): %s",
                what,
                number,
                tries,
                error,
                extra={**(extra or {}), "attempt": number},
            )
        if number < tries:
            time.sleep(delays[number - 1])
    logger.warning("%s given up after %d tries%s", what, tries, gave_up, extra=extra or {})
    return False
