from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404, render
from django.utils.cache import add_never_cache_headers
from django.views.generic import DetailView, ListView

from people.models import Organization, Person

from .models import Article, Quote, Theme

PAGE_SIZE = 20


class PublishedArticlesMixin:
    """Readers see published articles only; staff who may change an article also see its draft."""

    def get_queryset(self):
        return Article.objects.published().newest_first()


def published_theme_counts():
    published = Article.objects.published()
    return Theme.objects.annotate(
        article_count=Count(
            "themed_articles", filter=Q(themed_articles__content_object__in=published)
        )
    ).filter(article_count__gt=0)


def front_page(request):
    latest = list(Article.objects.published().newest_first()[:11])
    return render(
        request,
        "articles/front_page.html",
        {
            "lead": latest[0] if latest else None,
            "latest": latest[1:],
            "themes": published_theme_counts(),
        },
    )


class ArticleListView(PublishedArticlesMixin, ListView):
    paginate_by = PAGE_SIZE
    context_object_name = "articles"


class ArticleDetailView(DetailView):
    context_object_name = "article"

    def get_queryset(self):
        quotes = Quote.objects.select_related("person").order_by("order", "pk")
        return Article.objects.prefetch_related(
            "themes",
            Prefetch("quotes", queryset=quotes),
            Prefetch("people", queryset=Person.objects.order_by("name")),
            Prefetch("organizations", queryset=Organization.objects.order_by("name")),
            "corrections",
        )

    def get_object(self, queryset=None):
        article = super().get_object(queryset)
        if not article.is_published and not self.request.user.has_perm("articles.change_article"):
            from django.http import Http404

            raise Http404("No article here.")
        return article

    def render_to_response(self, context, **kwargs):
        response = super().render_to_response(context, **kwargs)
        if not self.object.is_published:
            add_never_cache_headers(response)
        return response


class ThemeListView(ListView):
    context_object_name = "themes"
    template_name = "articles/theme_list.html"

    def get_queryset(self):
        return published_theme_counts()


class ThemeDetailView(ListView):
    paginate_by = PAGE_SIZE
    context_object_name = "articles"
    template_name = "articles/theme_detail.html"

    def get_queryset(self):
        self.theme = get_object_or_404(Theme, slug=self.kwargs["slug"])
        return Article.objects.published().newest_first().filter(themed_items__tag=self.theme)

    def get_context_data(self, **kwargs):
        return super().get_context_data(theme=self.theme, **kwargs)
