"""The article list's filter by workflow state, which the dashboard's boxes link into.

"Scheduled" and "published" are both status "published" in the database (a future publication
time means scheduled), so a filter on the status field alone cannot tell them apart; this one asks
the articles' own querysets, where "published" is defined once.
"""

from django.contrib import admin
from django.db.models import F, OuterRef, Subquery
from django.utils.translation import gettext_lazy as _

from articles.models import Article
from workflow import permissions
from workflow.models import AuditEvent
from workflow.services import ACTION_FOR_STATE

SENT_BACK = "sent_back"

STATE_CHOICES = [
    (permissions.DRAFT, _("Draft")),
    (SENT_BACK, _("Sent back to draft")),
    (permissions.REVIEW, _("In review")),
    (permissions.SCHEDULED, _("Scheduled")),
    (permissions.PUBLISHED, _("Published")),
    (permissions.UNPUBLISHED, _("Unpublished")),
]

# The audit actions that move an article between states (edits and corrections do not).
MOVES = list(ACTION_FOR_STATE.values())


def latest_event(field, *actions):
    """The `field` of an article's latest audit event among `actions`, as a subquery: one query
    for a whole list, never one per row."""
    events = AuditEvent.objects.filter(article=OuterRef("pk"), action__in=actions)
    return Subquery(events.order_by("-at", "-pk").values(field)[:1])


def sent_back(queryset):
    """Drafts whose last move was an editor returning them to draft (not the author taking their
    own story back out of review to keep writing)."""
    return (
        queryset.filter(status=Article.Status.DRAFT)
        .alias(
            last_move=latest_event("action", *MOVES),
            last_mover=latest_event("actor", *MOVES),
        )
        .filter(last_move=AuditEvent.Action.RETURNED)
        .exclude(last_mover=F("created_by"))
    )


def in_state(queryset, state):
    """The articles of `queryset` in a workflow state (a value of STATE_CHOICES)."""
    if state == permissions.PUBLISHED:
        return queryset.published()
    if state == permissions.SCHEDULED:
        return queryset.upcoming()
    if state == SENT_BACK:
        return sent_back(queryset)
    return queryset.filter(status=state)


class WorkflowStateFilter(admin.SimpleListFilter):
    title = _("workflow state")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return STATE_CHOICES

    def queryset(self, request, queryset):
        # An unknown value (a hand-edited address) lists everything rather than failing.
        if self.value() in dict(STATE_CHOICES):
            return in_state(queryset, self.value())
        return queryset
