"""The desk's home page: each person's work queue.

Editors see what waits for them (stories awaiting review, oldest first, and who submitted them),
what goes live by itself (scheduled), what went out this week and the corrections made this week.
Reporters see their own drafts, the drafts an editor sent back to them and their stories in review.

Each box is one query for its first rows, and the counts of all boxes one more: who did what and
when comes from the audit trail through subqueries, and the people named are fetched together at
the end, so the page costs the same with one story or fifty thousand.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Count, F, Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from articles.models import Article, Correction
from newsroom import editions
from workflow import permissions
from workflow.models import AuditEvent

from .filters import MOVES, SENT_BACK, in_state, latest_event

# Rows shown in each box; its count and its link cover all of them.
ROWS = 10
# The newsroom's time zone (settings.TIME_ZONE) is named by its city, in the desk's language.
gettext_noop("Cairo")


@dataclass
class Row:
    title: str
    url: str
    what: str = ""  # e.g. "Submitted by Rania Haddad"
    when: datetime | None = None
    excerpt: str = ""
    flag: str = ""  # e.g. _("Sent back")
    by_id: int | None = None  # filled into `what` once the people are fetched
    language: str = ""  # the story's edition, "en" or "ar"

    @property
    def language_name(self):
        return dict(editions.LANGUAGES).get(self.language, "")


@dataclass
class Box:
    key: str
    title: str
    count: int
    url: str
    empty: str
    rows: list[Row] = field(default_factory=list)

    @property
    def more(self):
        return self.count > len(self.rows)


def _article_list(**params):
    return reverse("admin:articles_article_changelist") + "?" + urlencode(params)


def _change(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def week_start():
    """Midnight in the newsroom seven days ago: what the lists' "Past 7 days" filter means."""
    today = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    return today - timedelta(days=7)


def _past_week(field_name):
    """The list filter's own parameters for "Past 7 days", so the link opens it selected."""
    today = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    return {
        f"{field_name}__gte": str(today - timedelta(days=7)),
        f"{field_name}__lt": str(today + timedelta(days=1)),
    }


def with_moves(queryset):
    """Annotate when each article was last submitted and returned to draft, and by whom."""
    Action = AuditEvent.Action
    return queryset.annotate(
        submitted_at=latest_event("at", Action.SUBMITTED),
        submitted_by=latest_event("actor", Action.SUBMITTED),
        returned_at=latest_event("at", Action.RETURNED),
        returned_by=latest_event("actor", Action.RETURNED),
    )


def count_each(querysets):
    """The number of articles in each queryset, all in one query: {key: count}."""
    return Article.objects.aggregate(
        **{
            key: Count("pk", filter=Q(pk__in=queryset.values("pk")))
            for key, queryset in querysets.items()
        }
    )


def editor_boxes(user):
    articles = Article.objects.all()
    now = timezone.now()
    since = week_start()
    waiting = in_state(articles, permissions.REVIEW)
    upcoming = in_state(articles, permissions.SCHEDULED)
    recent = in_state(articles, permissions.PUBLISHED).filter(published_at__gte=since)
    counts = count_each({"review": waiting, "scheduled": upcoming, "published": recent})
    corrections = Correction.objects.filter(published_at__gte=since, published_at__lte=now)

    review = (
        with_moves(waiting)
        .order_by(Coalesce("submitted_at", "updated_at").asc(), "pk")
        .only("pk", "headline", "language", "updated_at")[:ROWS]
    )
    scheduled = upcoming.order_by("published_at", "pk").only(
        "pk", "headline", "language", "published_at"
    )
    published = recent.order_by("-published_at", "-pk").only(
        "pk", "headline", "language", "published_at"
    )
    boxes = [
        Box(
            "review",
            _("Awaiting review"),
            counts["review"],
            _article_list(state=permissions.REVIEW),
            _("Nothing is waiting for review."),
            [
                Row(
                    a.headline,
                    _change(a),
                    _("Submitted"),
                    a.submitted_at or a.updated_at,
                    by_id=a.submitted_by,
                    language=a.language,
                )
                for a in review
            ],
        ),
        Box(
            "scheduled",
            _("Scheduled"),
            counts["scheduled"],
            _article_list(state=permissions.SCHEDULED),
            _("Nothing is scheduled."),
            [
                Row(a.headline, _change(a), _("Goes live"), a.published_at, language=a.language)
                for a in scheduled[:ROWS]
            ],
        ),
        Box(
            "published",
            _("Recently published"),
            counts["published"],
            _article_list(state=permissions.PUBLISHED, **_past_week("published_at")),
            _("Nothing was published in the past seven days."),
            [
                Row(a.headline, _change(a), _("Published"), a.published_at, language=a.language)
                for a in published[:ROWS]
            ],
        ),
    ]
    if user.has_perm("articles.view_correction"):
        rows = (
            corrections.select_related("article")
            .only(
                "pk",
                "published_at",
                "right",
                "created_by",
                "article__headline",
                "article__language",
            )
            .order_by("-published_at", "-pk")[:ROWS]
        )
        boxes.append(
            Box(
                "corrections",
                _("Corrections this week"),
                corrections.count(),
                reverse("admin:articles_correction_changelist")
                + "?"
                + urlencode(_past_week("published_at")),
                _("No corrections in the past seven days."),
                [
                    Row(
                        c.article.headline,
                        reverse("admin:articles_correction_change", args=[c.pk]),
                        _("Corrected"),
                        c.published_at,
                        excerpt=c.right,
                        by_id=c.created_by_id,
                        language=c.article.language,
                    )
                    for c in rows
                ],
            )
        )
    return boxes


def is_sent_back(draft):
    """filters.sent_back()'s rule, for a draft annotated with its last move."""
    return draft.last_move == AuditEvent.Action.RETURNED and draft.last_mover != draft.created_by_id


def reporter_boxes(user):
    mine = Article.objects.filter(created_by=user)
    states = {
        "drafts": in_state(mine, permissions.DRAFT),
        "sent_back": in_state(mine, SENT_BACK),
        "review": in_state(mine, permissions.REVIEW),
    }
    counts = count_each(states)
    drafts = (
        states["drafts"]
        .annotate(
            last_move=latest_event("action", *MOVES), last_mover=latest_event("actor", *MOVES)
        )
        .order_by("-updated_at", "-pk")
        .only("pk", "headline", "language", "updated_at", "created_by")[:ROWS]
    )
    sent_back = (
        with_moves(states["sent_back"])
        .order_by(F("returned_at").desc(nulls_last=True), "-pk")
        .only("pk", "headline", "language", "updated_at")[:ROWS]
    )
    review = (
        with_moves(states["review"])
        .order_by(F("submitted_at").asc(nulls_first=True), "pk")
        .only("pk", "headline", "language", "updated_at")[:ROWS]
    )
    return [
        Box(
            "drafts",
            _("My drafts"),
            counts["drafts"],
            _article_list(state=permissions.DRAFT),
            _("No drafts. Start one with “Add article”."),
            [
                Row(
                    a.headline or _("(no headline yet)"),
                    _change(a),
                    _("Last saved"),
                    a.updated_at,
                    flag=_("Sent back") if is_sent_back(a) else "",
                    language=a.language,
                )
                for a in drafts
            ],
        ),
        Box(
            "sent_back",
            _("Sent back to me"),
            counts["sent_back"],
            _article_list(state=SENT_BACK),
            _("Nothing was sent back to you."),
            [
                Row(
                    a.headline or _("(no headline yet)"),
                    _change(a),
                    _("Sent back"),
                    a.returned_at,
                    by_id=a.returned_by,
                    language=a.language,
                )
                for a in sent_back
            ],
        ),
        Box(
            "review",
            _("Mine in review"),
            counts["review"],
            _article_list(state=permissions.REVIEW),
            _("None of your stories is in review."),
            [
                Row(
                    a.headline,
                    _change(a),
                    _("Submitted"),
                    a.submitted_at or a.updated_at,
                    language=a.language,
                )
                for a in review
            ],
        ),
    ]


def _name_people(boxes):
    """Put who did it into each row: one query for everyone named on the page."""
    rows = [row for box in boxes for row in box.rows if row.by_id is not None]
    if not rows:
        return
    people = get_user_model().objects.in_bulk({row.by_id for row in rows})
    for row in rows:
        person = people.get(row.by_id)
        if person is not None:
            name = person.get_full_name() or person.get_username()
            row.what = _("%(what)s by %(name)s") % {"what": row.what, "name": name}


def for_user(user):
    """The dashboard's context for this person: their role's boxes."""
    if permissions.is_editor(user):
        role, boxes = "editor", editor_boxes(user)
    elif permissions.is_staff(user) and user.has_perm("articles.add_article"):
        role, boxes = "reporter", reporter_boxes(user)
    else:
        role, boxes = None, []
    _name_people(boxes)
    return {
        "desk_role": role,
        "boxes": boxes,
        "desk_time_zone": _(settings.TIME_ZONE.rsplit("/", 1)[-1].replace("_", " ")),
    }
