"""Arabic search: both engines index folded text (newsroom/arabic.py), in the article's language.

SQLite: the FTS5 table is made again, its tokenizer also counting combining marks as parts of a
word (by default a vowel mark splits "البَشَرُ" into three words, and snippet() then marks the
wrong ones), and its triggers insert `newsroom_fold(column)`, a Python function every SQLite
connection has (articles/searchindex.py registers it). FTS5's 'rebuild' would read the unfolded
columns, so the index is filled with INSERT ... SELECT newsroom_fold(...).
PostgreSQL: `newsroom_fold(text)` is an immutable SQL function doing what fold() does, and the
trigger's function builds both vectors from folded text, with the `arabic` text-search
configuration for Arabic articles and `english` for English ones; changing an article's language
refreshes them. Each edition has its own GIN indexes (see INDEX_PER_EDITION).
"""

from importlib import import_module

from django.db import migrations

from newsroom.arabic import fold

BEFORE = import_module("articles.migrations.0006_search_byline_dateline_quotes")
COLUMNS = BEFORE.COLUMNS
NAMES = [c.strip() for c in COLUMNS.split(",")]
# The index also holds each article's language ("en", "ar") as a word in a column of its own, so
# that a search of one edition skips the other's matches inside FTS5 (a word common in the other
# edition would otherwise cost one lookup per match, 120 ms at 100,000 articles).
FTS_COLUMNS = f"{COLUMNS}, language"


def values(row):
    return ", ".join([*(f"newsroom_fold({row}{c})" for c in NAMES), f"{row}language"])


FILL = [
    "INSERT INTO articles_article_fts(articles_article_fts) VALUES ('delete-all')",
    f"INSERT INTO articles_article_fts(rowid, {FTS_COLUMNS}) "  # noqa: S608
    f"SELECT id, {values('')} FROM articles_article",
]
# The same shape as 0006's lists: articles/searchindex.py (ensure_sqlite_triggers) reads these.
SQLITE_FORWARD = [
    f"""
    CREATE VIRTUAL TABLE articles_article_fts USING fts5(
        {FTS_COLUMNS},
        content='articles_article', content_rowid='id',
        tokenize="porter unicode61 remove_diacritics 2 categories 'L* N* Co Mn'"
    )
    """,
    f"""
    CREATE TRIGGER articles_article_fts_insert AFTER INSERT ON articles_article BEGIN
        INSERT INTO articles_article_fts(rowid, {FTS_COLUMNS}) VALUES (new.id, {values("new.")});
    END
    """,  # noqa: S608
    f"""
    CREATE TRIGGER articles_article_fts_delete AFTER DELETE ON articles_article BEGIN
        INSERT INTO articles_article_fts(articles_article_fts, rowid, {FTS_COLUMNS})
        VALUES ('delete', old.id, {values("old.")});
    END
    """,  # noqa: S608
    f"""
    CREATE TRIGGER articles_article_fts_update
    AFTER UPDATE OF {FTS_COLUMNS} ON articles_article BEGIN
        INSERT INTO articles_article_fts(articles_article_fts, rowid, {FTS_COLUMNS})
        VALUES ('delete', old.id, {values("old.")});
        INSERT INTO articles_article_fts(rowid, {FTS_COLUMNS}) VALUES (new.id, {values("new.")});
    END
    """,  # noqa: S608
    *FILL,
]
SQLITE_BACKWARD = BEFORE.SQLITE_BACKWARD

# newsroom/arabic.py's, as they were when this was written (tests check that the two agree).
LETTERS = "\u0621-\u063f\u0641-\u064a\u066e\u066f\u0671-\u06d3\u06d5\u06ee\u06ef\u06fa-\u06ff"
MARKS = "\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e4\u06e7\u06e8\u06ea-\u06ed\u0640"
# fold() in SQL: the letters mapped by translate(), the marks attached to a letter removed, then
# the article where two letters or more follow. Text with no Arabic is returned as it is.
POSTGRES_FOLD = f"""
    CREATE OR REPLACE FUNCTION newsroom_fold(text) RETURNS text AS $$
        SELECT CASE WHEN $1 ~ '[\u0600-\u06ff]' THEN regexp_replace(
            regexp_replace(
                translate($1, 'أإآٱةى', 'ااااهي'),
                '(?<=[{LETTERS}])[{MARKS}]+|[{MARKS}]+(?=[{LETTERS}])', '', 'g'
            ),
            '(^|[^{LETTERS}])(?:[وبكف]ال|ال|لل)(?=[{LETTERS}]{{2}})', '\\1', 'g'
        ) ELSE $1 END
    $$ LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
"""


def vector(column):
    return f"to_tsvector(config, newsroom_fold(coalesce(NEW.{column}, '')))"


WEIGHTS = {
    "headline": "A",
    "standfirst": "B",
    "search_keywords": "B",
    "body_text": "C",
    "byline": "B",
    "dateline": "C",
}
POSTGRES_FUNCTION = f"""
    CREATE OR REPLACE FUNCTION articles_article_search_vector() RETURNS trigger AS $$
    DECLARE
        config regconfig := CASE WHEN NEW.language = 'ar' THEN 'arabic' ELSE 'english' END;
    BEGIN
        NEW.search_vector := {" || ".join(f"setweight({vector(c)}, '{w}')" for c, w in WEIGHTS.items())};
        NEW.headline_vector := {vector("headline")};
        RETURN NEW;
    END
    $$ LANGUAGE plpgsql
"""  # noqa: E501
# For readers, one GIN index per edition and vector, on "the vector if the article is in that
# edition": the planner then has each edition's own statistics, and knows that "children", in
# seven English articles of ten, is in no Arabic one (with one index for both, it walked all
# 100,000 articles newest first, waiting for an Arabic match: 800 ms). articles/search.py
# queries these expressions as they are written here. The desk searches every edition at once:
# it keeps the index on the whole `search_vector`; nothing else reads the one on the headline's.
EDITIONS = ("en", "ar")
VECTORS = ("search_vector", "headline_vector")
INDEX_PER_EDITION = [
    f"CREATE INDEX articles_article_{vector}_{language} ON articles_article "
    f"USING gin ((CASE WHEN language = '{language}' THEN {vector} END))"
    for vector in VECTORS
    for language in EDITIONS
]
POSTGRES_FORWARD = [
    POSTGRES_FOLD,
    BEFORE.DROP_POSTGRES_TRIGGER,
    "DROP INDEX IF EXISTS articles_article_headline_vector_gin",
    POSTGRES_FUNCTION,
    BEFORE.postgres_trigger(f"{COLUMNS}, language"),
    "UPDATE articles_article SET headline = headline",
    *INDEX_PER_EDITION,
]
POSTGRES_BACKWARD = [
    BEFORE.DROP_POSTGRES_TRIGGER,
    *(
        f"DROP INDEX IF EXISTS articles_article_{vector}_{language}"
        for vector in VECTORS
        for language in EDITIONS
    ),
    import_module("articles.migrations.0013_headline_vector").POSTGRES_FORWARD[1],
    BEFORE.postgres_trigger(COLUMNS),
    "DROP FUNCTION IF EXISTS newsroom_fold(text)",
    "UPDATE articles_article SET headline = headline",
    "CREATE INDEX IF NOT EXISTS articles_article_headline_vector_gin ON articles_article "
    "USING gin (headline_vector)",
]


def run(statements_by_vendor):
    def operation(apps, schema_editor):
        connection = schema_editor.connection
        if connection.vendor == "sqlite":  # as articles/search.py does for every connection
            connection.ensure_connection()
            connection.connection.create_function("newsroom_fold", 1, fold, deterministic=True)
        for statement in statements_by_vendor.get(connection.vendor, []):
            schema_editor.execute(statement)

    return operation


class Migration(migrations.Migration):
    dependencies = [("articles", "0014_editions")]

    operations = [
        migrations.RunPython(
            run({"sqlite": [*SQLITE_BACKWARD, *SQLITE_FORWARD], "postgresql": POSTGRES_FORWARD}),
            run(
                {
                    "sqlite": [*SQLITE_BACKWARD, *BEFORE.SQLITE_FORWARD],
                    "postgresql": POSTGRES_BACKWARD,
                }
            ),
        ),
    ]
