"""Django's loaddata, with errors an operator can act on.

Django already loads every fixture inside one transaction, so a failure leaves the database as it
was. What it does not always do is say what went wrong: malformed JSON gives an empty message, and a
natural key pointing at a row that does not exist surfaces as "NOT NULL constraint failed" or "Role
has no person.". Before loading, this command reads each JSON fixture and names the record, the
field and the missing row; any other failure is reported as a CommandError (no traceback) that says
nothing was loaded. Loading itself is Django's, unchanged.
"""

import json
import os

from django.core import serializers
from django.core.exceptions import (
    FieldDoesNotExist,
    MultipleObjectsReturned,
    ObjectDoesNotExist,
)
from django.core.management.base import CommandError
from django.core.management.commands import loaddata
from django.core.serializers.base import DeserializationError
from django.db import DatabaseError

NOTHING_LOADED = "Nothing was loaded; the database is as it was."


class KnownKey:
    """A related row as a fixture names it: by its natural key."""

    def __init__(self, key):
        self.key = tuple(key)

    def natural_key(self):
        return self.key


class Command(loaddata.Command):
    def handle(self, *fixture_labels, **options):
        try:
            return super().handle(*fixture_labels, **options)
        except CommandError as error:
            if NOTHING_LOADED in str(error):
                raise
            raise CommandError(f"{error} {NOTHING_LOADED}") from error
        except (DeserializationError, DatabaseError, ValueError) as error:
            message = str(error)
            cause = error.__cause__
            if cause is not None and str(cause) not in message:
                message = f"{message.rstrip(': ')}: {cause}"
            if not message.endswith("."):
                message += "."
            raise CommandError(f"{message} {NOTHING_LOADED}") from error

    def loaddata(self, fixture_labels):
        self.serialization_formats = serializers.get_public_serializer_formats()
        files = [
            path
            for label in fixture_labels
            for path, _dir, _name in self.find_fixtures(label)
            if path.endswith(".json") and os.path.isfile(path)
        ]
        self.check_fixtures(files)
        super().loaddata(fixture_labels)

    # The checks, on the parsed JSON, before anything is written.

    def check_fixtures(self, paths):
        records = {path: self.read_json(path) for path in paths}
        defined = set()
        for path_records in records.values():
            for record in filter(self.is_record, path_records):
                defined.update(self.defined_key(record))
        for path, path_records in records.items():
            for number, record in enumerate(path_records, start=1):
                if not self.is_record(record):
                    problem = 'not an object with "model" and "fields"'
                else:
                    problem = self.record_problem(record, defined)
                if problem:
                    raise CommandError(
                        f"Problem installing fixture '{path}': record {number} "
                        f"({record.get('model')}): {problem}. {NOTHING_LOADED}"
                    )

    @staticmethod
    def read_json(path):
        try:
            with open(path, encoding="utf-8") as fixture:
                data = json.load(fixture)
        except (ValueError, UnicodeDecodeError) as error:
            raise CommandError(
                f"Problem installing fixture '{path}': it is not valid JSON ({error}). "
                f"{NOTHING_LOADED}"
            ) from error
        if not isinstance(data, list):
            raise CommandError(
                f"Problem installing fixture '{path}': a JSON fixture must be a list of records. "
                f"{NOTHING_LOADED}"
            )
        return data

    @staticmethod
    def is_record(record):
        return isinstance(record, dict) and isinstance(record.get("fields"), dict)

    def model_of(self, record):
        from django.apps import apps

        try:
            model = apps.get_model(record.get("model"))
        except (LookupError, TypeError, ValueError):
            return None  # Django reports an invalid model identifier itself.
        if model._meta.app_config in self.excluded_apps or model in self.excluded_models:
            return None
        return model

    def defined_key(self, record):
        """The natural key a record will have, if it can be told from its own plain fields."""
        model = self.model_of(record)
        if model is None or not hasattr(model, "natural_key"):
            return
        plain, related = {}, {}
        for name, value in record["fields"].items():
            try:
                field = model._meta.get_field(name)
            except FieldDoesNotExist:
                continue
            if field.concrete and not field.is_relation:
                try:
                    plain[field.attname] = field.to_python(value)
                except Exception:  # noqa: S112 - a bad value is Django's to report.
                    continue
            elif field.many_to_one and isinstance(value, list):
                related[field] = KnownKey(value)
        instance = model(**plain)
        # A key built from relations (a role's is its person's, its organization's and its
        # title) reads their natural keys: those the record names stand in for the rows.
        for field, stand_in in related.items():
            field.set_cached_value(instance, stand_in)
        try:
            key = instance.natural_key()
        except Exception:  # A key built from what the record does not name cannot be told.
            return
        yield (model._meta.label_lower, tuple(key))

    def record_problem(self, record, defined):
        model = self.model_of(record)
        if model is None:
            return None
        fields = {}
        for name in record["fields"]:
            try:
                fields[name] = model._meta.get_field(name)
            except FieldDoesNotExist:
                if self.ignore:
                    continue
                known = ", ".join(
                    sorted(f.name for f in model._meta.get_fields() if f.concrete or f.many_to_many)
                )
                return f"unknown field '{name}' ({model._meta.label} has: {known})"
        missing = [
            field.name
            for field in model._meta.concrete_fields
            if not (field.primary_key or field.null or field.empty_strings_allowed)
            and not (field.has_default() or field.has_db_default())
            and field.name not in record["fields"]
            and field.attname not in record["fields"]
        ]
        if missing:
            names = ", ".join(f"'{name}'" for name in missing)
            return (
                f"it lacks the required field(s) {names} (loaddata stores records as they are; "
                "neither save() nor auto_now fills anything in)"
            )
        for name, field in fields.items():
            value = record["fields"][name]
            if not field.is_relation or value is None:
                continue
            if field.many_to_many and isinstance(value, list):
                keys = value
            elif field.many_to_one or field.one_to_one:
                keys = [value]
            else:
                continue
            for key in keys:
                if isinstance(key, list) and not self.exists(field.related_model, key, defined):
                    target = field.related_model._meta.label_lower
                    return (
                        f"its field '{name}' refers to {target} {json.dumps(key)}, which is "
                        "neither in the database nor in the fixtures being loaded"
                    )
        return None

    def exists(self, model, key, defined):
        if (model._meta.label_lower, tuple(key)) in defined:
            return True
        manager = model._default_manager.db_manager(self.using)
        if not hasattr(manager, "get_by_natural_key"):
            return True  # Not a natural key: Django will say what is wrong with it.
        try:
            manager.get_by_natural_key(*key)
        except ObjectDoesNotExist:
            return False
        except (TypeError, ValueError, MultipleObjectsReturned):
            return True  # A malformed key: leave the message to Django.
        return True
