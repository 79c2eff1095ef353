"""Rules for the plain-text fields editors write (headlines, standfirsts, bylines), and the
keywords that make an article findable beyond its own text."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Where search engines and social sites cut a line: Google News shows about 110 characters of a
# headline, and a search result about 160 of a description. Guidance, not a limit.
HEADLINE_GUIDE = 110
DESCRIPTION_GUIDE = 160

# A tag as a browser would read one ("<b>", "</em>", "<a href=...>") or a comment. "a < b" and
# "<3" are words, not markup.
_TAG = re.compile(r"<(?:/?([a-zA-Z][a-zA-Z0-9-]*)(?:[\s/][^<>]*)?>|!--)")
_BY = re.compile(r"^\s*by\b\s*:?\s*", re.IGNORECASE)


def refuse_markup(value):
    """A validator for fields shown as plain text: markup in them would print as typed."""
    match = _TAG.search(value or "")
    if match:
        tag = f"<{match.group(1).lower()}>" if match.group(1) else "<!-- -->"
        raise ValidationError(
            _("Plain words only: remove the %(tag)s tag. This text is shown as typed, everywhere."),
            code="markup",
            params={"tag": tag},
        )


def byline_name(byline):
    """The name in a byline, without the "By" that pages print before it."""
    name = _BY.sub("", byline or "", count=1)
    return name.strip() if name.strip() else (byline or "").strip()


def keywords(*, themes=(), people=(), organizations=(), quotes=()):
    """The text search indexes beside an article's own: theme names, the names and short names of
    the people and organizations it mentions or quotes, and its quotes' words.

    `people` are (name, also known as), `organizations` (name, short name), `quotes` (words,
    capacity), each as stored; duplicates are dropped, the order kept.
    """
    parts = [*themes]
    for pair in (*people, *organizations, *quotes):
        parts += pair
    return " ".join(dict.fromkeys(part for part in parts if part))
