"""Existing quotes get the role they were said in, read from the capacity the desk typed: the
person's role whose organization is named there (by name or short name, in either script), else
their only role; a person with several roles and a capacity naming none of their organizations
is left for the desk to choose."""

import re
from collections import defaultdict

from django.db import migrations

BATCH = 2000


def named_role(capacity, roles):
    """The id of the role `capacity` speaks in, from `roles`: (id, organization names...) of one
    person, in the order their page lists them. The longest organization name found in the
    capacity as whole words wins ("IOM Egypt" over "IOM"); without one, an only role; else None."""
    best, best_length = None, 0
    for role_id, *names in roles:
        for name in filter(None, names):
            pattern = rf"(?<!\w){re.escape(name.strip())}(?!\w)"
            if len(name) > best_length and re.search(pattern, capacity or "", re.IGNORECASE):
                best, best_length = role_id, len(name)
    if best is None and len(roles) == 1:
        return roles[0][0]
    return best


def set_roles(apps, schema_editor):
    alias = schema_editor.connection.alias
    Quote = apps.get_model("articles", "Quote")
    Role = apps.get_model("people", "Role")
    quotes = Quote.objects.using(alias).filter(role__isnull=True).order_by("pk")
    last = 0
    # Keyset batches: three queries per batch of quotes (the quotes, their people's roles, the
    # update), whatever the size of the archive.
    while True:
        batch = list(quotes.filter(pk__gt=last).only("pk", "person_id", "capacity")[:BATCH])
        if not batch:
            return
        last = batch[-1].pk
        roles = defaultdict(list)
        for role in (
            Role.objects.using(alias)
            .filter(person_id__in={quote.person_id for quote in batch})
            .order_by("person_id", "order", "pk")
            .values_list(
                "person_id",
                "pk",
                "organization__name",
                "organization__short_name",
                "organization__name_ar",
                "organization__short_name_ar",
            )
        ):
            roles[role[0]].append(role[1:])
        changed = []
        for quote in batch:
            quote.role_id = named_role(quote.capacity, roles[quote.person_id])
            if quote.role_id is not None:
                changed.append(quote)
        Quote.objects.using(alias).bulk_update(changed, ["role"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0017_quote_role"),
    ]

    operations = [
        migrations.RunPython(set_roles, migrations.RunPython.noop),
    ]
