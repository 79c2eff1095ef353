from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True
    dependencies = []

    operations = [
        migrations.CreateModel(
            name="Clock",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("seq", models.BigIntegerField(default=0)),
                ("epoch", models.CharField(max_length=32)),
            ],
            options={"db_table": "invalidation_clock"},
        ),
        migrations.CreateModel(
            name="Key",
            fields=[
                ("name", models.CharField(max_length=200, primary_key=True, serialize=False)),
                ("changed", models.BigIntegerField()),
            ],
            options={"db_table": "invalidation_key"},
        ),
    ]
