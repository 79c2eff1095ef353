"""Indexes for every public listing: a theme's, a person's and an organization's articles, and
what a person said. Articles newest first already have article_published_idx; article_visibility_idx
answers "may readers see article N?" without reading the article's long row.

The people and organizations an article mentions are auto-created many-to-many tables, which have
no Meta to declare an index on; their (person, article) and (organization, article) indexes are
plain SQL, the same on SQLite and PostgreSQL. They let a person's or an organization's page find
its few articles without touching the others.
"""

from django.db import migrations, models

MENTION_INDEXES = [
    ("article_people_person_idx", "articles_article_people", "person_id"),
    ("article_orgs_organization_idx", "articles_article_organizations", "organization_id"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0002_search_index"),
        ("people", "0002_indexes_for_listings"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="article",
            index=models.Index(
                fields=["id", "status", "published_at"], name="article_visibility_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="quote",
            index=models.Index(fields=["person", "article"], name="quote_person_article_idx"),
        ),
        migrations.AddIndex(
            model_name="themedarticle",
            index=models.Index(fields=["tag", "content_object"], name="themedarticle_tag_idx"),
        ),
        *(
            migrations.RunSQL(
                f'CREATE INDEX "{name}" ON "{table}" ("{column}", "article_id")',
                f'DROP INDEX "{name}"',
            )
            for name, table, column in MENTION_INDEXES
        ),
    ]
