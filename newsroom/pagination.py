"""Pagination that stays fast at the far end of a long list (every public listing uses it)."""

from django.core.paginator import Paginator


class IndexedPaginator(Paginator):
    """Pages that stay fast at the far end of a long list: a page's ids are picked first, sorting
    only the narrow index columns, then only that page's rows are read, in the same order."""

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        ids = self.ids(bottom, top)
        return self._get_page(self.object_list.filter(pk__in=ids), number, self)

    def ids(self, bottom, top):
        """The ids of the page's rows, as a subquery."""
        return self.object_list.values("pk")[bottom:top]
