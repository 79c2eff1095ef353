"""What a story shows outside the site: the picture a share or a search result carries (Open
Graph, Twitter cards, JSON-LD) and the schema.org NewsArticle search engines read.

Every story has a share image: its lead picture's 16:9 crop, or the site's default card
(newsroom/static/newsroom/share-default.png, 1200x675, the site's name on it), never nothing.
Google's Article guidance asks for images at least 1200 pixels wide in 16x9, 4x3 and 1x1, as
JPEG, PNG or GIF: the JSON-LD lists the three crops as the JPEG/PNG fallback renditions (not
WebP) at renditions.SHARE_WIDTH (1200), which make_all() makes with the others when a picture is
saved. A crop narrower than that is listed at its own width, never enlarged:
an honest small picture of the story says more than the site's card.

The NewsArticle is in the story's language (`inLanguage`, "en" or "ar"), and names the people and
organizations it mentions as its edition's page does: the Arabic name in an Arabic story, where
known, linking to that edition's pages.
"""

import re
from dataclasses import dataclass

from django.conf import settings
from django.templatetags.static import static

from newsroom import editions
from newsroom.invalidation import keys
from newsroom.links import absolute
from people.models import Person
from people.pagekeys import PEOPLE

from .renditions import SHARE_WIDTH, rendition

SHARE_RATIO = "16x9"
SEARCH_RATIOS = ("16x9", "4x3", "1x1")
DEFAULT_SHARE_IMAGE = ("newsroom/share-default.png", 1200, 675)
LOGO = ("newsroom/logo.png", 600, 60)  # Google: a logo fits in 600x60
# "By Amina Osman and Karim Said", "Amina Osman, Karim Said": one author each.
_AUTHORS_SEPARATOR = re.compile(r"\s*,\s*|\s+and\s+")


@dataclass(frozen=True)
class ShareImage:
    url: str  # absolute
    width: int
    height: int
    alt: str
    content_type: str


def share_image(article) -> ShareImage:
    """The picture a shared link shows: the lead picture's 16:9 crop, or the site's card."""
    picture = article.lead_picture
    if picture is None:
        path, width, height = DEFAULT_SHARE_IMAGE
        return ShareImage(absolute(static(path)), width, height, settings.SITE_NAME, "image/png")
    crop = rendition(picture, SHARE_WIDTH, SHARE_RATIO, fmt="fallback")
    return ShareImage(absolute(crop.url), crop.width, crop.height, picture.alt, crop.content_type)


def image_object(url, width, height):
    return {"@type": "ImageObject", "url": url, "width": width, "height": height}


def search_images(article) -> list[dict]:
    """JSON-LD `image`: the 16x9, 4x3 and 1x1 crops, or the site's card."""
    picture = article.lead_picture
    if picture is None:
        path, width, height = DEFAULT_SHARE_IMAGE
        return [image_object(absolute(static(path)), width, height)]
    crops = [rendition(picture, SHARE_WIDTH, ratio, fmt="fallback") for ratio in SEARCH_RATIOS]
    return [image_object(absolute(crop.url), crop.width, crop.height) for crop in crops]


def publisher():
    path, width, height = LOGO
    return {
        "@type": "Organization",
        "name": settings.SITE_NAME,
        "url": settings.SITE_URL,
        "logo": image_object(absolute(static(path)), width, height),
    }


def authors(article, newsroom):
    """The byline as schema.org Persons, with `url` for those who have a page here; the
    newsroom itself for copy without a byline (agency copy, the newsroom's own notices).

    Names are matched exactly against the people the article mentions (already fetched), then,
    for those not among them, with one query.
    """
    names = [name for name in _AUTHORS_SEPARATOR.split(article.byline_name) if name]
    if not names:
        return newsroom
    found = {person.name: person for person in article.people.all() if person.name in names}
    missing = [name for name in names if name not in found]
    if missing:
        # Someone given this name later gets the link: the page shows the people's index too.
        keys.shows(PEOPLE)
        found |= {person.name: person for person in Person.objects.filter(name__in=missing)}
    people = []
    for name in names:
        person = {"@type": "Person", "name": name}
        if name in found:
            person["url"] = absolute(found[name].get_absolute_url())
        people.append(person)
    return people[0] if len(people) == 1 else people


def news_article_data(article, themes, modified, translation=None):
    """schema.org NewsArticle for search engines, as a dict; the template serializes it. In the
    story's edition, whichever is active: its names, and the addresses of its edition's pages.
    `translation`, the story's published counterpart in the other edition (the article page's),
    is its `workTranslation`, or its `translationOfWork` when it is the original."""
    with editions.override(article.language):
        data = _news_article(article, themes, modified)
    if translation is not None:
        link = "translationOfWork" if article.translation_of_id else "workTranslation"
        data[link] = {
            "@type": "NewsArticle",
            "url": absolute(translation.get_absolute_url()),
            "headline": translation.headline,
            "inLanguage": translation.language,
        }
    return data


def _news_article(article, themes, modified):
    newsroom = publisher()
    url = absolute(article.get_absolute_url())
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "url": url,
        # What shared links show (the social headline and description) when the desk set them.
        "headline": article.social_headline or article.headline,
        "description": article.social_description or article.standfirst,
        "image": search_images(article),
        "dateModified": modified.isoformat(),
        "inLanguage": article.language,
        "author": authors(article, newsroom),
        "publisher": newsroom,
    }
    if article.social_headline and article.social_headline != article.headline:
        data["alternativeHeadline"] = article.headline
    if article.published_at:
        data["datePublished"] = article.published_at.isoformat()
    if article.source:
        data["sourceOrganization"] = {"@type": "Organization", "name": article.source}
        if article.source_url:
            data["sourceOrganization"]["url"] = article.source_url
    if article.dateline:
        data["dateline"] = article.dateline
    if themes:
        data["keywords"] = [theme.name for theme in themes]
        data["about"] = [
            {"@type": "Thing", "name": theme.name, "url": absolute(theme.get_absolute_url())}
            for theme in themes
        ]
    mentions = [
        {"@type": "Person", "name": person.local_name, "url": absolute(person.get_absolute_url())}
        for person in article.people.all()
    ] + [
        {
            "@type": "Organization",
            "name": organization.local_name,
            "url": absolute(organization.get_absolute_url()),
        }
        for organization in article.organizations.all()
    ]
    if mentions:
        data["mentions"] = mentions
    return data
