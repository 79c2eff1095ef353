"""The desk's admin site: Django's admin, named for the newsroom, opening on the dashboard."""

from django.contrib import admin

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
