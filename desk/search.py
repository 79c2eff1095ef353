"""The desk's article search: stories found the way editors remember them.

(Filled in by the admin-search work: DeskSearchMixin for ArticleAdmin.)
"""


class DeskSearchMixin:
    """For ArticleAdmin: search by people, organizations, themes, quote words, byline, dateline."""
