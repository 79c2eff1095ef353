"""A person's page says how often, and in how many stories, they were quoted; an organization's
page the same for its people. Published stories of the page's edition only; the cached pages
change with the next quote."""

from datetime import date

import pytest

from articles.models import Article
from newsroom import editions
from workflow import permissions, services

from .catalogues import english_on
from .factories import (
    make_article,
    make_draft,
    make_organization,
    make_person,
    make_quote_by,
    make_role_at,
    make_scheduled,
    make_two_editions,
)

pytestmark = pytest.mark.django_db


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def arabic_url(item):
    with editions.override(editions.ARABIC):
        return item.get_absolute_url()


def never_counted(person):
    """Quotes readers cannot see: in a draft, in a scheduled story."""
    make_quote_by(person, make_draft())
    make_quote_by(person, make_scheduled())


# A person ---------------------------------------------------------------------------------------


def test_a_persons_page_counts_quotes_and_stories_published_in_its_edition(client):
    person = make_person(name="Amina Gabr")
    twice = make_article()
    make_quote_by(person, twice)
    make_quote_by(person, twice)
    make_quote_by(person, make_article())
    never_counted(person)
    make_quote_by(person, make_article(language=editions.ARABIC, headline="تقرير"))
    make_quote_by(make_person(), make_article())  # someone else

    english = page(client, person.get_absolute_url())
    assert "Quoted 3 times in 2 stories." in english
    # The other edition counts its own story only, in its own words.
    arabic = page(client, arabic_url(person))
    assert "تصريح واحد في مقال واحد." in arabic and "Quoted" not in arabic


@pytest.mark.parametrize(
    "times, stories, english, arabic",
    [
        (1, 1, "Quoted 1 time in 1 story.", "تصريح واحد في مقال واحد."),
        (2, 1, "Quoted 2 times in 1 story.", "تصريحان في مقال واحد."),
        (3, 2, "Quoted 3 times in 2 stories.", "3 تصريحات في مقالين."),
        (12, 11, "Quoted 12 times in 11 stories.", "12 تصريحًا في 11 مقالًا."),
    ],
)
def test_the_counts_are_said_with_each_languages_plurals(client, times, stories, english, arabic):
    person = make_person()
    for language in (editions.ENGLISH, editions.ARABIC):
        articles = [make_article(language=language) for _ in range(stories)]
        for n in range(times):
            make_quote_by(person, articles[min(n, stories - 1)])
    assert english in page(client, person.get_absolute_url())
    assert arabic in page(client, arabic_url(person))


def test_a_person_never_quoted_in_a_published_story_gets_no_count(client):
    person = make_person()
    never_counted(person)
    html = page(client, person.get_absolute_url())
    assert "Quoted" not in html
    assert "Not quoted in any published article yet." in html


def test_a_translated_quote_counts_in_the_story_that_prints_it(client):
    world = make_two_editions()  # said in the English story, translated in the Arabic one
    person = world["person"]
    make_role_at(person, world["organization"], title="Chair", title_ar="رئيسة")
    assert "Quoted 1 time in 1 story." in page(client, person.get_absolute_url())
    assert "تصريح واحد في مقال واحد." in page(client, arabic_url(person))
    organization = world["organization"]
    assert "Its people were quoted 1 time in 1 story." in page(
        client, organization.get_absolute_url()
    )
    arabic = page(client, arabic_url(organization))
    assert "لمنتسبيها تصريح واحد في مقال واحد." in arabic
    assert english_on(arabic, {"NCCPIM", "TIP"}) == []


# An organization --------------------------------------------------------------------------------


@pytest.fixture
def agency():
    """An agency whose people were quoted: one of them with two roles there, one who has left."""
    agency = make_organization(name="Migration Agency")
    chief, former, outsider = make_person(), make_person(), make_person()
    make_role_at(chief, agency, title="Chief of Mission")
    make_role_at(chief, agency, title="Spokesperson")
    make_role_at(former, agency, start_date=date(2019, 1, 1), end_date=date(2021, 1, 1))
    make_role_at(outsider, make_organization())
    first, second = make_article(), make_article()
    make_quote_by(chief, first)
    make_quote_by(chief, first)
    make_quote_by(former, first)
    make_quote_by(former, second)
    make_quote_by(outsider, second)  # not one of its people
    never_counted(chief)
    make_quote_by(chief, make_article(language=editions.ARABIC, headline="تقرير"))
    return {"agency": agency, "chief": chief, "first": first}


def test_an_organizations_page_counts_its_peoples_quotes_each_once(client, agency):
    english = page(client, agency["agency"].get_absolute_url())
    assert "Its people were quoted 4 times in 2 stories." in english
    arabic = page(client, arabic_url(agency["agency"]))
    assert "لمنتسبيها تصريح واحد في مقال واحد." in arabic


def test_an_organization_whose_people_were_never_quoted_gets_no_count(client):
    organization = make_organization()
    person = make_person()
    make_role_at(person, organization)
    never_counted(person)
    html = page(client, organization.get_absolute_url())
    assert person.name in html and "were quoted" not in html


# The cached pages -------------------------------------------------------------------------------


def test_the_cached_pages_count_a_new_quote_at_once(client, agency, editor):
    person_url = agency["chief"].get_absolute_url()
    organization_url = agency["agency"].get_absolute_url()
    for url in (person_url, organization_url):
        page(client, url)
        assert client.get(url)["X-Cache"] == "hit"
    assert "Quoted 2 times in 1 story." in page(client, person_url)

    make_quote_by(agency["chief"], agency["first"])  # in a published story
    assert "Quoted 3 times in 1 story." in page(client, person_url)
    assert "Its people were quoted 5 times in 2 stories." in page(client, organization_url)

    # A story quoting them is published, then withdrawn.
    draft = make_draft()
    make_quote_by(agency["chief"], draft)
    assert "Its people were quoted 5 times in 2 stories." in page(client, organization_url)
    services.transition(draft, permissions.PUBLISHED, by=editor)
    assert "Quoted 4 times in 2 stories." in page(client, person_url)
    assert "Its people were quoted 6 times in 3 stories." in page(client, organization_url)
    services.transition(Article.objects.get(pk=draft.pk), permissions.UNPUBLISHED, by=editor)
    assert "Quoted 3 times in 1 story." in page(client, person_url)
    assert "Its people were quoted 5 times in 2 stories." in page(client, organization_url)


def test_the_cached_organization_page_counts_someone_who_joins_it(client, agency):
    url = agency["agency"].get_absolute_url()
    newcomer = make_person()
    make_quote_by(newcomer, make_article())
    assert "Its people were quoted 4 times in 2 stories." in page(client, url)
    make_role_at(newcomer, agency["agency"])
    assert "Its people were quoted 5 times in 3 stories." in page(client, url)
