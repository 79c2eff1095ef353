"""What an editor pastes is stored clean: no control characters XML cannot carry, one Unicode
form. (The Hypothesis test over every field and every public output is test_text_hygiene.py.)"""

import json
import unicodedata

import pytest
from django.core.management import call_command

from articles.models import Article
from newsroom.text import clean_stored_rows, clean_text
from people.models import Person
from tests.factories import make_article, make_person, make_quote_by, make_theme

pytestmark = pytest.mark.django_db

WORD_SHIFT_ENTER = "\x0b"


def test_controls_xml_refuses_are_removed_and_tab_and_newlines_kept():
    assert clean_text("Line\x0bbreak\x0c\x1b[0m\x02hit\x03\x00") == "Linebreak[0mhit"
    assert clean_text("tab\there\nnew\r\nline") == "tab\there\nnew\r\nline"
    assert clean_text("\ufffeA\uffff") == "A"


def test_text_is_normalized_to_one_unicode_form():
    decomposed = "Re\u0301sume\u0301"  # e + combining acute accent
    assert clean_text(decomposed) == "Résumé"
    assert unicodedata.is_normalized("NFC", clean_text(decomposed))


def test_an_article_its_themes_people_and_quotes_are_cleaned_on_save():
    theme = make_theme(name=f"Child{WORD_SHIFT_ENTER}protection")
    person = make_person(name="Amb.\x02 Na\u0308ila")
    article = make_article(
        headline=f"Conference{WORD_SHIFT_ENTER}in Cairo",
        standfirst="Officials\x0c met.",
        dateline="CAIRO\x1b",
        themes=[theme],
    )
    quote = make_quote_by(person, article, text="We act\x03 now", capacity="Chief\x0b of Mission")

    article.refresh_from_db()
    theme.refresh_from_db()
    person.refresh_from_db()
    quote.refresh_from_db()
    assert (article.headline, article.standfirst, article.dateline) == (
        "Conferencein Cairo",
        "Officials met.",
        "CAIRO",
    )
    assert theme.name == "Childprotection"
    assert person.name == "Amb. Näila"
    assert (quote.text, quote.capacity) == ("We act now", "Chief of Mission")


def test_a_fixture_is_cleaned_as_it_loads(tmp_path):
    fixture = tmp_path / "pasted.json"
    fixture.write_text(
        json.dumps(
            [
                {
                    "model": "people.person",
                    "fields": {
                        "name": "Pasted\x0bName",
                        "slug": "pasted",
                        "bio": "a\x1bb",
                        "created_at": "2025-01-01T00:00:00Z",
                        "updated_at": "2025-01-01T00:00:00Z",
                    },
                }
            ]
        )
    )
    call_command("loaddata", str(fixture), verbosity=0)
    person = Person.objects.get(slug="pasted")
    assert (person.name, person.bio) == ("PastedName", "ab")


def test_text_stored_before_cleaning_existed_is_cleaned_by_the_migration_step():
    article = make_article(headline="Clean")
    Article.objects.filter(pk=article.pk).update(headline="Old\x0bheadline", byline="B\x02")
    clean_stored_rows(Article)
    article.refresh_from_db()
    assert (article.headline, article.byline) == ("Oldheadline", "B")


def test_each_article_has_a_permanent_id_the_fixture_keeps():
    call_command("loaddata", "conference", verbosity=0)
    launch = Article.objects.get()
    assert str(launch.uid) == "5b0d8a3e-6c1f-4e0b-9a57-3f2c8e1d4b60"
    assert make_article().uid != make_article().uid
