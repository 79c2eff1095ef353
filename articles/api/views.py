"""The API's endpoints: thin generic views over queries.py, answered through the public pages'
cache (newsroom.pagecache.public_page) once authentication and the rate limit have passed, so a
cached answer counts against the limit like any other.

Anonymous answers are `Cache-Control: public` with ETag and Last-Modified, exactly like the pages
and invalidated with them. Keyed answers are the same bytes from the same cache, but `private`:
a request with credentials is a partner's own, and a shared cache or CDN keeping it would let the
partner's traffic bypass the per-key count (the anonymous address stays cacheable there).
"""

import uuid

from django.http import HttpResponse
from django.utils.cache import patch_cache_control, patch_vary_headers
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import exceptions, generics
from rest_framework.renderers import JSONRenderer

from newsroom import editions
from newsroom.invalidation import keys
from newsroom.pagecache import public_page
from people.models import Organization, Person
from people.pagekeys import ORGANIZATIONS, PEOPLE

from ..apikeys import APIKey
from ..bodyimages import expand_bodies
from ..invalidation import ARTICLES, CORRECTIONS
from ..views import themes_with_published_counts
from . import ninjs, queries
from .auth import CountRefusedKeys
from .errors import ParameterError
from .filters import LANGUAGE_PARAMETER, edition, filter_articles
from .filters import PARAMETERS as ARTICLE_FILTERS
from .pagination import ByNameCursor, CorrectionCursor, Cursor
from .schema import NINJS_RESPONSE, VERSION_PARAMETER, documented
from .serializers import (
    ArticleSerializer,
    CorrectionWithArticleSerializer,
    OrganizationSerializer,
    PersonSerializer,
    ThemeListSerializer,
    ThemeSerializer,
)

JSON = "application/json"
NINJS_CONTENT_TYPE = f"{ninjs.NINJS_MEDIA_TYPE}; charset=utf-8"


class ReadView(CountRefusedKeys, generics.GenericAPIView):
    """GET (and HEAD) only: any other method is a 405, in JSON like every error."""

    # The page-cache keys of the lists an answer is drawn from (articles/invalidation.py); the
    # instances it shows are tracked by themselves.
    lists = ()
    # People and organizations are answered with how many stories mention them: each row shows
    # its own list's key (keys.listing).
    counted = None

    def get(self, request, *args, **kwargs):
        cached = public_page(self.fresh, variant=self.variant)
        response = cached(request._request, *args, **kwargs)
        if isinstance(request.auth, APIKey):
            patch_cache_control(response, private=True)
        return response

    def variant(self, django_request) -> str:
        """Which representation of this address the request wants (see public_page)."""
        return ""

    def show_counts(self, rows):
        if self.counted is not None:
            keys.shows(*(keys.listing(self.counted, row.pk) for row in rows))

    def fresh(self, django_request, *args, **kwargs):
        keys.shows(*self.lists)
        data, content_type = self.read()
        return HttpResponse(JSONRenderer().render(data), content_type=content_type)

    def read(self):
        """The answer's data and its content type. Raise an APIException (or Http404) to refuse."""
        raise NotImplementedError


class ListView(ReadView):
    def read(self):
        page = self.paginate_queryset(self.get_queryset())
        if self.get_serializer_class() is ArticleSerializer:
            page = expand_bodies(page)
        self.show_counts(page)
        data = self.get_serializer(page, many=True).data
        return self.get_paginated_response(data).data, JSON


class DetailView(ReadView):
    missing = "Nothing here."

    def read(self):
        found = self.get_object()
        self.show_counts([found])
        return self.get_serializer(found).data, JSON

    def get_object(self):
        found = self.get_queryset().filter(slug=self.kwargs["slug"]).first()
        if found is None:
            raise exceptions.NotFound(self.missing)
        return found


@extend_schema_view(
    get=extend_schema(
        parameters=ARTICLE_FILTERS, responses=documented(ArticleSerializer(many=True))
    )
)
class ArticleList(ListView):
    """Published articles, newest first."""

    serializer_class = ArticleSerializer
    pagination_class = Cursor
    lists = (ARTICLES,)

    def get_queryset(self):
        if "updated_since" in self.request.query_params:
            keys.shows(keys.ALL)  # any edit may bring an article into it
        return filter_articles(queries.articles(), self.request.query_params)


def requested_ninjs_version(request) -> str | None:
    """The ninjs version the Accept header prefers to JSON, or None for JSON. Unknown: a 406."""
    for media in request.accepted_types:
        if f"{media.main_type}/{media.sub_type}" == ninjs.NINJS_MEDIA_TYPE:
            version = media.params.get("version", ninjs.DEFAULT_VERSION)
            if version not in ninjs.SUPPORTED_VERSIONS:
                raise exceptions.NotAcceptable(
                    f"ninjs version {version[:10]!r} is not offered; "
                    f"versions: {', '.join(ninjs.SUPPORTED_VERSIONS)}."
                )
            return version
        if media.match(JSON):
            return None
    return None


class ArticleLookup:
    """An article by slug or by its permanent id (`id` in the API, Article.uid)."""

    missing = "No published article here."

    def find(self, key, *, with_roles):
        articles = queries.articles(with_roles=with_roles)
        try:
            found = articles.filter(uid=uuid.UUID(key)).first()
        except ValueError:
            found = None
        found = found or articles.filter(slug=key).first()
        if found is None:
            raise exceptions.NotFound(self.missing)
        return expand_bodies([found])[0]


@extend_schema_view(
    get=extend_schema(
        responses=documented(
            {(200, JSON): ArticleSerializer, (200, ninjs.NINJS_MEDIA_TYPE): NINJS_RESPONSE}, 406
        ),
        description="One published article, by slug or id. `Accept: application/ninjs+json` "
        "(optionally `; version=3.1`) answers IPTC ninjs instead, like the `.ninjs` address.",
    )
)
class ArticleDetail(ArticleLookup, ReadView):
    serializer_class = ArticleSerializer

    def variant(self, django_request):
        return f"ninjs-{requested_ninjs_version(django_request)}"

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        patch_vary_headers(response, ["Accept"])
        return response

    def read(self):
        version = requested_ninjs_version(self.request._request)
        article = self.find(self.kwargs["key"], with_roles=version is not None)
        if version is None:
            return self.get_serializer(article).data, JSON
        return ninjs.to_ninjs(article, version), NINJS_CONTENT_TYPE


@extend_schema_view(
    get=extend_schema(
        operation_id="articles_ninjs",
        parameters=[VERSION_PARAMETER],
        responses=documented({(200, ninjs.NINJS_MEDIA_TYPE): NINJS_RESPONSE}),
        description="One published article as IPTC ninjs (2.2 unless `?version=3.1`).",
    )
)
class ArticleNinjs(ArticleLookup, ReadView):
    def read(self):
        version = self.request.query_params.get("version", ninjs.DEFAULT_VERSION)
        if version not in ninjs.SUPPORTED_VERSIONS:
            raise ParameterError(
                "version", f"one of {', '.join(ninjs.SUPPORTED_VERSIONS)}, not {version[:10]!r}."
            )
        article = self.find(self.kwargs["key"], with_roles=True)
        return ninjs.to_ninjs(article, version), NINJS_CONTENT_TYPE


@extend_schema_view(
    get=extend_schema(
        operation_id="themes_list",
        parameters=[LANGUAGE_PARAMETER],
        responses=documented(ThemeListSerializer),
    )
)
class ThemeList(ReadView):
    """Themes with published articles, with how many (as each edition's themes page lists them):
    both editions', or one's with ?language=."""

    def read(self):
        raw = self.request.query_params.get("language")
        themes = themes_in_editions([edition(raw)] if raw is not None else editions.CODES)
        return {"results": ThemeSerializer(themes, many=True).data}, JSON


def themes_in_editions(languages) -> list:
    themes = []
    for language in languages:
        with editions.override(language):
            themes += themes_with_published_counts()
    return themes


@extend_schema_view(get=extend_schema(responses=documented(ThemeSerializer)))
class ThemeDetail(ReadView):
    def read(self):
        for theme in themes_in_editions(editions.CODES):
            if theme.slug == self.kwargs["slug"]:
                return ThemeSerializer(theme).data, JSON
        raise exceptions.NotFound("No theme with published articles here.")


@extend_schema_view(get=extend_schema(responses=documented(PersonSerializer(many=True))))
class PersonList(ListView):
    serializer_class = PersonSerializer
    pagination_class = ByNameCursor
    lists = (PEOPLE,)
    counted = Person

    def get_queryset(self):
        return queries.people()


@extend_schema_view(get=extend_schema(responses=documented(PersonSerializer)))
class PersonDetail(DetailView):
    serializer_class = PersonSerializer
    counted = Person

    def get_queryset(self):
        return queries.people()

    missing = "No person here."


@extend_schema_view(get=extend_schema(responses=documented(OrganizationSerializer(many=True))))
class OrganizationList(ListView):
    serializer_class = OrganizationSerializer
    pagination_class = ByNameCursor
    lists = (ORGANIZATIONS,)
    counted = Organization

    def get_queryset(self):
        return queries.organizations()


@extend_schema_view(get=extend_schema(responses=documented(OrganizationSerializer)))
class OrganizationDetail(DetailView):
    serializer_class = OrganizationSerializer
    counted = Organization

    def get_queryset(self):
        return queries.organizations()

    missing = "No organization here."


@extend_schema_view(
    get=extend_schema(responses=documented(CorrectionWithArticleSerializer(many=True)))
)
class CorrectionList(ListView):
    """Published corrections of published articles, newest first."""

    serializer_class = CorrectionWithArticleSerializer
    pagination_class = CorrectionCursor
    lists = (CORRECTIONS,)

    def get_queryset(self):
        return queries.corrections()
