"""The articles list's query parameters: language (an edition: en or ar; without it, both), theme,
person, organization (slugs; an unknown one finds nothing), published_since, published_until,
updated_since (ISO 8601 date-times with an offset, or dates; a date-time without an offset is UTC).
A bad value is a 400 naming the parameter."""

from datetime import UTC, datetime, time, timedelta

from django.db.models import Exists, OuterRef, Q
from django.utils.dateparse import parse_date, parse_datetime
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter

from newsroom import editions

from ..models import Correction
from .errors import ParameterError

MOMENT_HELP = (
    "ISO 8601 date-time (e.g. 2026-03-01T09:30:00+02:00; without an offset, UTC) or date "
    "(2026-03-01: {day})."
)
LANGUAGE_PARAMETER = OpenApiParameter(
    "language",
    OpenApiTypes.STR,
    enum=editions.CODES,
    description="One edition's: en (English) or ar (Arabic). Without it, both.",
)
PARAMETERS = [
    LANGUAGE_PARAMETER,
    OpenApiParameter("theme", OpenApiTypes.STR, description="A theme's slug."),
    OpenApiParameter("person", OpenApiTypes.STR, description="Mentions this person (slug)."),
    OpenApiParameter(
        "organization", OpenApiTypes.STR, description="Mentions this organization (slug)."
    ),
    OpenApiParameter(
        "published_since",
        OpenApiTypes.STR,
        description="Published at or after. " + MOMENT_HELP.format(day="from the day's start"),
    ),
    OpenApiParameter(
        "published_until",
        OpenApiTypes.STR,
        description="Published at or before. " + MOMENT_HELP.format(day="the whole day included"),
    ),
    OpenApiParameter(
        "updated_since",
        OpenApiTypes.STR,
        description="Changed (published, edited, or corrected) at or after: to sync only what "
        "changed. " + MOMENT_HELP.format(day="from the day's start"),
    ),
]


def moment(name: str, raw: str, *, end_of_day: bool = False) -> datetime:
    """The instant a parameter names, in UTC, or a 400. A date is its first instant, or with
    `end_of_day` its last (so "until 2026-03-01" includes that day)."""
    value = raw.strip()
    try:
        if (day := parse_date(value)) is not None:
            parsed = datetime.combine(day, time.min, tzinfo=UTC)
            if end_of_day:
                parsed += timedelta(days=1, microseconds=-1)
        elif (parsed := parse_datetime(value)) is None:
            raise ValueError(value)
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=UTC)
        return parsed.astimezone(UTC)
    except (ValueError, OverflowError):
        raise ParameterError(
            name, f"not an ISO 8601 date or date-time: {raw[:40]!r}; e.g. 2026-03-01T09:30:00Z."
        ) from None


def edition(raw: str) -> str:
    if raw not in editions.CODES:
        raise ParameterError(
            "language", f"one of {', '.join(editions.CODES)} (an edition), not {raw[:10]!r}."
        )
    return raw


def filter_articles(queryset, params):
    if (raw := params.get("language")) is not None:
        queryset = queryset.in_edition(edition(raw))
    if (slug := params.get("theme")) is not None:
        queryset = queryset.filter(themed_items__tag__slug=slug)
    if (slug := params.get("person")) is not None:
        queryset = queryset.filter(people__slug=slug)
    if (slug := params.get("organization")) is not None:
        queryset = queryset.filter(organizations__slug=slug)
    if (raw := params.get("published_since")) is not None:
        queryset = queryset.filter(published_at__gte=moment("published_since", raw))
    if (raw := params.get("published_until")) is not None:
        queryset = queryset.filter(
            published_at__lte=moment("published_until", raw, end_of_day=True)
        )
    if (raw := params.get("updated_since")) is not None:
        since = moment("updated_since", raw)
        # A correction appearing changes the article as readers see it; so does a scheduled
        # story going live, last saved before the partner's previous sync.
        corrected = Correction.objects.published().filter(
            article=OuterRef("pk"), published_at__gte=since
        )
        queryset = queryset.filter(
            Q(updated_at__gte=since) | Q(published_at__gte=since) | Exists(corrected)
        )
    return queryset
