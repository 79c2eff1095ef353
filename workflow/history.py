"""Reading saved versions: what each version held, and a readable comparison of two of them.

The comparison is built with difflib, word by word, and every piece of text goes through
format_html (which escapes it): nothing an editor typed reaches the page unescaped.
"""

import difflib
import re
from dataclasses import dataclass
from datetime import datetime

from django.db import models
from django.utils import formats, timezone
from django.utils.html import format_html, format_html_join
from reversion.models import Version

from articles.models import Article, Quote, Theme, ThemedArticle
from articles.sanitize import html_to_text

from .revisions import DERIVED_FIELDS

# Fields shown without comparison (bookkeeping rather than content).
HIDDEN_FIELDS = DERIVED_FIELDS | {"id", "last_edited_by_id", "created_by_id"}


@dataclass
class Difference:
    label: str
    old: str
    new: str

    @property
    def changed(self):
        return self.old != self.new

    @property
    def html(self):
        return diff_html(self.old, self.new)


def versions_of(obj):
    return (
        Version.objects.get_for_object(obj)
        .select_related("revision__user")
        .order_by("-revision__date_created", "-pk")
    )


def _display(model, field, value):
    """A field's stored value as an editor reads it."""
    if value is None or value == "":
        return ""
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.ManyToManyField):
        related = field.related_model
        names = {obj.pk: str(obj) for obj in related._default_manager.filter(pk__in=value)}
        return "\n".join(sorted(names.get(pk, f"(deleted, #{pk})") for pk in value))
    if isinstance(field, models.ForeignKey):
        related = field.related_model._default_manager.filter(pk=value).first()
        return str(related) if related else f"(deleted, #{value})"
    if field.name == "body":
        return html_to_text(value)
    if isinstance(value, datetime):
        # Newsroom time, as every time in the desk (a version stores UTC).
        local = timezone.localtime(value) if timezone.is_aware(value) else value
        return formats.date_format(local, "DATETIME_FORMAT")
    return str(value)


def snapshot(version):
    """An ordered mapping of label -> text for everything the version holds."""
    model = version.content_type.model_class()
    data = version.field_dict
    result = {}
    for field in model._meta.get_fields():
        if not field.concrete or field.auto_created or field.attname in HIDDEN_FIELDS:
            continue
        if field.attname not in data or not hasattr(field, "flatchoices"):
            continue
        result[str(field.verbose_name).capitalize()] = _display(model, field, data[field.attname])
    if model is Article:
        result["Themes"] = _related_text(version, ThemedArticle, _theme_names)
        result["Quotes"] = _related_text(version, Quote, _quote_lines)
    return result


def _related_text(version, model, render):
    rows = [
        v.field_dict
        for v in version.revision.version_set.all()
        if v.content_type.model_class() is model
    ]
    return render(rows)


def _theme_names(rows):
    names = dict(Theme.objects.filter(pk__in=[r["tag_id"] for r in rows]).values_list("pk", "name"))
    return "\n".join(
        sorted(names.get(r["tag_id"], f"(deleted theme #{r['tag_id']})") for r in rows)
    )


def _quote_lines(rows):
    from people.models import Person

    people = dict(
        Person.objects.filter(pk__in=[r["person_id"] for r in rows]).values_list("pk", "name")
    )
    rows = sorted(rows, key=lambda r: (r["order"], r["id"]))
    return "\n".join(
        f"{people.get(r['person_id'], 'someone')}: “{r['text']}”"
        + (f" ({r['capacity']})" if r["capacity"] else "")
        for r in rows
    )


def compare(old_version, new_version):
    old, new = snapshot(old_version), snapshot(new_version)
    labels = list(dict.fromkeys([*old, *new]))
    return [Difference(label, old.get(label, ""), new.get(label, "")) for label in labels]


TOKEN = re.compile(r"\s+|[^\s]+")
# Below this share of common words, a changed line reads better as "old line, new line".
SIMILAR = 0.5


def diff_html(old, new):
    """Removed text in <del>, added text in <ins>, all escaped. Line by line first (a theme, a
    quote, a paragraph each take a line), then word by word within lines that were edited."""
    # Lines compared without their ends: a paragraph that was last and gains a newline when
    # another is added after it is unchanged.
    a, b = old.splitlines(), new.splitlines()
    parts = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            parts += [format_html("{}\n", line) for line in a[i1:i2]]
            continue
        old_lines, new_lines = a[i1:i2], b[j1:j2]
        if op == "replace" and len(old_lines) == len(new_lines):
            for old_line, new_line in zip(old_lines, new_lines, strict=True):
                parts.append(format_html("{}\n", _line_diff(old_line, new_line)))
            continue
        if old_lines:
            parts.append(format_html("<del>{}</del>\n", "\n".join(old_lines)))
        if new_lines:
            parts.append(format_html("<ins>{}</ins>\n", "\n".join(new_lines)))
    return format_html_join("", "{}", ((part,) for part in parts))


def _line_diff(old, new):
    a, b = TOKEN.findall(old), TOKEN.findall(new)
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    if matcher.ratio() < SIMILAR:
        return format_html("<del>{}</del><ins>{}</ins>", old, new)
    parts = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            parts.append(format_html("{}", "".join(a[i1:i2])))
            continue
        if op in ("delete", "replace"):
            parts.append(format_html("<del>{}</del>", "".join(a[i1:i2])))
        if op in ("insert", "replace"):
            parts.append(format_html("<ins>{}</ins>", "".join(b[j1:j2])))
    return format_html_join("", "{}", ((part,) for part in parts))
