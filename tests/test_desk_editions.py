"""The desk in two languages: an editor picks Arabic and gets the admin in Arabic, right to left;
stories and quotes are linked as translations through the desk's forms, which refuse a link
that is not one (same language, a chain) with a form error and save nothing; the shared records
take a name in Arabic that the Arabic edition prints; and the lists show each story's language
for no extra query."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.models import Article, Quote
from desk.conflicts import VERSION_FIELD, version_token
from people.models import Person
from tests.factories import make_article, make_draft, make_person, make_quote

pytestmark = pytest.mark.django_db

ARTICLES = reverse("admin:articles_article_changelist")


def change_url(obj):
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])


def in_arabic(client):
    """The editor's choice, as the desk's language buttons post it."""
    response = client.post(reverse("set_language"), {"language": "ar", "next": ARTICLES})
    assert response.status_code == 302
    assert response.url == ARTICLES
    return client


def article_form(article, **overrides):
    """The article's change form as the desk would post it, unchanged but for `overrides`."""
    data = {
        "headline": article.headline,
        "language": article.language,
        "translation_of": article.translation_of_id or "",
        "slug": article.slug,
        "standfirst": article.standfirst,
        "body": article.body,
        "status": article.status,
        "published_at_0": article.published_at.strftime("%Y-%m-%d"),
        "published_at_1": article.published_at.strftime("%H:%M:%S"),
        "dateline": "",
        "byline": "",
        "source": "",
        "source_url": "",
        "lead_picture": "",
        "lead_image_caption": "",
        "quotes-TOTAL_FORMS": "0",
        "quotes-INITIAL_FORMS": "0",
        "corrections-TOTAL_FORMS": "0",
        "corrections-INITIAL_FORMS": "0",
        VERSION_FIELD: version_token(article),
    }
    return data | overrides


def a_story_in_each_language():
    english = make_article(headline="Conference on child trafficking opens", slug="conference")
    arabic = make_article(
        headline="افتتاح مؤتمر مكافحة الاتجار بالأطفال", slug="مؤتمر-القاهرة", language="ar"
    )
    return english, arabic


# The desk follows the editor's language ----------------------------------------------------------


def test_an_editor_who_picks_arabic_gets_the_desk_in_arabic_right_to_left(editor_client):
    make_article(headline="Officials meet in Cairo")
    page = editor_client.get(ARTICLES).content.decode()
    assert '<html lang="en" dir="ltr">' in page
    # The choice: each language by its own name, posted with the page to come back to.
    assert f'name="next" value="{ARTICLES}"' in page
    assert 'value="ar" lang="ar" dir="rtl"' in page

    page = in_arabic(editor_client).get(ARTICLES).content.decode()
    assert '<html lang="ar" dir="rtl">' in page
    assert "admin/css/rtl.css" in page
    assert "تسجيل الخروج" in page  # Django's own admin words ("Log out")
    assert "حالة التحرير" in page  # the desk's ("workflow state", the list's filter)
    assert "Officials meet in Cairo" in page  # content stays as written

    form = editor_client.get(reverse("admin:articles_article_add")).content.decode()
    assert "العنوان الرئيسي" in form  # the model's label for the headline
    assert "ترجمة لـ" in form  # "translation of"


def test_text_boxes_take_the_direction_of_their_text(editor_client):
    form = editor_client.get(reverse("admin:articles_article_add")).content.decode()
    headline = re.search(r'<input[^>]*name="headline"[^>]*>', form).group()
    published = re.search(r'<input[^>]*name="published_at_0"[^>]*>', form).group()
    source_url = re.search(r'<input[^>]*name="source_url"[^>]*>', form).group()
    assert 'dir="auto"' in headline  # an Arabic headline typed in the English desk reads RTL
    assert "dir=" not in published and "dir=" not in source_url


def test_the_history_names_each_saved_version_in_the_desks_language(editor_client):
    story = make_article(headline="Officials meet in Cairo")
    response = editor_client.post(change_url(story), article_form(story, headline="Officials met"))
    assert response.status_code == 302
    history = reverse("admin:articles_article_history", args=[story.pk])
    assert "<td>Edited</td>" in editor_client.get(history).content.decode()
    # Stored in English, as every version's comment; shown in the editor's language.
    assert "<td>عُدّل</td>" in in_arabic(editor_client).get(history).content.decode()


def test_the_desk_in_arabic_leaves_the_public_edition_alone(editor_client):
    make_article(headline="Officials meet in Cairo")
    in_arabic(editor_client)
    page = editor_client.get("/").content.decode()
    assert '<html lang="en" dir="ltr">' in page


def test_the_editor_can_switch_the_desk_back_to_english(editor_client):
    in_arabic(editor_client)
    editor_client.post(reverse("set_language"), {"language": "en", "next": ARTICLES})
    page = editor_client.get(ARTICLES).content.decode()
    assert '<html lang="en" dir="ltr">' in page
    assert "workflow state" in page


# Translations are links made in the desk -------------------------------------------------------


def test_an_arabic_story_marked_as_a_translation_links_both_pages(editor_client):
    english, arabic = a_story_in_each_language()
    response = editor_client.post(
        change_url(arabic), article_form(arabic, translation_of=english.pk)
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    arabic.refresh_from_db()
    assert arabic.translation_of == english

    english_page = editor_client.get(english.get_absolute_url()).content.decode()
    arabic_page = editor_client.get(arabic.get_absolute_url()).content.decode()
    assert f'href="{arabic.get_absolute_url()}"' in english_page
    assert "اقرأ بالعربية" in english_page
    assert f'href="{english.get_absolute_url()}"' in arabic_page
    assert "Read in English" in arabic_page


def test_translation_chooser_offers_originals_with_their_language(editor_client):
    english, arabic = a_story_in_each_language()
    translated = make_article(headline="A translated story", translation_of=arabic)
    response = editor_client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "articles",
            "model_name": "article",
            "field_name": "translation_of",
            "term": "",
        },
    )
    texts = [result["text"] for result in response.json()["results"]]
    assert f"{english.headline} (English)" in texts
    assert f"{arabic.headline} (Arabic)" in texts
    assert not any(translated.headline in text for text in texts)  # never chain


@pytest.mark.parametrize("case", ["same language", "chained", "itself"])
def test_a_translation_link_that_is_not_one_is_a_form_error_and_saves_nothing(editor_client, case):
    english, arabic = a_story_in_each_language()
    if case == "same language":
        story, original = make_article(headline="Another English story"), english
    elif case == "chained":
        arabic.translation_of = english
        arabic.save()
        story, original = make_article(headline="English again"), arabic
    else:
        story, original = english, english
    before = Article.objects.get(pk=story.pk)
    response = editor_client.post(
        change_url(story), article_form(story, translation_of=original.pk, headline="Changed")
    )
    assert response.status_code == 200
    assert "translation_of" in response.context["adminform"].form.errors
    after = Article.objects.get(pk=story.pk)
    assert (after.headline, after.translation_of_id) == (before.headline, before.translation_of_id)


def test_a_quote_is_marked_as_the_translation_of_the_same_persons_words(editor_client):
    english, arabic = a_story_in_each_language()
    arabic.translation_of = english
    arabic.save()
    speaker, other = make_person(), make_person()
    said = make_quote(article=english, person=speaker, text="We will protect every child.", order=1)
    make_quote(article=english, person=other, text="Someone else's words.", order=2)

    def post_quote(original):
        return editor_client.post(
            change_url(arabic),
            article_form(
                arabic,
                **{
                    "quotes-TOTAL_FORMS": "1",
                    "quotes-0-person": speaker.pk,
                    "quotes-0-text": "سنحمي كل طفل.",
                    "quotes-0-capacity": "",
                    "quotes-0-order": "1",
                    "quotes-0-translation_of": original.pk,
                },
            ),
        )

    form = editor_client.get(change_url(arabic)).content.decode()
    assert "We will protect every child." in form  # offered: the original story's quotes

    same_language = make_quote(
        article=make_article(headline="قصة أخرى", language="ar"), person=speaker, text="كلمات"
    )
    for wrong in (Quote.objects.get(person=other), same_language):
        response = post_quote(wrong)
        assert response.status_code == 200
        assert "translation_of" in response.context["inline_admin_formsets"][0].formset.errors[0]
        assert not arabic.quotes.exists()

    response = post_quote(said)
    assert response.status_code == 302
    translated = arabic.quotes.get()
    assert translated.translation_of == said and translated.is_translation


# The shared records' second script -----------------------------------------------------------


def test_a_persons_arabic_name_from_the_desk_shows_in_the_arabic_edition_only(editor_client):
    person = make_person(name="Naela Gabr", slug="naela-gabr")
    response = editor_client.post(
        change_url(person),
        {
            "name": "Naela Gabr",
            "name_ar": "نائلة جبر",
            "slug": "naela-gabr",
            "honorific": "Ambassador",
            "honorific_ar": "السفيرة",
            "also_known_as": "",
            "bio": "Chairs the national committee.",
            "bio_ar": "ترأس اللجنة الوطنية.",
            "roles-TOTAL_FORMS": "0",
            "roles-INITIAL_FORMS": "0",
            VERSION_FIELD: version_token(person),
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Person.objects.get(pk=person.pk).name_ar == "نائلة جبر"

    arabic = editor_client.get(f"/ar{person.get_absolute_url()}").content.decode()
    english = editor_client.get(person.get_absolute_url()).content.decode()
    assert "نائلة جبر" in arabic and "ترأس اللجنة الوطنية." in arabic
    assert "Naela Gabr" in english and "نائلة جبر" not in english


# Lists show each story's language, for no extra query ------------------------------------------


def test_the_article_list_shows_and_filters_by_language_at_the_same_query_cost(editor_client):
    make_article(headline="One English story")
    with CaptureQueriesContext(connection) as one_row:
        assert editor_client.get(ARTICLES).status_code == 200
    for n in range(20):
        original = make_article(headline=f"English story {n}")
        make_article(headline=f"قصة عربية {n}", language="ar", translation_of=original)
    with CaptureQueriesContext(connection) as many_rows:
        page = editor_client.get(ARTICLES).content.decode()
    assert len(many_rows) == len(one_row), "\n".join(q["sql"] for q in many_rows.captured_queries)
    assert '<td class="field-language">Arabic</td>' in page
    assert '<td class="field-language">English</td>' in page

    arabic_only = editor_client.get(ARTICLES, {"language__exact": "ar"})
    assert arabic_only.context["cl"].result_count == 20
    assert {a.language for a in arabic_only.context["cl"].result_list} == {"ar"}


def test_the_dashboard_shows_each_storys_language(editor_client):
    make_draft(headline="مسودة بالعربية", language="ar", status=Article.Status.REVIEW)
    page = editor_client.get(reverse("admin:index")).content.decode()
    assert 'lang="ar" dir="auto">مسودة بالعربية</a>' in page
    assert '<span class="desk-language-tag">Arabic</span>' in page
