"""The OpenAPI document describes the API as it answers: schemathesis generates requests from it
for every operation (in-process, against the WSGI application, with the launch story loaded) and
finds no 500, no status the document does not list and no body that breaks its own schema."""

import pytest
import schemathesis
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    response_schema_conformance,
    status_code_conformance,
)

from articles.models import Article, Correction, Theme
from people.models import Organization, Person

from .factories import make_correction

CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]


@pytest.fixture
def keep_the_connection():
    """A WSGI request closes the database connection when it ends; in a test that would drop the
    test's transaction (PostgreSQL). Django's own test client unhooks it the same way."""
    signals = (request_started, request_finished)
    for signal in signals:
        signal.disconnect(close_old_connections)
    yield
    for signal in signals:
        signal.connect(close_old_connections)


@pytest.fixture
def launch_story(db, settings, keep_the_connection):
    settings.API_ANONYMOUS_RATE = "100000/minute"
    call_command("loaddata", "conference", verbosity=0)
    make_correction(Article.objects.get(), wrong="A date", right="The right date")


# The document as the application serves it (no database is needed for it).
# The in-process WSGI client does not decompress; a real HTTP client does (tests/test_compression).
PLAIN = {"Accept-Encoding": "identity"}
schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", get_wsgi_application())


@pytest.fixture
def api_schema(launch_story):
    return schema


@schema.parametrize()
@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_generated_requests_get_documented_answers(case, launch_story):
    case.call_and_validate(checks=CHECKS, headers=PLAIN)


def known_addresses():
    """Every operation with parameters that find something, so 200s are checked too."""
    article = Article.objects.get()
    return [
        ("/api/v1/articles/", {}, {"page_size": 1}),
        ("/api/v1/articles/", {}, {"theme": Theme.objects.first().slug}),
        ("/api/v1/articles/{key}/", {"key": article.slug}, {}),
        ("/api/v1/articles/{key}/", {"key": str(article.uid)}, {}),
        ("/api/v1/articles/{key}.ninjs", {"key": article.slug}, {"version": "3.1"}),
        ("/api/v1/themes/", {}, {}),
        ("/api/v1/themes/{slug}/", {"slug": Theme.objects.first().slug}, {}),
        ("/api/v1/people/", {}, {"page_size": 2}),
        ("/api/v1/people/{slug}/", {"slug": Person.objects.first().slug}, {}),
        ("/api/v1/organizations/", {}, {}),
        ("/api/v1/organizations/{slug}/", {"slug": Organization.objects.first().slug}, {}),
        ("/api/v1/corrections/", {}, {}),
    ]


def test_real_answers_match_the_document(api_schema):
    assert Correction.objects.exists()
    covered = set()
    for path, path_parameters, query in known_addresses():
        operation = api_schema[path]["GET"]
        case = operation.Case(path_parameters=path_parameters, query=query)
        response = case.call_and_validate(checks=CHECKS, headers=PLAIN)
        assert response.status_code == 200, (path, response.text[:200])
        covered.add(path)
    documented = set(api_schema.raw_schema["paths"])
    assert covered == documented


def test_ninjs_by_accept_matches_the_document(api_schema):
    operation = api_schema["/api/v1/articles/{key}/"]["GET"]
    case = operation.Case(path_parameters={"key": Article.objects.get().slug})
    response = case.call_and_validate(
        checks=CHECKS, headers={**PLAIN, "Accept": "application/ninjs+json; version=3.1"}
    )
    assert response.headers["content-type"] == ["application/ninjs+json; charset=utf-8"]


def test_the_document_describes_errors_keys_and_ninjs(client, db):
    document = client.get("/api/v1/schema/").json()
    assert document["openapi"].startswith("3.")
    articles = document["paths"]["/api/v1/articles/"]["get"]
    assert {"200", "400", "401", "404", "429"} <= set(articles["responses"])
    error = document["components"]["schemas"]["Error"]
    assert set(error["required"]) == {"detail", "status", "code"}
    detail = document["paths"]["/api/v1/articles/{key}/"]["get"]["responses"]["200"]
    assert set(detail["content"]) == {"application/json", "application/ninjs+json"}
    assert document["components"]["securitySchemes"]["ApiKey"]["name"] == "Authorization"
    assert {} in articles["security"]  # anonymous reading is allowed


def test_the_docs_are_served_from_this_site(client, db):
    page = client.get("/api/v1/docs/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "<script>" not in html and "<style" not in html  # nothing the CSP would block
    assert "cdn" not in html.lower()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    script = client.get("/api/v1/docs/?script=")
    assert script.status_code == 200
    assert "/api/v1/schema/" in script.content.decode()
    assert (
        client.get("/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui.css").status_code
        == 200
    )
