"""The Reporter and Editor groups with their permissions (see workflow/roles.py).

Permissions are normally created after all migrations have run; this one creates them first, so the
groups are complete on a fresh database. Running migrate again later re-applies the roles
(WorkflowConfig connects roles.sync_after_migrate), so they stay in step with roles.py.
"""

from django.contrib.auth.management import create_permissions
from django.contrib.contenttypes.management import create_contenttypes
from django.db import migrations


def create_roles(apps, schema_editor):
    from workflow.roles import sync_roles

    using = schema_editor.connection.alias
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_contenttypes(app_config, verbosity=0, apps=apps, using=using)
        create_permissions(app_config, verbosity=0, apps=apps, using=using)
        app_config.models_module = None
    sync_roles(apps, using=using)


def remove_roles(apps, schema_editor):
    from workflow.roles import ROLES

    Group = apps.get_model("auth", "Group")
    Group.objects.using(schema_editor.connection.alias).filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("workflow", "0001_initial"),
        ("articles", "0002_search_index"),
        ("people", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
