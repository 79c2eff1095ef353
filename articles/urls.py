from django.urls import path

from . import views

app_name = "articles"
urlpatterns = [
    path("", views.front_page, name="front_page"),
    path("articles/", views.ArticleListView.as_view(), name="article_list"),
    path("articles/<slug:slug>/", views.ArticleDetailView.as_view(), name="article_detail"),
    path("themes/", views.ThemeListView.as_view(), name="theme_list"),
    path("themes/<str:slug>/", views.ThemeDetailView.as_view(), name="theme_detail"),
]
