"""The Arabic interface: every app's `ar` catalogue is complete, compiled and current, and the
readers' pages of the Arabic edition show no English word the interface put there.

The checks need only Python (tests/catalogues.py reads the catalogues and extracts the marked
strings without GNU gettext). `make messages` regenerates and compiles the catalogues; a check
failing here names the catalogue and the messages to fix.
"""

import gettext
import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.paginator import Paginator
from django.template import loader
from django.utils import timezone

from newsroom import editions, health

from .catalogues import (
    APPS,
    CATALOGUES,
    ROOT,
    english_on,
    english_words,
    header,
    marked_in_app,
    messages,
    placeholders,
    translated,
)
from .factories import (
    make_article,
    make_correction,
    make_organization,
    make_person,
    make_quote_by,
    make_role_at,
    make_theme,
)

CAIRO = ZoneInfo("Africa/Cairo")
# Latin on purpose in the stories below (an acronym the story prints, a short name with no Arabic
# form): allowed on the pages, as the interface's own LATIN_TOKENS are.
LATIN_CONTENT = {"IOM", "NCCPIM", "TIP"}


def catalogue_id(path):
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def test_every_app_that_marks_strings_has_a_catalogue():
    missing = [
        app
        for app in APPS
        if marked_in_app(app)
        and not (ROOT / app / "locale" / "ar" / "LC_MESSAGES" / "django.po").exists()
    ]
    assert not missing, f"apps with marked strings but no ar catalogue: {missing}"


@pytest.fixture(params=CATALOGUES, ids=catalogue_id)
def catalogue(request):
    return request.param


def test_the_header_gives_the_charset_and_the_six_arabic_plural_forms(catalogue):
    # makemessages marks a new catalogue's header fuzzy, a reminder to fill it in; no entry of a
    # finished catalogue is fuzzy, the header neither.
    meta = header(catalogue)
    assert "fuzzy" not in meta.flags, "fill in the header and remove its fuzzy flag"
    assert "charset=UTF-8" in meta.msgstr[0]
    assert "nplurals=6;" in meta.msgstr[0], "as the header of Django's own ar catalogue says"


def test_every_message_is_translated_and_none_is_fuzzy(catalogue):
    untranslated = [str(e) for e in messages(catalogue) if not all(e.msgstr)]
    fuzzy = [str(e) for e in messages(catalogue) if "fuzzy" in e.flags]
    assert not untranslated, f"untranslated in {catalogue_id(catalogue)}: {untranslated}"
    assert not fuzzy, f"fuzzy in {catalogue_id(catalogue)}: {fuzzy}"
    wrong_count = [str(e) for e in messages(catalogue) if e.msgid_plural and len(e.msgstr) != 6]
    assert not wrong_count, f"plural messages without six forms: {wrong_count}"


def test_translations_are_arabic_not_copies_of_the_english(catalogue):
    arabic = re.compile("[\u0600-\u06ff]")
    copies = [
        str(e)
        for e in translated(catalogue)
        if english_words(e.msgid) and any(not arabic.search(form) for form in e.msgstr)
    ]
    assert not copies, f"left in English in {catalogue_id(catalogue)}: {copies}"


def test_translations_keep_every_placeholder(catalogue):
    wrong = []
    for e in translated(catalogue):
        if e.msgid_plural is None:
            if placeholders(e.msgstr[0]) != placeholders(e.msgid):
                wrong.append(str(e))
            continue
        # A form for one or two ("مقال واحد", "مقالان") may leave the number out; the general
        # form keeps every placeholder, and no form brings one of its own.
        known = set(placeholders(e.msgid) + placeholders(e.msgid_plural))
        if any(not set(placeholders(form)) <= known for form in e.msgstr) or (
            placeholders(e.msgstr[-1]) != placeholders(e.msgid_plural)
        ):
            wrong.append(str(e))
    assert not wrong, f"placeholders changed in {catalogue_id(catalogue)}: {wrong}"


def test_the_compiled_catalogue_is_the_current_one(catalogue):
    """The .mo holds exactly the .po's translations: `make messages` was run after the edit."""
    mo = catalogue.with_suffix(".mo")
    assert mo.exists(), f"{catalogue_id(catalogue)} is not compiled: run `make messages`"
    with mo.open("rb") as file:
        # What Python's gettext read from the file; it has no public way to list it.
        compiled = dict(gettext.GNUTranslations(file)._catalog)
    compiled.pop("", None)  # the header
    expected = {}
    for e in translated(catalogue):  # msgfmt leaves out the others
        key = f"{e.msgctxt}\x04{e.msgid}" if e.msgctxt is not None else e.msgid
        if e.msgid_plural is None:
            expected[key] = e.msgstr[0]
        else:
            expected.update({(key, n): form for n, form in enumerate(e.msgstr)})
    assert compiled == expected


def test_the_catalogue_covers_the_strings_its_app_marks_and_no_others(catalogue):
    app = catalogue.relative_to(ROOT).parts[0]
    marked = {(ctx, msgid): plural for ctx, msgid, plural in marked_in_app(app)}
    listed = {e.key: e.msgid_plural for e in messages(catalogue)}
    missing = sorted(f"{ctx}|{msgid}" if ctx else msgid for ctx, msgid in marked.keys() - listed)
    stale = sorted(f"{ctx}|{msgid}" if ctx else msgid for ctx, msgid in listed.keys() - marked)
    plurals = sorted(key[1] for key in marked.keys() & listed.keys() if marked[key] != listed[key])
    assert not missing, (
        f"marked in {app}/ but not in its catalogue (run `make messages`): {missing}"
    )
    assert not stale, f"in {catalogue_id(catalogue)}, marked nowhere (run `make messages`): {stale}"
    assert not plurals, f"plural forms changed in {app}/ (run `make messages`): {plurals}"


@pytest.fixture
def arabic_world(db):
    """An Arabic story (translating an English one) with a theme, a translated quote and one in
    the speaker's words, a correction; a person and organizations with their Arabic names."""
    person = make_person(
        name="Naela Gabr",
        name_ar="نائلة جبر",
        honorific="H.E.",
        honorific_ar="السفيرة",
        bio="Chairs the committee.",
        bio_ar="ترأس اللجنة الوطنية.",
    )
    agency = make_organization(
        name="International Organization for Migration",
        name_ar="المنظمة الدولية للهجرة",
        short_name="IOM",
        kind="un_agency",
        description_ar="وكالة الأمم المتحدة للهجرة.",
    )
    office = make_organization(name="IOM Egypt", name_ar="مكتب مصر", parent=agency)
    make_role_at(
        person, office, title="Chief of Mission", title_ar="رئيسة البعثة",
        start_date=date(2020, 1, 1), end_date=date(2024, 6, 30),
    )  # fmt: skip
    theme = make_theme(name="الاتجار بالبشر", description="تقارير عن الاتجار بالبشر.")
    english = make_article(headline="Conference opens in Cairo", slug="conference-opens")
    said = make_quote_by(person, english, text="Trafficking is a crime against children.")
    story = arabic_article(
        slug="افتتاح-مؤتمر",
        headline="افتتاح مؤتمر عن الاتجار بالأطفال في القاهرة",
        standfirst="قالت اللجنة NCCPIM&TIP إن المؤتمر يبدأ اليوم.",
        body="<p>نظمت اللجنة الوطنية NCCPIM&amp;TIP المؤتمر.</p>",
        translation_of=english,
        byline="سارة حسن",
        dateline="القاهرة",
        themes=[theme],
        people=[person],
        organizations=[agency],
        published_at=datetime(2024, 8, 5, 10, 30, tzinfo=CAIRO),
    )
    arabic_article(slug="تقرير", themes=[theme], published_at=datetime(2024, 8, 4, tzinfo=CAIRO))
    make_quote_by(person, story, text="الاتجار جريمة بحق الأطفال.", translation_of=said)
    make_quote_by(person, story, text="سنحمي كل طفل.", capacity="رئيسة البعثة")
    make_correction(story, wrong="ورد أن المؤتمر يستمر يومين.", right="يستمر ثلاثة أيام.")
    return {"story": story, "theme": theme, "person": person, "agency": agency, "office": office}


def arabic_article(**fields):
    fields = {"headline": "تقرير عن الهجرة", "standfirst": "موجز.", "body": "<p>نص.</p>", **fields}
    return make_article(language=editions.ARABIC, **fields)


def arabic_url(item):
    with editions.override(editions.ARABIC):
        return item.get_absolute_url()


def arabic_pages(world):
    return [
        "/ar/", "/ar/articles/", "/ar/themes/", "/ar/people/", "/ar/organizations/",
        "/ar/corrections/", "/ar/search/", "/ar/search/?q=مؤتمر", "/ar/search/?q=كلمةغائبة",
        "/ar/search/?q=%22%22", *(arabic_url(item) for item in world.values()),
    ]  # fmt: skip


def test_the_arabic_pages_show_no_english_word(client, arabic_world):
    english = {}
    for url in arabic_pages(arabic_world):
        response = client.get(url)
        assert response.status_code == 200, url
        page = response.content.decode()
        assert '<html lang="ar" dir="rtl">' in page, url
        english[url] = sorted(set(english_on(page, LATIN_CONTENT)))
    assert {url: words for url, words in english.items() if words} == {}


def test_the_arabic_not_found_page_is_arabic(client, db):
    response = client.get("/ar/no-such-page/")
    assert response.status_code == 404
    assert "الصفحة غير موجودة" in response.content.decode()
    assert english_on(response.content.decode(), LATIN_CONTENT) == []


def test_an_unpublished_arabic_story_tells_its_editor_in_arabic(editor_client):
    scheduled = arabic_article(slug="مجدول", published_at=timezone.now() + timedelta(days=1))
    page = editor_client.get(arabic_url(scheduled)).content.decode()
    assert "من المقرر نشره" in page and english_on(page, LATIN_CONTENT) == []
    assert timezone.localtime(scheduled.published_at).strftime("%H:%M") in page


def test_the_error_pages_and_pagination_in_arabic(db):
    with editions.override(editions.ARABIC):
        pages = [
            loader.get_template("500.html").render(),
            health.service_unavailable().content.decode(),
            loader.render_to_string(
                "includes/pagination.html", {"page_obj": Paginator(range(30), 10).page(2)}
            ),
        ]
    assert all(english_on(page, LATIN_CONTENT) == [] for page in pages)
    assert '<html lang="ar" dir="rtl">' in pages[0] and "الصفحة 2 من 3" in pages[2]
    # The arrows point the reader's way: "newer" is to the right in a right-to-left page.
    assert "→ الأحدث" in pages[2] and "الأقدم ←" in pages[2]


def test_arabic_dates_names_and_plurals(client, arabic_world):
    story = client.get(arabic_url(arabic_world["story"])).content.decode()
    # Latin digits and Arabic month names: the README's one choice.
    assert "5 أغسطس 2024، 10:30" in story and "بقلم" in story
    person = client.get(arabic_url(arabic_world["person"])).content.decode()
    assert "نائلة جبر" in person and "Naela Gabr" not in person and "السفيرة" in person
    assert "رئيسة البعثة" in person and "من يناير 2020 حتى يونيو 2024" in person
    assert "مقالان" in client.get("/ar/themes/").content.decode()  # two articles: the dual
    english = client.get("/people/").content.decode()
    assert "Naela Gabr" in english and "نائلة جبر" not in english
