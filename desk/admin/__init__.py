"""The desk's ModelAdmins, one module per part of the newsroom. Importing this package registers
them with the desk's admin site (desk/sites.py), as Django's admin autodiscovery does."""

import taggit.admin  # noqa: F401 - registers taggit's Tag, which the next lines take away again
from django.contrib import admin
from taggit.models import Tag

from . import apikeys, articles, content, images, people, workflow  # noqa: F401

# The project tags articles with Theme; taggit's own generic Tag model is unused, so its admin
# would only show editors an empty, confusing "Tags" section.
if admin.site.is_registered(Tag):
    admin.site.unregister(Tag)
