from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from newsroom.editions import localized


class SlugManager(models.Manager):
    """Fixtures name rows by slug, never by primary key (see fixtures/conference.json)."""

    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class Timestamped(models.Model):
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last updated"), auto_now=True)
    last_edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("last edited by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        abstract = True


class Organization(Timestamped):
    class Kind(models.TextChoices):
        GOVERNMENT = "government", _("Government body")
        UN_AGENCY = "un_agency", _("UN agency")
        EMBASSY = "embassy", _("Embassy or diplomatic mission")
        INTERGOVERNMENTAL = "intergovernmental", _("Intergovernmental organization")
        NGO = "ngo", _("NGO or civil society")
        ACADEMIA = "academia", _("Academia or research")
        MEDIA = "media", _("News organization")
        PRIVATE = "private", _("Private sector")
        OTHER = "other", _("Other")

    name = models.CharField(max_length=255, help_text=_("The full official name, spelled out."))
    name_ar = models.CharField(
        _("name in Arabic"),
        max_length=255,
        blank=True,
        help_text=_("The official name in Arabic, for the Arabic edition. Empty shows the name."),
    )
    slug = models.SlugField(
        max_length=255,
        unique=True,
        help_text=_("Part of the page address; filled in from the name."),
    )
    short_name = models.CharField(
        _("short name or acronym"),
        max_length=64,
        blank=True,
        help_text=_('How the story refers to it after the first mention, e.g. "IOM".'),
    )
    short_name_ar = models.CharField(
        _("short name in Arabic"),
        max_length=64,
        blank=True,
        help_text=_(
            "Empty shows the short name above, as Arabic newspapers often do for acronyms."
        ),
    )
    kind = models.CharField(max_length=32, choices=Kind.choices, default=Kind.OTHER)
    country = models.CharField(
        max_length=100,
        blank=True,
        help_text=_("Where it is based; leave empty for international bodies."),
    )
    country_ar = models.CharField(
        _("country in Arabic"),
        max_length=100,
        blank=True,
        help_text=_('The same, for the Arabic edition, e.g. "مصر".'),
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        help_text=_("The body it belongs to: IOM Egypt belongs to IOM."),
    )
    description = models.TextField(
        blank=True, help_text=_("One or two plain sentences for readers.")
    )
    description_ar = models.TextField(
        _("description in Arabic"), blank=True, help_text=_("The same, for the Arabic edition.")
    )
    website = models.URLField(blank=True)

    objects = SlugManager()

    class Meta:
        ordering = ["name"]
        # The organizations' directory is grouped by kind, then alphabetical.
        indexes = [models.Index(fields=["kind", "name"], name="organization_kind_name_idx")]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(slug=""), name="organization_slug_not_empty"
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.short_name})" if self.short_name else self.name

    def natural_key(self):
        return (self.slug,)

    def get_absolute_url(self):
        return reverse("people:organization_detail", kwargs={"slug": self.slug})

    @property
    def display_name(self):
        return self.short_name or self.name

    # In the reader's edition: the Arabic name where known (newsroom/editions.py).
    local_name = property(lambda self: localized(self, "name"))
    local_description = property(lambda self: localized(self, "description"))
    local_country = property(lambda self: localized(self, "country"))

    @property
    def local_display_name(self):
        return localized(self, "short_name") or self.local_name

    def clean(self):
        super().clean()
        self.check_ancestry()

    def check_ancestry(self):
        """Refuse a parent chain that leads back here: it would loop forever on every page."""
        seen = {self.pk} if self.pk else set()
        ancestor = self.parent
        while ancestor is not None:
            if ancestor.pk in seen or ancestor is self:
                raise ValidationError(
                    {
                        "parent": _(
                            "An organization cannot belong to itself or to one of its own "
                            "member organizations."
                        )
                    }
                )
            seen.add(ancestor.pk)
            ancestor = ancestor.parent


class Person(Timestamped):
    name = models.CharField(max_length=255, help_text=_("As the person is best known in print."))
    name_ar = models.CharField(
        _("name in Arabic"),
        max_length=255,
        blank=True,
        help_text=_("As Arabic newspapers print it, e.g. نائلة جبر. Empty shows the name above."),
    )
    slug = models.SlugField(
        max_length=255,
        unique=True,
        help_text=_("Part of the page address; filled in from the name."),
    )
    honorific = models.CharField(
        max_length=64,
        blank=True,
        help_text=_('Forms of address printed before the name, e.g. "H.E. Ambassador".'),
    )
    honorific_ar = models.CharField(
        _("honorific in Arabic"), max_length=64, blank=True, help_text=_('E.g. "السفيرة".')
    )
    also_known_as = models.CharField(
        max_length=255,
        blank=True,
        help_text=_("Other spellings of the name, comma-separated; used by search."),
    )
    bio = models.TextField(_("short bio"), blank=True, help_text=_("Two or three plain sentences."))
    bio_ar = models.TextField(
        _("short bio in Arabic"), blank=True, help_text=_("The same, for the Arabic edition.")
    )

    objects = SlugManager()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = _("people")
        indexes = [models.Index(fields=["name"], name="person_name_idx")]
        constraints = [
            models.CheckConstraint(condition=~models.Q(slug=""), name="person_slug_not_empty"),
        ]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.slug,)

    def get_absolute_url(self):
        return reverse("people:person_detail", kwargs={"slug": self.slug})

    @property
    def full_name(self):
        return f"{self.honorific} {self.name}" if self.honorific else self.name

    # In the reader's edition: the Arabic name and bio where known (newsroom/editions.py).
    local_name = property(lambda self: localized(self, "name"))
    local_bio = property(lambda self: localized(self, "bio"))

    @property
    def local_full_name(self):
        # With the Arabic name, only an Arabic honorific.
        honorific = self.honorific_ar if self.local_name != self.name else self.honorific
        return f"{honorific} {self.local_name}" if honorific else self.local_name


class RoleManager(models.Manager):
    def get_by_natural_key(self, person_slug, organization_slug, title):
        return self.get(person__slug=person_slug, organization__slug=organization_slug, title=title)


class Role(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="roles")
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="roles")
    title = models.CharField(max_length=255, help_text=_('E.g. "Chief of Mission".'))
    title_ar = models.CharField(
        _("title in Arabic"), max_length=255, blank=True, help_text=_('E.g. "رئيسة البعثة".')
    )
    start_date = models.DateField(_("from"), null=True, blank=True)
    end_date = models.DateField(_("until"), null=True, blank=True)
    order = models.PositiveSmallIntegerField(
        default=0, help_text=_("Lower numbers are listed first on the person's page.")
    )

    objects = RoleManager()

    class Meta:
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "organization", "title"], name="unique_role_per_person"
            ),
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(start_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="role_ends_after_it_starts",
            ),
        ]

    def __str__(self):
        return f"{self.title}, {self.organization.display_name}"

    local_title = property(lambda self: localized(self, "title"))

    def natural_key(self):
        return self.person.natural_key() + self.organization.natural_key() + (self.title,)

    natural_key.dependencies = ["people.person", "people.organization"]

    def clean(self):
        super().clean()
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("A role cannot end before it starts.")})
