from django.urls import path

from newsroom.pagecache import public_page

from . import feeds, search, views
from .invalidation import SEARCH

app_name = "articles"
urlpatterns = [
    path("", views.front_page, name="front_page"),
    path("articles/", views.ArticleListView.as_view(), name="article_list"),
    # Arabic slugs are allowed (str: any characters but "/"; the view looks the slug up).
    path("articles/<str:slug>/", views.ArticleDetailView.as_view(), name="article_detail"),
    path("search/", public_page(search.search_view, shows=[SEARCH]), name="search"),
    path("themes/", views.ThemeListView.as_view(), name="theme_list"),
    # Theme slugs may hold non-ASCII letters (taggit keeps them), hence str rather than slug.
    path("themes/<str:slug>/", views.ThemeDetailView.as_view(), name="theme_detail"),
    path("themes/<str:slug>/feed/", public_page(feeds.ThemeFeed()), name="theme_feed"),
    path("feed/", public_page(feeds.LatestArticlesFeed()), name="feed"),
]
