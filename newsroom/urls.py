from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.views.generic import TemplateView

from articles.sitemaps import NEWS_SITEMAPS, SITEMAPS, sitemap_index
from articles.uploads import serve_upload
from newsroom import health
from newsroom.pagecache import public_page

# A database outage raised outside a view (in a middleware) is a 503 page, not a 500.
handler500 = health.handler500

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("api/v1/", include("articles.api.urls")),
    # The desk's language chooser (Django's set_language view: a cookie, then back).
    path("i18n/", include("django.conf.urls.i18n")),
    path(
        "robots.txt",
        TemplateView.as_view(template_name="robots.txt", content_type="text/plain"),
        name="robots_txt",
    ),
]

# Each edition's pages, feeds and sitemaps: English at the root, Arabic under /ar/ with the same
# shapes (newsroom/editions.py activates the language before these are resolved).
urlpatterns += i18n_patterns(
    path("sitemap.xml", public_page(sitemap_index), name="sitemap"),
    path(
        "sitemap-news.xml",
        public_page(sitemap),
        {"sitemaps": NEWS_SITEMAPS, "template_name": "sitemaps/news_sitemap.xml"},
        name="news_sitemap",
    ),
    path(
        "sitemap-<slug:section>.xml",
        public_page(sitemap),
        {"sitemaps": SITEMAPS},
        name="sitemap_section",
    ),
    path("", include("people.urls")),
    path("", include("articles.urls")),
    path("", include("workflow.urls")),
    prefix_default_language=False,
)

# Uploaded images, as images only (articles/uploads.py). A web server in front may serve
# MEDIA_ROOT itself instead; it must then send the same headers.
urlpatterns.append(path(settings.MEDIA_URL.lstrip("/") + "<path:path>", serve_upload, name="media"))

if getattr(settings, "BENCHMARK_FLOOR", False):
    # Only under benchmarks/settings.py (make bench): the framework floor pages are measured by.
    from benchmarks.floor import floor

    urlpatterns.append(path("bench/floor/", floor, name="bench_floor"))
