"""Structured data for search engines, safe to put inside a page."""

import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import mark_safe

register = template.Library()

# The same escaping as Django's json_script: inside <script>, "<", ">" and "&" are written as
# JSON unicode escapes, so no editor-written text can close the element or open a comment.
_JSON_SCRIPT_ESCAPES = {
    ord(">"): "\\u003E",
    ord("<"): "\\u003C",
    ord("&"): "\\u0026",
}


@register.filter(is_safe=True)
def json_ld(value):
    """Render a dict as <script type="application/ld+json">, escaped like json_script."""
    escaped = json.dumps(value, cls=DjangoJSONEncoder).translate(_JSON_SCRIPT_ESCAPES)
    # Safe inside <script> once "<", ">" and "&" are escaped (above): exactly what Django's own
    # json_script does before marking it safe. Not json_script itself: it writes
    # type="application/json", and search engines read JSON-LD only as application/ld+json.
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(escaped))
