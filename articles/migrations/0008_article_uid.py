import uuid

from django.db import migrations, models


def give_each_article_a_uid(apps, schema_editor):
    articles = apps.get_model("articles", "Article").objects.using(schema_editor.connection.alias)
    for pk in articles.filter(uid__isnull=True).values_list("pk", flat=True).iterator():
        articles.filter(pk=pk).update(uid=uuid.uuid4())


def clean_stored_text(apps, schema_editor):
    """Text saved before cleaning on save existed (newsroom/text.py): clean it once."""
    from newsroom.text import clean_stored_rows

    for name in ("Article", "Quote", "Correction", "Theme"):
        clean_stored_rows(apps.get_model("articles", name), schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [("articles", "0007_desk_newest_first_index")]

    operations = [
        migrations.AddField(
            model_name="article",
            name="uid",
            field=models.UUIDField(null=True, editable=False, verbose_name="permanent id"),
        ),
        migrations.RunPython(give_each_article_a_uid, migrations.RunPython.noop, elidable=True),
        migrations.AlterField(
            model_name="article",
            name="uid",
            field=models.UUIDField(
                default=uuid.uuid4, editable=False, unique=True, verbose_name="permanent id"
            ),
        ),
        migrations.RunPython(clean_stored_text, migrations.RunPython.noop, elidable=True),
    ]
