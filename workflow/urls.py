from django.urls import path

from newsroom.pagecache import public_page

from . import feeds, views

app_name = "workflow"
urlpatterns = [
    path("corrections/", views.CorrectionListView.as_view(), name="corrections"),
    path("corrections/feed/", public_page(feeds.CorrectionsFeed()), name="corrections_feed"),
    # Tokens are signed ids: letters, digits, "-", "_" and ":" (str, not slug, for the colons).
    path("preview/<str:token>/", views.preview, name="preview"),
]
