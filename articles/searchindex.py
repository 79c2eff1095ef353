"""The SQLite search index's upkeep: the folding function its triggers call, registered on every
connection Django opens, and the triggers re-created after a migration rebuilds the articles
table (articles/search.py searches it; migration 0015 made it)."""

from django.db.backends.signals import connection_created

from newsroom.arabic import fold


def add_fold_function(sender=None, connection=None, **kwargs):
    """Give a new SQLite connection `newsroom_fold()`, which the index's triggers call
    (migration 0015): without it, no article could be written."""
    if connection.vendor == "sqlite":
        connection.connection.create_function("newsroom_fold", 1, fold, deterministic=True)


connection_created.connect(add_fold_function, dispatch_uid="newsroom_fold")


def ensure_sqlite_triggers(sender, using="default", **kwargs):
    """Re-create the FTS5 triggers if a later migration rebuilt the articles table.

    SQLite cannot alter most columns in place, so Django rebuilds the table, and triggers on the
    old table go with it. Run after every migrate; does nothing when the triggers are there.
    """
    from importlib import import_module

    from django.db import connections

    conn = connections[using]
    if conn.vendor != "sqlite":
        return
    with conn.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' "
            "AND name LIKE 'articles_article_fts_%'"
        )
        (present,) = cursor.fetchone()
        cursor.execute("SELECT count(*) FROM sqlite_master WHERE name = 'articles_article_fts'")
        (has_table,) = cursor.fetchone()
        if not has_table or present == 3:
            return
        schema = import_module("articles.migrations.0015_arabic_search")
        for statement in schema.SQLITE_BACKWARD[:3] + schema.SQLITE_FORWARD[1:]:
            cursor.execute(statement)
