"""The desk's admin site: Django's admin, named for the newsroom, opening on the dashboard."""

from django.contrib import admin
from django.urls import path

from . import dashboard


class DeskSite(admin.AdminSite):
    site_header = "Newsroom"
    site_title = "Newsroom desk"
    index_title = "Desk"
    # The work queue first; the list of everything that can be edited sits beside it (below it
    # on a phone), where Django's index would show "Recent actions".
    index_template = "desk/dashboard.html"

    def index(self, request, extra_context=None):
        context = {**dashboard.for_user(request.user), **(extra_context or {})}
        return super().index(request, extra_context=context)

    def get_urls(self):
        from .bodyimages import body_images  # noqa: PLC0415 (models load after the site)

        # The body editor's library chooser (articles/editor.py names it as its pickerUrl).
        chooser = path("body-images/", self.admin_view(body_images), name="body_images")
        return [chooser, *super().get_urls()]
