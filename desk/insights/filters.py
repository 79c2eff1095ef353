"""The article list's filters behind the insights' numbers: "the stories quoting this person",
"... quoting no one outside government", "... mentioning these two organizations together",
"... corrected in March".

Each is shown in the list's sidebar only while it is in use, naming what it selects, with "All"
to leave it; the sidebar otherwise keeps to the filters editors pick by hand. Each selects with the
same condition its figure counts with (conditions.py), as an EXISTS, so a story is listed once. A
value that is not one (a hand-edited address) is the list's "incorrect lookup" message, not a 500.
"""

from datetime import date, timedelta

from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from people.models import Organization, Person

from . import conditions
from .scope import Scope


class InsightFilter(admin.SimpleListFilter):
    def lookups(self, request, model_admin):
        value = self.value()
        if value is None:
            return ()
        try:
            return ((value, self.describe(value)),)
        except (ValueError, TypeError, LookupError):
            raise IncorrectLookupParameters(value) from None

    def queryset(self, request, queryset):
        if self.value() is None:
            return queryset
        return queryset.filter(self.condition(self.value()))

    def describe(self, value) -> str:
        raise NotImplementedError

    def condition(self, value):
        raise NotImplementedError


def named(model, value, field="name") -> str:
    """The name of the row `value` names; LookupError when there is none."""
    name = model.objects.filter(pk=int(value)).values_list(field, flat=True).first()
    if name is None:
        raise LookupError(value)
    return name


class QuotedPersonFilter(InsightFilter):
    title = _("quoting")
    parameter_name = "quoted"

    def describe(self, value):
        return named(Person, value)

    def condition(self, value):
        return conditions.quoting(person_id=int(value))


class QuotedOrganizationFilter(InsightFilter):
    title = _("quoting someone speaking for")
    parameter_name = "quoted_org"

    def describe(self, value):
        return named(Organization, value)

    def condition(self, value):
        return conditions.quoting(role__organization_id=int(value))


class QuotedKindFilter(InsightFilter):
    title = _("quoting someone from")
    parameter_name = "quoted_kind"

    def describe(self, value):
        if value != conditions.NO_ROLE and value not in conditions.Kind.values:
            raise LookupError(value)
        return conditions.kind_label(value)

    def condition(self, value):
        return conditions.quoting_kind(value)


class VoicesFilter(InsightFilter):
    title = _("voices")
    parameter_name = "voices"
    CHOICES = {
        "quoting": _("Quoting anyone"),
        "officials": _("Quoting no one outside government"),
    }

    def describe(self, value):
        return self.CHOICES[value]

    def condition(self, value):
        if value == "officials":
            return conditions.quoting_only_officials()
        return conditions.quoting()


class MentionsTogetherFilter(InsightFilter):
    title = _("mentioning together")
    parameter_name = "mentions"

    @staticmethod
    def ids(value):
        ids = [int(part) for part in value.split(",")]
        if not 1 <= len(ids) <= 2:
            raise ValueError(value)
        return ids

    def describe(self, value):
        names = dict(Organization.objects.filter(pk__in=self.ids(value)).values_list("pk", "name"))
        if len(names) != len(set(self.ids(value))):
            raise LookupError(value)
        return " · ".join(names[pk] for pk in self.ids(value))

    def condition(self, value):
        first, *others = [conditions.mentioning(pk) for pk in self.ids(value)]
        for other in others:
            first &= other
        return first


class CorrectedFilter(InsightFilter):
    title = _("corrected")
    parameter_name = "corrected"

    @staticmethod
    def days(value) -> tuple[date, date]:
        first, last = (date.fromisoformat(part) for part in value.split(".."))
        if last < first:
            raise ValueError(value)
        return first, last

    def describe(self, value):
        first, last = self.days(value)
        return _("%(first)s to %(last)s") % {
            "first": formats.date_format(first),
            "last": formats.date_format(last),
        }

    def condition(self, value):
        first, last = self.days(value)
        return conditions.corrected_between(
            Scope.moment(first), Scope.moment(last + timedelta(days=1))
        )


FILTERS = (
    QuotedPersonFilter,
    QuotedOrganizationFilter,
    QuotedKindFilter,
    VoicesFilter,
    MentionsTogetherFilter,
    CorrectedFilter,
)
