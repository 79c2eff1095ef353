"""The desk's article search: stories found the way editors remember them.

By the people and organizations a story mentions or quotes (names, also-known-as, short names),
its themes, its quotes' words, byline, dateline, headline, standfirst and body, through the site's
own full-text index (articles/search.py): drafts and every other state included, and only ever
within what the person may see (ArticleAdmin.get_queryset narrows it first).
"""

from django.contrib.admin.views.main import ChangeList

from articles.search import Search


class SearchChangeList(ChangeList):
    """While searching, no year/month bar: dating every match of a common word ("trafficking",
    95,000 of 100,000 articles) costs more than the search itself; the date filter remains."""

    def __init__(self, request, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        if self.query.strip():
            self.date_hierarchy = None


class DeskSearchMixin:
    """For ArticleAdmin: search by people, organizations, themes, quote words, byline, dateline."""

    def get_changelist(self, request, **kwargs):
        return SearchChangeList

    def get_search_results(self, request, queryset, search_term):
        if not search_term.strip():
            return queryset, False
        # Also the article autocomplete's search (quotes, corrections, preview links), where the
        # last word may be half typed. One subquery on the index: no row is read twice.
        return Search.from_input(search_term).within(queryset), False
