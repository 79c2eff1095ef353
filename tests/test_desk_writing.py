"""Writing aids, social headline and description, plain-text headlines, and two small defects."""

import json
import re

import pytest
from django.core.exceptions import ValidationError

from articles.models import Article, Quote

from .factories import make_article, make_person, make_quote_by
from .test_admin import admin_url, article_form

pytestmark = pytest.mark.django_db


def structured(page):
    block = re.search(r'<script type="application/ld\+json"[^>]*>(.*?)</script>', page, re.S)
    return json.loads(block.group(1))


@pytest.mark.parametrize(
    "field", ["headline", "standfirst", "social_headline", "social_description"]
)
def test_markup_is_refused_on_the_model(field):
    article = Article(**{"headline": "Plain", "slug": "plain", field: "Cairo <b>hosts</b> a talk"})
    with pytest.raises(ValidationError) as refused:
        article.full_clean()
    assert refused.value.message_dict[field] == [
        "Plain words only: remove the <b> tag. This text is shown as typed, everywhere."
    ]


def test_plain_words_with_angle_brackets_and_ampersands_pass():
    Article(headline="Fewer than 3 < 5 arrivals & NCCPIM&TIP", slug="ok").full_clean()


def test_the_form_refuses_a_headline_with_markup_and_says_why(editor_client):
    response = editor_client.post(
        admin_url(Article, "add"), article_form(headline='Cairo <a href="x">talks</a>')
    )
    assert response.status_code == 200
    assert not Article.objects.exists()
    assert "Plain words only: remove the &lt;a&gt; tag." in response.content.decode()


def test_the_form_offers_social_fields_and_length_guidance(editor_client):
    page = editor_client.get(admin_url(Article, "add")).content.decode()
    assert 'name="social_headline"' in page and 'name="social_description"' in page
    assert 'data-guide="110"' in page and 'data-guide="160"' in page
    assert "Google News shows about 110 characters" in page
    assert 'id="body-stats"' in page
    assert "desk/writing.js" in page and "desk/writing.css" in page


def test_shared_links_use_the_social_headline_and_description_when_set(client):
    article = make_article(
        headline="Long page headline",
        standfirst="Page standfirst.",
        social_headline="Short social line",
        social_description="Why it matters, for sharing.",
    )
    page = client.get(article.get_absolute_url()).content.decode()
    assert '<meta property="og:title" content="Short social line">' in page
    assert '<meta name="twitter:description" content="Why it matters, for sharing.">' in page
    data = structured(page)
    assert data["headline"] == "Short social line"
    assert data["alternativeHeadline"] == "Long page headline"
    assert data["description"] == "Why it matters, for sharing."
    assert "<h1>Long page headline</h1>" in page


def test_shared_links_fall_back_on_the_headline_and_standfirst(client):
    article = make_article(headline="Page headline", standfirst="Page standfirst.")
    page = client.get(article.get_absolute_url()).content.decode()
    assert '<meta property="og:title" content="Page headline">' in page
    assert '<meta property="og:description" content="Page standfirst.">' in page
    data = structured(page)
    assert (data["headline"], data["description"]) == ("Page headline", "Page standfirst.")
    assert "alternativeHeadline" not in data


@pytest.mark.parametrize("byline", ["By Amina Reporter", "by: Amina Reporter", "Amina Reporter"])
def test_a_byline_is_printed_with_one_by(client, byline):
    article = make_article(byline=byline)
    page = client.get(article.get_absolute_url()).content.decode()
    assert 'By <span class="author">Amina Reporter</span>' in page
    assert "By By" not in page and "By by" not in page
    assert structured(page)["author"]["name"] == "Amina Reporter"
    listing = client.get("/articles/").content.decode()
    assert '<span class="byline">By Amina Reporter</span>' in listing


def test_a_name_that_starts_with_by_is_kept():
    assert make_article(byline="Byron Hassan").byline_name == "Byron Hassan"


def test_the_admin_log_does_not_double_the_quotation_marks(editor_client):
    quote = make_quote_by(make_person(), make_article(), text="Every child deserves protection.")
    response = editor_client.post(
        admin_url(Quote, "change", quote.pk),
        {
            "article": quote.article_id,
            "person": quote.person_id,
            "text": quote.text,
            "capacity": "",
            "order": quote.order,
        },
        follow=True,
    )
    shown = [str(m) for m in response.context["messages"]]
    assert any(re.search(r"“<a [^>]+>Every child deserves protection\.</a>”", m) for m in shown)
    assert not any("““" in m or "””" in m for m in shown)
    listing = editor_client.get(admin_url(Quote, "changelist")).content.decode()
    assert "Every child deserves protection." in listing
