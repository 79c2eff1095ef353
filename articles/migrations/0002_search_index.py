"""Full-text search, in each database's own engine, kept in step by triggers.

SQLite: an FTS5 table over the article's headline, standfirst, search keywords (theme and people
names) and plain-text body, with triggers on insert, update and delete.
PostgreSQL: a weighted tsvector in articles_article.search_vector, set by a trigger on the same
columns, with a GIN index.
Headline weighs most, then the standfirst and keywords, then the body (see articles/search.py).
"""

from django.db import migrations

SQLITE_FORWARD = [
    """
    CREATE VIRTUAL TABLE articles_article_fts USING fts5(
        headline, standfirst, search_keywords, body_text,
        content='articles_article', content_rowid='id',
        tokenize='porter unicode61 remove_diacritics 2'
    )
    """,
    """
    CREATE TRIGGER articles_article_fts_insert AFTER INSERT ON articles_article BEGIN
        INSERT INTO articles_article_fts(rowid, headline, standfirst, search_keywords, body_text)
        VALUES (new.id, new.headline, new.standfirst, new.search_keywords, new.body_text);
    END
    """,
    """
    CREATE TRIGGER articles_article_fts_delete AFTER DELETE ON articles_article BEGIN
        INSERT INTO articles_article_fts(
            articles_article_fts, rowid, headline, standfirst, search_keywords, body_text
        ) VALUES ('delete', old.id, old.headline, old.standfirst, old.search_keywords, old.body_text);
    END
    """,
    """
    CREATE TRIGGER articles_article_fts_update
    AFTER UPDATE OF headline, standfirst, search_keywords, body_text ON articles_article BEGIN
        INSERT INTO articles_article_fts(
            articles_article_fts, rowid, headline, standfirst, search_keywords, body_text
        ) VALUES ('delete', old.id, old.headline, old.standfirst, old.search_keywords, old.body_text);
        INSERT INTO articles_article_fts(rowid, headline, standfirst, search_keywords, body_text)
        VALUES (new.id, new.headline, new.standfirst, new.search_keywords, new.body_text);
    END
    """,
    "INSERT INTO articles_article_fts(articles_article_fts) VALUES ('rebuild')",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS articles_article_fts_update",
    "DROP TRIGGER IF EXISTS articles_article_fts_delete",
    "DROP TRIGGER IF EXISTS articles_article_fts_insert",
    "DROP TABLE IF EXISTS articles_article_fts",
]

POSTGRES_FORWARD = [
    """
    CREATE FUNCTION articles_article_search_vector() RETURNS trigger AS $$
    BEGIN
        NEW.search_vector :=
            setweight(to_tsvector('english', coalesce(NEW.headline, '')), 'A') ||
            setweight(to_tsvector('english', coalesce(NEW.standfirst, '')), 'B') ||
            setweight(to_tsvector('english', coalesce(NEW.search_keywords, '')), 'B') ||
            setweight(to_tsvector('english', coalesce(NEW.body_text, '')), 'C');
        RETURN NEW;
    END
    $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER articles_article_search_vector_update
    BEFORE INSERT OR UPDATE OF headline, standfirst, search_keywords, body_text
    ON articles_article FOR EACH ROW EXECUTE FUNCTION articles_article_search_vector()
    """,
    "UPDATE articles_article SET headline = headline",
    "CREATE INDEX articles_article_search_vector_gin ON articles_article USING gin (search_vector)",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS articles_article_search_vector_gin",
    "DROP TRIGGER IF EXISTS articles_article_search_vector_update ON articles_article",
    "DROP FUNCTION IF EXISTS articles_article_search_vector()",
]


def run(statements_by_vendor):
    def operation(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return operation


class Migration(migrations.Migration):
    dependencies = [("articles", "0001_initial")]

    operations = [
        migrations.RunPython(
            run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        ),
    ]
