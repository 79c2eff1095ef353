"""Writing aids on the article form: a body box that grows, a live word count and reading time,
and length guidance where search engines and social sites cut headlines and descriptions.

The script and stylesheet are static files (the desk's Content-Security-Policy allows no inline
script or style); the form marks each guided field with `data-guide` (desk/admin/article_forms.py)
and desk/templates/desk/includes/writing_aids.html holds the word count's place.
"""

from django import forms


class WritingAidsMixin:
    """For ArticleAdmin: the writing aids' script and stylesheet in the change form's media."""

    @property
    def media(self):
        return super().media + forms.Media(
            js=["desk/writing.js"], css={"all": ["desk/writing.css"]}
        )
