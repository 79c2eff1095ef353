from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_safe
from django.views.generic import ListView

from articles.models import Article, Correction
from articles.views import PAGE_SIZE, ArticleDetailView
from newsroom import editions

from .services import link_for_token


def published_corrections():
    """Corrections readers may see: dated now or earlier, on the published articles of the
    reader's edition, newest first."""
    return (
        Correction.objects.published()
        .filter(article__in=Article.objects.published().in_edition())
        .select_related("article")
        .order_by("-published_at", "-pk")
    )


class CorrectionListView(ListView):
    template_name = "workflow/correction_list.html"
    context_object_name = "corrections"
    paginate_by = PAGE_SIZE

    def get_queryset(self):
        return published_corrections()


@require_safe
def preview(request, token):
    """One unpublished article, for whoever holds a live preview link, exactly as readers will see
    it (the article template, with its not-published banner).

    It shows that article and nothing more: no session is opened, nothing else is unlocked, and
    the page is neither stored by caches nor indexed. A forged, expired or revoked link is a 404,
    the same answer as for a link that never existed.
    """
    link = link_for_token(token)
    if link is None:
        raise Http404("This preview link does not work: it may have expired or been revoked.")
    # In the story's own edition, whichever address the desk's language made of the link.
    with editions.override(link.article.language):
        response = preview_page(request, link)
    response["Content-Language"] = link.article.language
    return response


def preview_page(request, link):
    # The article page's own context (quotes, corrections, related, structured data), through its
    # methods rather than its dispatch, so that no cache wrapped around that view stores this.
    view = ArticleDetailView()
    view.setup(request)  # get_object() reads the slug; the link names the article itself
    article = view.get_queryset().get(pk=link.article_id)
    view.object = article
    response = render(
        request,
        "articles/article_detail.html",
        view.get_context_data(preview_link=link),  # with view.object as "article"
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    # The token must not travel to other sites in the Referer header when the reader follows a link.
    response["Referrer-Policy"] = "no-referrer"
    return response
