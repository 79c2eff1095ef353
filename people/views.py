from django.db.models import Count, F, Prefetch, Value
from django.db.models.functions import Coalesce, NullIf
from django.views.generic import DetailView, ListView

from newsroom import editions
from newsroom.invalidation import keys
from newsroom.pagecache import public_page_view, remember
from newsroom.pagination import IndexedPaginator

from .models import Organization, Person, Role
from .pagekeys import ORGANIZATIONS, PEOPLE

MENTIONS_PER_PAGE = 20


def by_local_name():
    """Alphabetical as the reader's edition prints the names: the Arabic edition by the Arabic
    name where there is one (else the name as printed in English)."""
    if editions.current() != editions.ARABIC:
        return F("name")
    return Coalesce(NullIf("name_ar", Value("")), "name")


def mentioning_articles(request, mentioned):
    """One page of the published articles that mention a person or an organization, newest first.

    Read through the reverse relation (`person.articles`), whose queryset is the articles' own:
    published() is the one definition of what readers see, and this app imports none of it.
    People are shared by the editions; their stories are listed in the reader's edition only.
    A malformed or out-of-range ?page= falls back to the first or last page rather than failing.
    """
    articles = (
        mentioned.articles.published()
        .in_edition()
        .newest_first()
        .select_related("lead_picture")
        .prefetch_related("themes")
    )
    paginator = IndexedPaginator(articles, MENTIONS_PER_PAGE)
    # The count, kept until the list changes (a person in hundreds of stories).
    listing = keys.listing(type(mentioned), mentioned.pk)
    paginator.count = remember(f"mentions-count:{listing}", articles.count, listing)
    return paginator.get_page(request.GET.get("page"))


def quoted(quotes):
    """How often, and in how many stories, these quotes were published in the reader's edition:
    one query for both (a translated quote is a quote of the story that prints it). Distinct
    stories: a story quoting someone twice counts twice as a quote, once as a story."""
    return (
        quotes.published()
        .in_edition()
        .aggregate(times=Count("pk", distinct=True), stories=Count("article", distinct=True))
    )


def quotes_of(people):
    """The quotes of these people. The quotes' model is reached through Person's reverse
    relation, so its queryset (and its one definition of published) comes with it: this app
    imports none of articles/."""
    quotes = Person._meta.get_field("quotes").related_model._default_manager
    return quotes.filter(person__in=people)


@public_page_view
class PersonListView(ListView):
    context_object_name = "people"
    paginate_by = 100

    def get_queryset(self):
        keys.shows(PEOPLE)
        roles = Role.objects.select_related("organization").order_by("order", "pk")
        people = Person.objects.order_by(by_local_name(), "pk")
        return people.prefetch_related(Prefetch("roles", queryset=roles))


@public_page_view
class PersonDetailView(DetailView):
    context_object_name = "person"

    def get_queryset(self):
        roles = Role.objects.select_related("organization").order_by("order", "pk")
        return Person.objects.prefetch_related(Prefetch("roles", queryset=roles))

    def get_context_data(self, **kwargs):
        person = self.object
        keys.shows(keys.listing(Person, person.pk))
        quotes = (
            person.quotes.published()
            .in_edition()
            .select_related("article", "translation_of__article")
            .order_by("-article__published_at", "-article__pk", "order", "pk")
        )
        return super().get_context_data(
            roles=list(person.roles.all()),
            quotes=list(quotes),
            quoted=quoted(person.quotes.all()),
            articles_page=mentioning_articles(self.request, person),
            **kwargs,
        )


@public_page_view
class OrganizationListView(ListView):
    context_object_name = "organizations"
    paginate_by = 100

    def get_queryset(self):
        keys.shows(ORGANIZATIONS)
        organizations = Organization.objects.select_related("parent")
        return organizations.order_by("kind", by_local_name(), "pk")


@public_page_view
class OrganizationDetailView(DetailView):
    context_object_name = "organization"

    def get_queryset(self):
        roles = Role.objects.select_related("person").order_by("person__name", "order", "pk")
        return Organization.objects.select_related("parent").prefetch_related(
            Prefetch("children", queryset=Organization.objects.order_by("name")),
            Prefetch("roles", queryset=roles),
        )

    def get_context_data(self, **kwargs):
        organization = self.object
        keys.shows(keys.listing(Organization, organization.pk))
        roles = list(organization.roles.all())
        # Its people's quotes: each once, however many roles they hold here. Their counts change
        # with their own lists (a quote, a story published or withdrawn), so the page shows those.
        people = sorted({role.person_id for role in roles})
        keys.shows(*(keys.listing(Person, pk) for pk in people))
        return super().get_context_data(
            children=list(organization.children.all()),
            roles=roles,
            quoted=quoted(quotes_of(people)) if people else {"times": 0, "stories": 0},
            articles_page=mentioning_articles(self.request, organization),
            **kwargs,
        )
