"""Template helpers for the editions (newsroom/editions.py).

`isolate`: a name or title in <bdi> where its script runs against the page's direction.

`isolate_latin`: in the Arabic edition, each run of Latin-script words inside the text (an
acronym like NCCPIM&TIP, an English name) is wrapped in <bdi>, so the bidirectional algorithm
treats it as one unit and the punctuation around it stays where the Arabic sentence put it. In the
English edition the text is returned as it is. Plain text is escaped; HTML (a sanitized body) is
transformed between its tags only, and nothing in it is trusted more than before.
"""

import html
import re

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeData, SafeString

from newsroom import editions

register = template.Library()

# A Latin word: letters and digits, joined by & . - / or an apostrophe ("NCCPIM&TIP", "U.N.",
# "Al-Sonbaty"); a run: words separated by spaces.
_WORD = r"[A-Za-z0-9]+(?:[&.\-/'’][A-Za-z0-9]+)*"
LATIN_RUN = re.compile(rf"{_WORD}(?: +{_WORD})*")
_LETTER = re.compile(r"[A-Za-z]")
_TAG = re.compile(r"(<[^>]*>)")


def _isolate_text(text: str) -> SafeString:
    """`text` escaped, with its Latin runs (those with a letter: numbers need no help) in <bdi>,
    built with format_html."""
    pairs, last = [], 0
    for match in LATIN_RUN.finditer(text):
        if _LETTER.search(match.group()):
            pairs.append((text[last : match.start()], match.group()))
            last = match.end()
    return format_html("{}{}", format_html_join("", "{}<bdi>{}</bdi>", pairs), text[last:])


@register.filter(is_safe=True)
def isolate_latin(value):
    if value in (None, "") or editions.current() != editions.ARABIC:
        return value
    if isinstance(value, SafeData):
        # Already HTML, sanitized with the allow-list (on save and again in render_bodies): its
        # own tags are kept as they are, and only the text between them is rebuilt, unescaped
        # and escaped again by format_html around the inserted <bdi> elements.
        parts = _TAG.split(str(value))
        for i in range(0, len(parts), 2):
            parts[i] = _isolate_text(html.unescape(parts[i]))
        return SafeString("".join(parts))
    return _isolate_text(str(value))


@register.filter(is_safe=True)
def isolate(value):
    """A name or title in <bdi> where its script runs against the edition's direction (a Latin
    name on an Arabic page, an Arabic one on an English page); as it is elsewhere."""
    if value in (None, ""):
        return value
    text = str(value)
    if editions.current() == editions.ARABIC:
        against = _LETTER.search(text)
    else:
        against = editions.is_arabic_script(text)
    if not against:
        return value
    return format_html("<bdi>{}</bdi>", text if not isinstance(value, SafeData) else value)


@register.filter
def og_locale(language):
    """Open Graph's locale for an edition's language ("ar" -> "ar_EG")."""
    return editions.OG_LOCALES.get(language, editions.OG_LOCALES[editions.ENGLISH])
