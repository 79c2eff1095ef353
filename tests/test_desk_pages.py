"""Every desk page, tried as everyone who might open it, answers with a page, a redirect to sign
in, a refusal or a "not found": never a server error, and never in Django's name.

The pages: the dashboard, each app's index, each registered model's list, add form, change form,
History, and (for versioned models) the comparison and the revert confirmation, the delete
confirmation, and the autocomplete the forms search with. The people: a superuser, an editor and a
reporter (from their groups), staff with no group, a signed-in reader who is not staff, and
someone not signed in.
"""

import pytest
import reversion
from django.contrib import admin
from django.contrib.auth.models import Group
from django.urls import NoReverseMatch, reverse
from reversion.models import Version

from articles.models import Article, Theme
from tests.factories import make_article, make_theme
from tests.test_admin import make_rich_row
from workflow import services
from workflow.models import AuditEvent, PreviewLink
from workflow.roles import EDITOR, REPORTER

pytestmark = pytest.mark.django_db

ROLES = ["superuser", "editor", "reporter", "staff_without_group", "signed_in_reader", "anonymous"]
MODELS = sorted(admin.site._registry, key=lambda model: model._meta.label)
ANSWERS = {200, 302, 400, 403, 404}
# Whoever may not use the desk is sent to sign in.
OUTSIDERS = {"signed_in_reader", "anonymous"}


@pytest.fixture
def users(django_user_model):
    def staff(username, group=None):
        user = django_user_model.objects.create_user(username, password="pw", is_staff=True)
        if group:
            user.groups.add(Group.objects.get(name=group))
        return django_user_model.objects.get(pk=user.pk)

    return {
        "superuser": django_user_model.objects.create_superuser("root", "r@example.org", "pw"),
        "editor": staff("esther", EDITOR),
        "reporter": staff("rania", REPORTER),
        "staff_without_group": staff("sami"),
        "signed_in_reader": django_user_model.objects.create_user("reader", password="pw"),
        "anonymous": None,
    }


def as_role(client, users, role):
    if users[role] is not None:
        client.force_login(users[role])
    return client


def one_row(model, users):
    """A row of `model` for its change, history and delete pages, with two saved versions."""
    if model is AuditEvent:
        row = services.record("created", article=make_article(), by=users["editor"])
    elif model is PreviewLink:
        row, _ = services.create_preview_link(
            article=make_article(status="review", published_at=None),
            by=users["editor"],
            lifetime=services.LONGEST_PREVIEW,
        )
    elif model._meta.app_label == "auth":
        row = model.objects.order_by("pk").first()
    else:
        try:
            row = make_rich_row(model)
        except AssertionError:  # a model registered since this test was written
            row = model._default_manager.order_by("pk").first()
    if row is not None and reversion.is_registered(model):
        for _ in range(2):
            with reversion.create_revision():
                row.save()
    return row


def desk_urls(model, row):
    opts = model._meta
    name = f"admin:{opts.app_label}_{opts.model_name}"
    urls = [reverse(f"{name}_changelist"), reverse(f"{name}_add")]
    if row is None:
        return urls
    urls += [
        reverse(f"{name}_change", args=[row.pk]),
        reverse(f"{name}_history", args=[row.pk]),
        reverse(f"{name}_delete", args=[row.pk]),
        reverse(f"{name}_change", args=["not-an-id"]),
    ]
    try:
        compare = reverse(f"{name}_compare", args=[row.pk])
    except NoReverseMatch:
        return urls  # not a versioned model
    versions = list(Version.objects.get_for_object(row)[:2])
    if len(versions) == 2:
        newest, oldest = versions
        urls += [
            f"{compare}?old={oldest.pk}&new={newest.pk}",
            f"{compare}?old=x&new=y",
            reverse(f"{name}_revert", args=[row.pk, oldest.pk]),
            reverse(f"{name}_revert", args=[row.pk, 999999]),
        ]
    return urls


def assert_answers(client, role, url):
    response = client.get(url)
    assert response.status_code in ANSWERS, f"{role} {url}: {response.status_code}"
    if role in OUTSIDERS:
        assert response.status_code == 302 and "/admin/login/" in response["Location"], url
    if response.status_code == 200:
        page = response.content.decode()
        assert "Django administration" not in page and "Django site admin" not in page, url
    return response


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("model", MODELS, ids=lambda model: model._meta.label)
def test_every_page_of_every_model_answers_every_role_without_an_error(client, users, role, model):
    row = one_row(model, users)
    client = as_role(client, users, role)
    for url in desk_urls(model, row):
        assert_answers(client, role, url)


@pytest.mark.parametrize("role", ROLES)
def test_the_dashboard_app_pages_and_autocomplete_answer_every_role(client, users, role):
    make_theme(name="Migration")
    draft = make_article(status="draft", published_at=None, created_by=users["reporter"])
    client = as_role(client, users, role)
    urls = [
        reverse("admin:index"),
        reverse("admin:password_change"),
        *(reverse("admin:app_list", args=[app]) for app in ("articles", "people", "workflow")),
        reverse("admin:app_list", args=["auth"]),
        reverse("admin:articles_article_changelist") + "?state=review",
        reverse("admin:articles_article_changelist") + "?state=%00",
        reverse("admin:articles_article_change", args=[draft.pk]),
    ]
    autocomplete = reverse("admin:autocomplete")
    for source, field in [
        ("articles.article", "people"),
        ("articles.article", "organizations"),
        ("articles.article", "themes"),
        ("articles.quote", "person"),
        ("people.role", "organization"),
        ("workflow.previewlink", "article"),
        ("articles.article", "no_such_field"),
    ]:
        app_label, model_name = source.split(".")
        urls.append(
            f"{autocomplete}?app_label={app_label}&model_name={model_name}"
            f"&field_name={field}&term=mi"
        )
    for url in urls:
        assert_answers(client, role, url)


def test_a_reporter_opens_a_theme_read_only(client, users):
    """It was a 500: the theme form set up its slug field, which is absent when read-only."""
    theme = make_theme(name="Child protection")
    client.force_login(users["reporter"])
    response = client.get(reverse("admin:articles_theme_change", args=[theme.pk]))
    assert response.status_code == 200
    assert "Child protection" in response.content.decode()
    assert not response.context["has_change_permission"]
    # And a crafted POST changes nothing.
    response = client.post(
        reverse("admin:articles_theme_change", args=[theme.pk]), {"name": "Renamed"}
    )
    assert response.status_code == 403
    assert Theme.objects.get(pk=theme.pk).name == "Child protection"


def test_every_role_sees_the_newsroom_not_django_on_the_sign_in_page(client):
    page = client.get(reverse("admin:login")).content.decode()
    assert "<title>Log in | Newsroom desk</title>" in page
    assert "Newsroom" in page and "Django" not in page


def test_reporters_opening_someone_elses_story_are_not_told_it_exists(client, users):
    theirs = make_article(status="draft", published_at=None, created_by=users["editor"])
    client.force_login(users["reporter"])
    for view in ("change", "history", "delete"):
        response = client.get(reverse(f"admin:articles_article_{view}", args=[theirs.pk]))
        assert response.status_code in (302, 403, 404)
        assert theirs.headline not in response.content.decode()
    assert Article.objects.filter(pk=theirs.pk).exists()
