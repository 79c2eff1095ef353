"""Cursor pagination: stable while stories are published (a cursor says "older than this
moment", not "page 3"), newest first, `page_size` from 1 to 100 (default 20; anything else is a
400, not a silent cap, so a partner learns the limit at once). A cursor that was not handed out
by the API is a 404."""

from django.core.exceptions import ValidationError
from django.utils.dateparse import parse_datetime
from rest_framework.exceptions import NotFound
from rest_framework.pagination import CursorPagination

from .errors import ParameterError

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100


class Cursor(CursorPagination):
    page_size = DEFAULT_PAGE_SIZE
    max_page_size = MAX_PAGE_SIZE
    page_size_query_param = "page_size"
    page_size_query_description = f"Items per page, 1 to {MAX_PAGE_SIZE} (default {page_size})."
    cursor_query_description = "Where the page starts: the `next` or `previous` link's cursor."
    template = None  # no browsable API
    # The first field is where a cursor points; the rest only orders ties (same moment).
    ordering = ("-published_at", "-pk")
    position_is_moment = True

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        try:
            size = int(raw)
        except ValueError:
            size = 0
        if not 1 <= size <= self.max_page_size:
            raise ParameterError(
                self.page_size_query_param, f"a whole number from 1 to {self.max_page_size}."
            )
        return size

    def decode_cursor(self, request):
        cursor = super().decode_cursor(request)
        if cursor is not None and cursor.position is not None and not self.valid(cursor.position):
            raise NotFound(self.invalid_cursor_message)
        return cursor

    def valid(self, position: str) -> bool:
        if "\x00" in position or len(position) > 255:
            return False
        if not self.position_is_moment:
            return True
        try:
            return parse_datetime(position) is not None
        except (ValueError, ValidationError):
            return False


class CorrectionCursor(Cursor):
    ordering = ("-published_at", "-pk")


class ByNameCursor(Cursor):
    """People and organizations, alphabetically (as their pages list them)."""

    page_size = 100
    ordering = ("name", "pk")
    position_is_moment = False
    page_size_query_description = f"Items per page, 1 to {MAX_PAGE_SIZE} (default {page_size})."
