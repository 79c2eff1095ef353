"""The stylesheets mirror under dir="rtl" by themselves (issue 16, "right-to-left done right").

They are written with logical properties (margin-inline-start, text-align: start, border-inline-*),
so the Arabic edition and the desk in Arabic turn round with no second copy. A physical left or
right would stay put and break the mirror: these tests read every first-party stylesheet and fail
on one, unless it is in ALLOWED with the reason it must not mirror.
"""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
STYLESHEETS = sorted(
    path
    for path in ROOT.glob("*/static/**/*.css")
    if path.relative_to(ROOT).parts[0] != "staticfiles"
)

# (stylesheet, selector, property): why it must not mirror.
ALLOWED = {
    ("desk/static/desk/focal-point.css", ".focal-point-marker", "left"): (
        "the marker stands on the picture's focal point, an x measured from the picture's left "
        "edge (focal-point.js sets style.left); pictures do not mirror"
    ),
    ("desk/static/desk/focal-point.css", ".focal-point-marker", "margin"): (
        "centres the marker on that point: half its size up and to the left, whatever the direction"
    ),
}

# Properties that name a physical side: left, right, margin-left, border-right-color,
# border-top-left-radius, scroll-padding-right...
PHYSICAL_NAME = re.compile(r"^(?:left|right|.+-(?:left|right)(?:-.+)?)$")
# Properties whose keyword value names a side.
SIDE_KEYWORDS = {"text-align", "float", "clear"}
# Four-sided shorthands: top right bottom left, asymmetric when right != left.
BOX_SHORTHANDS = {
    "margin",
    "padding",
    "inset",
    "border-width",
    "border-style",
    "border-color",
    "scroll-margin",
    "scroll-padding",
}

COMMENT = re.compile(r"/\*.*?\*/", re.S)
RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")
TOKEN = re.compile(r"[^\s(]+(?:\([^)]*\)[^\s(]*)*")


def rules(path):
    """(selector, property, value) for each declaration of the stylesheet."""
    text = COMMENT.sub("", path.read_text())
    for selector, body in RULE.findall(text):
        selector = " ".join(selector.split())
        for declaration in body.split(";"):
            name, colon, value = declaration.partition(":")
            if colon:
                value = value.replace("!important", "").strip()
                yield selector, name.strip().lower(), value


def mirrors_badly(name, value):
    """Why this declaration would not mirror under dir="rtl", or None."""
    words = TOKEN.findall(value.lower())
    if PHYSICAL_NAME.match(name):
        return "names a physical side"
    if name in SIDE_KEYWORDS and {"left", "right"} & set(words):
        return "a physical side as its value"
    if name in BOX_SHORTHANDS and len(words) == 4 and words[1] != words[3]:
        return "different right and left in a four-sided shorthand"
    if name == "border-radius":
        corners = _corners(value.split("/")[0].split())
        top_left, top_right, bottom_right, bottom_left = corners
        if (top_left, bottom_left) != (top_right, bottom_right):
            return "different corners on the left and on the right"
    return None


def _corners(values):
    """border-radius's one to four values as top-left, top-right, bottom-right, bottom-left."""
    if len(values) == 1:
        return values * 4
    if len(values) == 2:
        return [values[0], values[1], values[0], values[1]]
    if len(values) == 3:
        return [values[0], values[1], values[2], values[1]]
    return values[:4]


def physical_declarations(path):
    relative = path.relative_to(ROOT).as_posix()
    for selector, name, value in rules(path):
        reason = mirrors_badly(name, value)
        if reason and (relative, selector, name) not in ALLOWED:
            yield f"{relative}: {selector} {{ {name}: {value} }} ({reason})"


def test_there_are_stylesheets_to_read():
    names = {path.relative_to(ROOT).as_posix() for path in STYLESHEETS}
    assert "newsroom/static/newsroom/site.css" in names
    assert "desk/static/desk/desk.css" in names


@pytest.mark.parametrize("path", STYLESHEETS, ids=lambda path: path.relative_to(ROOT).as_posix())
def test_no_physical_left_or_right_outside_the_allow_list(path):
    assert list(physical_declarations(path)) == []


def test_every_allowed_exception_is_still_there_and_says_why():
    found = {
        (path.relative_to(ROOT).as_posix(), selector, name)
        for path in STYLESHEETS
        for selector, name, value in rules(path)
        if mirrors_badly(name, value)
    }
    assert set(ALLOWED) <= found
    assert all(len(reason) > 20 for reason in ALLOWED.values())


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("margin-left", "1rem"),
        ("padding-right", "0"),
        ("left", "0"),
        ("border-left", "3px solid red"),
        ("border-right-color", "red"),
        ("border-top-left-radius", "2px"),
        ("text-align", "right"),
        ("float", "left"),
        ("margin", "1rem 1rem 0 0"),
        ("padding", "0 0 0 calc(1rem + 2px)"),
        ("border-radius", "2px 0 0 2px"),
        ("border-radius", "0 2px"),
    ],
)
def test_the_check_catches_what_would_not_mirror(name, value):
    assert mirrors_badly(name, value)


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("margin-inline-start", "1rem"),
        ("inset-inline-end", "0"),
        ("border-inline-start", "3px solid red"),
        ("border-start-end-radius", "2px"),
        ("text-align", "start"),
        ("text-align", "center"),
        ("float", "inline-start"),
        ("margin", "0 auto"),
        ("padding", "0.7rem 0.1rem 0.6rem"),
        ("margin", "1rem 2rem 0 2rem"),
        ("border-radius", "999px"),
        ("top", "-10rem"),
    ],
)
def test_the_check_lets_through_what_mirrors(name, value):
    assert mirrors_badly(name, value) is None


def test_the_arabic_edition_has_an_arabic_font_stack_from_system_fonts():
    site = (ROOT / "newsroom/static/newsroom/site.css").read_text()
    arabic = "".join(
        body for selector, body in RULE.findall(COMMENT.sub("", site)) if ":lang(ar)" in selector
    )
    assert '"Noto Naskh Arabic"' in arabic
    assert "line-height" in arabic
    for path in STYLESHEETS:
        text = COMMENT.sub("", path.read_text())
        assert "@font-face" not in text and "@import" not in text, path
        assert not re.search(r"url\(\s*['\"]?(?:https?:)?//", text), path
