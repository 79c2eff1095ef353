"""Create (or update) a staff account in one of the newsroom's roles.

    manage.py create_role_user alice --role reporter --email alice@example.org

Asks for the password twice; without a terminal it reads NEWSROOM_USER_PASSWORD instead (for
scripts), so a password never has to appear on a command line.
"""

import getpass
import os
import sys

from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from workflow.roles import ROLE_NAMES, ROLES, sync_roles

PASSWORD_VARIABLE = "NEWSROOM_USER_PASSWORD"  # noqa: S105 (a variable name)


class Command(BaseCommand):
    help = "Create a staff account as a reporter, an editor or a superuser."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=sorted(ROLE_NAMES))
        parser.add_argument("--email", default="")

    def handle(self, *args, username, role, email, **options):
        User = get_user_model()
        user = User.objects.filter(username=username).first()
        created = user is None
        if created:
            user = User(username=username, email=email)
        elif email:
            user.email = email
        password = self.password(user) if created or sys.stdin.isatty() else None
        if password:
            user.set_password(password)
        user.is_staff = True
        user.is_active = True
        user.is_superuser = ROLE_NAMES[role] is None
        user.save()
        if Group.objects.filter(name__in=ROLES).count() != len(ROLES):
            sync_roles()
        user.groups.remove(*Group.objects.filter(name__in=ROLES))
        if ROLE_NAMES[role]:
            user.groups.add(Group.objects.get(name=ROLE_NAMES[role]))
        verb = "Created" if created else "Updated"
        self.stdout.write(self.style.SUCCESS(f"{verb} {username} as {role}."))

    def password(self, user):
        password = os.environ.get(PASSWORD_VARIABLE, "")
        if not password:
            if not sys.stdin.isatty():
                raise CommandError(
                    f"No terminal to ask for a password: set {PASSWORD_VARIABLE} instead."
                )
            password = getpass.getpass("Password: ")
            if password != getpass.getpass("Password (again): "):
                raise CommandError("The two passwords differ.")
        try:
            password_validation.validate_password(password, user)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        return password
