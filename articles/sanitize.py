"""The allow-list for editor-written HTML, applied on every save (see Article.save).

The editor in the admin can only produce these elements; anything else that reaches the database
(a fixture, a script, a crafted POST, a future API) is cut down to them.

Pictures in a body are references to the image library, never URLs: the stored form is
`<figure data-image="<Image pk>"></figure>`, with an optional per-use `<figcaption>` of plain
text. Every `<img>` (a pasted picture from elsewhere) is dropped, and so is a figure that does
not point at an existing library image. The page expands the references at render time
(articles/bodyimages.py), so a change to the library's alt text shows in every story at once.
"""

import html
import re

import nh3

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "b", "i", "u", "s", "sub", "sup",
    "a", "blockquote", "ul", "ol", "li", "h2", "h3", "h4", "hr", "figure", "figcaption",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "ol": {"start"},
    "figure": {"data-image"},
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
_BLOCK_END = re.compile(r"</(p|li|h2|h3|h4|blockquote|figcaption)>|<br\s*/?>", re.IGNORECASE)
_TAG = re.compile(r"<[^>]*>")
_SPACE = re.compile(r"[ \t\r\f\v]+")


# After nh3 the markup is normalised: attributes double-quoted, only data-image on a figure. The
# innermost figure first (one holding no other), so a figure inside a figure cannot confuse it.
_FIGURE = re.compile(r"<figure([^>]*)>((?:(?!<figure[\s>]).)*?)</figure>", re.DOTALL)
_IMAGE_ID = re.compile(r'^ data-image="([1-9][0-9]{0,17})"$')  # fits any database's bigint
_FIGCAPTION = re.compile(r"<figcaption>(.*?)</figcaption>", re.DOTALL)
_ORPHAN_CAPTION = re.compile(r"</?figcaption>")
CAPTION_MAX_LENGTH = 500
# The stored form (image_reference() below) and nothing else: what the page expands.
STORED_FIGURE = re.compile(
    r'<figure data-image="([0-9]+)">(?:<figcaption>([^<]*)</figcaption>)?</figure>'
)
# Stands for a figure already checked, while the ones around it are: no text can hold it (nh3
# turns U+0000 into U+FFFD).
_KEPT = "\x00{}\x00"
_KEPT_MARK = re.compile(r"\x00(\d+)\x00")


def sanitize_html(value: str, *, check_library: bool = True) -> str:
    """Clean editor HTML down to the allow-list. An editor's empty paragraph is an empty body.
    `check_library=False` keeps every figure's reference without asking whether the picture
    still exists (rendering does: articles/bodyimages.py shows nothing for a missing one)."""
    cleaned = _cleaner.clean(value or "")
    if "<fig" in cleaned:
        cleaned = _library_figures_only(cleaned, check_library)
    return "" if _EMPTY_PARAGRAPH.match(cleaned) else cleaned


def image_reference(image_id, caption=""):
    """The stored form of a library picture in a body (the one the editor writes too)."""
    caption = html.escape(caption, quote=False)
    inner = f"<figcaption>{caption}</figcaption>" if caption else ""
    return f'<figure data-image="{image_id}">{inner}</figure>'


def _library_figures_only(cleaned, check_library=True):
    """Rewrite every figure into its stored form, dropping those not pointing at a library image
    (one query for all of them)."""
    from django.apps import apps  # noqa: PLC0415 (models.py imports this module)

    figures = []  # (image id or None, caption)

    def collect(match):
        found = _IMAGE_ID.match(match.group(1))
        caption = _FIGCAPTION.search(match.group(2))
        figures.append((int(found.group(1)) if found else None, _plain(caption)))
        return _KEPT.format(len(figures) - 1)

    previous = None
    while previous != cleaned:
        previous, cleaned = cleaned, _FIGURE.sub(collect, cleaned)
    wanted = {image_id for image_id, _ in figures if image_id is not None}
    existing = wanted if not check_library else set()
    if wanted and check_library:
        Image = apps.get_model("articles", "Image")
        existing = set(Image.objects.filter(pk__in=wanted).values_list("pk", flat=True))

    def expand(match):
        image_id, caption = figures[int(match.group(1))]
        return image_reference(image_id, caption) if image_id in existing else ""

    # A figure inside another one went with it (figures do not nest); a caption outside any
    # figure is only text.
    cleaned = _ORPHAN_CAPTION.sub("", cleaned)
    return _KEPT_MARK.sub(expand, cleaned)


def _plain(caption_match):
    if caption_match is None:
        return ""
    text = html.unescape(_TAG.sub("", _KEPT_MARK.sub("", caption_match.group(1))))
    return _SPACE.sub(" ", text.replace("\n", " ")).strip()[:CAPTION_MAX_LENGTH]


def html_to_text(value: str) -> str:
    """Readable plain text from sanitized HTML, one line per block: for search and descriptions."""
    text = _BLOCK_END.sub("\n", value or "")
    text = html.unescape(_TAG.sub("", text))
    lines = (_SPACE.sub(" ", line).strip() for line in text.splitlines())
    return "\n".join(line for line in lines if line)
