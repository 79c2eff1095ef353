"""The desk's admin site: Django's admin, named for the newsroom, opening on the dashboard."""

from django.contrib import admin
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.views.i18n import JavaScriptCatalog

from . import dashboard


class DeskSite(admin.AdminSite):
    site_header = _("Newsroom")
    site_title = _("Newsroom desk")
    index_title = _("Desk")
    # The work queue first; the list of everything that can be edited sits beside it (below it
    # on a phone), where Django's index would show "Recent actions".
    index_template = "desk/dashboard.html"

    def index(self, request, extra_context=None):
        context = {**dashboard.for_user(request.user), **(extra_context or {})}
        return super().index(request, extra_context=context)

    def i18n_javascript(self, request, extra_context=None):
        # The admin's catalogue for its scripts, and the desk's (desk/locale/*/djangojs.po) for
        # its own: what desk/static/desk/*.js passes to gettext() reads in the editor's language.
        return JavaScriptCatalog.as_view(packages=["django.contrib.admin", "desk"])(request)

    def autocomplete_view(self, request):
        from .admin.editions import EditionAutocompleteView  # noqa: PLC0415 (as get_urls)

        # Stories are offered with their language: "Headline (Arabic)".
        return EditionAutocompleteView.as_view(admin_site=self)(request)

    def get_urls(self):
        from .bodyimages import body_images  # noqa: PLC0415 (models load after the site)
        from .insights.views import insights  # noqa: PLC0415

        # The body editor's library chooser (articles/editor.py names it as its pickerUrl).
        chooser = path("body-images/", self.admin_view(body_images), name="body_images")
        # Who the newsroom quotes and what it covers (editors only).
        figures = path(
            "insights/", self.admin_view(lambda request: insights(request, self)), name="insights"
        )
        return [chooser, figures, *super().get_urls()]
