"""PostgreSQL: the headline's own tsvector, GIN-indexed, for search's headline candidates.

Readers' search takes the newest articles whose headline matches before scoring anything
(articles/searchrank.py). The weighted `search_vector` cannot answer "in the headline" from its
index (GIN keeps no weights), and an index on to_tsvector(headline) leaves each row's vector to
be computed again while the newest articles are walked (40 ms for a word in one headline in
twenty, at 100,000 articles; 10 ms from a stored vector). So the trigger that fills
`search_vector` fills `headline_vector` too. The column is PostgreSQL's only, like the trigger,
and read only by articles/search.py; a plain column, so altering the headline stays possible.
SQLite needs nothing: FTS5 filters by column ("{headline} : ...") in its own index.
"""

from importlib import import_module

from django.db import migrations

BEFORE = import_module("articles.migrations.0006_search_byline_dateline_quotes")
HEADLINE_VECTOR = "to_tsvector('english'::regconfig, COALESCE(NEW.headline, ''))"

POSTGRES_FORWARD = [
    "ALTER TABLE articles_article ADD COLUMN headline_vector tsvector",
    # 0006's function, with one more assignment.
    BEFORE.POSTGRES_FORWARD[1].replace(
        "RETURN NEW;", f"NEW.headline_vector := {HEADLINE_VECTOR};\n        RETURN NEW;"
    ),
    "UPDATE articles_article SET headline_vector = "
    "to_tsvector('english'::regconfig, COALESCE(headline, ''))",
    "CREATE INDEX articles_article_headline_vector_gin ON articles_article "
    "USING gin (headline_vector)",
]
POSTGRES_BACKWARD = [
    BEFORE.POSTGRES_FORWARD[1],
    "ALTER TABLE articles_article DROP COLUMN IF EXISTS headline_vector",
]


def run(statements):
    def operation(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return operation


class Migration(migrations.Migration):
    dependencies = [("articles", "0012_remove_old_lead_image_fields")]

    operations = [migrations.RunPython(run(POSTGRES_FORWARD), run(POSTGRES_BACKWARD))]
