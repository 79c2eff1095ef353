"""The body's allow-list as an editor meets it: what the desk's editor makes survives a save
unchanged, nothing else does, and the plain text made from it (search, descriptions, history)
keeps blocks apart and words whole."""

import pytest

from articles.models import Article
from articles.sanitize import html_to_text, image_reference, sanitize_html
from tests.factories import make_draft

pytestmark = pytest.mark.django_db

REL = 'rel="noopener noreferrer nofollow"'


def saved(body):
    """The article as the database holds it after an editor saved this body."""
    return Article.objects.get(pk=make_draft(body=body).pk)


def unchecked(body):
    """The sanitizer as the page uses it: figures kept without asking the library."""
    return sanitize_html(body, check_library=False)


# What the editor makes ---------------------------------------------------------------------------

# Every mark and block the body editor's toolbar offers (articles/editor.py), as it writes them.
TOOLBAR = {
    "bold": "<p><strong>bold</strong></p>",
    "italic": "<p><em>italic</em></p>",
    "underline": "<p><u>underlined</u></p>",
    "strike": "<p><s>struck</s></p>",
    "subscript": "<p>H<sub>2</sub>O</p>",
    "superscript": "<p>E = mc<sup>2</sup></p>",
    "heading 2": "<h2>Section</h2>",
    "heading 3": "<h3>Subsection</h3>",
    "heading 4": "<h4>Minor heading</h4>",
    "bullet list": "<ul><li>one</li><li>two</li></ul>",
    "ordered list from 3": '<ol start="3"><li>third</li><li>fourth</li></ol>',
    "blockquote": "<blockquote><p>Quoted words.</p></blockquote>",
    "horizontal rule": "<p>Before.</p><hr><p>After.</p>",
    "hard break": "<p>First line<br>second line</p>",
    "link with title": f'<p><a href="https://example.org/" title="The source" {REL}>source</a></p>',
    "library picture": '<figure data-image="7"><figcaption>At the border.</figcaption></figure>',
}


@pytest.mark.parametrize("body", TOOLBAR.values(), ids=TOOLBAR.keys())
def test_the_toolbar_formatting_survives_a_save(body):
    assert unchecked(body) == body
    if "<figure" not in body:
        assert saved(body).body == body


@pytest.mark.parametrize("body", ["<p><b>bold</b> and <i>italic</i></p>"])
def test_bold_and_italic_from_older_stories_survive_a_save(body):
    assert saved(body).body == body


def test_a_library_picture_keeps_its_reference_through_a_save(tmp_path, settings):
    from tests.test_body_images import make_image  # noqa: PLC0415

    settings.MEDIA_ROOT = tmp_path
    image = make_image()
    body = f"<p>Before.</p>{image_reference(image.pk, 'At the border.')}"
    assert saved(body).body == body


# What it does not make ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("tag", "markup"),
    [
        ("span", "<span>s</span>"),
        ("div", "<div>d</div>"),
        ("img", '<img src="https://example.org/x.png" alt="x">'),
        ("iframe", '<iframe src="https://example.org/"></iframe>'),
        ("form", '<form action="https://example.org/">f</form>'),
        ("input", '<input name="q">'),
        ("script", "<script>alert(1)</script>"),
        ("style", "<style>p{color:red}</style>"),
    ],
)
def test_markup_the_editor_cannot_make_is_taken_out(tag, markup):
    body = saved(f"<p>Kept.</p>{markup}").body
    assert body.startswith("<p>Kept.</p>")
    assert f"<{tag}" not in body


@pytest.mark.parametrize(
    "attribute",
    ['onclick="alert(1)"', 'style="color:red"', 'target="_blank"', 'class="button"'],
)
def test_a_link_keeps_no_event_handler_style_target_or_class(attribute):
    body = saved(f'<p><a href="https://example.org/" {attribute}>x</a></p>').body
    assert body == f'<p><a href="https://example.org/" {REL}>x</a></p>'


@pytest.mark.parametrize(
    ("written", "stored"),
    [
        ('<p class="lead" style="font-size:40px">Text.</p>', "<p>Text.</p>"),
        ('<ol type="I" start="2"><li>x</li></ol>', '<ol start="2"><li>x</li></ol>'),
    ],
)
def test_paragraphs_and_lists_keep_no_class_style_or_type(written, stored):
    assert saved(written).body == stored


@pytest.mark.parametrize(
    ("href", "kept"),
    [
        ("https://example.org/a", True),
        ("http://example.org/b", True),
        ("mailto:desk@example.org", True),
        ("javascript:alert(1)", False),
        ("data:text/html,<script>alert(1)</script>", False),
        ("ftp://example.org/c", False),
        ("tel:+201234567", False),
    ],
)
def test_a_link_keeps_its_address_only_for_the_web_and_mail(href, kept):
    body = unchecked(f'<p><a href="{href}">x</a></p>')
    assert ("href=" in body) is kept, body


def test_a_link_passes_on_no_referrer_and_no_endorsement():
    body = saved('<p><a href="https://example.org/">x</a></p>').body
    assert body == f'<p><a href="https://example.org/" {REL}>x</a></p>'


def test_an_editors_html_comment_never_reaches_the_page():
    body = saved("<p>Public.<!-- source: the minister's aide --></p>").body
    assert body == "<p>Public.</p>"


# Empty bodies ------------------------------------------------------------------------------------


@pytest.mark.parametrize("body", ["", None, "<p></p>", "<p> </p>", "\n<p>\n</p>\n", "<br>"])
def test_an_editors_empty_paragraph_is_an_empty_body(body):
    cleaned = sanitize_html(body)
    assert html_to_text(cleaned) == ""
    if body != "<br>":
        assert cleaned == ""


def test_a_body_starting_with_an_empty_paragraph_keeps_the_rest():
    assert sanitize_html("<p></p><p>Text.</p>") == "<p></p><p>Text.</p>"
    assert saved("<p> </p>\n<p>Text.</p>").body_text == "Text."


# Pictures ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("reference", ["0", "007", "-1", "1.0", "1e3", " 1", "1" * 19, "x"])
def test_a_picture_reference_that_is_not_a_plain_library_id_is_dropped(reference):
    assert unchecked(f'<p>Text.</p><figure data-image="{reference}"></figure>') == "<p>Text.</p>"


def test_a_picture_with_an_id_too_big_for_the_database_is_dropped_not_an_error():
    body = saved(f'<p>Text.</p><figure data-image="{"9" * 19}"></figure>').body
    assert body == "<p>Text.</p>"


def test_the_largest_id_the_database_can_hold_is_still_a_picture():
    body = f'<figure data-image="{"9" * 18}"></figure>'
    assert unchecked(body) == body


def test_a_pasted_figures_class_and_style_do_not_lose_the_picture():
    body = '<figure data-image="7" class="wide" style="float:left"><figcaption class="c">Cap'
    assert unchecked(body + "</figcaption></figure>") == image_reference(7, "Cap")


def test_a_caption_is_kept_up_to_500_characters_and_cut_there():
    for length, kept in [(500, 500), (501, 500), (2000, 500)]:
        body = unchecked(f'<figure data-image="7"><figcaption>{"w" * length}</figcaption></figure>')
        assert body == image_reference(7, "w" * kept)


def test_a_caption_is_plain_text_on_one_line():
    caption = " <b>At</b>\n the \t  border &amp; beyond "
    body = f'<figure data-image="7"><figcaption>{caption}</figcaption></figure>'
    assert unchecked(body) == image_reference(7, "At the border & beyond")


def test_a_picture_inside_a_picture_goes_with_it():
    body = (
        '<figure data-image="1"><figure data-image="2"><figcaption>inner</figcaption></figure>'
        "<figcaption>outer</figcaption></figure><p>After.</p>"
    )
    assert unchecked(body) == image_reference(1, "outer") + "<p>After.</p>"


def test_a_body_with_a_dozen_pictures_keeps_every_one():
    body = "".join(image_reference(n, f"Picture {n}.") for n in range(1, 13))
    assert unchecked(body) == body


def test_a_picture_inside_a_caption_goes_and_the_captions_words_stay():
    body = '<figure data-image="1"><figcaption>At the <figure data-image="2"></figure>border'
    assert unchecked(body + "</figcaption></figure>") == image_reference(1, "At the border")


def test_a_caption_outside_any_picture_is_only_text():
    assert unchecked("<p>a</p><figcaption>loose</figcaption>") == "<p>a</p>loose"


def test_a_caption_with_markup_characters_is_stored_escaped():
    assert image_reference(3, 'a < b & "c"') == (
        '<figure data-image="3"><figcaption>a &lt; b &amp; "c"</figcaption></figure>'
    )
    assert image_reference(3) == '<figure data-image="3"></figure>'


# Plain text --------------------------------------------------------------------------------------


def test_two_paragraphs_stay_two_lines_of_search_text():
    assert saved("<p>first paragraph</p><p>second paragraph</p>").body_text == (
        "first paragraph\nsecond paragraph"
    )


@pytest.mark.parametrize(
    ("body", "text"),
    [
        ("<h2>Head</h2><p>body</p>", "Head\nbody"),
        ("<h3>Head</h3><h4>Sub</h4><p>body</p>", "Head\nSub\nbody"),
        ("<ul><li>one</li><li>two</li></ul>", "one\ntwo"),
        ("<blockquote>quoted</blockquote>after", "quoted\nafter"),
        ('<figure data-image="7"><figcaption>Cap</figcaption></figure>after', "Cap\nafter"),
        ("<p>line<br>break<BR/>again</p>", "line\nbreak\nagain"),
    ],
)
def test_each_block_and_line_break_is_its_own_line_of_text(body, text):
    assert html_to_text(body) == text


def test_runs_of_spaces_and_tabs_are_one_space_and_blank_lines_go():
    assert html_to_text("<p>  one \t  two  </p>\n\n<p>\tthree four</p>") == "one two\nthree four"


def test_the_text_reads_entities_as_characters_and_drops_tags():
    assert html_to_text("<p><strong>Fish</strong> &amp; chips &lt;3</p>") == "Fish & chips <3"
    assert html_to_text(None) == ""
