"""Readers' pages, feeds, sitemaps and API answers come compressed (Brotli or gzip, as the client
asks), compressed once when the page is stored; signed-in staff get theirs as they are."""

import gzip

import brotli
import pytest

from newsroom import compression
from newsroom.compression import accepted, choose
from tests.factories import make_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def story():
    return make_article(
        headline="Conference in Cairo", body="<p>" + "Delegates met. " * 80 + "</p>"
    )


@pytest.mark.parametrize("path", ["/", "/feed/", "/sitemap-articles.xml", "/api/v1/articles/"])
def test_each_kind_of_page_comes_in_gzip_and_brotli(client, story, path):
    plain = client.get(path)
    assert plain.status_code == 200 and "Content-Encoding" not in plain
    zipped = client.get(path, HTTP_ACCEPT_ENCODING="gzip, deflate")
    assert zipped["Content-Encoding"] == "gzip"
    assert gzip.decompress(zipped.content) == plain.content
    assert int(zipped["Content-Length"]) == len(zipped.content) < len(plain.content)
    best = client.get(path, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert best["Content-Encoding"] == "br"
    assert brotli.decompress(best.content) == plain.content
    assert len({plain["ETag"], zipped["ETag"], best["ETag"]}) == 3
    assert "Accept-Encoding" in best["Vary"]


def test_a_page_is_compressed_once_not_per_hit(client, story, monkeypatch):
    calls = []
    real = compression.gzip.compress
    monkeypatch.setattr(
        compression.gzip, "compress", lambda *a, **k: calls.append(1) or real(*a, **k)
    )
    for _ in range(5):
        assert client.get("/", HTTP_ACCEPT_ENCODING="gzip")["Content-Encoding"] == "gzip"
    assert len(calls) == 1


def test_a_compressed_page_revalidates_with_its_own_tag(client, story):
    first = client.get("/", HTTP_ACCEPT_ENCODING="br")
    again = client.get("/", HTTP_ACCEPT_ENCODING="br", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304


def test_staff_pages_are_never_compressed(editor_client, story):
    page = editor_client.get("/", HTTP_ACCEPT_ENCODING="gzip, br")
    assert page.status_code == 200 and "Content-Encoding" not in page
    desk = editor_client.get("/admin/", HTTP_ACCEPT_ENCODING="gzip, br")
    assert "Content-Encoding" not in desk


def test_what_the_client_accepts_decides():
    assert accepted("gzip;q=1.0, br;q=0, identity") == {"gzip", "identity"}
    assert choose("gzip;q=0.5, br", {"br", "gzip"}) == "br"
    assert choose("br;q=0, gzip", {"br", "gzip"}) == "gzip"
    assert choose("*", {"br", "gzip"}) == "br"
    assert choose("deflate", {"br", "gzip"}) is None
    assert choose("gzip;q=nonsense", {"gzip"}) == "gzip"
    assert choose("", {"gzip"}) is None
