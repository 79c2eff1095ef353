"""Library pictures inside a story's body, expanded when the page is rendered.

The body stores references, never addresses (articles/sanitize.py keeps nothing else):

    <figure data-image="12"><figcaption>A per-use caption</figcaption></figure>

render_body() turns each into the picture readers see, from the library row as it is now (so a
corrected alt text or credit shows in every story at once), with one query for all the pictures
of the body:

    <figure class="body-image"><picture>(WebP source, JPEG/PNG img with srcset, sizes, width,
    height, alt, loading="lazy")</picture><figcaption>caption <span class="credit">credit</span>
    </figcaption></figure>

A reference to an image deleted since the story was saved shows nothing.
"""

import html
from functools import reduce
from operator import or_

from django.db.models import Q
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from .sanitize import STORED_FIGURE, sanitize_html
from .templatetags.pictures import picture

# The column the body is set in (newsroom/static/css: .story-body), as on the lead picture.
SIZES = "(min-width: 42rem) 40rem, calc(100vw - 2rem)"


def image_ids_of(body: str) -> list[int]:
    """The library images a (sanitized) body shows, in order, each once."""
    return list(dict.fromkeys(int(m.group(1)) for m in STORED_FIGURE.finditer(body or "")))


def render_body(body: str) -> SafeString:
    """The sanitized body with its picture references expanded (one query, none without any)."""
    return render_bodies([body])[0]


def render_bodies(bodies, *, absolute_urls=False) -> list[SafeString]:
    """render_body() for many bodies (a feed, a page of the API) with one query for all their
    pictures, none when none has any. `absolute_urls`: addresses on SITE_URL, for HTML read
    away from this site."""
    # Cut to the allow-list on every save (signals.py), and again here, where they are marked
    # safe: a row written some other way (a migration, raw SQL) is cleaned all the same. nh3
    # takes about 8 microseconds for a 1.6 KB body, and cleaning a clean body changes nothing.
    bodies = [sanitize_html(body, check_library=False) for body in bodies]
    ids = list(dict.fromkeys(i for body in bodies for i in image_ids_of(body)))
    if not ids:
        return [mark_safe(body) for body in bodies]  # noqa: S308 - sanitized just above
    from .images import Image  # noqa: PLC0415 (models.py, which imports images, imports this)

    images = Image.objects.in_bulk(ids)

    def expand(match):
        image = images.get(int(match.group(1)))
        if image is None:
            return ""
        return _figure(image, match.group(2), absolute_urls=absolute_urls)

    # The body sanitized above, each reference replaced by a figure built with format_html.
    return [mark_safe(STORED_FIGURE.sub(expand, body)) for body in bodies]  # noqa: S308


def expand_bodies(articles, *, absolute_urls=True) -> list:
    """Set `rendered_body` on each article (feeds and the API read it), in one query."""
    articles = list(articles)
    rendered = render_bodies([a.body for a in articles], absolute_urls=absolute_urls)
    for article, body in zip(articles, rendered, strict=True):
        article.rendered_body = body
    return articles


def _figure(image, stored_caption, absolute_urls=False):
    shown = picture(image, sizes=SIZES, loading="lazy", absolute_urls=absolute_urls)
    if not shown:
        return ""
    # Stored escaped (sanitize.image_reference): unescaped here, escaped again by format_html.
    caption = html.unescape(stored_caption) if stored_caption else image.caption
    if not caption and not image.credit:
        return format_html('<figure class="body-image">{}</figure>', shown)
    credit = format_html(' <span class="credit">{}</span>', image.credit) if image.credit else ""
    return format_html(
        '<figure class="body-image">{}<figcaption>{}{}</figcaption></figure>',
        shown,
        caption,
        credit,
    )


def articles_using(image_ids) -> dict[int, list]:
    """{image id: [articles]}: the articles (any status) whose bodies show each of these images,
    newest first, in one query. Images no body shows are left out.

    A `body__contains` test per id on the stored form (`<figure data-image="12">`: the closing
    quote keeps 12 from matching 120), not a stored relation: bodies change through many paths
    (the desk, fixtures, services, the API one day) and the sanitizer normalises every one.
    """
    from .models import Article  # noqa: PLC0415

    ids = {int(i) for i in image_ids}
    if not ids:
        return {}
    condition = reduce(or_, (Q(body__contains=f'<figure data-image="{i}">') for i in ids))
    using = {}
    for article in Article.objects.filter(condition).order_by("-updated_at", "-pk"):
        for image_id in ids.intersection(image_ids_of(article.body)):
            using.setdefault(image_id, []).append(article)
    return using
