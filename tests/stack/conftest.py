"""The stack tests stop and kill shared processes (an app server, Redis, the PostgreSQL cluster):
they run only when asked for by name (`pytest -m stack`), never as part of `make test`, even when
a stack happens to be up."""

import pytest


def pytest_collection_modifyitems(config, items):
    if "stack" in (config.getoption("markexpr") or ""):
        return
    skip = pytest.mark.skip(reason="the stack tests run only with `-m stack` (see .ci/run)")
    for item in items:
        if item.get_closest_marker("stack"):
            item.add_marker(skip)
