"""Arabic search (issue 16): any spelling of a word finds the others, on both engines, in the
reader's own edition, with snippets that show the words as they were written."""

import pytest
from django.db import connection

from articles.models import Article
from newsroom.arabic import fold

from .factories import make_article, make_draft
from .test_admin import admin_url

pytestmark = pytest.mark.django_db

ARABIC_SEARCH, ENGLISH_SEARCH = "/ar/search/", "/search/"

# As written in the article, as typed by the reader.
SPELLINGS = [
    pytest.param("الاتِّجارُ", "الاتجار", id="tashkeel-in-the-text"),
    pytest.param("الاتجار", "الاتِّجار", id="tashkeel-in-the-query"),
    pytest.param("مكافحـــة", "مكافحة", id="tatweel"),
    pytest.param("أطفال", "اطفال", id="alef-hamza-above"),
    pytest.param("إنسان", "انسان", id="alef-hamza-below"),
    pytest.param("آمال", "امال", id="alef-madda"),
    pytest.param("ٱلقاهرة", "القاهرة", id="alef-wasla"),
    pytest.param("اطفال", "أطفال", id="hamza-left-out-of-the-text"),
    pytest.param("حماية", "حمايه", id="taa-marbuta-typed-as-haa"),
    pytest.param("حمايه", "حماية", id="haa-typed-as-taa-marbuta"),
    pytest.param("مستشفى", "مستشفي", id="alef-maqsura-typed-as-yaa"),
    pytest.param("مستشفي", "مستشفى", id="yaa-typed-as-alef-maqsura"),
    pytest.param("البشر", "بشر", id="article-in-the-text"),
    pytest.param("بشر", "البشر", id="article-in-the-query"),
    pytest.param("الاتجار", "اتجار", id="article-before-alef"),
    pytest.param("والأطفال", "أطفال", id="wa-al"),
    pytest.param("بالبشر", "البشر", id="bi-al"),
    pytest.param("كالبحر", "بحر", id="ka-al"),
    pytest.param("فالقانون", "القانون", id="fa-al"),
    pytest.param("للأطفال", "الأطفال", id="lil"),
]


def found(client, url, q):
    response = client.get(url, {"q": q})
    assert response.status_code == 200
    page = response.context["page_obj"]
    return response, ([a.headline for a in page.object_list] if page else [])


def make_arabic(headline, body="<p>نص.</p>", **fields):
    return make_article(headline=headline, body=body, language="ar", **fields)


@pytest.mark.parametrize(("written", "typed"), SPELLINGS)
def test_every_spelling_of_a_word_finds_it(client, written, typed):
    make_arabic("تقرير", body=f"<p>قال المسؤول إن {written} أولوية.</p>")
    make_arabic("خبر آخر", body="<p>لا علاقة له بالموضوع.</p>")
    assert found(client, ARABIC_SEARCH, typed)[1] == ["تقرير"]


def test_a_headline_spelled_differently_still_ranks_first(client):
    make_arabic("تقرير", body="<p>مكافحة الاتجار بالبشر في القاهرة.</p>")
    make_arabic("مكافحةُ الاتِّجارِ بالبَشَرِ")
    assert found(client, ARABIC_SEARCH, "مكافحة الاتجار")[1] == ["مكافحةُ الاتِّجارِ بالبَشَرِ", "تقرير"]


def test_each_edition_finds_its_own_language_only(client):
    make_arabic("اللجنة الوطنية NCCPIM&TIP", body="<p>اجتماع عن الاتجار بالبشر.</p>")
    make_article(headline="NCCPIM&TIP meets", body="<p>Naela Gabr (نائلة جبر) spoke.</p>")
    assert found(client, ARABIC_SEARCH, "NCCPIM")[1] == ["اللجنة الوطنية NCCPIM&TIP"]
    assert found(client, ENGLISH_SEARCH, "NCCPIM")[1] == ["NCCPIM&TIP meets"]
    assert found(client, ENGLISH_SEARCH, "الاتجار")[1] == []
    assert found(client, ARABIC_SEARCH, "نائلة")[1] == []
    assert found(client, ENGLISH_SEARCH, "نائله")[1] == ["NCCPIM&TIP meets"]


def test_snippet_shows_the_words_as_written_with_the_match_marked(client):
    make_arabic(
        "تقرير",
        body="<p>قالت الوزيرة إنّ مكافحةَ الاتِّجارِ بالبَشَرِ أولويةٌ وطنيةٌ لمصر.</p>",
    )
    response, _ = found(client, ARABIC_SEARCH, "اتجار البشر")
    html = response.content.decode()
    assert "<mark>الاتِّجارِ</mark> <mark>بالبَشَرِ</mark>" in html
    assert "مكافحةَ" in html  # the rest as written too, marks and all
    assert "<mark>مكافحةَ</mark>" not in html


def test_snippet_marks_the_right_words_after_a_stretched_one(client):
    make_arabic("تقرير", body="<p>ـــ مكافحـــة الاتجار ـــ وحماية الأطفال.</p>")
    html = found(client, ARABIC_SEARCH, "اطفال")[0].content.decode()
    assert "<mark>الأطفال</mark>" in html
    assert html.count("<mark>") == 1


def test_drafts_stay_unfound_in_the_arabic_edition(client):
    make_draft(headline="مسودة عن الاتجار", language="ar")
    make_arabic("خبر منشور عن الاتجار")
    assert found(client, ARABIC_SEARCH, "اتجار")[1] == ["خبر منشور عن الاتجار"]


def test_an_article_moved_to_the_other_edition_is_indexed_in_its_language(client):
    article = make_article(headline="Trafficking report")
    article.language = "ar"
    article.save()
    assert found(client, ARABIC_SEARCH, "trafficking")[1] == ["Trafficking report"]
    assert found(client, ENGLISH_SEARCH, "trafficking")[1] == []


def test_an_edited_article_is_found_by_its_new_words_only(client):
    article = make_arabic("تقرير", body="<p>الأطفال</p>")
    article.body = "<p>المدارس</p>"
    article.save()
    assert found(client, ARABIC_SEARCH, "اطفال")[1] == []
    assert found(client, ARABIC_SEARCH, "مدارس")[1] == ["تقرير"]
    article.delete()
    assert found(client, ARABIC_SEARCH, "مدارس")[1] == []


def desk_found(client, q):
    response = client.get(admin_url(Article, "changelist"), {"q": q})
    assert response.status_code == 200
    return {a.headline for a in response.context["cl"].result_list}


def test_the_desk_finds_both_languages_however_it_is_typed(editor_client):
    make_draft(headline="مسودة", body="<p>مكافحةُ الاتِّجارِ بالبَشَرِ مع Gabr.</p>", language="ar")
    make_draft(headline="Draft", body="<p>Gabr spoke at the conference.</p>")
    assert desk_found(editor_client, "الاتجار") == {"مسودة"}
    assert desk_found(editor_client, "بشر") == {"مسودة"}
    assert desk_found(editor_client, "Gabr") == {"مسودة", "Draft"}
    assert desk_found(editor_client, "Gabr -conference") == {"مسودة"}


SAMPLES = [
    "",
    "Trafficking in persons, NCCPIM&TIP",
    "قالت الوزيرة إنّ مكافحةَ الاتِّجارِ بالبَشَرِ أولويةٌ وطنيةٌ.",
    "أحمد إبراهيم آمال ٱلقاهرة مستشفى حماية",
    "والأطفال بالبشر كالبحر فالقانون للأطفال لله والد ال الب",
    "ـــ مكافحـــة ـــ َ بَ",
    "naïve café — Naela Gabr (نائلة جبر)\nالبيت\tالكبير",
    "ﷲ ۝ ۞ ٱلرَّحْمَٰنِ ٱلرَّحِيمِ",
]


def test_fold_keeps_the_words_where_they_were():
    from newsroom.arabic import _WORD

    for sample in SAMPLES:
        assert len(_WORD.findall(fold(sample))) == len(_WORD.findall(sample)), sample
    assert fold("والكتاب بالقلم للبشر البَشَرُ") == "كتاب قلم بشر بشر"
    assert fold(None) is None


def test_the_postgresql_function_folds_as_python_does():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: SQLite calls the Python function itself")
    with connection.cursor() as cursor:
        for sample in SAMPLES:
            cursor.execute("SELECT newsroom_fold(%s)", [sample])
            assert cursor.fetchone()[0] == fold(sample), sample
