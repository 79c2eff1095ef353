"""An article as IPTC ninjs ("News in JSON"), versions 2.2 and 3.1.

IPTC's schemas define every property used here (tests/standards/ninjs/ holds the project's copy;
tests/test_ninjs.py validates against them). Version 3 renamed the properties to camelCase
(`firstcreated` became `firstCreated`, `contenttype` `contentType`, ...) and dropped a rendition's
`title`; the rest of the shape is the same, so one rendering is built and its keys renamed for 3.1.

to_ninjs() is pure: it reads the article and the relations in NINJS_PREFETCH, makes no query and
needs no request (absolute addresses are built on settings.SITE_URL). The API renders published
articles only; pubstatus still says what an unpublished one would be.

Editions: `language` is the article's ("en" or "ar", BCP 47). Its published translation, or the
original it translates, is an association (ninjs has no links property; an association is "a news
object associated with this one", with its own uri, language, headline and page), found by
queries.with_translation() without a query: `name` "translation" or "original", and in 3.1 `rel`
"translation". People, organizations and roles are named as the story's edition names them (the
Arabic name in an Arabic story, where known); ninjs has no property for a name in a second script,
so the other one is left out, and their `uri`s stay their one identity (the English page).
"""

import re
from datetime import UTC
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone
from django.utils.encoding import iri_to_uri
from django.utils.translation import gettext

from newsroom import editions
from newsroom.links import absolute

from ..renditions import FORMATS, RATIOS, SHARE_WIDTH, rendition, renditions
from .queries import translation

SUPPORTED_VERSIONS = ("2.2", "3.1")
DEFAULT_VERSION = "2.2"
NINJS_MEDIA_TYPE = "application/ninjs+json"

# What to_ninjs() reads beyond the article's own columns, for
# Article.objects.published().prefetch_related(*NINJS_PREFETCH): nine queries whatever the
# number of articles. Plain lookups, so that they merge with a view's
# own prefetches.
NINJS_PREFETCH = (
    "themes",
    "people__roles__organization",  # a person's role when the story gives no capacity
    "organizations",
    "quotes__person",  # the quoted, with the capacity they spoke in
    "corrections",  # filtered here to the published ones, so that no query is added
    "lead_picture",  # the library image; its renditions are named without a query
)

SCHEMA_URIS = {
    version: f"http://www.iptc.org/std/ninjs/ninjs-schema_{version}.json"
    for version in SUPPORTED_VERSIONS
}
MEDIA_TOPIC = "http://cv.iptc.org/newscodes/mediatopic/"
# A Media Topic code is eight digits; the desk types it with or without its "medtop:" scheme.
MEDIA_TOPIC_CODE = re.compile(r"(?:medtop:)?(\d{8})", re.IGNORECASE)

# ninjs 3 spells in camelCase what 2.x spells in lower case (the keys to_ninjs() uses).
CAMEL_CASE = {
    "firstcreated": "firstCreated",
    "versioncreated": "versionCreated",
    "pubstatus": "pubStatus",
    "representationtype": "representationType",
    "contenttype": "contentType",
    "charcount": "charCount",
    "wordcount": "wordCount",
    "copyrightholder": "copyrightHolder",
    "copyrightnotice": "copyrightNotice",
    "usageterms": "usageTerms",
    "rightsinfo": "rightsInfo",
    "linkedrights": "linkedRights",
    "infosources": "infoSources",
}


def to_ninjs(article, version=DEFAULT_VERSION) -> dict:
    """`article` as a ninjs document of `version` (one of SUPPORTED_VERSIONS), as a dict ready
    for json.dumps. Raises ValueError for any other version."""
    if version not in SUPPORTED_VERSIONS:
        raise ValueError(
            f"Unknown ninjs version {version!r}: use one of {', '.join(SUPPORTED_VERSIONS)}."
        )
    now = timezone.now()
    corrections = [c for c in article.corrections.all() if c.published_at <= now]
    canonical = absolute(article.get_absolute_url())
    item = {
        "standard": {"name": "ninjs", "version": version, "schema": SCHEMA_URIS[version]},
        # Its permanent id: the same on any domain and after a dump and load, never the row's.
        "uri": f"urn:uuid:{article.uid}",
        "type": "text",
        "representationtype": "full",
        "slugline": article.slug,
        **_times(article, corrections),
        "pubstatus": _pubstatus(article),
        "language": article.language,
        "headlines": _texts(
            ("main", article.headline),
            ("social", _other(article.social_headline, article.headline)),
        ),
        "descriptions": _texts(
            ("summary", article.standfirst),
            ("social", _other(article.social_description, article.standfirst)),
            *(("correction", _correction_text(c, article.language)) for c in corrections),
        ),
        "bodies": _bodies(article),
        "by": article.byline.strip(),
        "located": article.dateline.strip(),
        "subjects": [_subject(theme) for theme in article.themes.all()],
        "people": _people(article),
        "organisations": [
            {"name": _local(org, "name", article), "uri": absolute(org.get_absolute_url())}
            for org in article.organizations.all()
        ],
        "infosources": _infosources(article),
        "renditions": _renditions(article, canonical, version),
        "associations": [
            *_lead_image_association(article, version),
            *_translation_association(article, version),
        ],
        **_rights(article, canonical),
    }
    # Empty strings and lists say nothing; leave them out rather than send them.
    item = {key: value for key, value in item.items() if value}
    return _camel_case(item) if version.startswith("3") else item


def _times(article, corrections):
    """firstcreated is the publication time: when the story first existed for anyone outside the
    newsroom (created_at is when a draft was started, which no partner saw). versioncreated is the
    latest of that, the last edit and the published corrections, as the article page's
    dateModified: an edit made before a scheduled story went live is not a later version."""
    first = article.published_at or article.created_at
    moments = [t for t in (first, article.updated_at) if t] + [c.published_at for c in corrections]
    if not moments:  # an article never saved
        return {}
    latest = max(moments)
    first_created = {"firstcreated": _iso(first)} if first else {}
    return {"version": _version(latest), **first_created, "versioncreated": _iso(latest)}


def _iso(moment):
    return timezone.localtime(moment).isoformat()


def _version(moment):
    """The version of the story as a string that grows with every change: the UTC time of
    versioncreated, to the microsecond ("20240804T210000000000Z")."""
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%S%fZ")


def _pubstatus(article):
    if article.is_published:
        return "usable"
    if article.status == article.Status.UNPUBLISHED:
        return "canceled"
    return "withheld"  # a draft, in review, or scheduled: not for use yet


def _texts(*roles_and_values, contenttype="text/plain"):
    return [
        {"role": role, "contenttype": contenttype, "value": value}
        for role, value in roles_and_values
        if value and value.strip()
    ]


def _other(text, than):
    """`text` when it says something `than` does not: the desk's social headline, say."""
    return "" if text.strip() == than.strip() else text


def _correction_text(correction, language):
    day = timezone.localdate(correction.published_at)
    with editions.override(language):
        label = gettext("Correction (%(day)s): %(text)s")
    return label % {"day": day.isoformat(), "text": correction.right}


def _local(record, field, article):
    """A person's, an organization's or a role's `field` as the story's edition shows it."""
    with editions.override(article.language):
        return editions.localized(record, field)


def html_body(article):
    """The body's HTML: with its pictures expanded when the caller did so (bodyimages.
    expand_bodies, as the API does: that is its one query), else as stored."""
    return getattr(article, "rendered_body", article.body)


def _bodies(article):
    if not article.body_text.strip():
        return []
    counts = {"charcount": len(article.body_text), "wordcount": len(article.body_text.split())}
    return [
        {"role": "main", "contenttype": "text/html", "value": html_body(article), **counts},
        {"role": "main", "contenttype": "text/plain", "value": article.body_text, **counts},
    ]


def _subject(theme):
    """A theme, identified by its IPTC Media Topic when it has one, by its page otherwise."""
    subject = {"name": theme.name}
    code = theme.iptc_code.strip()
    match = MEDIA_TOPIC_CODE.fullmatch(code)
    if match:
        subject["uri"] = MEDIA_TOPIC + match[1]
        subject["literal"] = f"medtop:{match[1]}"
    else:
        subject["uri"] = absolute(theme.get_absolute_url())
        if code:
            subject["literal"] = code
    return subject


def _people(article):
    """Everyone the story mentions (by name), then anyone it only quotes, once each, with the
    capacity they were quoted in or else their current role as `rel`."""
    capacities = {}
    quoted = {}
    for quote in article.quotes.all():
        quoted.setdefault(quote.person_id, quote.person)
        if quote.capacity.strip():
            capacities.setdefault(quote.person_id, quote.capacity.strip())
    mentioned = {person.pk: person for person in article.people.all()}
    people = []
    for pk, person in {
        **mentioned,
        **{k: v for k, v in quoted.items() if k not in mentioned},
    }.items():
        entry = {"name": _local(person, "name", article)}
        entry["uri"] = absolute(person.get_absolute_url())
        rel = capacities.get(pk) or (
            _current_role(mentioned[pk], article) if pk in mentioned else ""
        )
        if rel:
            entry["rel"] = rel
        people.append(entry)
    return people


def _current_role(person, article):
    today = timezone.localdate()
    for role in person.roles.all():
        if role.end_date is None or role.end_date >= today:
            with editions.override(article.language):
                return f"{role.local_title}, {role.organization.local_display_name}"
    return ""


def _infosources(article):
    """The source or credit of the story ("SEE News, citing a statement by IOM Egypt")."""
    if not article.source.strip():
        return []
    source = {"name": article.source.strip()}
    url = iri_to_uri(article.source_url.strip())
    # A link to the source when it is one (the field is checked in forms; fixtures are not).
    if urlsplit(url).scheme in ("http", "https") and urlsplit(url).netloc:
        source["uri"] = url
    return [source]


def _href(url):
    return iri_to_uri(url if url.startswith(("http://", "https://")) else absolute(url))


def _image_rendition(made, name, alt=""):
    rendition = {"name": name, "href": _href(made.url), "contenttype": made.content_type}
    rendition.update(width=made.width, height=made.height)
    if alt:  # ninjs 2 only: version 3 has no title on a rendition
        rendition["title"] = alt
    return rendition


def _largest(picture):
    return renditions(picture, fmt="fallback")[-1]


def _renditions(article, canonical, version):
    """The story's page, and its lead picture (the largest JPEG or PNG rendition in its own
    shape) when it has one."""
    renditions = [{"name": "web", "href": canonical, "contenttype": "text/html"}]
    picture = article.lead_picture
    if picture is not None:
        alt = picture.alt.strip() if version.startswith("2") else ""
        renditions.append(_image_rendition(_largest(picture), "lead-image", alt))
    return renditions


def _lead_image_association(article, version):
    """The lead picture as the item associated with the story: alt text, caption, credit, and
    its renditions (every width, WebP and JPEG or PNG, and the crops for sharing)."""
    picture = article.lead_picture
    if picture is None:
        return []
    made = [
        (f"{r.content_type.removeprefix('image/')}-{r.width}", r)
        for fmt in FORMATS
        for r in renditions(picture, fmt=fmt)
    ]
    made += [
        (f"{ratio}-{SHARE_WIDTH}", rendition(picture, SHARE_WIDTH, ratio, "fallback"))
        for ratio in RATIOS
    ]
    association = {
        "name": "lead-image",
        "uri": _href(_largest(picture).url),
        "type": "picture",
        "descriptions": _texts(
            ("alt", picture.alt), ("caption", article.lead_image_caption or picture.caption)
        ),
        "by": picture.credit.strip(),
        "renditions": [_image_rendition(r, name) for name, r in made],
    }
    return [{key: value for key, value in association.items() if value}]


def _translation_association(article, version):
    """The same story in the other edition, when it is published there: as an associated text
    with its permanent id, language, headline and page."""
    other = translation(article)
    if other is None:
        return []
    association = {
        "name": "original" if article.translation_of_id else "translation",
        "uri": f"urn:uuid:{other.uid}",
        "type": "text",
        "language": other.language,
        "headlines": _texts(("main", other.headline)),
        "renditions": [
            {"name": "web", "href": absolute(other.get_absolute_url()), "contenttype": "text/html"}
        ],
    }
    if version.startswith("3"):  # ninjs 2 has no rel on an association
        association["rel"] = "translation"
    return [association]


def _rights(article, canonical):
    """Who holds the rights, and the credits that go with the story. The rights information
    links to the article's page, which prints the credits, unless NINJS_RIGHTS_URL names a page
    of terms."""
    credits = []
    if article.source.strip():
        credits.append(f"Source: {article.source.strip()}.")
    if article.lead_picture is not None and article.lead_picture.credit.strip():
        credits.append(f"Lead image: {article.lead_picture.credit.strip()}.")
    rights = {
        "copyrightholder": settings.SITE_NAME,
        "rightsinfo": {"linkedrights": getattr(settings, "NINJS_RIGHTS_URL", "") or canonical},
    }
    if credits:
        rights["usageterms"] = " ".join(credits)
    return rights


def _camel_case(value):
    if isinstance(value, dict):
        return {CAMEL_CASE.get(key, key): _camel_case(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_camel_case(item) for item in value]
    return value
