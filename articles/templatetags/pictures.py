"""Pictures on the reader's pages: always renditions (articles/renditions.py), never the original.

    {% load pictures %}
    {% picture article.lead_picture ratio="4x3" sizes="(min-width: 40em) 10rem, 6rem" %}

renders

    <picture>
      <source type="image/webp" srcset="... 320w, ... 640w" sizes="...">
      <img src="(JPEG or PNG, 640 wide)" srcset="... 320w, ... 640w" sizes="..."
           width="640" height="480" alt="..." loading="lazy" decoding="async">
    </picture>

`width`/`height` give the browser the picture's shape before it loads (no layout shift; the CSS
sets the size shown). `loading="lazy"` by default; a picture above the fold (an article's lead,
the front page's top story) passes loading="eager", which also asks for it first
(fetchpriority="high"), as the page's largest paint waits for it. `sizes` must match the CSS that
sizes the picture, or the browser picks too large (or too small) a file.
"""

from django import template
from django.utils.html import format_html, format_html_join

from newsroom.links import absolute

from ..renditions import renditions

register = template.Library()

# The width of the plain <img src> that browsers without srcset show.
SRC_WIDTH = 640
LOADING = {"lazy", "eager"}


def _srcset(files, address):
    return format_html_join(", ", "{} {}w", ((address(file.url), file.width) for file in files))


def _src(files):
    return next((file for file in files if file.width >= SRC_WIDTH), files[-1])


@register.simple_tag
def picture(image, ratio=None, sizes="100vw", loading="lazy", absolute_urls=False):
    """A <picture> of a library image cropped to `ratio` ("16x9", "4x3", "1x1"; None: as it is),
    WebP with a JPEG/PNG fallback; nothing when there is no image. `absolute_urls`: addresses
    on SITE_URL, for HTML read away from this site (feeds, the API)."""
    if image is None:
        return ""
    if loading not in LOADING:
        raise template.TemplateSyntaxError(f"picture: loading must be one of {sorted(LOADING)}")
    webp = renditions(image, ratio, fmt="webp")
    fallback = renditions(image, ratio, fmt="fallback")
    if not webp or not fallback:
        return ""
    src = _src(fallback)
    address = absolute if absolute_urls else str
    priority = format_html(' fetchpriority="{}"', "high") if loading == "eager" else ""
    return format_html(
        '<picture><source type="{}" srcset="{}" sizes="{}">'
        '<img src="{}" srcset="{}" sizes="{}" width="{}" height="{}" alt="{}" loading="{}"'
        ' decoding="async"{}></picture>',
        webp[0].content_type,
        _srcset(webp, address),
        sizes,
        address(src.url),
        _srcset(fallback, address),
        sizes,
        src.width,
        src.height,
        image.alt,
        loading,
        priority,
    )
