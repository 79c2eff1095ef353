"""What an insights page covers: a period of days in newsroom time, an edition (or both) and the
step its time charts are counted in; read from the page's address by a form, so a hand-edited
address gets a form error rather than a 500."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from articles.models import Article
from newsroom import editions
from workflow import permissions

WEEK, MONTH = "week", "month"
BOTH = "all"
# Weekly charts of more than a year would be too dense to read.
MAX_WEEKS = 54
# A decade of months is the archive's whole depth.
MAX_DAYS = 366 * 20


def month_start(day: date) -> date:
    return day.replace(day=1)


def next_month(day: date) -> date:
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1)


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


@dataclass(frozen=True)
class Scope:
    start: date  # the first day counted
    end: date  # the last day counted (inclusive)
    language: str  # an edition's code, or BOTH
    step: str  # WEEK or MONTH

    @classmethod
    def default(cls):
        """The past twelve months, this month included, in the English edition, by month."""
        today = timezone.localdate()
        start = month_start(today).replace(year=today.year - 1)
        return cls(next_month(start), today, editions.ENGLISH, MONTH)

    def key(self) -> str:
        return f"{self.start:%Y%m%d}-{self.end:%Y%m%d}-{self.language}-{self.step}"

    @property
    def languages(self) -> list[str]:
        return editions.CODES if self.language == BOTH else [self.language]

    @staticmethod
    def moment(day: date) -> datetime:
        """Midnight at the start of `day`, newsroom time: what the article list's date filter
        means by the same day."""
        return timezone.make_aware(datetime.combine(day, time.min))

    def bounds(self, start=None, end=None) -> tuple[datetime, datetime]:
        """The period (or the days from `start` to `end`, inclusive) as [from, until)."""
        return self.moment(start or self.start), self.moment((end or self.end) + timedelta(days=1))

    def articles(self):
        """The published stories of the edition(s) published in the period: all that counts."""
        since, until = self.bounds()
        return Article.objects.published().filter(
            language__in=self.languages, published_at__gte=since, published_at__lt=until
        )

    def periods(self) -> list[date]:
        """The first day of each week or month the period touches, in order."""
        first, following = (week_start, lambda d: d + timedelta(days=7))
        if self.step == MONTH:
            first, following = month_start, next_month
        days, day = [], first(self.start)
        while day <= self.end:
            days.append(day)
            day = following(day)
        return days

    def period_end(self, first: date) -> date:
        """The last day of the week or month starting on `first`, within the period."""
        following = first + timedelta(days=7) if self.step == WEEK else next_month(first)
        return min(self.end, following - timedelta(days=1))

    def list_params(self, start=None, end=None, *, dated=True) -> dict:
        """The article list's own filters for what this scope counts: published stories of the
        edition(s), and (`dated`) published between `start` and `end` (the period's days, by
        default). Insights' own filters (filters.py) are added to these."""
        params = {"state": permissions.PUBLISHED}
        if self.language != BOTH:
            params["language__exact"] = self.language
        if dated:
            # As the list's own "Past 7 days" link writes them: midnights with their offset.
            since, until = self.bounds(
                max(start or self.start, self.start), min(end or self.end, self.end)
            )
            params["published_at__gte"] = str(since)
            params["published_at__lt"] = str(until)
        return params


EDITION_CHOICES = [*editions.LANGUAGES, (BOTH, _("Both editions"))]
STEP_CHOICES = [(MONTH, _("By month")), (WEEK, _("By week"))]


class ScopeForm(forms.Form):
    start = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("To"), widget=forms.DateInput(attrs={"type": "date"}))
    language = forms.ChoiceField(label=_("Edition"), choices=EDITION_CHOICES)
    step = forms.ChoiceField(label=_("Stories counted"), choices=STEP_CHOICES)

    def __init__(self, data=None, **kwargs):
        default = Scope.default()
        initial = {
            "start": default.start,
            "end": default.end,
            "language": default.language,
            "step": default.step,
        }
        # An address with none of the fields is the default page; with some, the rest default.
        if data is not None and any(name in data for name in initial):
            data = {name: data.get(name) or initial[name] for name in initial}
        else:
            data = initial
        super().__init__(data, **kwargs)

    def clean(self):
        cleaned = super().clean()
        start, end, step = cleaned.get("start"), cleaned.get("end"), cleaned.get("step")
        if start and end:
            if end < start:
                self.add_error("end", _("The period must end on or after its first day."))
            elif (end - start).days > MAX_DAYS:
                self.add_error("start", _("The period can be at most twenty years long."))
            elif step == WEEK and (end - start).days > MAX_WEEKS * 7:
                self.add_error(
                    "step", _("Count by month for a period longer than a year: weeks would crowd.")
                )
        return cleaned

    def scope(self) -> Scope | None:
        if not self.is_valid():
            return None
        data = self.cleaned_data
        return Scope(data["start"], data["end"], data["language"], data["step"])
