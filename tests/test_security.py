"""Security as readers, editors and operators meet it: headers, cookies, the login lockout, the
client address behind a proxy, redirects after sign-in, `check --deploy`, and static files."""

import importlib
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client, override_settings
from django.test.client import RequestFactory

from newsroom.security import client_ip

from .factories import make_article, make_person, make_theme

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent
SIX_MONTHS = 15_768_000  # seconds, the HSTS minimum Mozilla's Observatory asks for


def policy_of(response):
    """The Content-Security-Policy header as {directive: [sources]}."""
    directives = {}
    for part in response["Content-Security-Policy"].split(";"):
        name, *sources = part.split()
        directives[name] = sources
    return directives


@pytest.fixture
def public_paths():
    theme = make_theme(name="Child protection")
    person = make_person(name="Amal Hassan", slug="amal-hassan")
    article = make_article(slug="the-story", themes=[theme], people=[person])
    return [
        "/",
        article.get_absolute_url(),
        "/articles/",
        f"/themes/{theme.slug}/",
        "/people/amal-hassan/",
        "/search/?q=story",
        "/feed/",
        "/sitemap.xml",
    ]


@pytest.fixture
def prod_settings(monkeypatch, settings):
    """The security settings exactly as newsroom/settings/prod.py makes them from a full env."""
    monkeypatch.setenv("SECRET_KEY", secrets.token_urlsafe(50))
    monkeypatch.setenv("ALLOWED_HOSTS", "testserver")
    monkeypatch.setenv("DATABASE_URL", "sqlite:///unused.sqlite3")
    for name in ("SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "CACHE_URL", "REDIS_URL"):
        monkeypatch.delenv(name, raising=False)
    prod = importlib.reload(importlib.import_module("newsroom.settings.prod"))
    prefixes = ("SECURE_", "SESSION_COOKIE_", "CSRF_COOKIE_")
    for name in dir(prod):
        if name.startswith(prefixes) or name in {"CONTENT_SECURITY_POLICY", "X_FRAME_OPTIONS"}:
            setattr(settings, name, getattr(prod, name))
    return settings


# Headers on public pages and the admin ------------------------------------------------------


def test_public_pages_send_a_strict_policy_and_the_other_security_headers(client, public_paths):
    for path in public_paths:
        response = client.get(path)
        assert response.status_code == 200, path
        policy = policy_of(response)
        assert policy["default-src"] == ["'none'"], path
        assert policy["script-src"] == ["'self'"], path
        assert policy["style-src"] == ["'self'"], path
        assert policy["frame-ancestors"] == ["'none'"], path
        assert policy["base-uri"] == ["'none'"], path
        assert policy["form-action"] == ["'self'"], path
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
        assert response["X-Frame-Options"] == "DENY"


def test_public_pages_never_carry_a_nonce_so_caches_can_share_them(client, public_paths):
    # A nonce is per request; a shared cache or CDN would hand one reader's nonce to everyone.
    for path in public_paths:
        response = client.get(path)
        assert "nonce" not in response["Content-Security-Policy"], path
        assert b"nonce=" not in response.content, path


def test_public_html_has_no_script_but_json_ld_and_no_inline_style(client, public_paths):
    for path in public_paths:
        html = client.get(path).content.decode()
        for tag in re.findall(r"<script\b[^>]*>", html):
            assert 'type="application/ld+json"' in tag, (path, tag)
        assert "<style" not in html and " style=" not in html, path


def test_no_policy_anywhere_allows_unsafe_inline_or_eval(client, editor_client):
    for response in (client.get("/"), editor_client.get("/admin/articles/article/add/")):
        header = response["Content-Security-Policy"]
        assert "unsafe-inline" not in header and "unsafe-eval" not in header


def test_admin_sign_in_page_has_the_policy_without_a_nonce(client):
    response = client.get("/admin/login/")
    assert response.status_code == 200
    assert policy_of(response)["script-src"] == ["'self'"]
    assert response["X-Frame-Options"] == "DENY"


def test_article_editor_page_nonce_matches_its_import_map_and_style_slot(editor_client):
    response = editor_client.get("/admin/articles/article/add/")
    nonces = {source for source in policy_of(response)["script-src"] if "nonce-" in source}
    assert len(nonces) == 1
    nonce = nonces.pop().strip("'").removeprefix("nonce-")
    assert f"'nonce-{nonce}'" in policy_of(response)["style-src"]
    html = response.content.decode()
    assert re.search(rf'<script type="importmap" nonce="{re.escape(nonce)}">', html)
    assert re.search(rf'<style nonce="{re.escape(nonce)}" data-tiptap-style>', html)
    # A fresh nonce for every page view.
    again = editor_client.get("/admin/articles/article/add/")
    assert f"'nonce-{nonce}'" not in again["Content-Security-Policy"]


# Production: HTTPS, HSTS, cookies ------------------------------------------------------------


def test_production_redirects_plain_http_to_https_on_the_same_host(client, prod_settings):
    response = client.get("/articles/?page=2")
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/articles/?page=2"


def test_production_sends_hsts_of_at_least_six_months_over_https(client, prod_settings):
    response = client.get("/", secure=True)
    assert response.status_code == 200
    hsts = dict(
        (part.strip().split("=") + [True])[:2]
        for part in response["Strict-Transport-Security"].split(";")
    )
    assert int(hsts["max-age"]) >= SIX_MONTHS
    assert "includeSubDomains" in hsts


def test_production_cookies_are_secure_httponly_and_samesite(client, editor, prod_settings):
    sign_in = client.get("/admin/login/", secure=True)
    signed_in = client.post(
        "/admin/login/?next=/admin/", {"username": "editor", "password": "pw"}, secure=True
    )
    assert signed_in.status_code == 302
    cookies = {**sign_in.cookies, **signed_in.cookies}
    assert {"csrftoken", "sessionid"} <= set(cookies)
    for name, morsel in cookies.items():
        assert morsel["secure"] is True, name
        assert morsel["httponly"] is True, name
        assert morsel["samesite"] == "Lax", name


def test_public_pages_set_no_cookies(client, public_paths, prod_settings):
    for path in public_paths:
        assert not client.get(path, secure=True).cookies, path


def observatory_grade(home, plain_http):
    """Mozilla HTTP Observatory's published scoring (httpobs/docs/scoring.md), for the tests one
    response can decide. Returns (score, {test: result}). Bonuses count only from 90 up."""
    results, penalty, bonus = {}, 0, 0
    policy = policy_of(home)
    scripts = policy.get("script-src", policy.get("default-src", []))
    styles = policy.get("style-src", policy.get("default-src", []))
    if "'unsafe-inline'" in scripts or "data:" in scripts or not scripts:
        results["csp"], penalty = "csp-implemented-with-unsafe-inline", penalty - 20
    elif "'unsafe-eval'" in scripts + styles:
        results["csp"], penalty = "csp-implemented-with-unsafe-eval", penalty - 10
    elif "'unsafe-inline'" in styles or "data:" in styles:
        results["csp"] = "csp-implemented-with-unsafe-inline-in-style-src-only"
    elif policy.get("default-src") == ["'none'"]:
        results["csp"], bonus = "csp-implemented-with-no-unsafe-default-src-none", bonus + 10
    else:
        results["csp"], bonus = "csp-implemented-with-no-unsafe", bonus + 5
    if not home.cookies:
        results["cookies"] = "cookies-not-found"
    referrer = home.get("Referrer-Policy", "")
    if referrer in {
        "no-referrer",
        "same-origin",
        "strict-origin",
        "strict-origin-when-cross-origin",
    }:
        results["referrer-policy"], bonus = "referrer-policy-private", bonus + 5
    hsts = re.search(r"max-age=(\d+)", home.get("Strict-Transport-Security", ""))
    if hsts and int(hsts[1]) >= SIX_MONTHS:
        results["hsts"] = "hsts-implemented-max-age-at-least-six-months"
    else:
        results["hsts"], penalty = "hsts-too-short-or-missing", penalty - 20
    location = plain_http.get("Location", "")
    if plain_http.status_code in {301, 302, 307, 308} and location.startswith(
        "https://testserver/"
    ):
        results["redirection"] = "redirection-to-https"
    else:
        results["redirection"], penalty = "redirection-missing", penalty - 20
    if "<script src" in home.content.decode():
        results["sri"], penalty = "sri-not-implemented-but-external-scripts", penalty - 5
    else:
        results["sri"] = "sri-not-implemented-but-no-scripts-loaded"
    if home.get("X-Content-Type-Options") == "nosniff":
        results["x-content-type-options"] = "x-content-type-options-nosniff"
    else:
        results["x-content-type-options"], penalty = "not-implemented", penalty - 5
    if policy.get("frame-ancestors"):
        results["x-frame-options"], bonus = "x-frame-options-implemented-via-csp", bonus + 5
    elif home.get("X-Frame-Options") not in {"DENY", "SAMEORIGIN"}:
        results["x-frame-options"], penalty = "x-frame-options-not-implemented", penalty - 20
    if "Access-Control-Allow-Origin" not in home:
        results["cors"] = "cross-origin-resource-sharing-not-implemented"
    else:
        results["cors"], penalty = "cross-origin-resource-sharing-implemented", penalty - 50
    score = 100 + penalty
    return (score + bonus if score >= 90 else score), results


def test_front_page_scores_at_least_100_by_the_observatory_rules(client, prod_settings):
    make_article()
    home = client.get("/", secure=True)
    score, results = observatory_grade(home, client.get("/"))
    assert score >= 100, results
    assert results["csp"] == "csp-implemented-with-no-unsafe-default-src-none"
    assert results["x-frame-options"] == "x-frame-options-implemented-via-csp"
    assert results["referrer-policy"] == "referrer-policy-private"


# Login lockout ---------------------------------------------------------------------------------


def sign_in(client, password, **extra):
    return client.post(
        "/admin/login/?next=/admin/", {"username": "editor", "password": password}, **extra
    )


def test_repeated_failed_sign_ins_lock_the_address_out_with_a_clear_page(client, editor, settings):
    limit = settings.AXES_FAILURE_LIMIT
    assert 3 <= limit <= 10
    for _ in range(limit - 1):
        response = sign_in(client, "wrong")
        assert response.status_code == 200
        assert b"Please enter the correct username and password" in response.content
    locked = sign_in(client, "wrong")
    assert locked.status_code == 429
    page = locked.content.decode()
    assert "Sign-in locked" in page and f"({limit} in a row)" in page
    assert "15 minutes" in page
    # The right password does not get through during the lockout either.
    assert sign_in(client, "pw").status_code == 429
    # Someone else, from another address, still signs in.
    assert sign_in(Client(), "pw", REMOTE_ADDR="192.0.2.50").status_code == 302


def test_a_successful_sign_in_clears_earlier_failures(client, editor, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, "wrong")
    assert sign_in(client, "pw").status_code == 302
    client.logout()
    assert sign_in(client, "wrong").status_code == 200


def test_without_a_trusted_proxy_a_forged_forwarded_for_header_does_not_escape(
    client, editor, settings
):
    settings.TRUSTED_PROXY_HEADER = ""
    for n in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "wrong", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}")
    assert sign_in(client, "pw", HTTP_X_FORWARDED_FOR="198.51.100.99").status_code == 429


def test_behind_a_configured_proxy_each_reader_is_counted_separately(client, editor, settings):
    settings.TRUSTED_PROXY_HEADER = "X-Forwarded-For"
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = {"REMOTE_ADDR": "10.0.0.1"}
    for _ in range(settings.AXES_FAILURE_LIMIT):
        # The attacker also forges an entry of its own; only the proxy's last entry counts.
        sign_in(client, "wrong", HTTP_X_FORWARDED_FOR="192.0.2.1, 203.0.113.7", **proxy)
    assert sign_in(client, "pw", HTTP_X_FORWARDED_FOR="203.0.113.7", **proxy).status_code == 429
    colleague = sign_in(Client(), "pw", HTTP_X_FORWARDED_FOR="203.0.113.8", **proxy)
    assert colleague.status_code == 302


@pytest.mark.parametrize(
    ("header", "count", "forwarded", "expected"),
    [
        ("", 1, "203.0.113.7", "10.0.0.1"),  # not configured: the header is ignored
        ("X-Forwarded-For", 1, "203.0.113.7", "203.0.113.7"),
        ("X-Forwarded-For", 1, "1.2.3.4, 203.0.113.7", "203.0.113.7"),
        ("X-Forwarded-For", 2, "1.2.3.4, 203.0.113.7, 10.0.0.9", "203.0.113.7"),
        ("X-Forwarded-For", 2, "203.0.113.7", "10.0.0.1"),  # fewer hops than proxies
        ("X-Forwarded-For", 1, "not-an-address", "10.0.0.1"),
        ("X-Forwarded-For", 1, "", "10.0.0.1"),
        ("X-Real-IP", 1, "2001:db8::1", "2001:db8::1"),
    ],
)
def test_client_address(settings, header, count, forwarded, expected):
    settings.TRUSTED_PROXY_HEADER = header
    settings.TRUSTED_PROXY_COUNT = count
    meta_name = "HTTP_" + (header or "X-Forwarded-For").upper().replace("-", "_")
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", **{meta_name: forwarded})
    assert client_ip(request) == expected


# Redirects after sign-in ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example/",
        "https:evil.example",
        "http://testserver@evil.example/",
        "javascript:alert(1)",
        "\x00//evil.example",
    ],
)
def test_sign_in_refuses_to_redirect_off_the_site(client, editor, target):
    response = client.post(
        "/admin/login/", {"username": "editor", "password": "pw", "next": target}
    )
    assert response.status_code == 302
    assert response["Location"] == "/admin/"


def test_sign_in_follows_a_next_address_on_the_site(client, editor):
    response = client.post(
        "/admin/login/",
        {"username": "editor", "password": "pw", "next": "/admin/articles/article/"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/admin/articles/article/"


def test_signed_in_editor_sent_to_the_login_page_with_an_evil_next_stays(editor_client):
    response = editor_client.get("/admin/login/", {"next": "https://evil.example/"})
    assert response.status_code == 302
    assert response["Location"] == "/admin/"


# Operators: check --deploy, static files -----------------------------------------------------


def test_check_deploy_is_clean_with_production_settings_and_a_full_environment(tmp_path):
    env = {
        "PATH": os.environ["PATH"],
        "DJANGO_SETTINGS_MODULE": "newsroom.settings.prod",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "news.example.org",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout + result.stderr


def test_hashed_static_files_are_served_compressed_with_far_future_caching(tmp_path):
    manifest = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    with override_settings(
        STATIC_ROOT=tmp_path,
        STORAGES=manifest,
        WHITENOISE_USE_FINDERS=False,
        WHITENOISE_AUTOREFRESH=False,
    ):
        call_command("collectstatic", interactive=False, verbosity=0)
        client = Client()  # a new client builds its middleware, WhiteNoise included, now
        make_article()
        stylesheet = re.search(
            r'href="(/static/newsroom/site\.[0-9a-f]{12}\.css)"', (client.get("/").content.decode())
        )
        assert stylesheet, "the front page links its stylesheet by hashed name"
        response = client.get(stylesheet[1], HTTP_ACCEPT_ENCODING="gzip")
        assert response.status_code == 200
        assert response["Cache-Control"] == "max-age=315360000, public, immutable"
        assert response["Content-Encoding"] == "gzip"
        response.close()
