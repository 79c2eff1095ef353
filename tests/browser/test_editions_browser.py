"""The Arabic edition and the desk in Arabic in a real Chromium, at a phone's 375 px and a laptop's
1280 px (issue 16): right to left, mirrored by the stylesheets' logical properties, nothing wider
than the window, and no serious accessibility violation.

The test builds its own Arabic story (the launch fixture is English only): an English acronym
inside the Arabic text, an Arabic theme, a person with a name in each script, a translated quote,
and a translation link to the English original. Screenshots go to var/screenshots/edition-*.png.
"""

import pytest
from django.utils import timezone

from articles.models import Article

from ..factories import make_article, make_organization, make_person, make_quote_by, make_theme
from .test_reader_journey import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The two widths: the narrowest common phone, and a laptop.
WIDTHS = {"phone": {"width": 375, "height": 812}, "desktop": {"width": 1280, "height": 900}}
HOUR = timezone.timedelta(hours=1)
ACRONYM = "NCCPIM&TIP"
EDITOR_PASSWORD = "correct horse 42"


@pytest.fixture(params=sorted(WIDTHS))
def viewport_name(request):
    return request.param


@pytest.fixture
def browser_context_args(browser_context_args, viewport_name):
    return {**browser_context_args, "viewport": WIDTHS[viewport_name]}


@pytest.fixture
def story(live_server):
    """An Arabic story translating an English one, and two more Arabic stories for the lists."""
    person = make_person(name="Naela Gabr", name_ar="نائلة جبر", slug="naela-gabr")
    committee = make_organization(
        name="National Coordinating Committee", short_name=ACRONYM, name_ar="اللجنة الوطنية"
    )
    trafficking = make_theme(name="الاتجار بالبشر", description="تغطية قضايا الاتجار بالبشر.")
    children = make_theme(name="حماية الطفل")
    english = make_article(
        headline="Regional conference on child trafficking opens in Cairo",
        slug="conference-opens",
        people=[person],
        organizations=[committee],
        published_at=timezone.now() - 3 * HOUR,
    )
    arabic = make_article(
        headline=f"افتتاح المؤتمر الإقليمي لمكافحة الاتجار بالأطفال في القاهرة بتنظيم {ACRONYM}",
        slug="افتتاح-المؤتمر-الإقليمي",
        language="ar",
        translation_of=english,
        dateline="القاهرة",
        standfirst=f"قالت اللجنة الوطنية ({ACRONYM})، إن المؤتمر يجمع خبراء من اثنتي عشرة دولة.",
        body=(
            f"<p>نظمت اللجنة الوطنية {ACRONYM.replace('&', '&amp;')}، المؤتمر في القاهرة يوم "
            "الاثنين، بمشاركة منظمات دولية ومحلية.</p>"
            "<blockquote><p>الأطفال هم الأكثر عرضة للخطر.</p></blockquote>"
            "<ul><li>حماية الضحايا</li><li>ملاحقة المتاجرين</li></ul>"
        ),
        themes=[trafficking, children],
        people=[person],
        organizations=[committee],
        published_at=timezone.now() - 2 * HOUR,
    )
    said = make_quote_by(person, english, text="Children are the most at risk.")
    make_quote_by(person, arabic, text="الأطفال هم الأكثر عرضة للخطر.", translation_of=said)
    for hours, headline, standfirst in (
        (4, "اللجنة الوطنية تطلق خطاً ساخناً للإبلاغ", "الخط يعمل على مدار الساعة."),
        (5, "تقرير جديد عن الهجرة", "يرصد التقرير أعداد المهاجرين في عام 2024."),
    ):
        make_article(
            headline=headline,
            slug=f"خبر-{hours}",
            standfirst=standfirst,
            body=f"<p>{standfirst}</p>",
            language="ar",
            themes=[trafficking],
            published_at=timezone.now() - hours * HOUR,
        )
    return {"arabic": arabic, "english": english}


@pytest.fixture
def desk_in_arabic(live_server, page, django_user_model):
    """An editor signed in to the desk with its language set to Arabic (set_language's cookie)."""
    django_user_model.objects.create_superuser("editor", "editor@example.org", EDITOR_PASSWORD)
    cookie = {"name": "django_language", "value": "ar", "url": live_server.url}
    page.context.add_cookies([cookie])
    page.goto(live_server.url + "/admin/login/?next=/admin/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", EDITOR_PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(live_server.url + "/admin/")
    return page


def assert_right_to_left(page):
    html = page.locator("html")
    assert (html.get_attribute("lang"), html.get_attribute("dir")) == ("ar", "rtl"), page.url


# Elements sticking out of the window at either side, but for those inside a box that scrolls or
# clips them (the desk's wide tables scroll inside their own box on a phone, by design).
STICKING_OUT = """() => {
  const contained = (element) => {
    for (let box = element.parentElement; box && box !== document.body; box = box.parentElement) {
      if (getComputedStyle(box).overflowX !== "visible") return true;
    }
    return false;
  };
  return [...document.querySelectorAll("body *")].filter((element) => {
    const box = element.getBoundingClientRect();
    return box.width > 1 && (box.left < -1 || box.right > window.innerWidth + 1)
      && getComputedStyle(element).visibility !== "hidden" && !contained(element);
  }).slice(0, 5).map((element) => element.outerHTML.slice(0, 160));
}"""


def assert_nothing_overflows(page):
    """Nothing is wider than the window, nor sticks out at either side (in right to left, what
    sticks out at the right could not even be scrolled to)."""
    sizes = page.evaluate(
        f"() => [document.documentElement.scrollWidth, window.innerWidth, ({STICKING_OUT})()]"
    )
    scroll_width, window_width, sticking_out = sizes
    assert scroll_width <= window_width, (page.url, scroll_width, window_width, sticking_out)
    assert sticking_out == [], page.url


def box(page, selector, index=0):
    return page.locator(selector).nth(index).bounding_box()


def starts_at_the_right(page, selector):
    """The first line of the element's text begins at its right edge."""
    return page.evaluate(
        "(selector) => { const element = document.querySelector(selector);"
        " const range = document.createRange(); range.selectNodeContents(element);"
        " const first = range.getClientRects()[0];"
        " const edge = element.getBoundingClientRect().right"
        "   - parseFloat(getComputedStyle(element).paddingRight);"
        " return Math.abs(edge - first.right) <= 2; }",
        selector,
    )


def assert_reader_page_mirrored(page):
    first, second = box(page, ".site-nav li", 0), box(page, ".site-nav li", 1)
    assert first["x"] >= second["x"] + second["width"] - 1  # "Home" comes first, at the right
    assert starts_at_the_right(page, "main h1:not(.visually-hidden), main h2, main h3")


def test_arabic_article_and_front_page(live_server, page, story, screenshot, viewport_name):
    arabic = story["arabic"]
    response = page.goto(live_server.url + arabic.get_absolute_url())
    assert response.status == 200
    assert_right_to_left(page)
    assert ACRONYM in page.locator("h1 bdi").all_inner_texts()
    translation = page.locator(".translation-link a")
    assert translation.get_attribute("hreflang") == "en"
    assert translation.get_attribute("href") == story["english"].get_absolute_url()
    assert page.locator(".quote-translated .translation-note").count() == 1
    assert_reader_page_mirrored(page)
    # The quotation's rule is on its starting side, the right; the themes run right to left.
    rule = page.evaluate(
        "() => { const style = getComputedStyle(document.querySelector('.story-body blockquote'));"
        " return [style.borderRightWidth, style.borderLeftWidth]; }"
    )
    assert rule == ["3px", "0px"]
    themes = page.locator("[aria-labelledby=themes-heading] .chips li")
    first_theme, second_theme = themes.nth(0).bounding_box(), themes.nth(1).bounding_box()
    assert first_theme["x"] > second_theme["x"]
    assert_nothing_overflows(page)
    assert_accessible(page)
    screenshot("edition-article")

    response = page.goto(live_server.url + "/ar/")
    assert response.status == 200
    assert_right_to_left(page)
    assert arabic.headline.split()[0] in page.locator(".front-lead").inner_text()
    assert_reader_page_mirrored(page)
    if viewport_name == "desktop":  # side by side: the latest stories at the right, themes left
        latest, themes = box(page, ".front-latest"), box(page, ".front-themes")
        assert latest["x"] >= themes["x"] + themes["width"]
    assert_nothing_overflows(page)
    assert_accessible(page)
    screenshot("edition-front")
    assert page.errors == []


def test_arabic_list_pages_turn_right_to_left(live_server, page, story, screenshot):
    """A list's second page: the newer page's link at the right, its arrow pointing there, the
    older one's at the left; and a person's page, with the name in Arabic script."""
    for number in range(20):
        make_article(
            headline=f"خبر رقم {number}",
            slug=f"خبر-رقم-{number}",
            language="ar",
            standfirst="ملخص الخبر.",
            body="<p>نص الخبر.</p>",
            published_at=timezone.now() - (10 + number) * HOUR,
        )
    response = page.goto(live_server.url + "/ar/articles/?page=2")
    assert response.status == 200
    assert_right_to_left(page)
    newer = page.locator(".pagination a[rel=prev]")
    page_number = box(page, ".pagination [aria-current=page]")
    assert newer.bounding_box()["x"] >= page_number["x"] + page_number["width"]
    assert "→" in newer.inner_text()
    # Page 2 of 2 has no older page; page 1 does, at the left, pointing left.
    page.goto(live_server.url + "/ar/articles/")
    older = page.locator(".pagination a[rel=next]")
    page_number = box(page, ".pagination [aria-current=page]")
    assert older.bounding_box()["x"] + older.bounding_box()["width"] <= page_number["x"]
    assert "←" in older.inner_text()
    assert_nothing_overflows(page)
    assert_accessible(page)
    screenshot("edition-articles")

    page.goto(live_server.url + "/ar/people/naela-gabr/")
    assert_right_to_left(page)
    assert "نائلة جبر" in page.locator("h1").inner_text()
    assert_reader_page_mirrored(page)
    assert_nothing_overflows(page)
    assert_accessible(page)
    screenshot("edition-person")
    assert page.errors == []


def open_article_form(page, url):
    response = page.goto(url)
    assert response.status == 200
    assert_right_to_left(page)
    editor = page.locator(".field-body .ProseMirror[contenteditable=true]")
    editor.wait_for(state="visible", timeout=10_000)


def test_desk_in_arabic(live_server, desk_in_arabic, story, screenshot, viewport_name):
    page = desk_in_arabic
    arabic = story["arabic"]
    open_article_form(page, live_server.url + f"/admin/articles/article/{arabic.pk}/change/")
    screenshot("edition-desk-article")
    assert starts_at_the_right(page, "div.breadcrumbs")
    label, field = box(page, "label[for=id_headline]"), box(page, "#id_headline")
    if viewport_name == "desktop":  # the site's name at the right; each label right of its field
        branding = box(page, "#branding")
        assert branding["x"] + branding["width"] >= WIDTHS[viewport_name]["width"] - 40
        assert label["x"] >= field["x"] + field["width"] - 1
    else:  # the header is centred on a phone; a label is above its field, flush right with it
        assert abs((label["x"] + label["width"]) - (field["x"] + field["width"])) <= 2
    assert_nothing_overflows(page)

    response = page.goto(live_server.url + "/admin/articles/article/")
    assert response.status == 200
    assert_right_to_left(page)
    assert page.locator("#result_list").get_by_text(arabic.headline).count() == 1
    screenshot("edition-desk-articles")
    checkbox, headline = (
        box(page, "#result_list thead th", 0),
        box(page, "#result_list thead th", 1),
    )
    assert checkbox["x"] >= headline["x"] + headline["width"] - 1  # the first column at the right
    assert_nothing_overflows(page)
    assert_accessible(page)
    assert Article.objects.count() == 4  # looking changed nothing
    assert page.errors == []


# The article form's widgets (Django's own and django-prose-editor's) are given accessible names
# by desk/static/desk/widget-names.js: axe finds nothing serious on it, in either language.
def test_desk_article_form_in_arabic_is_accessible(live_server, desk_in_arabic, story):
    page = desk_in_arabic
    open_article_form(
        page, live_server.url + f"/admin/articles/article/{story['arabic'].pk}/change/"
    )
    assert_accessible(page)
