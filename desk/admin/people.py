"""The desk's screens for people, organizations and their roles."""

from django import forms
from django.contrib import admin
from django.db import models
from django.db.models import Count, Prefetch
from django.utils.translation import gettext_lazy as _

from people.models import Organization, Person, Role

from .. import widgets
from ..conflicts import ConflictCheckMixin
from ..versions import VersionHistoryMixin


def formfield_assuming_https(db_field, **kwargs):
    """An address typed without a scheme ("iom.int") means https, as it will in Django 6."""
    if isinstance(db_field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return db_field.formfield(**kwargs)


class EditorialRecordAdmin(widgets.ModelAdmin):
    """Shows who changed a row and when, and records it on every save from the admin."""

    record_fields = ("created_at", "updated_at", "last_edited_by")

    def get_readonly_fields(self, request, obj=None):
        return (*super().get_readonly_fields(request, obj), *self.record_fields)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if isinstance(db_field, models.URLField):
            kwargs.setdefault("assume_scheme", "https")
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        obj.last_edited_by = request.user
        if not change and hasattr(obj, "created_by"):
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


# An address taken, with how to tell two of a kind apart, per kind of thing (whole sentences,
# so that each translates as one).
SLUG_TAKEN = {
    "article": _(
        "Another article already uses this address. Change the slug, for example by adding the "
        "place or the date of the story."
    ),
    "person": _(
        "Another person already uses this address. Change the slug, for example by adding a "
        "middle name or their organization."
    ),
    "organization": _(
        "Another organization already uses this address. Change the slug, for example by adding "
        "its country or city."
    ),
}


def slug_taken_message(thing):
    return {"slug": {"unique": SLUG_TAKEN[thing]}}


class RoleInlineForm(forms.ModelForm):
    class Meta:
        model = Role
        fields = ("person", "organization", "title", "title_ar", "start_date", "end_date", "order")
        error_messages = {
            "__all__": {
                "unique_together": _("This person already holds this title at this organization."),
            },
        }
        help_texts = {
            "person": _("Add them under People first if they are new."),
            "organization": _("Add it under Organizations first if it is new."),
        }


class RoleInline(widgets.TabularInline):
    model = Role
    form = RoleInlineForm
    extra = 0
    fields = ("person", "title", "title_ar", "organization", "start_date", "end_date", "order")
    autocomplete_fields = ("person", "organization")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("person", "organization")


class PersonRoleInline(RoleInline):
    verbose_name = _("role")
    verbose_name_plural = _("roles (titles at organizations)")
    fields = ("title", "title_ar", "organization", "start_date", "end_date", "order")


class OrganizationRoleInline(RoleInline):
    verbose_name = _("person")
    verbose_name_plural = _("people in this organization")
    fields = ("person", "title", "title_ar", "start_date", "end_date", "order")


class PersonForm(forms.ModelForm):
    class Meta:
        model = Person
        fields = (
            "name",
            "name_ar",
            "slug",
            "honorific",
            "honorific_ar",
            "also_known_as",
            "bio",
            "bio_ar",
        )
        error_messages = slug_taken_message("person")


@admin.register(Person)
class PersonAdmin(ConflictCheckMixin, VersionHistoryMixin, EditorialRecordAdmin):
    form = PersonForm
    list_display = ("name", "name_ar", "honorific", "current_roles", "quote_count", "updated_at")
    list_select_related = ("last_edited_by",)
    search_fields = ("name", "name_ar", "also_known_as", "slug")
    list_filter = ("roles__organization__kind",)
    prepopulated_fields = {"slug": ("name",)}
    inlines = (PersonRoleInline,)
    fieldsets = (
        (None, {"fields": ("name", "slug", "honorific", "also_known_as", "bio")}),
        # The shared record's second script: what the Arabic edition prints.
        (_("In Arabic"), {"fields": ("name_ar", "honorific_ar", "bio_ar")}),
        (_("Record"), {"fields": EditorialRecordAdmin.record_fields, "classes": ("collapse",)}),
    )

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(quote_count=Count("quotes", distinct=True))
            # A grouped query drops Meta.ordering; autocomplete pages through this queryset.
            .order_by(*Person._meta.ordering)
            .prefetch_related(
                Prefetch("roles", queryset=Role.objects.select_related("organization"))
            )
        )

    @admin.display(description=_("roles"))
    def current_roles(self, obj):
        return "; ".join(str(role) for role in obj.roles.all()) or "—"

    @admin.display(description=_("quotes"), ordering="quote_count")
    def quote_count(self, obj):
        return obj.quote_count


class OrganizationForm(forms.ModelForm):
    class Meta:
        model = Organization
        formfield_callback = formfield_assuming_https
        fields = (
            "name",
            "name_ar",
            "slug",
            "short_name",
            "short_name_ar",
            "kind",
            "parent",
            "country",
            "description",
            "description_ar",
            "website",
        )
        error_messages = slug_taken_message("organization")
        help_texts = {
            "kind": _("What sort of body it is; readers can browse organizations by kind."),
            "website": _("Its official site. Typed without http, https is assumed."),
        }


@admin.register(Organization)
class OrganizationAdmin(ConflictCheckMixin, VersionHistoryMixin, EditorialRecordAdmin):
    form = OrganizationForm
    list_display = ("name", "name_ar", "short_name", "kind", "country", "parent", "people_count")
    list_select_related = ("parent",)
    search_fields = ("name", "name_ar", "short_name", "short_name_ar", "slug", "country")
    list_filter = ("kind", "country")
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ("parent",)
    inlines = (OrganizationRoleInline,)
    fieldsets = (
        (None, {"fields": ("name", "slug", "short_name", "kind", "parent", "country")}),
        (_("For readers"), {"fields": ("description", "website")}),
        (_("In Arabic"), {"fields": ("name_ar", "short_name_ar", "country_ar", "description_ar")}),
        (_("Record"), {"fields": EditorialRecordAdmin.record_fields, "classes": ("collapse",)}),
    )

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(people_count=Count("roles__person", distinct=True))
            # A grouped query drops Meta.ordering; autocomplete pages through this queryset.
            .order_by(*Organization._meta.ordering)
        )

    @admin.display(description=_("people"), ordering="people_count")
    def people_count(self, obj):
        return obj.people_count


@admin.register(Role)
class RoleAdmin(widgets.ModelAdmin):
    form = RoleInlineForm
    list_display = ("person", "title", "title_ar", "organization", "start_date", "end_date")
    list_select_related = ("person", "organization")
    search_fields = (
        "title",
        "title_ar",
        "person__name",
        "person__name_ar",
        "organization__name",
        "organization__short_name",
    )
    list_filter = ("organization__kind",)
    autocomplete_fields = ("person", "organization")

    def get_queryset(self, request):
        # The autocomplete names each role with its person and organization (a quote's role).
        return super().get_queryset(request).select_related("person", "organization")
