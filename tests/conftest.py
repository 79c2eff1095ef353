import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache: the database is rolled back between tests, and a
    page cached by an earlier test would otherwise outlive the rows it showed."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def editor(django_user_model):
    return django_user_model.objects.create_superuser("editor", "editor@example.org", "pw")


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


# Two editors of the desk, by name, for what one of them sees of the other's work.
@pytest.fixture
def fatma(django_user_model):
    return django_user_model.objects.create_superuser(
        "fatma", "fatma@example.org", "pw", first_name="Fatma", last_name="Ali"
    )


@pytest.fixture
def omar(django_user_model):
    return django_user_model.objects.create_superuser(
        "omar", "omar@example.org", "pw", first_name="Omar", last_name="Hassan"
    )
