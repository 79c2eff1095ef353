"""Whatever arrives in an address, a reader's page is never a 500.

Hypothesis throws arbitrary text, raw bytes (invalid UTF-8, lone surrogates, NUL), huge and odd
numbers, stray percent signs and very long values at every public URL's path parameters and at its
query parameters (page, q and parameters the site does not know). A 4xx, a redirect or a sensible
default are all fine; an exception or a 5xx is not.
"""

import tempfile
from pathlib import Path
from urllib.parse import quote, quote_from_bytes

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.configuration import set_hypothesis_home_dir

from tests.factories import make_article, make_organization, make_person, make_theme

# Hypothesis also keeps caches (Unicode tables, constants) on disk; keep them out of the checkout.
set_hypothesis_home_dir(Path(tempfile.gettempdir()) / "newsroom-hypothesis")

FUZZ = settings(
    max_examples=100,
    deadline=None,
    database=None,  # no .hypothesis directory in the checkout
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


def encoded(raw: bytes) -> str:
    return quote_from_bytes(raw, safe="")


# What can stand in a path segment or a query value, as the client would send it on the wire.
VALUES = st.one_of(
    st.text().map(lambda s: quote(s.encode("utf-8", "surrogatepass"), safe="")),
    st.binary(max_size=64).map(encoded),  # any bytes: invalid UTF-8, NUL, control characters
    st.binary(max_size=64).map(lambda b: quote(b.decode("latin-1"), safe="")),
    st.text(alphabet="%0123456789abcdefABCDEFxz-_.~", max_size=30),  # stray %, %zz, %%
    st.integers(min_value=-(10**40), max_value=10**40).map(str),
    st.sampled_from(
        [
            "",
            "0",
            "-1",
            "1e9",
            "1.5",
            "NaN",
            "inf",
            "9" * 5000,  # past Python's int-from-string limit (4300 digits)
            "%00",
            "a%00b",
            "%ED%A0%80",  # a UTF-16 surrogate, UTF-8 encoded: not valid UTF-8
            "%C0%AF",  # an overlong encoding of "/"
            "%FF%FE",
            "..",
            "%2E%2E",
            "%2F",
            "last",
            "\u202egnp.exe",
        ]
    ),
    st.text(min_size=2000, max_size=10_000).map(lambda s: quote(s, safe="")),
)


@pytest.fixture
def site(db):
    theme = make_theme(name="Child protection")
    article = make_article(headline="Conference in Cairo", themes=[theme])
    person = make_person(name="Jane Doe")
    organization = make_organization(name="IOM Egypt")
    article.people.add(person)
    article.organizations.add(organization)
    return {
        "theme": theme.slug,
        "article": article.slug,
        "person": person.slug,
        "organization": organization.slug,
    }


PATH_TEMPLATES = [
    "/articles/{}/",
    "/themes/{}/",
    "/themes/{}/feed/",
    "/people/{}/",
    "/organizations/{}/",
]


def assert_no_server_error(client, url):
    response = client.get(url)  # an exception in the view is raised here and fails the test
    assert response.status_code < 500, (url, response.status_code)


@FUZZ
@given(template=st.sampled_from(PATH_TEMPLATES), value=VALUES)
def test_path_parameters(client, site, template, value):
    assert_no_server_error(client, template.format(value))


def query_urls(site):
    return [
        "/",
        "/articles/",
        f"/articles/{site['article']}/",
        "/themes/",
        f"/themes/{site['theme']}/",
        f"/themes/{site['theme']}/feed/",
        "/people/",
        f"/people/{site['person']}/",
        "/organizations/",
        f"/organizations/{site['organization']}/",
        "/search/",
        "/feed/",
        "/sitemap.xml",
        "/healthz",
    ]


PARAMETER_NAMES = st.one_of(st.sampled_from(["page", "q"]), VALUES)


@FUZZ
@given(
    index=st.integers(min_value=0, max_value=13),
    params=st.lists(st.tuples(PARAMETER_NAMES, VALUES), min_size=1, max_size=4),
    separator=st.sampled_from(["&", ";", "&&"]),
)
def test_query_parameters(client, site, index, params, separator):
    url = query_urls(site)[index]
    query = separator.join(f"{name}={value}" for name, value in params)
    assert_no_server_error(client, f"{url}?{query}")


SEARCH_TOKENS = [*"\"*()-+:^~{}[]\\'%_ ", "OR", "AND", "NOT", "NEAR", "NEAR(", "x", "é", "\x00"]
SEARCH_SYNTAX = st.lists(st.sampled_from(SEARCH_TOKENS), max_size=20).map("".join)


@FUZZ
@given(q=st.one_of(SEARCH_SYNTAX, st.text()), page=VALUES)
def test_search_syntax_and_pages(client, site, q, page):
    """Full-text search engines have a query syntax of their own; none of it may break the page."""
    q = quote(q.encode("utf-8", "surrogatepass"), safe="")
    assert_no_server_error(client, f"/search/?q={q}&page={page}")


@FUZZ
@given(
    url=st.sampled_from(["/articles/", "/themes/{theme}/", "/people/{person}/"]),
    page=st.one_of(
        st.integers(min_value=-(10**30), max_value=10**30).map(str),
        st.floats(allow_nan=True, allow_infinity=True).map(str),
        st.sampled_from(["last", "first", "", "0x10", "1_000", " 1", "١", "²"]),
    ),
)
def test_page_numbers(client, site, url, page):
    assert_no_server_error(client, url.format(**site) + "?page=" + quote(page, safe=""))
