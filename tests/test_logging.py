"""Operators read one JSON line per request and per error on stdout, each with the request's id,
which is also sent back to the client in X-Request-ID."""

import io
import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection
from django.http import HttpResponse
from django.test import Client, override_settings
from django.urls import path

from newsroom.logging import JSONFormatter
from tests.factories import make_article

ROOT = Path(__file__).resolve().parent.parent
REQUEST_FIELDS = {
    "time",
    "level",
    "request_id",
    "method",
    "path",
    "status",
    "duration_ms",
    "user",
    "remote_addr",
}


def broken_view(request):
    raise ValueError("the printing press jammed")


def fine_view(request):
    return HttpResponse("fine")


urlpatterns = [path("broken/", broken_view), path("fine/", fine_view)]


def configured_handler():
    """The handler settings.LOGGING puts on the root logger (pytest adds its own beside it)."""
    (handler,) = [h for h in logging.getLogger().handlers if isinstance(h.formatter, JSONFormatter)]
    return handler


@pytest.fixture
def log_lines():
    """The lines the site's own LOGGING configuration writes, as text, one string per line."""
    configured = configured_handler()
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(configured.formatter)
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield lambda: stream.getvalue().splitlines()
    finally:
        root.removeHandler(handler)


def records(lines, logger):
    parsed = [json.loads(line) for line in lines]  # every line is JSON, or this fails
    return [entry for entry in parsed if entry["logger"] == logger]


def test_the_configured_handler_writes_json_to_stdout():
    handler = configured_handler()
    assert handler.stream is sys.stdout or handler.stream.name == "<stdout>"


@pytest.mark.django_db
def test_one_json_line_per_request_with_the_fields_operators_need(client, log_lines):
    article = make_article()
    response = client.get(article.get_absolute_url(), REMOTE_ADDR="203.0.113.7")
    assert response.status_code == 200

    (line,) = records(log_lines(), "newsroom.request")
    assert line.keys() >= REQUEST_FIELDS
    assert line["level"] == "INFO"
    assert line["method"] == "GET"
    assert line["path"] == article.get_absolute_url()
    assert line["status"] == 200
    assert isinstance(line["duration_ms"], float) and line["duration_ms"] >= 0
    assert line["user"] == "anonymous"
    assert line["remote_addr"] == "203.0.113.7"
    assert line["request_id"] == response["X-Request-ID"]
    assert line["time"].endswith("+00:00")


@pytest.mark.django_db
@override_settings(TRUSTED_PROXY_HEADER="X-Forwarded-For", TRUSTED_PROXY_COUNT=1)
def test_behind_a_trusted_proxy_the_log_names_the_reader_not_the_proxy(client, log_lines):
    client.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.9")
    (line,) = records(log_lines(), "newsroom.request")
    assert line["remote_addr"] == "198.51.100.9"


@pytest.mark.django_db
def test_a_not_found_page_is_one_request_line_and_no_warning(client, log_lines):
    response = client.get("/articles/no-such-story/")
    assert response.status_code == 404
    lines = log_lines()
    assert [entry["status"] for entry in records(lines, "newsroom.request")] == [404]
    assert records(lines, "django.request") == []


@pytest.mark.django_db
def test_signed_in_editor_is_logged_by_id(editor_client, editor, log_lines):
    editor_client.get("/admin/")
    (line,) = records(log_lines(), "newsroom.request")
    assert line["user"] == editor.pk


@pytest.mark.django_db
def test_a_sane_request_id_from_the_proxy_is_kept_and_sent_back(client, log_lines):
    response = client.get("/articles/", headers={"X-Request-ID": "lb-7f3a.19:2"})
    assert response["X-Request-ID"] == "lb-7f3a.19:2"
    (line,) = records(log_lines(), "newsroom.request")
    assert line["request_id"] == "lb-7f3a.19:2"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "hostile",
    [
        'abc\n{"level": "INFO", "message": "forged"}',
        "x" * 10_000,
        "id with spaces",
        "<script>",
        "",
    ],
    ids=["newline", "10KB", "spaces", "markup", "empty"],
)
def test_a_hostile_request_id_is_replaced(client, log_lines, hostile):
    response = client.get("/articles/", headers={"X-Request-ID": hostile})
    generated = response["X-Request-ID"]
    assert generated != hostile
    assert len(generated) == 32 and generated.isalnum()
    lines = log_lines()
    assert len(lines) == 1
    assert json.loads(lines[0])["request_id"] == generated


@pytest.mark.django_db
def test_each_request_gets_its_own_id(client):
    ids = {client.get("/articles/")["X-Request-ID"] for _ in range(3)}
    assert len(ids) == 3


@pytest.mark.django_db
def test_a_newline_in_the_address_cannot_forge_a_log_line(client, log_lines):
    client.get('/articles/x%0A{"level":"ERROR"}/')
    lines = log_lines()
    assert len(lines) == 1
    assert json.loads(lines[0])["path"] == '/articles/x\n{"level":"ERROR"}/'


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=__name__)
def test_an_error_is_one_json_line_with_its_type_traceback_and_request_id(log_lines):
    client = Client(raise_request_exception=False)
    response = client.get("/broken/", headers={"X-Request-ID": "req-500"})
    assert response.status_code == 500
    assert response["X-Request-ID"] == "req-500"

    lines = log_lines()
    (error,) = records(lines, "django.request")
    assert error["level"] == "ERROR"
    assert error["request_id"] == "req-500"
    assert error["error_type"] == "ValueError"
    assert error["error"] == "the printing press jammed"
    assert error["traceback"].startswith("Traceback (most recent call last)")
    assert "broken_view" in error["traceback"]
    (line,) = records(lines, "newsroom.request")
    assert (line["status"], line["request_id"]) == (500, "req-500")


def test_a_running_site_prints_json_lines_on_stdout(tmp_path):
    """The whole path, in a fresh process: settings, LOGGING, middleware, stdout."""
    script = (
        "import django; django.setup()\n"
        "from django.test import Client\n"
        "Client().get('/healthz', headers={'X-Request-ID': 'from-the-lb'})\n"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "newsroom.settings.test",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    (request_line,) = [line for line in lines if line["logger"] == "newsroom.request"]
    assert request_line["path"] == "/healthz"
    assert request_line["status"] == 200
    assert request_line["request_id"] == "from-the-lb"
    assert connection.vendor  # the suite's own database is untouched by the subprocess
