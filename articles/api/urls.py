"""The read-only content API, /api/v1/ (see README.md, "Content API")."""

from django.urls import path, re_path

from . import docs, errors, views

app_name = "api"
# A slug in any script: letters, digits, "-" and "_" (Django's <slug:> is ASCII only).
KEY = r"(?P<key>[-\w]+)"
urlpatterns = [
    path("articles/", views.ArticleList.as_view(), name="article_list"),
    # By slug (Arabic letters too, as on the article pages) or by permanent id (a UUID);
    # `.ninjs` for IPTC ninjs.
    re_path(rf"^articles/{KEY}\.ninjs$", views.ArticleNinjs.as_view(), name="article_ninjs"),
    re_path(rf"^articles/{KEY}/$", views.ArticleDetail.as_view(), name="article_detail"),
    path("themes/", views.ThemeList.as_view(), name="theme_list"),
    # Theme slugs may hold non-ASCII letters (taggit keeps them), as on the theme pages.
    path("themes/<str:slug>/", views.ThemeDetail.as_view(), name="theme_detail"),
    path("people/", views.PersonList.as_view(), name="person_list"),
    path("people/<slug:slug>/", views.PersonDetail.as_view(), name="person_detail"),
    path("organizations/", views.OrganizationList.as_view(), name="organization_list"),
    path(
        "organizations/<slug:slug>/",
        views.OrganizationDetail.as_view(),
        name="organization_detail",
    ),
    path("corrections/", views.CorrectionList.as_view(), name="correction_list"),
    path("schema/", docs.SchemaView.as_view(), name="schema"),
    path("docs/", docs.DocsView.as_view(), name="docs"),
    # Anything else under /api/v1/ is a JSON 404, not the site's HTML page.
    re_path(r"^(?P<rest>.*)$", errors.not_found, name="not_found"),
]
