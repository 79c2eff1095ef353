"""Factories for tests: real rows with sensible defaults, built with model-bakery."""

from datetime import timedelta
from itertools import count

from django.utils import timezone
from model_bakery import baker

from articles.models import Article, Quote, Theme
from people.models import Organization, Person, Role

_sequence = count(1)


def _n():
    return next(_sequence)


def make_person(**fields):
    n = _n()
    fields.setdefault("name", f"Person {n}")
    fields.setdefault("slug", f"person-{n}")
    return baker.make(Person, **fields)


def make_organization(**fields):
    n = _n()
    fields.setdefault("name", f"Organization {n}")
    fields.setdefault("slug", f"organization-{n}")
    fields.setdefault("parent", None)
    return baker.make(Organization, **fields)


def make_role(**fields):
    if "person" not in fields:
        fields["person"] = make_person()
    if "organization" not in fields:
        fields["organization"] = make_organization()
    fields.setdefault("title", f"Officer {_n()}")
    return baker.make(Role, **fields)


def make_theme(**fields):
    n = _n()
    fields.setdefault("name", f"Theme {n}")
    return Theme.objects.create(**fields)


def make_article(*, themes=(), people=(), organizations=(), **fields):
    """A published article by default; pass status or published_at for drafts and schedules."""
    n = _n()
    fields.setdefault("headline", f"Headline number {n}")
    fields.setdefault("slug", f"headline-{n}")
    fields.setdefault("standfirst", f"Standfirst of article {n}.")
    fields.setdefault("body", f"<p>Body of article {n}.</p>")
    fields.setdefault("status", Article.Status.PUBLISHED)
    # Each a minute older than the one before: in order, and never back past the last few days
    # however many the suite makes (hours reached a year back, and Cairo's repeated autumn hour,
    # which a desk form cannot take).
    fields.setdefault("published_at", timezone.now() - timedelta(minutes=n))
    article = Article.objects.create(**fields)
    if themes:
        article.themes.add(*themes)
    if people:
        article.people.add(*people)
    if organizations:
        article.organizations.add(*organizations)
    return article


def make_draft(**fields):
    fields.setdefault("status", Article.Status.DRAFT)
    return make_article(**fields)


def make_scheduled(**fields):
    fields.setdefault("published_at", timezone.now() + timedelta(days=1))
    return make_article(**fields)


def make_quote(**fields):
    if "article" not in fields:
        fields["article"] = make_article()
    if "person" not in fields:
        fields["person"] = make_person()
    fields.setdefault("text", "Words said out loud.")
    fields.setdefault("order", _n())
    return baker.make(Quote, **fields)


# Public pages (issue 5). make_quote and make_role above build their default article, person and
# organization even when one is passed (setdefault evaluates its argument); these build only what
# they are not given, so counting rows stays honest in query-budget tests.


def make_quote_by(person, article, **fields):
    fields.setdefault("text", f"Words said out loud, number {_n()}.")
    fields.setdefault("order", _n())
    return Quote.objects.create(person=person, article=article, **fields)


def make_role_at(person, organization, **fields):
    fields.setdefault("title", f"Officer {_n()}")
    return Role.objects.create(person=person, organization=organization, **fields)


def make_correction(article, **fields):
    from articles.models import Correction

    fields.setdefault("wrong", "It said the wrong thing.")
    fields.setdefault("right", "It now says the right thing.")
    return Correction.objects.create(article=article, **fields)


# Issue 16: the two editions.


def make_two_editions():
    """Issue 16's world: one story in each edition (the Arabic one translating the English), a
    theme in each, and one person, shared, quoted in both, with a name in each script."""
    person = make_person(name="Naela Gabr", name_ar="نائلة جبر", slug="naela-gabr")
    organization = make_organization(
        name="National Coordinating Committee",
        short_name="NCCPIM&TIP",
        name_ar="اللجنة الوطنية",
        country="Egypt",
        country_ar="مصر",
    )
    theme_en = make_theme(name="Human trafficking")
    theme_ar = make_theme(name="الاتجار بالبشر")
    english = make_article(
        headline="Conference on child trafficking opens in Cairo",
        slug="conference-opens",
        themes=[theme_en],
        people=[person],
        organizations=[organization],
        published_at=timezone.now() - timedelta(days=1.5),
    )
    arabic = make_article(
        headline="افتتاح مؤتمر عن الاتجار بالأطفال في القاهرة",
        slug="افتتاح-مؤتمر",
        language="ar",
        translation_of=english,
        standfirst="قالت اللجنة NCCPIM&TIP، إن المؤتمر يبدأ اليوم.",
        body="<p>نظمت اللجنة الوطنية NCCPIM&amp;TIP، المؤتمر عن البَشَرِ.</p>",
        themes=[theme_ar],
        people=[person],
        organizations=[organization],
        published_at=timezone.now() - timedelta(days=1),
    )
    said = make_quote_by(person, english, text="Trafficking is a crime against children.")
    translated = make_quote_by(
        person, arabic, text="الاتجار جريمة بحق الأطفال.", translation_of=said
    )
    return {
        "person": person,
        "organization": organization,
        "theme_en": theme_en,
        "theme_ar": theme_ar,
        "english": english,
        "arabic": arabic,
        "said": said,
        "translated": translated,
    }
