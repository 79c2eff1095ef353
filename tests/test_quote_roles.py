"""A quote is said in one of its speaker's roles ("speaking as"), so the desk can count quotes by
organization and by kind of organization; the capacity readers see follows the role unless the
desk words it."""

import importlib
import json
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import Article, Quote
from people.models import Role

from .factories import make_article, make_organization, make_person, make_quote_by, make_role_at
from .test_admin import admin_url, article_form

pytestmark = pytest.mark.django_db

migration = importlib.import_module("articles.migrations.0018_quote_roles_from_capacities")
SOMEONE_ELSES = "That role is someone else's: choose one of this person's roles."


@pytest.fixture
def carlos():
    person = make_person(name="Carlos Oliver Cruz", slug="carlos")
    iom = make_organization(name="IOM Egypt", slug="iom-egypt", name_ar="المنظمة الدولية للهجرة")
    role = make_role_at(person, iom, title="Chief of Mission", title_ar="رئيس البعثة")
    return SimpleNamespace(person=person, role=role)


def quote_form(article, person, role, capacity="", **extra):
    return article_form(
        slug=article.slug,
        headline=article.headline,
        **{
            "quotes-TOTAL_FORMS": "1",
            "quotes-0-person": str(person.pk),
            "quotes-0-role": str(role.pk),
            "quotes-0-text": "Trafficking is one of the worst forms of violence against children.",
            "quotes-0-capacity": capacity,
            "quotes-0-order": "1",
        },
        **extra,
    )


def test_an_editor_quotes_someone_speaking_in_their_role(editor_client, carlos):
    article = make_article(status=Article.Status.DRAFT, published_at=None)
    response = editor_client.post(
        admin_url(Article, "change", article.pk), quote_form(article, carlos.person, carlos.role)
    )
    assert response.status_code == 302, response.context["inline_admin_formsets"][0].formset.errors
    quote = Quote.objects.get()
    assert quote.role == carlos.role
    # Left blank, the capacity readers see comes from the role.
    assert quote.capacity == "Chief of Mission, IOM Egypt"
    assert list(carlos.role.quotes.all()) == [quote]


def test_a_capacity_the_desk_words_is_kept(editor_client, carlos):
    article = make_article(status=Article.Status.DRAFT, published_at=None)
    data = quote_form(article, carlos.person, carlos.role, capacity="Head of IOM in Egypt")
    response = editor_client.post(admin_url(Article, "change", article.pk), data)
    assert response.status_code == 302
    assert Quote.objects.get().capacity == "Head of IOM in Egypt"


def test_someone_elses_role_is_refused_and_nothing_is_saved(editor_client, carlos):
    article = make_article(status=Article.Status.DRAFT, published_at=None)
    naela = make_person(name="Naela Gabr")
    response = editor_client.post(
        admin_url(Article, "change", article.pk), quote_form(article, naela, carlos.role)
    )
    assert response.status_code == 200
    errors = response.context["inline_admin_formsets"][0].formset.errors[0]
    assert errors["role"] == [SOMEONE_ELSES]
    assert not Quote.objects.exists()


def test_the_quotes_screen_refuses_it_too_and_lists_the_role(editor_client, carlos):
    article = make_article()
    naela = make_person(name="Naela Gabr")
    data = {"article": article.pk, "person": naela.pk, "role": carlos.role.pk, "text": "Words."}
    response = editor_client.post(admin_url(Quote, "add"), {**data, "order": "1"})
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["role"] == [SOMEONE_ELSES]
    make_quote_by(carlos.person, article, role=carlos.role)
    listing = editor_client.get(admin_url(Quote, "changelist"))
    assert "Chief of Mission, IOM Egypt" in listing.content.decode()


def test_an_arabic_story_gets_the_capacity_in_arabic(carlos):
    article = make_article(language="ar")
    quote = make_quote_by(carlos.person, article, role=carlos.role)
    assert quote.capacity == "رئيس البعثة، المنظمة الدولية للهجرة"


def test_the_article_form_reads_each_quotes_role_with_its_organization(editor_client, carlos):
    """Each quote costs its choosers' own lookups (person, role, the words it may translate),
    and nothing more for the organization the role's label names."""

    def queries_with(count):
        article = make_article()
        for order in range(1, count + 1):
            make_quote_by(carlos.person, article, role=carlos.role, order=order)
        with CaptureQueriesContext(connection) as queries:
            assert editor_client.get(admin_url(Article, "change", article.pk)).status_code == 200
        return len(queries)

    one, three = queries_with(1), queries_with(3)
    assert three - one <= 2 * 3


# The data migration: the role of quotes saved before there were roles.


def roles_of(person):
    return [
        (role.pk, role.organization.name, role.organization.short_name, "", "")
        for role in person.roles.select_related("organization")
    ]


def test_the_role_named_in_the_capacity_is_chosen_among_several():
    person = make_person()
    iom = make_role_at(person, make_organization(name="IOM Egypt", short_name="IOM"), title="Chief")
    unicef = make_role_at(person, make_organization(name="UNICEF Egypt", short_name="UNICEF"))
    roles = roles_of(person)
    assert migration.named_role("Chief of Mission of IOM Egypt", roles) == iom.pk
    assert migration.named_role("speaking for unicef", roles) == unicef.pk
    # Whole words only: "IOM" is not in "biomass".
    assert migration.named_role("biomass researcher", roles) is None


def test_an_only_role_is_chosen_when_the_capacity_names_nothing():
    person = make_person()
    only = make_role_at(person, make_organization(name="NCCM"))
    assert migration.named_role("President", roles_of(person)) == only.pk
    assert migration.named_role("", roles_of(person)) == only.pk


def test_nothing_is_chosen_when_several_roles_and_no_name_match():
    person = make_person()
    make_role_at(person, make_organization(name="IOM Egypt"))
    make_role_at(person, make_organization(name="UNICEF Egypt"))
    assert migration.named_role("Chairperson of the committee", roles_of(person)) is None
    assert migration.named_role("", []) is None


def test_the_migration_sets_the_roles_of_existing_quotes_and_leaves_the_unclear_ones():
    article = make_article()
    two_roles, one_role, unclear, no_role = (make_person() for _ in range(4))
    iom = make_role_at(two_roles, make_organization(name="IOM Egypt"))
    make_role_at(two_roles, make_organization(name="UNICEF Egypt"))
    only = make_role_at(one_role, make_organization(name="NCCM"))
    make_role_at(unclear, make_organization(name="IOM"))
    make_role_at(unclear, make_organization(name="UNHCR"))
    said = {
        "named": make_quote_by(two_roles, article, capacity="Chief of Mission, IOM Egypt"),
        "only": make_quote_by(one_role, article, capacity="President"),
        "unclear": make_quote_by(unclear, article, capacity="An official"),
        "none": make_quote_by(no_role, article, capacity="A mother of three"),
    }
    with CaptureQueriesContext(connection) as queries:
        migration.set_roles(apps, SimpleNamespace(connection=connection))
    assert len(queries) <= 4  # a batch: its quotes, their roles, the update; then the end
    roles = {name: Quote.objects.get(pk=quote.pk).role for name, quote in said.items()}
    assert roles == {"named": iom, "only": only, "unclear": None, "none": None}
    # The capacity readers see is not touched.
    assert Quote.objects.get(pk=said["only"].pk).capacity == "President"


# The launch story.


def test_the_launch_storys_quotes_are_said_in_their_speakers_roles():
    call_command("loaddata", "conference", verbosity=0)
    call_command("loaddata", "conference", verbosity=0)  # again: nothing new
    quotes = Quote.objects.select_related("role__organization", "person").order_by("order")
    assert [(q.person.slug, str(q.role)) for q in quotes] == [
        ("naela-gabr", "Chairperson, NCCPIM&TIP"),
        ("sahar-al-sonbaty", "President, NCCM"),
        ("scott-sanford", "Deputy Political Chief, U.S. Embassy in Cairo"),
        ("carlos-oliver-cruz", "Chief of Mission, IOM Egypt"),
    ]
    assert Role.objects.count() == 4


def test_a_fixture_naming_a_role_nobody_has_says_so(tmp_path, settings):
    call_command("loaddata", "conference", verbosity=0)
    quote = {
        "model": "articles.quote",
        "fields": {
            "article": ["nccpimtip-iom-hold-conference-on-addressing-child-trafficking"],
            "person": ["naela-gabr"],
            "role": ["naela-gabr", "iom-egypt", "Chairperson"],
            "text": "Words.",
            "order": 9,
        },
    }
    (tmp_path / "extra.json").write_text(json.dumps([quote]), encoding="utf-8")
    settings.FIXTURE_DIRS = [tmp_path]
    with pytest.raises(CommandError, match=r"'role' refers to people\.role"):
        call_command("loaddata", "extra", verbosity=0)
    assert Quote.objects.count() == 4
