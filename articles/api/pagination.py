"""Cursor pagination: stable while stories are published (a cursor says "older than this
moment", not "page 3"), newest first, `page_size` from 1 to 100 (default 20; anything else is a
400, not a silent cap, so a partner learns the limit at once). A cursor that was not handed out
by the API is a 404."""

from datetime import UTC

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
        if cursor is None or cursor.position is None:
            return cursor
        position = self.clean_position(cursor.position)
        if position is None:
            raise NotFound(self.invalid_cursor_message)
        return cursor._replace(position=position)

    def clean_position(self, position: str) -> str | None:
        """The position as the database may be asked about it, or None for a forged one. A moment
        is rewritten in UTC: an offset such as -23:59 passes Python's parser, then overflows on
        the way to SQLite, or is refused by PostgreSQL (which allows offsets up to 15:59)."""
        if "\x00" in position or len(position) > 255:
            return None
        if not self.position_is_moment:
            return position
        try:
            moment = parse_datetime(position)
            if moment is None:
                return None
            if moment.tzinfo is None:  # the API hands out aware moments; read a bare one as UTC
                moment = moment.replace(tzinfo=UTC)
            # Spelt as the API spells the positions it hands out (str() of a UTC moment).
            return str(moment.astimezone(UTC))
        except (ValueError, ValidationError, OverflowError):
            return None


class CorrectionCursor(Cursor):
    ordering = ("-published_at", "-pk")


class ByNameCursor(Cursor):
    """People and organizations, alphabetically (as their pages list them)."""

    page_size = 100
    ordering = ("name", "pk")
    position_is_moment = False
    page_size_query_description = f"Items per page, 1 to {MAX_PAGE_SIZE} (default {page_size})."
