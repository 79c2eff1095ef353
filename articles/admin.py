import reversion
from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpResponse, HttpResponseRedirect
from django.template import engines
from django.utils.html import format_html, format_html_join
from taggit.models import Tag

from newsroom import admin_widgets
from newsroom.admin_assets import EditorUnderCSPMixin
from people.admin import EditorialRecordAdmin, formfield_assuming_https, slug_taken_message
from workflow import permissions
from workflow.admin_history import VersionHistoryMixin
from workflow.models import AuditEvent
from workflow.services import record

from . import services
from .models import Article, Correction, Quote, Theme
from .uploads import ArticleUploadChecksMixin

# The project tags articles with Theme; taggit's own generic Tag model is unused, so its admin
# would only show editors an empty, confusing "Tags" section.
if admin.site.is_registered(Tag):
    admin.site.unregister(Tag)


class QuoteForm(forms.ModelForm):
    class Meta:
        model = Quote
        fields = ("article", "person", "text", "capacity", "order")
        error_messages = {
            "person": {
                "required": "Choose who said it. A quote without a person cannot be published; "
                "add them under People first if they are new."
            },
            "__all__": {
                "unique_together": "Two quotes in this article have the same position. "
                "Give each quote its own number."
            },
        }
        help_texts = {"article": "The story the quote appears in."}


class QuoteInline(admin_widgets.StackedInline):
    model = Quote
    form = QuoteForm
    extra = 0
    fields = (("person", "capacity", "order"), "text")
    autocomplete_fields = ("person",)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("person")

    # A reporter's quotes are theirs to change while the article is: their own draft.
    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and (
            obj is None or permissions.can_edit(request.user, obj)
        )

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (
            obj is None or permissions.can_edit(request.user, obj)
        )

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (
            obj is None or permissions.can_edit(request.user, obj)
        )


class CorrectionForm(forms.ModelForm):
    class Meta:
        model = Correction
        fields = ("article", "published_at", "wrong", "right")
        help_texts = {
            "published_at": "When the correction was made. Readers see this date under the story."
        }


class CorrectionInline(admin_widgets.StackedInline):
    model = Correction
    form = CorrectionForm
    extra = 0
    fields = ("published_at", "wrong", "right", "created_by")
    readonly_fields = ("created_by",)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("created_by")


class ArticleForm(ArticleUploadChecksMixin, forms.ModelForm):
    class Meta:
        model = Article
        formfield_callback = formfield_assuming_https
        fields = (
            "headline",
            "slug",
            "standfirst",
            "body",
            "status",
            "published_at",
            "themes",
            "people",
            "organizations",
            "dateline",
            "byline",
            "source",
            "source_url",
            "lead_image",
            "lead_image_alt",
            "lead_image_caption",
            "lead_image_credit",
        )
        error_messages = slug_taken_message("article")
        # For editors, where the model has none (kept here to avoid a migration for wording).
        help_texts = {
            "headline": "Plain words, no full stop. Shown on the page, in lists, feeds and "
            "search results.",
            "body": "The story. Links may go to http, https and mailto addresses only; anything "
            "else is removed on save.",
            "status": "Only “Published” is visible to readers, from the publication time on. "
            "“Unpublished” takes a story down without deleting it.",
            "source_url": "A link to the original statement or report, if there is one.",
            "organizations": "Every organization the story names.",
            "lead_image": "Optional. Shown at the top of the story and when it is shared.",
            "lead_image_caption": "What is happening in the picture, in a sentence.",
            "lead_image_credit": 'Who took or owns the picture, e.g. "IOM / Jane Doe".',
        }

    # Set by ArticleAdmin.get_form: whose request this form serves.
    workflow_user = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        status = self.fields.get("status")
        if status is not None and self.workflow_user is not None:
            # Offer only the states this person may leave the article in ("scheduled" is
            # "published" with a future time).
            allowed = permissions.allowed_states(self.workflow_user, self.instance)
            statuses = {
                Article.Status.PUBLISHED if state == permissions.SCHEDULED else state
                for state in allowed
            }
            statuses.add(self.instance.status)
            status.choices = [c for c in Article.Status.choices if c[0] in statuses]
            if not self.workflow_user.has_perm("workflow.publish_article"):
                status.help_text = (
                    "Choose “In review” when it is ready for an editor. Editors publish it."
                )

    def clean(self):
        cleaned = super().clean()
        user = self.workflow_user
        if user is None or "status" not in cleaned:
            return cleaned
        # Checked here, on the server, whatever the form offered: a crafted POST cannot skip it.
        # self.instance still holds the stored values (the form copies its data in later).
        published_at = cleaned.get("published_at", self.instance.published_at)
        to_state = permissions.state_of(cleaned["status"], published_at)
        from_state = (
            permissions.state_of(None, article=self.instance)
            if self.instance.pk
            else permissions.DRAFT
        )
        if to_state != from_state and not permissions.can_move(user, self.instance, to_state):
            self.add_error(
                "status",
                f"You may not move this article from "
                f"{permissions.STATE_LABELS[from_state].lower()} to "
                f"{permissions.STATE_LABELS[to_state].lower()}.",
            )
        return cleaned


@admin.register(Article)
class ArticleAdmin(EditorUnderCSPMixin, VersionHistoryMixin, EditorialRecordAdmin):
    form = ArticleForm
    record_fields = ("created_at", "created_by", "updated_at", "last_edited_by")
    list_display = (
        "headline",
        "publication",
        "published_at",
        "theme_names",
        "quote_count",
        "updated_at",
        "last_edited_by",
    )
    list_select_related = ("last_edited_by",)
    list_filter = ("status", "themes", ("published_at", admin.DateFieldListFilter))
    date_hierarchy = "published_at"
    search_fields = ("headline", "slug", "standfirst", "byline", "dateline")
    prepopulated_fields = {"slug": ("headline",)}
    autocomplete_fields = ("people", "organizations")
    inlines = (QuoteInline, CorrectionInline)
    actions = ("submit_for_review", "return_to_draft", "publish", "unpublish")
    fieldsets = (
        (None, {"fields": ("headline", "slug", "standfirst", "body")}),
        ("Publication", {"fields": ("status", "published_at")}),
        ("Who and what it is about", {"fields": ("themes", "people", "organizations")}),
        ("Attribution", {"fields": ("dateline", "byline", "source", "source_url")}),
        (
            "Lead image",
            {
                "fields": (
                    "lead_image",
                    "lead_image_alt",
                    "lead_image_caption",
                    "lead_image_credit",
                ),
                "classes": ("collapse",),
            },
        ),
        ("Record", {"fields": record_fields, "classes": ("collapse",)}),
    )

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if not permissions.is_editor(request.user):
            # Reporters work on their own stories, and follow them through review.
            queryset = queryset.filter(created_by=request.user)
        return (
            queryset.annotate(quote_count=Count("quotes", distinct=True))
            .prefetch_related("themes")
            # A grouped query drops Meta.ordering; autocomplete pages through this queryset.
            .order_by(*Article._meta.ordering)
        )

    # Who may do what. The workflow rules (workflow/permissions.py) narrow the model permissions
    # per article; each check here is made again on POST, so hidden buttons are not the defence.

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and (
            obj is None or permissions.can_see(request.user, obj)
        )

    def has_change_permission(self, request, obj=None):
        # Editors hold the model permission (any article); reporters change their own drafts.
        if obj is None:
            return super().has_change_permission(request) or permissions.can_edit(
                request.user, Article()
            )
        return permissions.can_edit(request.user, obj)

    def has_publish_permission(self, request):
        return request.user.has_perm("workflow.publish_article")

    def has_submit_permission(self, request):
        return request.user.has_perm("workflow.submit_article")

    def response_change(self, request, obj):
        if "_continue" in request.POST and not self.has_change_permission(request, obj):
            # Django would say "You may edit it again below" over a page that is now read-only.
            self.message_user(
                request,
                format_html(
                    "“{}” was saved. It is no longer a draft, so it is read-only for you now.", obj
                ),
                messages.SUCCESS,
            )
            return HttpResponseRedirect(request.path)
        return super().response_change(request, obj)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or self.has_change_permission(request, obj):
            return fieldsets
        # Read only (a reporter's story in review): show the body as readers will, not its HTML.
        return [
            (
                name,
                {
                    **options,
                    "fields": [f if f != "body" else "body_as_read" for f in options["fields"]],
                },
            )
            for name, options in fieldsets
        ]

    @admin.display(description="Body")
    def body_as_read(self, obj):
        return obj.body_html  # sanitized with the allow-list on save

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        if not request.user.has_perm("workflow.publish_article"):
            fields = (*fields, "published_at")  # only editors schedule
        return fields

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        return type(form.__name__, (form,), {"workflow_user": request.user})

    def save_model(self, request, obj, form, change):
        if change:
            stored = Article.objects.get(pk=obj.pk)
            from_state = permissions.state_of(None, article=stored)
        else:
            from_state = None
        super().save_model(request, obj, form, change)
        to_state = permissions.state_of(None, article=obj)
        if from_state is None:
            record(AuditEvent.Action.CREATED, article=obj, by=request.user, to_state=to_state)
            from_state = permissions.DRAFT
            comment = "Created"
        elif from_state == to_state:
            comment = "Edited"
            if to_state in (permissions.PUBLISHED, permissions.SCHEDULED):
                # Every change to a story readers can see (or soon will) is accountable.
                record(AuditEvent.Action.EDITED, article=obj, by=request.user, to_state=to_state)
        else:
            comment = permissions.STATE_LABELS[to_state]
        services.record_transition(
            article=obj, from_state=from_state, to_state=to_state, by=request.user
        )
        if reversion.is_active():
            reversion.set_comment(comment)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        context = {
            "may_make_preview_links": request.user.has_perm("workflow.add_previewlink"),
            "may_read_audit": request.user.has_perm("workflow.view_auditevent"),
            **(extra_context or {}),
        }
        return super().change_view(request, object_id, form_url, extra_context=context)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "themes":
            # taggit's own field is a comma-separated text box, which invites near-duplicate
            # themes. Editors pick existing themes instead, with the admin's autocomplete; new
            # themes are created under Themes, where their description is written.
            return forms.ModelMultipleChoiceField(
                queryset=Theme.objects.all(),
                required=False,
                label="Themes",
                help_text=db_field.help_text + " Type to search; add new themes under Themes.",
                widget=admin_widgets.SafeAutocompleteSelectMultiple(db_field, self.admin_site),
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def save_formset(self, request, form, formset, change):
        if formset.model is Correction:
            for correction in formset.save(commit=False):
                if correction.pk is None:
                    correction.created_by = request.user
                    correction.save()
                    record(
                        AuditEvent.Action.CORRECTED,
                        article=form.instance,
                        by=request.user,
                        note=correction.right,
                    )
                else:
                    correction.save()
            for correction in formset.deleted_objects:
                correction.delete()
            formset.save_m2m()
        else:
            super().save_formset(request, form, formset, change)

    @admin.display(description="status", ordering="status")
    def publication(self, obj):
        if obj.is_scheduled:
            return "Scheduled"
        return obj.get_status_display()

    @admin.display(description="themes")
    def theme_names(self, obj):
        # Sorted here: taggit's prefetch ignores Theme's ordering.
        names = sorted((theme.name for theme in obj.themes.all()), key=str.casefold)
        return ", ".join(names) or "—"

    @admin.display(description="quotes", ordering="quote_count")
    def quote_count(self, obj):
        return obj.quote_count

    def _report(self, request, result, done, refused="Not changed"):
        if result.moved:
            self.message_user(request, done.format(count=len(result.moved)), messages.SUCCESS)
        for article, reasons in result.refused:
            self.message_user(
                request,
                format_html(
                    "{}: “{}”. {}",
                    refused,
                    article.headline or f"article {article.pk}",
                    " ".join(reasons),
                ),
                messages.ERROR,
            )
        if not result.moved and not result.refused and not result.unchanged:
            self.message_user(request, "Nothing to change.")

    # Each action moves every selected article through services.transition(), which checks the
    # person's role on each article: a crafted POST naming another reporter's story is refused.

    @admin.action(description="Submit selected drafts for review", permissions=["submit"])
    def submit_for_review(self, request, queryset):
        result = services.transition_each(articles=queryset, to=permissions.REVIEW, by=request.user)
        self._report(request, result, "Submitted {count} article(s) for review.")

    @admin.action(description="Return selected articles to draft", permissions=["submit"])
    def return_to_draft(self, request, queryset):
        result = services.transition_each(articles=queryset, to=permissions.DRAFT, by=request.user)
        self._report(request, result, "Returned {count} article(s) to draft.")

    @admin.action(description="Publish selected articles", permissions=["publish"])
    def publish(self, request, queryset):
        result = services.transition_each(articles=queryset, by=request.user)
        self._report(
            request,
            result,
            "Published {count} article(s). Any with a future publication time go live at "
            "that time.",
            refused="Not published",
        )
        if result.unchanged:
            self.message_user(
                request,
                f"{len(result.unchanged)} article(s) were already published.",
                messages.INFO,
            )

    @admin.action(description="Unpublish selected articles", permissions=["publish"])
    def unpublish(self, request, queryset):
        result = services.transition_each(
            articles=queryset.filter(status=Article.Status.PUBLISHED),
            to=permissions.UNPUBLISHED,
            by=request.user,
        )
        if result.moved or result.refused:
            self._report(
                request, result, "Unpublished {count} article(s). Readers no longer see them."
            )
        else:
            self.message_user(request, "None of the selected articles was published.")


@admin.register(Quote)
class QuoteAdmin(admin_widgets.ModelAdmin):
    form = QuoteForm
    list_display = ("__str__", "person", "capacity", "article")
    list_select_related = ("person", "article")
    search_fields = ("text", "person__name", "capacity", "article__headline")
    list_filter = ("article__status",)
    autocomplete_fields = ("article", "person")

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
class CorrectionAdmin(admin_widgets.ModelAdmin):
    form = CorrectionForm
    list_display = ("__str__", "article", "published_at", "created_by")
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
        fields = ("name", "slug", "description", "iptc_code")
        error_messages = {
            "slug": {"unique": "Another theme already uses this address. Change the slug."}
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slug"].required = False
        self.fields[
            "slug"
        ].help_text = "Part of the page address; filled in from the name if left empty."

    def clean_slug(self):
        # A name made only of punctuation ("!!!") leaves the prepopulated slug empty: fall back
        # on the model's own slug rule, which always gives an address.
        slug = self.cleaned_data.get("slug")
        name = self.cleaned_data.get("name")
        if not slug and name:
            slug = self.instance.slugify(name)[: Theme._meta.get_field("slug").max_length]
        return slug


MERGE_PAGE = engines["django"].from_string(
    """{% extends "admin/base_site.html" %}
{% block breadcrumbs %}<div class="breadcrumbs"><a href="{% url 'admin:index' %}">Home</a>
&rsaquo; <a href="{% url 'admin:articles_theme_changelist' %}">Themes</a> &rsaquo; Merge</div>
{% endblock %}
{% block content %}
<p>Every article tagged with one of these themes will be tagged with the theme you keep.
The others are then deleted. This cannot be undone.</p>
<form method="post">{% csrf_token %}
  {{ form.non_field_errors }}
  <fieldset class="module aligned"><h2>Which theme do you keep?</h2>
    {{ form.survivor.errors }}
    {% for radio in form.survivor %}<div class="form-row">{{ radio }}</div>{% endfor %}
  </fieldset>
  {% for theme in themes %}
  <input type="hidden" name="{{ action_checkbox_name }}" value="{{ theme.pk }}">
  {% endfor %}
  <input type="hidden" name="action" value="merge_themes">
  <input type="hidden" name="post" value="yes">
  <div class="submit-row"><input type="submit" value="Merge themes">
  <a href="{% url 'admin:articles_theme_changelist' %}" class="button cancel-link">Cancel</a></div>
</form>
{% endblock %}"""
)


class MergeThemesForm(forms.Form):
    survivor = forms.ModelChoiceField(
        queryset=Theme.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": "Choose the theme to keep."},
    )

    def __init__(self, *args, themes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["survivor"].queryset = themes
        self.fields["survivor"].label_from_instance = lambda theme: (
            f"{theme.name} ({theme.article_count} article(s))"
        )


@admin.register(Theme)
class ThemeAdmin(VersionHistoryMixin, admin_widgets.ModelAdmin):
    form = ThemeForm
    list_display = ("name", "slug", "article_count", "iptc_code")
    search_fields = ("name", "slug", "description")

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

    @admin.display(description="articles", ordering="article_count")
    def article_count(self, obj):
        return obj.article_count

    @admin.action(description="Merge selected themes into one", permissions=["delete"])
    def merge_themes(self, request, queryset):
        themes = queryset.order_by("pk")
        if len(themes) < 2:
            self.message_user(request, "Select at least two themes to merge.", messages.WARNING)
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
                    "Merged {} into “{}”; {} article(s) re-tagged.",
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
            "title": "Merge themes",
            "opts": self.model._meta,
            "form": form,
            "themes": themes,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return HttpResponse(MERGE_PAGE.render(context, request))
