"""The allow-list for editor-written HTML, applied on every save (see Article.save).

The editor in the admin can only produce these elements; anything else that reaches the database
(a fixture, a script, a crafted POST, a future API) is cut down to them.
"""

import html
import re

import nh3

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "b", "i", "u", "s", "sub", "sup",
    "a", "blockquote", "ul", "ol", "li", "h2", "h3", "h4", "hr",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "ol": {"start"},
}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}

_cleaner = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    url_schemes=ALLOWED_URL_SCHEMES,
    # Links leave the site without passing on who the reader is.
    link_rel="noopener noreferrer nofollow",
    strip_comments=True,
)

_EMPTY_PARAGRAPH = re.compile(r"^\s*<(p)>\s*</\1>\s*$")
_BLOCK_END = re.compile(r"</(p|li|h2|h3|h4|blockquote)>|<br\s*/?>", re.IGNORECASE)
_TAG = re.compile(r"<[^>]*>")
_SPACE = re.compile(r"[ \t\r\f\v]+")


def sanitize_html(value: str) -> str:
    """Clean editor HTML down to the allow-list. An editor's empty paragraph is an empty body."""
    cleaned = _cleaner.clean(value or "")
    return "" if _EMPTY_PARAGRAPH.match(cleaned) else cleaned


def html_to_text(value: str) -> str:
    """Readable plain text from sanitized HTML, one line per block: for search and descriptions."""
    text = _BLOCK_END.sub("\n", value or "")
    text = html.unescape(_TAG.sub("", text))
    lines = (_SPACE.sub(" ", line).strip() for line in text.splitlines())
    return "\n".join(line for line in lines if line)
