from django.db import migrations


def clean_stored_text(apps, schema_editor):
    """Text saved before cleaning on save existed (newsroom/text.py): clean it once."""
    from newsroom.text import clean_stored_rows

    for model in apps.get_app_config("people").get_models():
        clean_stored_rows(model, schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [("people", "0002_indexes_for_listings")]

    operations = [migrations.RunPython(clean_stored_text, migrations.RunPython.noop, elidable=True)]
