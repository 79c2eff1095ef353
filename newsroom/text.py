"""Text that is safe to store and to put anywhere: XML 1.0, JSON, HTML, search snippets.

Editors paste from word processors and web pages. Word's Shift+Enter pastes U+000B; other sources
bring form feeds, ESC, or U+0002/U+0003 (which the search snippets use as their own markers). XML
1.0 cannot carry any C0 control but tab and the newlines, so one such character in a headline
would take every feed down. Every text field of the content apps is cleaned on save (raw fixture
loads included): C0 controls other than tab, LF and CR are removed, and the text is normalized to
NFC, so that "é" typed two ways is one string for search, slugs and comparison.

The content apps connect `clean_text_fields` to their models' pre_save (see their apps.py).
"""

import re
import unicodedata

from django.db import models

# C0 controls except tab (09), LF (0A) and CR (0D); DEL is allowed by XML and left alone.
C0_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
# Also refused by XML 1.0: lone surrogates and the two non-characters U+FFFE and U+FFFF.
NOT_XML = re.compile("[\ud800-\udfff\ufffe\uffff]")


def clean_text(value: str) -> str:
    """`value` without the characters XML 1.0 refuses, in Unicode NFC."""
    value = NOT_XML.sub("", C0_CONTROLS.sub("", value))
    return unicodedata.normalize("NFC", value)


def clean_text_fields(sender, instance, **kwargs):
    """A pre_save receiver: clean every text field of `instance` in place."""
    for field in instance._meta.concrete_fields:
        if isinstance(field, models.CharField | models.TextField):
            value = getattr(instance, field.attname)
            if isinstance(value, str):
                cleaned = clean_text(value)
                if field.max_length and len(cleaned) > field.max_length:
                    # NFC lengthens a few characters (U+0958 is two in NFC): never a 500 for it.
                    cleaned = cleaned[: field.max_length]
                if cleaned != value:
                    setattr(instance, field.attname, cleaned)
        elif isinstance(field, models.FileField):  # a stored name (fixtures can carry any)
            file = getattr(instance, field.attname)
            if file and isinstance(file.name, str):
                file.name = clean_text(file.name)


def connect_text_cleaning(app_config) -> None:
    """Clean the text of every model of `app_config` on save."""
    from django.db.models.signals import pre_save

    for model in app_config.get_models():
        pre_save.connect(clean_text_fields, sender=model, dispatch_uid=f"clean-text:{model._meta}")


def clean_stored_rows(model, using="default") -> None:
    """Clean the text already stored in `model`'s table (for a data migration: text saved
    before cleaning on save existed). One UPDATE per row that needs it, none otherwise."""
    fields = [
        f.attname
        for f in model._meta.concrete_fields
        if isinstance(f, models.CharField | models.TextField)
    ]
    rows = model._default_manager.using(using)
    for row in rows.values("pk", *fields).iterator():
        changes = {
            name: clean_text(row[name])
            for name in fields
            if isinstance(row[name], str) and clean_text(row[name]) != row[name]
        }
        if changes:
            rows.filter(pk=row["pk"]).update(**changes)
