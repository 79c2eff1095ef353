"""The body's rich-text editor (django-prose-editor): what its toolbar offers."""

from django.urls import reverse_lazy
from django_prose_editor.config import html_tags

# What the body editor offers. The model's save() enforces the allow-list in sanitize.py whatever
# the editor sends; this only shapes the toolbar.
BODY_EDITOR_EXTENSIONS = {
    "Bold": True,
    "Italic": True,
    "Underline": True,
    "Strike": True,
    "Subscript": True,
    "Superscript": True,
    "Heading": {"levels": [2, 3, 4]},
    "BulletList": True,
    "OrderedList": True,
    "Blockquote": True,
    "HorizontalRule": True,
    "HardBreak": True,
    "ListItem": True,
    "Link": {"enableTarget": False, "protocols": ["http", "https", "mailto"]},
    "History": True,
    # "Insert image": a picture from the library, stored as <figure data-image="pk"> (see
    # sanitize.py). The Tiptap node is desk/static/desk/prose-image.js, loaded through the
    # DJANGO_PROSE_EDITOR_EXTENSIONS setting; it searches the library at pickerUrl (desk/sites.py).
    "LibraryImage": {"pickerUrl": reverse_lazy("admin:body_images")},
}

# What the LibraryImage node writes, in django-prose-editor's terms (for its own sanitizer and
# checks; the body's real allow-list is sanitize.py).
library_image_allowlist = html_tags(["figure", "figcaption"], {"figure": ["data-image"]})
