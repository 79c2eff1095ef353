"""The operator's side: settings come from the environment; production refuses to start
half-configured."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def run_prod_check(**env):
    environment = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL"}
    }
    environment.update(env, DJANGO_SETTINGS_MODULE="newsroom.settings.prod")
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )


FULL = {
    "SECRET_KEY": "x" * 60,
    "ALLOWED_HOSTS": "news.example.org",
    "DATABASE_URL": "postgres://user:pw@127.0.0.1:5432/newsroom",
}


@pytest.mark.parametrize("missing", sorted(FULL))
def test_production_refuses_to_start_without_required_setting(missing):
    result = run_prod_check(**{k: v for k, v in FULL.items() if k != missing})
    assert result.returncode != 0
    last_line = result.stderr.strip().splitlines()[-1]
    assert f"{missing} is not set" in last_line


def test_production_starts_with_everything_it_needs():
    result = run_prod_check(**FULL)
    assert result.returncode == 0, result.stderr


def test_entry_points_default_to_production_and_manage_to_development():
    assert (
        'setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings.prod")'
        in (ROOT / "newsroom" / "wsgi.py").read_text()
    )
    assert (
        'setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings.prod")'
        in (ROOT / "newsroom" / "asgi.py").read_text()
    )
    assert (
        'setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings.dev")'
        in (ROOT / "manage.py").read_text()
    )


@pytest.mark.django_db
def test_front_page_answers(client):
    response = client.get("/")
    assert response.status_code == 200
    assert b"<h1" in response.content


def test_database_url_selects_the_engine():
    from newsroom.settings import env

    assert env.database("sqlite:///tmp/x.sqlite3")["ENGINE"] == "django.db.backends.sqlite3"
    assert env.database("postgres://u:p@h:5432/n")["ENGINE"] == "django.db.backends.postgresql"
