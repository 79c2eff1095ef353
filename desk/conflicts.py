"""No lost edits: a save based on an older version of a story (or person, or organization) is
refused, and the editor keeps everything they typed.

As Ghost does with `updated_at` (its 409 "Saving failed! Someone else is editing this post"), the
change form carries the version it was loaded at, `desk_loaded_version`: the row's `updated_at`,
which every save bumps (the admin's, and transition()'s publish or submit). On POST the form's
validation compares it with the row as stored; a difference is a form error, so the admin saves
nothing (neither the row, nor its inlines, nor a revision, nor an audit event) and re-renders the
bound form and inlines with what the editor typed. Above the fields, the refusal names who saved
in between and when (newsroom time) and shows what they changed (workflow.history.compare, as the
History's compare view does). As in Wagtail 6.2, the editor may then knowingly replace that
version with theirs: a checkbox carrying the version they were shown, so a third save made while
they read the notice is refused again, never overwritten silently.

django-concurrency was measured and not used: it needs a version column and migration on each
model, patches Model._do_update, does not bump its version on transition()'s
save(update_fields=...), and its refusal ("Record Modified") names nobody and shows nothing. Here
`updated_at` and the saved versions (django-reversion) already hold who, when and what.
"""

from dataclasses import dataclass, field
from datetime import UTC, datetime

import reversion
from django import forms
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import formats, timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from workflow import history

VERSION_FIELD = "desk_loaded_version"
REPLACE_FIELD = "desk_replace"
# How far back the notice looks for the version the editor started from.
VERSIONS_LOOKED_AT = 50


def version_token(obj) -> str:
    """The version of `obj` a form was loaded at: its last-updated time, UTC, to the microsecond."""
    return obj.updated_at.astimezone(UTC).isoformat(timespec="microseconds")


def parse_token(value):
    """The moment a token names, or None for a missing or garbled one."""
    if not isinstance(value, str) or not value or len(value) > 64:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if timezone.is_aware(moment) else None


def newsroom_time(moment):
    return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def _name(user):
    if user is None:
        return _("someone (not through the desk)")
    return user.get_full_name() or user.get_username()


def _to_ms(moment):
    # A saved version stores times to the millisecond (DjangoJSONEncoder).
    return moment.replace(microsecond=moment.microsecond // 1000 * 1000)


@dataclass
class Save:
    by: str
    at: datetime
    what: str


@dataclass
class Conflict:
    """Why a save was refused, and what happened in between."""

    reason: str  # "stale", "missing" or "garbled"
    current_token: str
    updated_at: datetime
    saves: list[Save] = field(default_factory=list)
    differences: list = field(default_factory=list)
    compare_url: str = ""
    history_url: str = ""

    @property
    def names(self):
        return ", ".join(dict.fromkeys(save.by for save in self.saves))

    @property
    def message(self):
        when = newsroom_time(self.updated_at)
        if self.reason == "stale":
            return _(
                "Not saved: %(names)s saved this after you opened it (last at %(when)s). Your "
                "changes are still in the form: see what they changed, then save again, choosing "
                "to replace their version with yours if you mean to."
            ) % {"names": self.names, "when": when}
        return _(
            "Not saved: this form did not say which version it was opened at, so saving it could "
            "overwrite someone else's work (last saved by %(names)s at %(when)s). Your changes "
            "are still in the form: check them against the current version, then save again, "
            "choosing to replace it with yours if you mean to."
        ) % {"names": self.names, "when": when}


def find_conflict(obj, loaded):
    """What was saved after `loaded` (a moment, or None if unknown), newest last."""
    versions = list(history.versions_of(obj)[:VERSIONS_LOOKED_AT])
    newer, base = [], None
    for version in versions:
        saved_at = version.field_dict.get("updated_at") or version.revision.date_created
        if loaded is not None and _to_ms(saved_at) <= _to_ms(loaded):
            base = version
            break
        newer.append(version)
    saves = [
        Save(_name(v.revision.user), v.revision.date_created, v.revision.get_comment())
        for v in reversed(newer if loaded is not None else versions[:1])
    ]
    if not saves:  # saved without a version (a script): who is on the row
        saves = [Save(_name(obj.last_edited_by), obj.updated_at, "")]
    differences = []
    if base is not None and newer:
        differences = [d for d in history.compare(base, newer[0]) if d.changed]
    return base, newer[0] if newer else None, saves, differences


class ConflictCheckedForm:
    """Mixed into a change form by ConflictCheckMixin.get_form."""

    desk_conflict = None
    desk_replacing = ""

    def clean(self):
        cleaned = super().clean()
        obj = self.instance
        # The row is locked (SELECT ... FOR UPDATE) inside the admin's transaction (changeform_view
        # is atomic, and so is the RevisionMiddleware around it): a second save waits here until
        # the first commits, then reads its updated_at and is refused. Locking rather than
        # compare-and-set on UPDATE, because the refusal must come from validation, before the
        # admin saves the row, the inlines and the revision. SQLite locks the whole database
        # for a write transaction, so there the clause is left out and nothing races.
        with transaction.atomic(using=obj._state.db):
            stored = (
                type(obj)
                ._base_manager.using(obj._state.db)
                .select_for_update()  # no join: PostgreSQL refuses FOR UPDATE on outer joins
                .get(pk=obj.pk)
            )
        raw = self.data.get(VERSION_FIELD)
        loaded = parse_token(raw)
        if loaded is not None and loaded == stored.updated_at:
            return cleaned
        current = version_token(stored)
        if self.data.get(REPLACE_FIELD) == current:
            self.desk_replacing = current  # knowingly, having seen this version
            return cleaned
        reason = "stale" if loaded is not None else ("missing" if not raw else "garbled")
        base, newest, saves, differences = find_conflict(stored, loaded)
        self.desk_conflict = Conflict(
            reason=reason,
            current_token=current,
            updated_at=stored.updated_at,
            saves=saves,
            differences=differences,
        )
        self.desk_conflict_versions = (base, newest)
        self.add_error(None, forms.ValidationError(self.desk_conflict.message, code="stale"))
        return cleaned


class ConflictCheckMixin:
    """For the ModelAdmins of rows with `updated_at` (articles, people, organizations): every change
    form carries the version it was loaded at, and a save based on an older one is refused."""

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        if obj is None or obj.pk is None:
            return form
        token = forms.CharField(
            required=False, widget=forms.HiddenInput, initial=version_token(obj)
        )
        return type(form.__name__, (ConflictCheckedForm, form), {VERSION_FIELD: token})

    @property
    def media(self):
        return super().media + forms.Media(
            css={"all": ("workflow/compare.css", "desk/conflict.css")}
        )

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        form = context["adminform"].form
        if VERSION_FIELD in form.fields:
            context["desk_version_field"] = form[VERSION_FIELD]
            context["desk_replacing"] = form.desk_replacing
            conflict = form.desk_conflict
            if conflict is not None and obj is not None:
                self._add_links(conflict, obj, *form.desk_conflict_versions)
            context["desk_conflict"] = conflict
        return super().render_change_form(request, context, add, change, form_url, obj)

    def _add_links(self, conflict, obj, base, newest):
        prefix = f"{self.admin_site.name}:{self.opts.app_label}_{self.opts.model_name}"
        try:
            conflict.history_url = reverse(f"{prefix}_history", args=[obj.pk])
            if base is not None and newest is not None:
                conflict.compare_url = reverse(f"{prefix}_compare", args=[obj.pk]) + (
                    "?" + urlencode({"old": base.pk, "new": newest.pk})
                )
        except NoReverseMatch:  # an admin without VersionHistoryMixin
            pass

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if change and form.desk_replacing and reversion.is_active():
            # The History says the editor replaced another version knowingly.
            done = reversion.get_comment() or "Edited"
            reversion.set_comment(f"{done}; replaced a newer version, knowingly")
