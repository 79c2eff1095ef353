"""The desk's screens for quotes, corrections and themes (merging duplicate themes among them)."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.template.response import TemplateResponse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from articles import services
from articles.models import Correction, Quote, Theme
from workflow import permissions

from .. import widgets
from ..versions import VersionHistoryMixin
from . import editions
from .article_forms import CorrectionForm, QuoteForm


@admin.register(Quote)
class QuoteAdmin(widgets.ModelAdmin):
    form = QuoteForm
    list_display = (
        "__str__",
        "person",
        "capacity",
        "role",
        "article",
        editions.article_language,
    )
    list_select_related = ("person", "role__organization", "article")
    search_fields = ("text", "person__name", "person__name_ar", "capacity", "article__headline")
    list_filter = ("article__status", "article__language")
    autocomplete_fields = ("article", "person", "role", "translation_of")

    # Reporters edit quotes inside their own drafts (QuoteInline asks workflow.permissions). This
    # list reaches every article's quotes, so it is for editors only.
    def has_module_permission(self, request):
        return permissions.is_editor(request.user)

    def has_view_permission(self, request, obj=None):
        return permissions.is_editor(request.user)

    def has_add_permission(self, request):
        return permissions.is_editor(request.user)

    def has_change_permission(self, request, obj=None):
        return permissions.is_editor(request.user)

    def has_delete_permission(self, request, obj=None):
        return permissions.is_editor(request.user)


@admin.register(Correction)
class CorrectionAdmin(widgets.ModelAdmin):
    form = CorrectionForm
    list_display = ("__str__", "article", editions.article_language, "published_at", "created_by")
    list_select_related = ("article", "created_by")
    search_fields = ("wrong", "right", "article__headline")
    date_hierarchy = "published_at"
    autocomplete_fields = ("article",)
    readonly_fields = ("created_by",)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


class ThemeForm(forms.ModelForm):
    class Meta:
        model = Theme
        fields = ("name", "language", "slug", "description", "iptc_code")
        error_messages = {
            "slug": {"unique": _("Another theme already uses this address. Change the slug.")}
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Absent when the theme is read-only for this person (a reporter may view themes).
        language = self.fields.get("language")
        if language is not None:
            language.required = False  # not posted: the theme's own (see clean_language)
        slug = self.fields.get("slug")
        if slug is not None:
            slug.required = False
            slug.help_text = _("Part of the page address; filled in from the name if left empty.")

    def clean_language(self):
        return self.cleaned_data.get("language") or self.instance.language

    def clean_slug(self):
        # A name made only of punctuation ("!!!") leaves the prepopulated slug empty: fall back
        # on the model's own slug rule, which always gives an address.
        slug = self.cleaned_data.get("slug")
        name = self.cleaned_data.get("name")
        if not slug and name:
            slug = self.instance.slugify(name)[: Theme._meta.get_field("slug").max_length]
        return slug


class MergeThemesForm(forms.Form):
    survivor = forms.ModelChoiceField(
        queryset=Theme.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": _("Choose the theme to keep.")},
    )

    def __init__(self, *args, themes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["survivor"].queryset = themes
        self.fields["survivor"].label_from_instance = lambda theme: (
            _("%(name)s (%(count)s article(s))")
            % {"name": theme.name, "count": theme.article_count}
        )


@admin.register(Theme)
class ThemeAdmin(VersionHistoryMixin, widgets.ModelAdmin):
    form = ThemeForm
    list_display = ("name", "language", "slug", "article_count", "iptc_code")
    list_filter = ("language",)
    search_fields = ("name", "slug", "description")
    radio_fields = {"language": admin.HORIZONTAL}

    def get_search_fields(self, request):
        # Picking themes in an article (autocomplete) goes by name: "traff" should offer Human
        # trafficking first, not every theme whose description mentions trafficking.
        if request.resolver_match and request.resolver_match.url_name == "autocomplete":
            return ("name",)
        return super().get_search_fields(request)

    prepopulated_fields = {"slug": ("name",)}
    actions = ("merge_themes",)

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(article_count=Count("themed_articles"))
            .order_by(*Theme._meta.ordering)
        )

    @admin.display(description=_("articles"), ordering="article_count")
    def article_count(self, obj):
        return obj.article_count

    @admin.action(description=_("Merge selected themes into one"), permissions=["delete"])
    def merge_themes(self, request, queryset):
        themes = queryset.order_by("pk")
        if len(themes) < 2:
            self.message_user(request, _("Select at least two themes to merge."), messages.WARNING)
            return None
        form = MergeThemesForm(request.POST if request.POST.get("post") else None, themes=themes)
        if form.is_valid():
            survivor = form.cleaned_data["survivor"]
            duplicates = [theme for theme in themes if theme.pk != survivor.pk]
            try:
                count = services.merge_themes(survivor=survivor, duplicates=duplicates)
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
                return None
            self.message_user(
                request,
                format_html(
                    _("Merged {} into “{}”; {} article(s) re-tagged."),
                    format_html_join(", ", "“{}”", ((theme.name,) for theme in duplicates)),
                    survivor.name,
                    count,
                ),
                messages.SUCCESS,
            )
            return None
        if not form.is_bound:
            form.initial["survivor"] = themes[0].pk
        context = {
            **self.admin_site.each_context(request),
            "title": _("Merge themes"),
            "opts": self.model._meta,
            "form": form,
            "themes": themes,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "desk/merge_themes.html", context)
