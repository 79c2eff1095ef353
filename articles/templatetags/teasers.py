"""Lists of teasers, each rendered once per version of what it shows.

    {% load teasers %}
    {% teasers articles level=3 compact=True %}
    {% teaser article featured=True %}

renders includes/article_teaser.html for each article, as `{% include %}` would, but keeps each
teaser's HTML in the default cache under a fingerprint of everything it shows: the article's
fields, its first theme, its lead picture, the options, the template's own source. A change to any
of them is another fingerprint, so a kept teaser is never stale and needs no invalidation. An
unchanged story's teaser is rendered once and reused by every list showing it (the front page,
/articles/, theme, person and organization pages, related stories): a list rendered again after an
edit renders only the teasers that changed. A list's teasers are read in one cache call.

The profile that led here: on a theme page (20 teasers), rendering them was two thirds of the
page's time; the queries were the rest.
"""

import hashlib
import inspect

from django import template
from django.conf import settings
from django.core.cache import cache
from django.template.loader import get_template
from django.utils.safestring import SafeString

from newsroom import editions

from .. import renditions
from . import pictures

register = template.Library()

TEMPLATE = "includes/article_teaser.html"
OPTIONS = ("level", "compact", "featured", "hide_kicker")
KEPT_FOR = 24 * 60 * 60  # seconds; an unused fingerprint just ages out
# The code that writes a teaser's picture: a new version of it is a new fingerprint for every one.
PICTURE_CODE = hashlib.md5(  # noqa: S324
    (inspect.getsource(renditions) + inspect.getsource(pictures)).encode()
).hexdigest()


def template_version(teaser) -> str:
    source = getattr(teaser.template, "source", "")
    # The edition too: a teaser's words around the story ("Updated", its date) are its language's.
    made_with = f"{source}{settings.MEDIA_URL}{settings.TIME_ZONE}{editions.current()}"
    made_with += editions.catalogue_version()
    made_with += PICTURE_CODE
    return hashlib.md5(made_with.encode()).hexdigest()  # noqa: S324


def fingerprint(article, options, version) -> str:
    """What the teaser shows, hashed: the same for two teasers exactly when they are the same."""
    theme = next(iter(article.edition_themes), None)  # prefetched with the list
    picture = article.lead_picture  # selected with the list
    shown = (
        version,
        options,
        article.pk,
        article.slug,
        article.headline,
        article.standfirst,
        article.dateline,
        article.published_at and article.published_at.isoformat(),
        article.byline,
        theme and (theme.pk, theme.slug, theme.name, theme.language),
        picture
        and (
            picture.pk,
            picture.file.name,
            picture.width,
            picture.height,
            picture.has_alpha,
            picture.alt,
            picture.focal_x,
            picture.focal_y,
        ),
    )
    return "teaser:" + hashlib.md5(repr(shown).encode()).hexdigest()  # noqa: S324


@register.simple_tag
def teasers(articles, **options):
    """The teasers of `articles`, in order (options: level, compact, featured, hide_kicker)."""
    unknown = set(options) - set(OPTIONS)
    if unknown:
        raise template.TemplateSyntaxError(f"teasers: unknown options {sorted(unknown)}")
    articles = list(articles)
    if not articles:
        return ""
    teaser = get_template(TEMPLATE)
    version = template_version(teaser)
    chosen = tuple(sorted(options.items()))
    names = [fingerprint(article, chosen, version) for article in articles]
    kept = cache.get_many(names)
    rendered, new = [], {}
    for article, name in zip(articles, names, strict=True):
        html = kept.get(name)
        if html is None:
            # Our own template's output, escaped as it rendered: safe to keep and join.
            html = new[name] = str(teaser.render({"article": article, **options}))
        rendered.append(html)
    if new:
        cache.set_many(new, KEPT_FOR)
    return SafeString("".join(rendered))


@register.simple_tag
def teaser(article, **options):
    """One teaser (the front page's top story), kept the same way."""
    return teasers([article], **options)
