"""Names for the models and fields that Django names after the code ("article", "headline"), so
that the desk shows them in the editor's language.

A field without a verbose_name is labelled with its attribute's name, which no catalogue can
translate. Writing the names into the models would change their migration state (a verbose_name
is part of a field's deconstruction), so they are given here instead, when the desk starts: set on
the field's and the model's options after the models are built, where forms, lists and messages
read them, and where migrations never look (they read the arguments the field was made with).
"""

from django.apps import apps
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# Model: (singular, plural), for models whose Meta names neither.
MODEL_NAMES = {
    "articles.article": (_("article"), _("articles")),
    "articles.quote": (_("quote"), _("quotes")),
    "articles.theme": (_("theme"), _("themes")),
    "articles.themedarticle": (_("article theme"), _("article themes")),
    "articles.correction": (_("correction"), _("corrections")),
    "articles.image": (_("image"), _("images")),
    "articles.apikey": (_("API key"), _("API keys")),
    "people.person": (_("person"), _("people")),
    "people.organization": (_("organization"), _("organizations")),
    "people.role": (_("role"), _("roles")),
    "workflow.auditevent": (_("audit event"), _("audit events")),
    "workflow.previewlink": (_("preview link"), _("preview links")),
    "desk.editingsession": (_("editing session"), _("editing sessions")),
    "desk.autosave": (_("autosave"), _("autosaves")),
}

# Model: {field: label}, for fields named after their attribute.
FIELD_NAMES = {
    "articles.article": {
        "headline": _("headline"),
        "slug": _("slug"),
        "language": _("language"),
        "standfirst": _("standfirst"),
        "social_headline": _("social headline"),
        "social_description": _("social description"),
        "body": _("body"),
        "dateline": _("dateline"),
        "byline": _("byline"),
        "status": _("status"),
        "created_by": _("created by"),
    },
    "articles.quote": {
        "article": _("article"),
        "person": _("person"),
        "capacity": _("capacity"),
        "order": _("order"),
    },
    "articles.theme": {"description": _("description"), "language": _("language")},
    "articles.correction": {"article": _("article"), "created_by": _("created by")},
    "articles.image": {
        "file": _("file"),
        "caption": _("caption"),
        "source": _("source"),
        "focal_x": _("focal point, across"),
        "focal_y": _("focal point, down"),
        "uploaded_by": _("uploaded by"),
    },
    "articles.apikey": {
        "name": _("name"),
        "prefix": _("prefix"),
        "revoked": _("revoked"),
        "created_by": _("created by"),
    },
    "people.person": {
        "name": _("name"),
        "slug": _("slug"),
        "honorific": _("honorific"),
        "also_known_as": _("also known as"),
    },
    "people.organization": {
        "name": _("name"),
        "slug": _("slug"),
        "kind": _("kind"),
        "country": _("country"),
        "parent": _("parent organization"),
        "description": _("description"),
        "website": _("website"),
    },
    "people.role": {
        "person": _("person"),
        "organization": _("organization"),
        "title": _("title"),
        "order": _("order"),
    },
    "workflow.auditevent": {
        "action": _("action"),
        "article": _("article"),
        "article_headline": _("headline"),
        "from_state": _("from state"),
        "to_state": _("to state"),
        "note": _("note"),
    },
    "workflow.previewlink": {
        "article": _("article"),
        "note": _("note"),
        "created_at": pgettext_lazy("the moment it was made", "created"),
        "created_by": _("created by"),
        "revoked_by": _("revoked by"),
    },
}


# Named by django-taggit, whose own Arabic calls a slug "سبيكة الوسم": the desk's words instead,
# the same as for an article's name and address.
THEME_FIELDS = {"name": pgettext_lazy("a theme's", "name"), "slug": _("slug")}


def name_models_and_fields():
    """Give the models and fields above their translatable names (DeskConfig.ready)."""
    for label, (singular, plural) in MODEL_NAMES.items():
        opts = apps.get_model(label)._meta
        if "verbose_name" not in opts.original_attrs:
            opts.verbose_name = singular
        if "verbose_name_plural" not in opts.original_attrs:
            opts.verbose_name_plural = plural
    for label, fields in FIELD_NAMES.items():
        opts = apps.get_model(label)._meta
        for name, verbose_name in fields.items():
            field = opts.get_field(name)
            if field._verbose_name is None:  # a name of its own in the model wins
                field.verbose_name = verbose_name
    theme = apps.get_model("articles.theme")._meta
    for name, verbose_name in THEME_FIELDS.items():
        theme.get_field(name).verbose_name = verbose_name
