from datetime import timedelta

from django.core.cache import cache
from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.cache import add_never_cache_headers
from django.views.generic import DetailView, ListView

from newsroom import editions
from newsroom.invalidation import keys
from newsroom.links import absolute
from newsroom.pagecache import public_page, public_page_view, remember
from newsroom.pagination import IndexedPaginator
from people.models import Organization, Person

from .bodyimages import render_body
from .invalidation import ARTICLES, THEMES
from .models import Article, Correction, Quote, Theme, ThemedArticle
from .sharing import news_article_data, share_image

PAGE_SIZE = 20
ARCHIVE_SIZE = "public:archive-size"
FRONT_PAGE_LATEST = 10
RELATED_ARTICLES = 4
# Edits closer than this to the publication time (a typo fixed on the way out) are not news to
# the reader; later ones are shown as "Updated".
MEANINGFUL_UPDATE = timedelta(minutes=30)


def teaser_queryset():
    """Published articles as lists show them: newest first, with the lead picture (a join) and
    the themes (one query), so a picture on every teaser costs no query."""
    return (
        Article.objects.published()
        .in_edition()
        .newest_first()
        .select_related("lead_picture")
        .prefetch_related("themes")
    )


def themes_with_published_counts():
    """Themes that have published articles, each with how many. Drafts are never counted.

    Counted as all of a theme's links less those to the few articles readers may not see, which
    reads the theme index alone instead of looking up every published article; and kept until
    the themes' stories change (newsroom.pagecache.remember), as the front page and the themes
    page both show it.
    """
    return remember("themes-with-counts", count_published_per_theme, THEMES)


def count_published_per_theme():
    # The edition's themes, counting the edition's stories (an English story on an Arabic theme
    # is not in the Arabic edition's list).
    edition = editions.current()
    hidden = Article.objects.exclude(Article.objects.published_condition() & Q(language=edition))
    themes = (
        Theme.objects.filter(language=edition)
        .annotate(
            linked=Count("themed_articles"),
            hidden=Count("themed_articles", filter=Q(themed_articles__content_object__in=hidden)),
        )
        .order_by("name")
    )
    for theme in themes:
        theme.article_count = theme.linked - theme.hidden
    return [theme for theme in themes if theme.article_count > 0]


def may_see_unpublished(user, article):
    """Whether this signed-in member of staff may see an unpublished article on the site.

    Asked as an object permission: the workflow's rules answer it (workflow/permissions.py,
    through AUTHENTICATION_BACKENDS), so the public pages need not know them. Staff only, even for
    superusers, whom Django grants every permission: an account taken off the staff sees nothing.
    """
    return user.is_staff and user.has_perm("articles.view_article", article)


class PublishedArticlesMixin:
    """Readers see published articles only."""

    paginator_class = IndexedPaginator

    def get_queryset(self):
        return teaser_queryset()


@public_page
def front_page(request):
    keys.shows(ARTICLES)
    latest = list(teaser_queryset()[: FRONT_PAGE_LATEST + 1])
    return render(
        request,
        "articles/front_page.html",
        {
            "lead": latest[0] if latest else None,
            "latest": latest[1:],
            "themes": themes_with_published_counts(),
        },
    )


@public_page_view
class ArticleListView(PublishedArticlesMixin, ListView):
    paginate_by = PAGE_SIZE
    context_object_name = "articles"

    def get_queryset(self):
        keys.shows(ARTICLES)
        return super().get_queryset()

    def get_paginator(self, queryset, *args, **kwargs):
        paginator = super().get_paginator(queryset, *args, **kwargs)
        # Counting 100,000 published articles is the costliest query of every listing page, and
        # its answer changes only when the list does: kept until then.
        paginator.count = remember("published-count", queryset.count, ARTICLES)
        return paginator


@public_page_view
class ArticleDetailView(DetailView):
    """One article. Staff who may change articles also see drafts and scheduled ones, marked as
    not published and never cached; to everyone else an unpublished article does not exist."""

    context_object_name = "article"

    def get_queryset(self):
        quotes = Quote.objects.select_related("person").order_by("order", "pk")
        corrections = Correction.objects.published().order_by("published_at", "pk")
        quotes = quotes.select_related("translation_of__article")
        return (
            Article.objects.in_edition()
            .select_related("lead_picture")
            .prefetch_related(
                "themes",
                Prefetch("quotes", queryset=quotes),
                Prefetch("people", queryset=Person.objects.order_by("name")),
                Prefetch("organizations", queryset=Organization.objects.order_by("name")),
                Prefetch("corrections", queryset=corrections),
            )
        )

    def get_object(self, queryset=None):
        article = super().get_object(queryset)
        if not article.is_published and not may_see_unpublished(self.request.user, article):
            raise Http404("No article here.")
        return article

    def get_context_data(self, **kwargs):
        article = self.object
        themes = article.edition_themes
        keys.shows(*(keys.listing(Theme, theme.pk) for theme in themes))  # related articles
        corrections = list(article.corrections.all())
        modified = max([article.updated_at, *(c.published_at for c in corrections)])
        show_updated = (
            article.published_at is not None and modified - article.published_at > MEANINGFUL_UPDATE
        )
        translation = self.translation(article)
        return super().get_context_data(
            translation=translation,
            alternates=editions.alternates(article, translation),
            themes=themes,
            corrections=corrections,
            modified=modified,
            show_updated=show_updated,
            related=self.related_articles(article, themes),
            canonical_url=absolute(article.get_absolute_url()),
            # The stored body with its library pictures expanded (one query for all of them).
            body=render_body(article.body),
            share_image=share_image(article),
            structured_data=news_article_data(article, themes, modified, translation),
            **kwargs,
        )

    @staticmethod
    def translation(article):
        """The same story in the other edition, when it is published there (one query)."""
        return (
            Article.objects.published()
            .filter(article.translation_ids())
            .exclude(language=article.language)
            .first()
        )

    @staticmethod
    def related_articles(article, themes):
        """The newest stories sharing a theme, kept until one of those themes' lists changes
        (or a story shown changes): an edit of this story alone does not look them up again."""
        if not themes:
            return []

        # EXISTS rather than a join: newest first along the published index, stopping at the
        # fourth match, instead of sorting every article of these themes.
        def newest():
            shares_a_theme = ThemedArticle.objects.filter(
                content_object=OuterRef("pk"), tag__in=themes
            )
            return list(
                Article.objects.published()
                .in_edition(article.language)
                .filter(Exists(shares_a_theme))
                .exclude(pk=article.pk)
                .newest_first()
                .select_related("lead_picture")
                .prefetch_related("themes")[:RELATED_ARTICLES]
            )

        ids = ",".join(str(theme.pk) for theme in themes)
        lists = (keys.listing(Theme, theme.pk) for theme in themes)
        return remember(f"related:{article.pk}:{ids}", newest, *lists)

    def render_to_response(self, context, **kwargs):
        response = super().render_to_response(context, **kwargs)
        if not self.object.is_published:
            add_never_cache_headers(response)
        return response


@public_page_view
class ThemeListView(ListView):
    context_object_name = "themes"
    template_name = "articles/theme_list.html"

    def get_queryset(self):
        return themes_with_published_counts()


def archive_size() -> int:
    """About how many stories are published: only to choose between two query plans that give
    the same rows, so it may be an hour old and shows on no page (it changes no page's keys)."""
    size = cache.get(f"{ARCHIVE_SIZE}:{editions.current()}")
    if size is None:
        size = Article.objects.published().in_edition().count()
        cache.set(f"{ARCHIVE_SIZE}:{editions.current()}", size, 60 * 60)
    return size


class ThemePaginator(IndexedPaginator):
    """A theme's pages. Picking a page's ids sorts all of the theme's stories (4 ms for 5,000);
    when the theme is a good share of the archive, its first pages are found sooner by walking
    the newest published stories and keeping the theme's, stopping at the page (0.3-1 ms).
    `walk` is that query; `total` the number of published stories."""

    def __init__(self, object_list, per_page, *, walk, total, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.walk, self.total = walk, total

    def ids(self, bottom, top):
        # Stories walked to fill the page, against stories sorted: the cheaper, with a margin.
        if self.count and top * self.total < self.count * self.count / 2:
            return self.walk.values("pk")[bottom:top]
        return super().ids(bottom, top)


@public_page_view
class ThemeDetailView(PublishedArticlesMixin, ListView):
    """One theme and its published articles, newest first (a ListView of articles)."""

    paginate_by = PAGE_SIZE
    context_object_name = "articles"
    template_name = "articles/theme_detail.html"

    def get_queryset(self):
        # A theme belongs to one edition: the other's address for it does not exist.
        self.theme = get_object_or_404(Theme, slug=self.kwargs["slug"], language=editions.current())
        keys.shows(*self.lists())
        return super().get_queryset().filter(themed_items__tag=self.theme)

    def get_paginator(self, queryset, per_page, **kwargs):
        on_theme = ThemedArticle.objects.filter(content_object=OuterRef("pk"), tag=self.theme)
        walk = teaser_queryset().filter(Exists(on_theme))
        paginator = ThemePaginator(queryset, per_page, walk=walk, total=archive_size(), **kwargs)
        # Counting a big theme's stories costs more than the rest of its page: kept until its
        # list changes.
        paginator.count = remember(f"theme-count:{self.theme.pk}", queryset.count, *self.lists())
        return paginator

    def lists(self):
        return [keys.listing(Theme, self.theme.pk)]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(theme=self.theme, **kwargs)
        if not context["paginator"].count:
            # A theme with no published article says nothing to readers, and one whose articles
            # are all drafts would hint at unpublished work (the index and sitemap leave it out).
            raise Http404("No published articles on this theme.")
        return context
