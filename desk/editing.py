"""Editing sessions: who else has a story open (presence), and autosave of unsaved work.

Presence is not a lock. The change form records its editor on load and pings every
DESK_PRESENCE_PING_SECONDS; a session unseen for DESK_PRESENCE_TIMEOUT_SECONDS has ended. Others
are told "Esther Ali is editing this story (since 10:02)", on the form and in the list; anyone who
may edit can still save, and the conflict check (conflicts.py) protects what was saved first.

Autosave keeps what an editor has typed, as the browser would post the form, in their own
Autosave row: never in the article, so it publishes nothing, changes no live story, and writes no
revision or audit event. Restoring it renders the change form with those values as its initial
data (the rich-text editor reads its textarea on start), the inlines bound to them; the editor
then saves as usual. The version the form was loaded at (`desk_loaded_version`) is one of the
values, so a restore based on an older version is refused by the conflict check on save.

The browser side is desk/static/desk/editing.js: static, for the Content-Security-Policy.
"""

import json

from django import forms
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.utils import quote, unquote
from django.db.models import Prefetch, QuerySet
from django.http import HttpResponseRedirect, JsonResponse, QueryDict
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.html import format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from .models import Autosave, EditingSession

LOADED_VERSION = "desk_loaded_version"  # the conflict check's hidden input
RESTORE = "desk_restore"  # ?desk_restore=1: the change form filled from the autosave
NOT_CONTENT = {"csrfmiddlewaretoken", "_save", "_continue", "_addanother", "_saveasnew"}


def ping_seconds():
    return getattr(settings, "DESK_PRESENCE_PING_SECONDS", 30)


def autosave_seconds():
    return getattr(settings, "DESK_AUTOSAVE_SECONDS", 20)


def autosave_max_bytes():
    return getattr(settings, "DESK_AUTOSAVE_MAX_BYTES", 512 * 1024)


def clock(moment):
    """A moment in newsroom time as the desk says it: "10:02", with the day when not today."""
    local = timezone.localtime(moment)
    if local.date() == timezone.localdate():
        return formats.time_format(local, "H:i")
    return formats.date_format(local, "j M, H:i")


def editor_name(user):
    return user.get_full_name() or user.get_username()


def presence_message(session):
    return _("%(name)s is editing this story (since %(time)s)") % {
        "name": editor_name(session.user),
        "time": clock(session.started_at),
    }


def as_querydict(data):
    query = QueryDict(mutable=True)
    for name, values in data.items():
        query.setlist(name, values)
    return query


def error(status, message):
    return JsonResponse({"error": message}, status=status)


class RestoredForm:
    """Mixed into the article form on ?desk_restore=1: the autosaved values as initial data."""

    desk_autosave_data = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.is_bound:
            return
        data = as_querydict(self.desk_autosave_data)
        for name, field in self.fields.items():
            if field.disabled or isinstance(field, forms.FileField):
                continue  # a file cannot be autosaved; the stored one stays
            # The autosave holds the whole form: a field it lacks was empty (an unticked box,
            # no theme chosen), read the way the widget reads a post.
            self.initial[name] = field.widget.value_from_datadict(data, {}, self.add_prefix(name))


class EditingSessionMixin:
    """For ArticleAdmin: presence on the change form and the changelist, autosave and restore."""

    def get_urls(self):
        name = f"{self.opts.app_label}_{self.opts.model_name}"

        def endpoint(view):
            return self.admin_site.admin_view(require_POST(view))

        return [
            path(
                "<path:object_id>/editing/ping/",
                endpoint(self.presence_ping_view),
                name=f"{name}_editing_ping",
            ),
            path(
                "<path:object_id>/editing/autosave/",
                endpoint(self.autosave_view),
                name=f"{name}_autosave",
            ),
            path(
                "<path:object_id>/editing/discard/",
                endpoint(self.autosave_discard_view),
                name=f"{name}_autosave_discard",
            ),
            *super().get_urls(),
        ]

    @property
    def media(self):
        return super().media + forms.Media(
            js=["desk/editing.js"], css={"all": ["desk/editing.css"]}
        )

    def _url(self, view, obj):
        name = f"admin:{self.opts.app_label}_{self.opts.model_name}_{view}"
        return reverse(name, args=[quote(obj.pk)], current_app=self.admin_site.name)

    def _visible_article(self, request, object_id):
        """The article, if this person may see it; None for one they may not, as for one that
        does not exist, so a reporter learns nothing of other reporters' stories."""
        obj = self.get_object(request, unquote(object_id))
        if obj is None or not self.has_view_or_change_permission(request, obj):
            return None
        return obj

    # Presence -----------------------------------------------------------------------------------

    def _record_session(self, request, obj, now):
        """This editor has the form open now: start their session, or keep it alive."""
        sessions = EditingSession.objects.filter(article=obj)
        sessions.expired(now).delete()
        # The article goes in the lookup itself: get_or_create() creates from its arguments only.
        session, created = EditingSession.objects.get_or_create(
            article=obj, user=request.user, defaults={"started_at": now, "last_seen": now}
        )
        if not created:
            session.last_seen = now
            session.save(update_fields=["last_seen"])

    def _others_editing(self, request, obj, now):
        return list(
            EditingSession.objects.filter(article=obj)
            .live(now)
            .exclude(user=request.user)
            .select_related("user")
            .order_by("started_at", "pk")
        )

    def _presence(self, request, obj, now):
        if self.has_change_permission(request, obj):
            # Only those who may edit are "editing"; a reporter reading a story in review is not.
            self._record_session(request, obj, now)
        return [
            {
                "name": editor_name(session.user),
                "since": clock(session.started_at),
                "message": presence_message(session),
            }
            for session in self._others_editing(request, obj, now)
        ]

    def presence_ping_view(self, request, object_id):
        obj = self._visible_article(request, object_id)
        if obj is None:
            return error(404, _("There is no such story."))
        return JsonResponse({"editors": self._presence(request, obj, timezone.now())})

    def get_list_display(self, request):
        return (*super().get_list_display(request), "editing_now")

    def get_changelist_instance(self, request):
        changelist = super().get_changelist_instance(request)
        if isinstance(changelist.result_list, QuerySet):
            # One query for the page's sessions, whatever the number of rows.
            changelist.result_list = changelist.result_list.prefetch_related(
                Prefetch(
                    "editing_sessions",
                    queryset=EditingSession.objects.live()
                    .exclude(user=request.user)
                    .select_related("user")
                    .order_by("started_at", "pk"),
                    to_attr="desk_live_sessions",
                )
            )
        return changelist

    @admin.display(description=gettext_lazy("being edited"))
    def editing_now(self, obj):
        sessions = getattr(obj, "desk_live_sessions", ())
        return format_html_join(
            "",
            '<span class="desk-editing-now" title="{}">{} (since {})</span>',
            ((presence_message(s), editor_name(s.user), clock(s.started_at)) for s in sessions),
        )

    # Autosave -----------------------------------------------------------------------------------

    def _autosave_of(self, request, obj):
        """This person's autosave of the article, read once per request."""
        cache = request.__dict__.setdefault("_desk_autosaves", {})
        if obj.pk not in cache:
            cache[obj.pk] = Autosave.objects.filter(user=request.user, article=obj).first()
        return cache[obj.pk]

    @staticmethod
    def _is_newer_than_their_save(autosave, obj):
        return not (
            obj.last_edited_by_id == autosave.user_id and obj.updated_at >= autosave.saved_at
        )

    def _restoring(self, request, obj):
        """The autosave to fill the change form with, on ?desk_restore=1."""
        if request.method != "GET" or not request.GET.get(RESTORE) or obj is None or obj.pk is None:
            return None
        if not self.has_change_permission(request, obj):
            return None
        return self._autosave_of(request, obj)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        autosave = self._restoring(request, obj)
        if autosave is None:
            return form
        return type(form.__name__, (RestoredForm, form), {"desk_autosave_data": autosave.data})

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        autosave = self._restoring(request, obj)
        if autosave is not None and f"{prefix}-TOTAL_FORMS" in autosave.data:
            # Quotes and corrections come back as typed, shown as a post would be.
            kwargs["data"] = as_querydict(autosave.data)
        return kwargs

    def _content_names(self, request, obj):
        """What an autosave keeps: the form's fields, its inlines' and the loaded version."""
        form = super().get_form(request, obj, change=True)
        prefixes = tuple(
            f"{inline.get_formset(request, obj).get_default_prefix()}-"
            for inline in self.get_inline_instances(request, obj)
        )
        fields = set(form.base_fields) | {LOADED_VERSION}

        def keep(name):
            base = name.rsplit("_", 1)[0] if name[-2:] in ("_0", "_1") else name
            return (name in fields or base in fields or name.startswith(prefixes)) and (
                "__prefix__" not in name and name not in NOT_CONTENT
            )

        return keep

    def autosave_view(self, request, object_id):
        obj = self._visible_article(request, object_id)
        if obj is None:
            return error(404, _("There is no such story."))
        if not self.has_change_permission(request, obj):
            return error(403, _("You may not edit this story, so nothing of it is autosaved."))
        limit = autosave_max_bytes()
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return error(400, _("The request's length is not a number."))
        if length > limit:
            return error(
                413, _("Too much to autosave (over %(size)s KB).") % {"size": limit // 1024}
            )
        keep = self._content_names(request, obj)
        # PostgreSQL refuses a NUL in JSON text: read as U+FFFD, as the site reads it in addresses.
        data = {
            name.replace("\x00", "\ufffd"): [value.replace("\x00", "\ufffd") for value in values]
            for name, values in request.POST.lists()
            if keep(name)
        }
        if "headline" not in data:
            return error(400, _("Nothing to autosave: send the article form's fields."))
        if len(json.dumps(data)) > limit:
            return error(
                413, _("Too much to autosave (over %(size)s KB).") % {"size": limit // 1024}
            )
        now = timezone.now()
        Autosave.objects.update_or_create(
            user=request.user, article=obj, defaults={"data": data, "saved_at": now}
        )
        return JsonResponse({"saved_at": clock(now)})

    def autosave_discard_view(self, request, object_id):
        obj = self._visible_article(request, object_id)
        if obj is None:
            return error(404, _("There is no such story."))
        Autosave.objects.filter(user=request.user, article=obj).delete()
        if "application/json" in request.headers.get("Accept", ""):
            return JsonResponse({"discarded": True})
        return HttpResponseRedirect(self._url("change", obj))

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change:
            # Saved: what was autosaved is now either in the article or replaced by it.
            Autosave.objects.filter(user=request.user, article=obj).delete()

    # The change form ------------------------------------------------------------------------------

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and obj.pk is not None and change:
            context.update(self._editing_context(request, obj))
        return super().render_change_form(
            request, context, add=add, change=change, form_url=form_url, obj=obj
        )

    def _editing_context(self, request, obj):
        may_edit = self.has_change_permission(request, obj)
        restoring = self._restoring(request, obj) is not None
        editing = {
            "ping_url": self._url("editing_ping", obj),
            "ping_seconds": ping_seconds(),
            # A re-shown post (refused) or a restore holds work not yet saved.
            "unsaved": request.method == "POST" or restoring,
        }
        context = {"desk_presence": self._presence(request, obj, timezone.now())}
        if may_edit:
            editing |= {
                "autosave_url": self._url("autosave", obj),
                "autosave_seconds": autosave_seconds(),
                "discard_url": self._url("autosave_discard", obj),
            }
            autosave = self._autosave_of(request, obj)
            if autosave is not None and self._is_newer_than_their_save(autosave, obj):
                query = request.GET.copy()
                query[RESTORE] = "1"
                context["desk_autosave"] = {
                    "when": clock(autosave.saved_at),
                    "restored": restoring,
                    "restore_url": f"{request.path}?{query.urlencode()}",
                    "change_url": self._url("change", obj),
                }
        context["desk_editing"] = editing
        return context
