"""Surrogate keys: what a cached page shows, and which pages an edit makes stale.

A page rendered for the page cache (newsroom/pagecache.py) collects keys naming what it shows:
- every instance of a tracked model built while it renders, as "<model>:<pk>" ("article:12",
  "person:3"): `track()` is how the content apps say which models those are, and post_init tells;
- the lists it shows, declared by the view with `shows()`: "articles" (the published list and its
  order), "theme-list:3", "search", ... (the content apps name them, and change them).

An edit names the keys it changes with `changed()`: the content apps' signals do (see
articles/signals.py). A page is stale when any key it showed changed after it was rendered.

Both halves meet in the database, not in the cache: each change advances one counter (`Clock`)
and stamps the keys with it (`Key`), in the editor's own transaction, so it becomes visible
exactly when the edit does, to every process that reads this database, whatever cache it was
configured with (a shell script with the default local-memory cache, a server on Redis). A page
remembers the count it was rendered at; serving it again costs one indexed query: did any of its
keys change since? A render that began before an edit committed remembers the older count, so a
page built from rows read just before the commit is never kept as fresh.

The same keys go out in `Surrogate-Key` (space-separated, Fastly and Varnish's xkey) and
`Cache-Tag` (comma-separated) headers, and once an edit commits the keys it changed are purged at
the HTTP caches in front (purge.py).
"""

import uuid
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models.signals import post_init

from . import purge

# Every change stamps this key too. A page showing more than MAX_KEYS things (a sitemap, a long
# feed) is known by it alone: any change makes it stale, and its headers stay short.
ALL = "all"
MAX_KEYS = 200

_collectors: ContextVar[tuple[set, ...]] = ContextVar("page_keys", default=())


# What a page shows ---------------------------------------------------------------------------


@contextmanager
def collecting():
    """Collect the keys of what is rendered inside the block (into the set it yields). Blocks
    nest: a key seen inside an inner block is seen by every outer one too."""
    names = set()
    token = _collectors.set((*_collectors.get(), names))
    try:
        yield names
    finally:
        _collectors.reset(token)


def shows(*names: str) -> None:
    """Say that what is being rendered shows these keys (lists, mostly: their items are tracked)."""
    for collector in _collectors.get():
        collector.update(names)


def key_for(instance) -> str:
    return f"{instance._meta.model_name}:{instance.pk}"


def listing(model, pk) -> str:
    """The key of the list of what belongs to one object: a theme's articles, the quotes and
    stories of a person, those of an organization."""
    return f"{model._meta.model_name}-list:{pk}"


def _instance_built(sender, instance, **kwargs):
    collectors = _collectors.get()
    if collectors and instance.pk is not None:
        name = key_for(instance)
        for collector in collectors:
            collector.add(name)


def track(*models) -> None:
    """Every instance of these models built while a page renders is a key of that page."""
    for model in models:
        post_init.connect(_instance_built, sender=model, dispatch_uid=f"keys-{model._meta.label}")


def page_keys(names) -> list[str]:
    """The keys a page is stored and sent with: sorted, or ALL alone for a page showing a lot."""
    names = set(names)
    if not names or ALL in names or len(names) > MAX_KEYS:
        return [ALL]
    return sorted(names)


def headers(names) -> dict[str, str]:
    return {"Surrogate-Key": " ".join(names), "Cache-Tag": ",".join(names)}


# When things changed -------------------------------------------------------------------------


def clock(using=DEFAULT_DB_ALIAS) -> tuple[int, str]:
    """The count of changes so far and the clock's epoch; read before rendering a page."""
    with connections[using].cursor() as cursor:
        cursor.execute("SELECT seq, epoch FROM invalidation_clock WHERE id = 1")
        row = cursor.fetchone()
    return (row[0], row[1]) if row else (0, "")


def fresh(names, seen, using=DEFAULT_DB_ALIAS) -> bool:
    """Whether nothing named by `names` changed since the clock read `seen`. One query."""
    names = list(names)
    placeholders = ", ".join(["%s"] * len(names))
    sql = (
        "SELECT seq, epoch, EXISTS (SELECT 1 FROM invalidation_key "  # noqa: S608 - placeholders
        f"WHERE name IN ({placeholders}) AND changed > %s) "
        "FROM invalidation_clock WHERE id = 1"
    )
    with connections[using].cursor() as cursor:
        cursor.execute(sql, [*names, seen[0]])
        row = cursor.fetchone()
    if row is None:  # nothing ever changed here
        return tuple(seen) == (0, "")
    seq, epoch, changed_since = row
    return epoch == seen[1] and seq >= seen[0] and not changed_since


def changed(*names: str, using=DEFAULT_DB_ALIAS) -> None:
    """Mark the keys as changed now, in the current transaction (committed with the edit)."""
    names = {*names, ALL}
    connection = connections[using]
    with transaction.atomic(using=using), connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO invalidation_clock (id, seq, epoch) VALUES (1, 1, %s) "
            "ON CONFLICT (id) DO UPDATE SET seq = invalidation_clock.seq + 1 RETURNING seq",
            [uuid.uuid4().hex],
        )
        (seq,) = cursor.fetchone()
        rows = [(name[:200], seq) for name in sorted(names)]
        placeholders = ", ".join(["(%s, %s)"] * len(rows))
        cursor.execute(
            f"INSERT INTO invalidation_key (name, changed) VALUES {placeholders} "  # noqa: S608
            "ON CONFLICT (name) DO UPDATE SET changed = excluded.changed",
            [value for row in rows for value in row],
        )
    purge.after_commit(names, using)
