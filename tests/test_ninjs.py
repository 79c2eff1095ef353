"""IPTC ninjs 2.2 and 3.1 renderings of an article validate against IPTC's own schemas."""

import json
import random
from datetime import date, timedelta
from itertools import count
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from articles.api.ninjs import (
    DEFAULT_VERSION,
    NINJS_MEDIA_TYPE,
    NINJS_PREFETCH,
    SUPPORTED_VERSIONS,
    to_ninjs,
)
from articles.models import Article, Image

from .factories import (
    make_article,
    make_correction,
    make_organization,
    make_person,
    make_quote_by,
    make_role_at,
    make_theme,
)

pytestmark = pytest.mark.django_db

SCHEMAS = Path(__file__).parent / "standards" / "ninjs"
LAUNCH_STORY = "nccpimtip-iom-hold-conference-on-addressing-child-trafficking"


def validator(version):
    schema = json.loads((SCHEMAS / f"ninjs-schema_{version}.json").read_text())
    # Both files declare draft 2020-12; validate with the validator of the draft they declare.
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


VALIDATORS = {version: validator(version) for version in SUPPORTED_VERSIONS}


def assert_valid(document, version):
    errors = sorted(VALIDATORS[version].iter_errors(document), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors)


def prefetched(**filters):
    return Article.objects.prefetch_related(*NINJS_PREFETCH).get(**filters)


@pytest.fixture
def launch_story():
    call_command("loaddata", "conference", verbosity=0)
    return Article.objects.published().prefetch_related(*NINJS_PREFETCH).get(slug=LAUNCH_STORY)


def test_interface():
    assert SUPPORTED_VERSIONS == ("2.2", "3.1")
    assert DEFAULT_VERSION == "2.2"
    assert NINJS_MEDIA_TYPE == "application/ninjs+json"


def test_the_checks_of_uri_and_date_time_refuse_what_they_should():
    document = {"uri": "not a uri", "versioncreated": "2024-08-05 00:00:00"}
    paths = {e.path[0] for e in VALIDATORS["2.2"].iter_errors(document)}
    assert paths == {"uri", "versioncreated"}
    assert_valid({"uri": "urn:uuid:5b0d8a3e-6c1f-4e0b-9a57-3f2c8e1d4b60"}, "2.2")
    assert not VALIDATORS["3.1"].is_valid({"uri": "x:y", "firstcreated": "2024-08-05T00:00Z"})


@pytest.mark.parametrize("version", SUPPORTED_VERSIONS)
def test_the_launch_story_validates_with_what_it_says(launch_story, version):
    document = to_ninjs(launch_story, version)
    assert_valid(document, version)
    key = (lambda name: name) if version == "2.2" else camel
    page = settings.SITE_URL + launch_story.get_absolute_url()

    assert document["uri"] == "urn:uuid:5b0d8a3e-6c1f-4e0b-9a57-3f2c8e1d4b60"
    assert document["standard"]["version"] == version
    assert document["type"] == "text"
    assert document[key("pubstatus")] == "usable"
    assert document[key("firstcreated")] == "2024-08-05T00:00:00+03:00"
    assert document[key("versioncreated")] == "2024-08-05T00:00:00+03:00"
    assert document["language"] == "en"
    assert document["located"] == "CAIRO"
    assert document["headlines"][0]["value"] == launch_story.headline
    assert document["descriptions"][0]["value"] == launch_story.standfirst
    assert [body[key("contenttype")] for body in document["bodies"]] == ["text/html", "text/plain"]
    assert document["bodies"][0]["value"] == launch_story.body
    assert document["bodies"][1]["value"] == launch_story.body_text
    assert sorted(subject["literal"] for subject in document["subjects"]) == [
        "medtop:20000771",
        "medtop:20000790",
        "medtop:20001283",
    ]
    assert all(
        subject["uri"] == "http://cv.iptc.org/newscodes/mediatopic/" + subject["literal"][7:]
        for subject in document["subjects"]
    )
    people = {person["name"]: person for person in document["people"]}
    assert set(people) == {"Naela Gabr", "Sahar Al-Sonbaty", "Scott Sanford", "Carlos Oliver Cruz"}
    assert people["Carlos Oliver Cruz"] == {
        "name": "Carlos Oliver Cruz",
        "uri": settings.SITE_URL + "/people/carlos-oliver-cruz/",
        "rel": "Chief of Mission of IOM Egypt",  # the capacity the story quotes him in
    }
    organisations = {org["name"]: org["uri"] for org in document["organisations"]}
    assert len(organisations) == 6
    assert organisations["IOM Egypt"] == settings.SITE_URL + "/organizations/iom-egypt/"
    assert document[key("infosources")] == [{"name": "SEE News, citing a statement by IOM Egypt"}]
    assert document[key("copyrightholder")] == settings.SITE_NAME
    assert document[key("rightsinfo")] == {key("linkedrights"): page}
    assert document["renditions"] == [
        {"name": "web", "href": page, key("contenttype"): "text/html"}
    ]
    assert "associations" not in document  # no lead image


def camel(name):
    return {
        "pubstatus": "pubStatus",
        "firstcreated": "firstCreated",
        "versioncreated": "versionCreated",
        "contenttype": "contentType",
        "infosources": "infoSources",
        "copyrightholder": "copyrightHolder",
        "rightsinfo": "rightsInfo",
        "linkedrights": "linkedRights",
    }[name]


def test_ninjs_3_spells_in_camel_case(launch_story):
    text = json.dumps(to_ninjs(launch_story, "3.1"))
    for old in ("firstcreated", "versioncreated", "pubstatus", "contenttype", "rightsinfo"):
        assert f'"{old}"' not in text
    assert to_ninjs(launch_story) == to_ninjs(launch_story, "2.2")


def test_a_prefetched_article_renders_without_a_query(launch_story, django_assert_num_queries):
    make_correction(launch_story, published_at=timezone.now() - timedelta(days=1))
    article = prefetched(pk=launch_story.pk)
    with django_assert_num_queries(0):
        for version in SUPPORTED_VERSIONS:
            to_ninjs(article, version)


def test_prefetching_costs_the_same_for_one_article_or_many(django_assert_num_queries):
    for _ in range(2):
        make_generated_stories(random.Random(1), 5)
    with django_assert_num_queries(10):  # the articles, and one query per lookup of the nine
        articles = list(Article.objects.prefetch_related(*NINJS_PREFETCH))
    assert len(articles) == 10


def test_only_published_corrections_appear_and_date_the_version():
    article = make_article(published_at=timezone.now() - timedelta(days=3))
    past = make_correction(
        article, right="The minister is Ms Gabr.", published_at=timezone.now() - timedelta(days=1)
    )
    make_correction(article, right="Not yet.", published_at=timezone.now() + timedelta(days=1))
    Article.objects.filter(pk=article.pk).update(updated_at=timezone.now() - timedelta(days=2))
    document = to_ninjs(prefetched(pk=article.pk))
    corrections = [d["value"] for d in document["descriptions"] if d["role"] == "correction"]
    day = timezone.localdate(past.published_at).isoformat()
    assert corrections == [f"Correction ({day}): The minister is Ms Gabr."]
    assert document["versioncreated"] == timezone.localtime(past.published_at).isoformat()
    assert "Not yet." not in json.dumps(document)


@pytest.mark.parametrize("version", ["1.0", "2.0", "3.0", "3", "", None, 2.2])
def test_an_unknown_version_is_a_value_error(version):
    article = make_article()
    with pytest.raises(ValueError, match="Unknown ninjs version"):
        to_ninjs(prefetched(pk=article.pk), version)


def test_social_headline_and_description_are_second_roles_when_they_differ():
    article = make_article(
        headline="Conference opens", social_headline="Cairo talks", social_description=" "
    )
    document = to_ninjs(prefetched(pk=article.pk))
    assert [(h["role"], h["value"]) for h in document["headlines"]] == [
        ("main", "Conference opens"),
        ("social", "Cairo talks"),
    ]
    assert [d["role"] for d in document["descriptions"]] == ["summary"]
    same = make_article(headline="Same", social_headline="Same")
    assert len(to_ninjs(prefetched(pk=same.pk))["headlines"]) == 1


def test_a_theme_without_a_code_appears_without_one():
    coded = make_theme(name="Migration", iptc_code="medtop:20000771")
    plain = make_theme(name="Local news")
    odd = make_theme(name="Odd", iptc_code=" not a code ")
    article = make_article(themes=[coded, plain, odd])
    subjects = {s["name"]: s for s in to_ninjs(prefetched(pk=article.pk))["subjects"]}
    assert subjects["Migration"]["literal"] == "medtop:20000771"
    assert subjects["Local news"] == {
        "name": "Local news",
        "uri": settings.SITE_URL + plain.get_absolute_url(),
    }
    assert subjects["Odd"]["uri"] == settings.SITE_URL + odd.get_absolute_url()
    assert "medtop" not in json.dumps(subjects["Odd"])


def test_people_are_listed_once_with_their_capacity_or_role():
    iom = make_organization(name="IOM Egypt", short_name="IOM Egypt")
    quoted = make_person(name="Carlos")
    mentioned = make_person(name="Amal")
    retired = make_person(name="Omar")
    make_role_at(mentioned, iom, title="Spokesperson")
    make_role_at(retired, iom, title="Director", end_date=date(2000, 1, 1))
    only_quoted = make_person(name="Dina")
    article = make_article(people=[quoted, mentioned, retired], organizations=[iom])
    make_quote_by(quoted, article, capacity="Chief of Mission")
    make_quote_by(quoted, article, capacity="Again")
    make_quote_by(only_quoted, article, capacity="")
    people = to_ninjs(prefetched(pk=article.pk))["people"]
    assert [(p["name"], p.get("rel")) for p in people] == [
        ("Amal", "Spokesperson, IOM Egypt"),
        ("Carlos", "Chief of Mission"),  # the capacity of the first quote with one
        ("Omar", None),
        ("Dina", None),
    ]


def library_image(name, alt="Delegates at the conference", credit="", **fields):
    """A library row for a file that need not exist: ninjs names renditions without them."""
    fields.setdefault("width", 1600)
    fields.setdefault("height", 900)
    return Image.objects.create(file=name, alt=alt, credit=credit, **fields)


@pytest.mark.parametrize("version", SUPPORTED_VERSIONS)
def test_the_lead_image_is_a_rendition_and_an_associated_picture(version):
    article = make_article(
        lead_picture=library_image("library/2024/08/conférence.JPG", credit="IOM Egypt"),
        lead_image_caption="The opening session.",
    )
    document = to_ninjs(prefetched(pk=article.pk), version)
    assert_valid(document, version)
    href = settings.SITE_URL + settings.MEDIA_URL + "renditions/library/2024/08/conf%C3%A9rence/"
    content_type = "contenttype" if version == "2.2" else "contentType"
    image = document["renditions"][1]
    assert image["href"].startswith(href) and image["href"].endswith(".jpg")
    assert (image["width"], image["height"], image[content_type]) == (1600, 900, "image/jpeg")
    assert ("title" in image) is (version == "2.2")
    picture = document["associations"][0]
    assert picture["type"] == "picture"
    assert picture["by"] == "IOM Egypt"
    assert picture["descriptions"][0] == {
        "role": "alt",
        content_type: "text/plain",
        "value": "Delegates at the conference",
    }
    assert picture["descriptions"][1]["value"] == "The opening session."
    sizes = {(r["name"], r["width"], r["height"], r[content_type]) for r in picture["renditions"]}
    assert ("webp-320", 320, 180, "image/webp") in sizes
    assert ("jpeg-1600", 1600, 900, "image/jpeg") in sizes
    assert ("1x1-1200", 900, 900, "image/jpeg") in sizes  # capped at the crop's width
    assert not any(
        r["href"].startswith(settings.SITE_URL + "/media/library") for r in picture["renditions"]
    )


@pytest.mark.parametrize(
    ("fields", "pubstatus"),
    [
        ({"status": Article.Status.DRAFT, "published_at": None}, "withheld"),
        ({"status": Article.Status.REVIEW}, "withheld"),
        ({"published_at": timezone.now() + timedelta(days=1)}, "withheld"),
        ({"status": Article.Status.UNPUBLISHED}, "canceled"),
        ({}, "usable"),
    ],
)
def test_pubstatus_says_whether_the_story_may_be_used(fields, pubstatus):
    article = make_article(**fields)
    for version in SUPPORTED_VERSIONS:
        document = to_ninjs(prefetched(pk=article.pk), version)
        assert_valid(document, version)
        assert document["pubstatus" if version == "2.2" else "pubStatus"] == pubstatus


# Generated stories: random text (any script, controls, markup, emoji), empty optional fields,
# odd datelines, themes with and without codes, quotes, corrections either side of now, images.

ALPHABETS = [
    (0x20, 0x7E),  # ASCII
    (0x00, 0x1F),  # C0 controls: cleaned on save
    (0x600, 0x6FF),  # Arabic
    (0x300, 0x36F),  # combining marks: NFC on save
    (0x1F600, 0x1F64F),  # emoji
    (0xA0, 0xD7FF),  # the rest of the basic plane below the surrogates
    (0xE000, 0x10FFFF),  # private use, other planes, non-characters
]


THEME_NUMBERS = count()


def random_text(rng, most, least=0):
    if least == 0 and rng.random() < 0.3:
        return rng.choice(["", " ", "\t\n", "<b>&amp;</b> R&D a < b"])
    low, high = rng.choice(ALPHABETS)
    return "".join(chr(rng.randint(low, high)) for _ in range(rng.randint(max(least, 1), most)))


DATELINES = [
    "",
    "   ",
    "CAIRO",
    "القاهرة",
    "NEW YORK/GENEVA",
    "6TH OF OCTOBER CITY",
    "\x0bCAIRO\x0c",
]
CODES = [
    "medtop:20000771",
    "20001283",
    "MEDTOP:20000790",
    "",
    "medtop:",
    "not a code",
    "medtop:123",
]
IMAGES = ["", "", "articles/2024/08/a.jpg", "library/b.PNG", "library/c.webp", "articles/no-ext"]


def random_lead_picture(rng):
    """As the lead image fields were drawn before the library: the same stories from a seed."""
    name, alt = rng.choice(IMAGES), random_text(rng, 100)
    caption, credit = random_text(rng, 200), random_text(rng, 50)
    picture = library_image(name, alt, credit) if name else None
    return {"lead_picture": picture, "lead_image_caption": caption}


def make_generated_stories(rng, count):
    themes = [
        make_theme(name=f"{random_text(rng, 20)} {next(THEME_NUMBERS)}", iptc_code=code)
        for code in CODES
    ]
    people = [make_person(name=random_text(rng, 40, least=1)) for _ in range(8)]
    organizations = [make_organization(name=random_text(rng, 40, least=1)) for _ in range(4)]
    for person in people[::2]:
        make_role_at(person, rng.choice(organizations), title=random_text(rng, 30))
    now = timezone.now()
    for _ in range(count):
        article = make_article(
            headline=random_text(rng, 120, least=1),
            standfirst=random_text(rng, 300),
            social_headline=random_text(rng, 110),
            social_description=random_text(rng, 300),
            body=rng.choice(["", "<p>{}</p>", "{}", "<h2>{}</h2><p><a href='x'>{}</a></p>"]).format(
                random_text(rng, 400), random_text(rng, 50)
            ),
            dateline=rng.choice([*DATELINES, random_text(rng, 100)]),
            byline=random_text(rng, 60),
            source=random_text(rng, 80),
            source_url=rng.choice(["", "https://example.org/ü?q=1 2", "not a url", "ftp://x"]),
            **random_lead_picture(rng),
            published_at=now - timedelta(minutes=rng.randint(1, 10**6)),
            themes=rng.sample(themes, rng.randint(0, 3)),
            people=rng.sample(people, rng.randint(0, 4)),
            organizations=rng.sample(organizations, rng.randint(0, 3)),
        )
        for order, person in enumerate(rng.sample(people, rng.randint(0, 3))):
            make_quote_by(person, article, order=order, capacity=random_text(rng, 60))
        for _ in range(rng.randint(0, 2)):
            make_correction(
                article,
                right=random_text(rng, 200, least=1),
                published_at=now + timedelta(hours=rng.choice([-48, -1, 1, 48])),
            )


def test_200_generated_stories_validate_against_both_schemas():
    make_generated_stories(random.Random(12), 200)
    articles = list(Article.objects.prefetch_related(*NINJS_PREFETCH))
    assert len(articles) == 200
    documents = [
        (to_ninjs(a, version), version) for a in articles for version in SUPPORTED_VERSIONS
    ]
    for document, version in documents:
        assert_valid(document, version)
    # The stories were as varied as intended.
    now = timezone.now()
    corrections = [c.published_at > now for a in articles for c in a.corrections.all()]
    assert True in corrections and False in corrections
    assert {bool(a.lead_picture) for a in articles} == {True, False}
    assert {bool(a.themes.all()) for a in articles} == {True, False}
    assert {bool(a.body_text) for a in articles} == {True, False}
    assert {"located" in d for d, _ in documents} == {True, False}
    assert any(
        not s.get("literal", "").startswith("medtop:")
        for d, _ in documents
        for s in d.get("subjects", [])
    )


TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=80)


@hypothesis_settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(text=st.lists(TEXT, min_size=8, max_size=8), image=st.booleans())
def test_any_text_in_any_field_renders_valid_ninjs(text, image):
    headline, dateline, name, capacity, code, body, alt, url = text
    person = make_person(name=name)
    article = make_article(
        headline=headline,
        dateline=dateline,
        standfirst=capacity,
        social_headline=alt,
        body=f"<p>{body}</p>",
        source=name,
        source_url=url,
        byline=body,
        # A file name is not cleaned on save as text is, and PostgreSQL refuses NUL.
        lead_picture=library_image(f"library/{url.replace(chr(0), '')}.jpg", alt, name)
        if image
        else None,
        people=[person],
        themes=[make_theme(name=f"{name} {next(THEME_NUMBERS)}", iptc_code=code[:20])],
    )
    make_quote_by(person, article, capacity=capacity)
    make_correction(article, right=body, published_at=timezone.now() - timedelta(seconds=1))
    article = prefetched(pk=article.pk)
    for version in SUPPORTED_VERSIONS:
        assert_valid(to_ninjs(article, version), version)
