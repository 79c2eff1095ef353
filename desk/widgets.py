"""The desk's admin bases: autocomplete widgets that survive ids that are not ids, and text boxes
that follow the direction of their text.

Django 5.2's AutocompleteMixin.optgroups() re-renders a submitted form by querying the submitted
values with `pk__in`. A crafted POST with a value that is not a number ("1; DROP TABLE") then
raises ValueError while the form error is being shown: a 500 instead of the form error the field
already produced. These widgets drop such values before that query; the field still reports them.
"""

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import (
    AutocompleteMixin,
    AutocompleteSelect,
    AutocompleteSelectMultiple,
)
from django.core.exceptions import ValidationError
from django.forms.widgets import DateTimeBaseInput


class ValidIdsOnly(AutocompleteMixin):
    def optgroups(self, name, value, attr=None):
        remote = self.field.remote_field
        name = getattr(remote, "field_name", None)
        target = remote.model._meta.get_field(name) if name else remote.model._meta.pk
        return super().optgroups(name, [v for v in value if self._is_valid(target, v)], attr)

    @staticmethod
    def _is_valid(target, value):
        try:
            target.to_python(value)
        except (ValidationError, ValueError, TypeError):
            return False
        return True


class SafeAutocompleteSelect(ValidIdsOnly, AutocompleteSelect):
    pass


class SafeAutocompleteSelectMultiple(ValidIdsOnly, AutocompleteSelectMultiple):
    pass


class SafeAutocompleteAdmin:
    """Mix into a ModelAdmin or inline whose autocomplete_fields take values from a form."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = SafeAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = SafeAutocompleteSelectMultiple(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class TextDirectionAdmin:
    """Text boxes take the direction of what is typed in them (dir="auto"): an Arabic headline in
    the English desk, or an English name in the Arabic desk, reads and edits the right way round.
    Addresses, numbers and dates keep the page's direction."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        widget = getattr(formfield, "widget", None)
        is_text = isinstance(widget, (forms.TextInput, forms.Textarea))
        if is_text and not isinstance(widget, DateTimeBaseInput):
            widget.attrs.setdefault("dir", "auto")
        return formfield


class ModelAdmin(SafeAutocompleteAdmin, TextDirectionAdmin, admin.ModelAdmin):
    pass


class StackedInline(SafeAutocompleteAdmin, TextDirectionAdmin, admin.StackedInline):
    pass


class TabularInline(SafeAutocompleteAdmin, TextDirectionAdmin, admin.TabularInline):
    pass
