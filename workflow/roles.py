"""The newsroom's roles as auth groups, with exactly the permissions each role needs.

Reporters write: they create articles, edit their own drafts (with quotes), and submit them for
review. They do not hold articles.change_article, which means "change any article". Editors
decide: they publish, schedule, unpublish and edit anything, manage themes, people and
organizations, add corrections, make preview links and read the audit trail. Superusers hold every
permission without a group. What a permission alone cannot say ("their own drafts") is in
workflow/permissions.py, which the admin and the services both ask.
"""

REPORTER = "Reporter"
EDITOR = "Editor"

_CRUD = ("add", "change", "delete", "view")

ROLES = {
    REPORTER: [
        "articles.add_article",
        "articles.view_article",
        "articles.add_quote",
        "articles.change_quote",
        "articles.delete_quote",
        "articles.view_quote",
        # To pick themes, people and organizations in the article form (autocomplete).
        "articles.view_theme",
        "people.view_person",
        "people.view_organization",
        # To pick a lead picture from the library, or upload one on the spot.
        "articles.view_image",
        "articles.add_image",
        "workflow.submit_article",
    ],
    EDITOR: [
        *(
            f"articles.{action}_{model}"
            for model in ("article", "quote", "correction", "theme", "apikey", "image")
            for action in _CRUD
        ),
        *(
            f"people.{action}_{model}"
            for model in ("person", "organization", "role")
            for action in _CRUD
        ),
        "workflow.submit_article",
        "workflow.publish_article",
        "workflow.add_previewlink",
        "workflow.change_previewlink",
        "workflow.view_previewlink",
        "workflow.view_auditevent",
    ],
}

# How the command line and the Makefile name roles.
ROLE_NAMES = {"reporter": REPORTER, "editor": EDITOR, "superuser": None}


def sync_roles(apps=None, verbosity=0, using="default"):
    """Create the role groups and give each exactly its permissions (removing any others)."""
    if apps is None:
        from django.apps import apps
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, labels in ROLES.items():
        group, _ = Group.objects.using(using).get_or_create(name=name)
        wanted = []
        for label in labels:
            app_label, codename = label.split(".")
            permission = (
                Permission.objects.using(using)
                .filter(content_type__app_label=app_label, codename=codename)
                .first()
            )
            if permission is None:
                if verbosity:
                    print(f"  role {name}: permission {label} does not exist yet")
                continue
            wanted.append(permission)
        group.permissions.set(wanted)


def sync_after_migrate(sender, apps=None, verbosity=0, using="default", **kwargs):
    sync_roles(apps, verbosity=verbosity > 1, using=using)
