"""What the insights count, defined once: the figures (figures.py) count with these conditions and
the article list's filters (filters.py) select with them, so a figure and the list it links to
always agree."""

from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext as _

from articles.models import Article, Correction, Quote
from people.models import Organization

Kind = Organization.Kind
# Who speaks for a state: a government body at home, or an embassy for another.
OFFICIAL_KINDS = (Kind.GOVERNMENT, Kind.EMBASSY)
# The quotes whose speaker gave no role, in the figures by kind and their filter.
NO_ROLE = "none"


def kind_label(kind) -> str:
    if kind in (None, NO_ROLE):
        return _("No role given")
    return str(Kind(kind).label)


def quotes(**conditions):
    """The quotes of the article in the outer query, narrowed by `conditions`."""
    return Quote.objects.filter(article=OuterRef("pk"), **conditions)


def quoting(**conditions) -> Exists:
    """The article quotes someone (who meets `conditions`)."""
    return Exists(quotes(**conditions))


def quoting_outside_government() -> Exists:
    """The article quotes someone not known to speak for a government: a quote whose role is at
    an organization of another kind, or that names no role."""
    return Exists(quotes().exclude(role__organization__kind__in=OFFICIAL_KINDS))


def quoting_only_officials() -> Q:
    """The article quotes someone, and only people speaking for governments."""
    return Q(quoting()) & ~Q(quoting_outside_government())


def quoting_kind(kind: str) -> Exists:
    if kind == NO_ROLE:
        return quoting(role__isnull=True)
    return quoting(role__organization__kind=kind)


def mentioning(organization_id: int) -> Exists:
    links = Article.organizations.through.objects.filter(
        article=OuterRef("pk"), organization_id=organization_id
    )
    return Exists(links)


def corrections_between(since, until):
    """Corrections readers can see, dated in [since, until)."""
    return Correction.objects.published().filter(published_at__gte=since, published_at__lt=until)


def corrected_between(since, until) -> Exists:
    return Exists(corrections_between(since, until).filter(article=OuterRef("pk")))
