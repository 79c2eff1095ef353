"""The desk's admin site: Django's admin, named for the newsroom."""

from django.contrib import admin


class DeskSite(admin.AdminSite):
    site_header = "Newsroom"
    site_title = "Newsroom desk"
    index_title = "Desk"
