"""The admin's History page with saved versions: compare any two, revert to one.

A mixin for the ModelAdmins of the versioned models (articles, people, organizations, themes).
Django's own History page (the admin log) stays underneath the list of versions. Reverting is two
steps: a page (GET) showing what the revert will change, the comparison of the current version
with the chosen one, and its button (POST), which reverts. Every time shown is newsroom time.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseBadRequest, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from articles.models import Article
from workflow import history, permissions, services


class VersionHistoryMixin:
    object_history_template = "desk/history/object_history.html"

    def get_urls(self):
        app_label, model_name = self.opts.app_label, self.opts.model_name
        return [
            path(
                "<path:object_id>/history/compare/",
                self.admin_site.admin_view(self.compare_view),
                name=f"{app_label}_{model_name}_compare",
            ),
            path(
                "<path:object_id>/history/<int:version_id>/revert/",
                self.admin_site.admin_view(
                    require_http_methods(["GET", "HEAD", "POST"])(self.revert_view)
                ),
                name=f"{app_label}_{model_name}_revert",
            ),
            *super().get_urls(),
        ]

    def _object_or_404(self, request, object_id):
        obj = self.get_object(request, object_id)
        if obj is None or not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        return obj

    def may_revert(self, request, obj):
        return self.has_change_permission(request, obj)

    def history_view(self, request, object_id, extra_context=None):
        obj = self.get_object(request, object_id)
        versions = list(history.versions_of(obj)) if obj is not None else []
        context = {
            "versions": versions,
            "may_revert": obj is not None and self.may_revert(request, obj),
            "compare_url": obj is not None
            and reverse(
                f"admin:{self.opts.app_label}_{self.opts.model_name}_compare",
                args=[obj.pk],
            ),
            **(extra_context or {}),
        }
        return super().history_view(request, object_id, extra_context=context)

    def compare_view(self, request, object_id):
        obj = self._object_or_404(request, object_id)
        versions = history.versions_of(obj)
        try:
            old_id, new_id = int(request.GET["old"]), int(request.GET["new"])
        except (KeyError, ValueError):
            return HttpResponseBadRequest(_("Choose two versions to compare."))
        old = get_object_or_404(versions, pk=old_id)
        new = get_object_or_404(versions, pk=new_id)
        if old.revision.date_created > new.revision.date_created:
            old, new = new, old
        context = {
            **self.admin_site.each_context(request),
            "title": _("Compare versions of “%(object)s”") % {"object": obj},
            "opts": self.opts,
            "object": obj,
            "old": old,
            "new": new,
            "differences": history.compare(old, new),
            "may_revert": self.may_revert(request, obj),
        }
        return TemplateResponse(request, "desk/history/compare.html", context)

    def revert_view(self, request, object_id, version_id):
        obj = self._object_or_404(request, object_id)
        if not self.may_revert(request, obj):
            raise PermissionDenied
        versions = history.versions_of(obj)
        version = get_object_or_404(versions, pk=version_id)
        current = versions.first()
        when = newsroom_time(version.revision.date_created)
        if request.method != "POST":
            return self.revert_confirmation(request, obj, version, current)
        if version.pk == current.pk:
            self.message_user(
                request,
                _("The version of %(when)s is the current one: nothing to revert.")
                % {"when": when},
            )
        else:
            if isinstance(obj, Article):
                services.revert_article(version=version, by=request.user)
            else:
                services.revert_object(version=version, by=request.user)
            self.message_user(
                request,
                _("Reverted “%(object)s” to the version of %(when)s. The revert is a new version.")
                % {"object": obj, "when": when},
                messages.SUCCESS,
            )
        return HttpResponseRedirect(
            reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_change", args=[obj.pk])
        )

    def revert_confirmation(self, request, obj, version, current):
        """What reverting to `version` would change: from the current version to that one."""
        differences = history.compare(current, version) if version.pk != current.pk else []
        publication = None
        if isinstance(obj, Article):
            # A revert brings back words, themes, quotes and mentions; the publication state
            # stays as it is now (services.revert_article), so it is not shown as a change.
            differences = [d for d in differences if d.label not in state_labels()]
            publication = {
                "state": _(permissions.STATE_LABELS[permissions.state_of(None, article=obj)]),
                "at": obj.published_at,
            }
        context = {
            **self.admin_site.each_context(request),
            "title": _("Revert “%(object)s”?") % {"object": obj},
            "opts": self.opts,
            "object": obj,
            "version": version,
            "current": current,
            "differences": differences,
            "changes": [d for d in differences if d.changed],
            "publication": publication,
        }
        return TemplateResponse(request, "desk/history/revert_confirm.html", context)


# The article's fields that a revert leaves as they are now.
STATE_FIELDS = ("status", "published_at")


def state_labels():
    """Those fields' labels in a comparison (workflow/history.py), in the desk's language."""
    return {str(Article._meta.get_field(name).verbose_name).capitalize() for name in STATE_FIELDS}


def newsroom_time(moment):
    """A moment as the desk's tables show it: newsroom time, in the site's date format."""
    return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT")
