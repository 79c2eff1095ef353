"""The admin's History page with saved versions: compare any two, revert to one.

A mixin for the ModelAdmins of the versioned models (articles, people, organizations, themes).
Django's own History page (the admin log) stays underneath the list of versions.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseBadRequest, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.views.decorators.http import require_POST

from articles.models import Article
from workflow import history, services


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
                self.admin_site.admin_view(require_POST(self.revert_view)),
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
            return HttpResponseBadRequest("Choose two versions to compare.")
        old = get_object_or_404(versions, pk=old_id)
        new = get_object_or_404(versions, pk=new_id)
        if old.revision.date_created > new.revision.date_created:
            old, new = new, old
        context = {
            **self.admin_site.each_context(request),
            "title": f"Compare versions of “{obj}”",
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
        version = get_object_or_404(history.versions_of(obj), pk=version_id)
        if isinstance(obj, Article):
            services.revert_article(version=version, by=request.user)
        else:
            services.revert_object(version=version, by=request.user)
        self.message_user(
            request,
            f"Reverted “{obj}” to the version of "
            f"{version.revision.date_created:%d %b %Y %H:%M} UTC. The revert is a new version.",
            messages.SUCCESS,
        )
        return HttpResponseRedirect(
            reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_change", args=[obj.pk])
        )
