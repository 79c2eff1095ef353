"""The search index also reads the byline and the dateline, and the search keywords also hold
the people quoted and the quotes' words (articles.text.keywords): editors find a story by who
wrote it, where, and who said what in it.

SQLite: the FTS5 table is made again with two more columns, and its triggers with it.
PostgreSQL: the trigger's function weighs the byline with the standfirst, the dateline with the
body, and runs when either changes.
The existing articles' keywords are refreshed first, with the old triggers gone, so that 100,000
articles take one index build, not one per row.
"""

from importlib import import_module

from django.db import migrations

COLUMNS = "headline, standfirst, search_keywords, body_text, byline, dateline"
NEW = ", ".join(f"new.{c.strip()}" for c in COLUMNS.split(","))
OLD = ", ".join(f"old.{c.strip()}" for c in COLUMNS.split(","))

# The same shape as 0002's lists: articles/search.py (ensure_sqlite_triggers) reads the latest.
SQLITE_FORWARD = [
    f"""
    CREATE VIRTUAL TABLE articles_article_fts USING fts5(
        {COLUMNS},
        content='articles_article', content_rowid='id',
        tokenize='porter unicode61 remove_diacritics 2'
    )
    """,
    f"""
    CREATE TRIGGER articles_article_fts_insert AFTER INSERT ON articles_article BEGIN
        INSERT INTO articles_article_fts(rowid, {COLUMNS}) VALUES (new.id, {NEW});
    END
    """,  # noqa: S608
    f"""
    CREATE TRIGGER articles_article_fts_delete AFTER DELETE ON articles_article BEGIN
        INSERT INTO articles_article_fts(articles_article_fts, rowid, {COLUMNS})
        VALUES ('delete', old.id, {OLD});
    END
    """,  # noqa: S608
    f"""
    CREATE TRIGGER articles_article_fts_update AFTER UPDATE OF {COLUMNS} ON articles_article BEGIN
        INSERT INTO articles_article_fts(articles_article_fts, rowid, {COLUMNS})
        VALUES ('delete', old.id, {OLD});
        INSERT INTO articles_article_fts(rowid, {COLUMNS}) VALUES (new.id, {NEW});
    END
    """,  # noqa: S608
    "INSERT INTO articles_article_fts(articles_article_fts) VALUES ('rebuild')",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS articles_article_fts_update",
    "DROP TRIGGER IF EXISTS articles_article_fts_delete",
    "DROP TRIGGER IF EXISTS articles_article_fts_insert",
    "DROP TABLE IF EXISTS articles_article_fts",
]


def postgres_function(extra):
    return f"""
    CREATE OR REPLACE FUNCTION articles_article_search_vector() RETURNS trigger AS $$
    BEGIN
        NEW.search_vector :=
            setweight(to_tsvector('english', coalesce(NEW.headline, '')), 'A') ||
            setweight(to_tsvector('english', coalesce(NEW.standfirst, '')), 'B') ||
            setweight(to_tsvector('english', coalesce(NEW.search_keywords, '')), 'B') ||
            setweight(to_tsvector('english', coalesce(NEW.body_text, '')), 'C'){extra};
        RETURN NEW;
    END
    $$ LANGUAGE plpgsql
    """


def postgres_trigger(columns):
    return f"""
    CREATE TRIGGER articles_article_search_vector_update
    BEFORE INSERT OR UPDATE OF {columns}
    ON articles_article FOR EACH ROW EXECUTE FUNCTION articles_article_search_vector()
    """


DROP_POSTGRES_TRIGGER = (
    "DROP TRIGGER IF EXISTS articles_article_search_vector_update ON articles_article"
)
POSTGRES_FORWARD = [
    DROP_POSTGRES_TRIGGER,
    postgres_function(
        " ||\n            setweight(to_tsvector('english', coalesce(NEW.byline, '')), 'B') ||"
        "\n            setweight(to_tsvector('english', coalesce(NEW.dateline, '')), 'C')"
    ),
    postgres_trigger(COLUMNS),
    "UPDATE articles_article SET headline = headline",
]
POSTGRES_BACKWARD = [
    DROP_POSTGRES_TRIGGER,
    postgres_function(""),
    postgres_trigger("headline, standfirst, search_keywords, body_text"),
    "UPDATE articles_article SET headline = headline",
]

BEFORE = import_module("articles.migrations.0002_search_index").SQLITE_FORWARD
BATCH = 2000


def refresh_keywords(apps, schema_editor):
    """What Article.keywords_for_search() gives, for every article, in batches (historical models
    have no methods)."""
    from articles.text import keywords

    Article = apps.get_model("articles", "Article")
    ThemedArticle = apps.get_model("articles", "ThemedArticle")
    Quote = apps.get_model("articles", "Quote")
    using = schema_editor.connection.alias
    articles = Article.objects.using(using)
    ids = list(articles.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), BATCH):
        batch = ids[start : start + BATCH]
        parts = {
            pk: {"themes": [], "people": [], "organizations": [], "quotes": []} for pk in batch
        }
        rows = ThemedArticle.objects.using(using).filter(content_object_id__in=batch)
        for pk, name in rows.order_by("pk").values_list("content_object_id", "tag__name"):
            parts[pk]["themes"].append(name)
        people = Article.people.through.objects.using(using).filter(article_id__in=batch)
        for pk, *names in people.order_by("pk").values_list(
            "article_id", "person__name", "person__also_known_as"
        ):
            parts[pk]["people"].append(tuple(names))
        orgs = Article.organizations.through.objects.using(using).filter(article_id__in=batch)
        for pk, *names in orgs.order_by("pk").values_list(
            "article_id", "organization__name", "organization__short_name"
        ):
            parts[pk]["organizations"].append(tuple(names))
        quotes = Quote.objects.using(using).filter(article_id__in=batch)
        for pk, name, aka, text, capacity in quotes.order_by("order", "pk").values_list(
            "article_id", "person__name", "person__also_known_as", "text", "capacity"
        ):
            parts[pk]["people"].append((name, aka))
            parts[pk]["quotes"].append((text, capacity))
        stored = dict(articles.filter(pk__in=batch).values_list("pk", "search_keywords"))
        for pk, found in parts.items():
            text = keywords(**found)
            if text != stored[pk]:
                articles.filter(pk=pk).update(search_keywords=text)


def run(statements_by_vendor):
    def operation(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return operation


class Migration(migrations.Migration):
    dependencies = [("articles", "0005_social_fields_plain_text")]

    operations = [
        migrations.RunPython(run({"sqlite": SQLITE_BACKWARD}), run({"sqlite": BEFORE})),
        migrations.RunPython(refresh_keywords, migrations.RunPython.noop),
        migrations.RunPython(
            run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        ),
    ]
