"""The desk's article screens: the list, the change form and the workflow's actions."""

import reversion
from django import forms
from django.contrib import admin, messages
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpResponseRedirect
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from articles.models import Article, Correction, Quote, Theme
from workflow import permissions, services
from workflow.models import AuditEvent
from workflow.services import record

from .. import widgets
from ..assets import EditorUnderCSPMixin
from ..conflicts import ConflictCheckMixin
from ..editing import EditingSessionMixin
from ..filters import WorkflowStateFilter
from ..insights import filters as insight_filters
from ..search import DeskSearchMixin
from ..versions import VersionHistoryMixin
from ..writing import WritingAidsMixin
from . import editions
from .article_forms import ArticleForm, CorrectionInline, QuoteInline
from .people import EditorialRecordAdmin


def quote_counts():
    quotes = Quote.objects.filter(article=OuterRef("pk")).order_by().values("article")
    return Coalesce(Subquery(quotes.annotate(n=Count("pk")).values("n")), 0)


def list_time(moment):
    if moment is None:
        return "—"
    return formats.date_format(timezone.localtime(moment), "j M Y, H:i")


@admin.register(Article)
class ArticleAdmin(
    EditorUnderCSPMixin,
    ConflictCheckMixin,
    EditingSessionMixin,
    DeskSearchMixin,
    WritingAidsMixin,
    VersionHistoryMixin,
    EditorialRecordAdmin,
):
    form = ArticleForm
    record_fields = ("created_at", "created_by", "updated_at", "last_edited_by")
    list_display = (
        "headline",
        "language",
        "publication",
        "published",
        "theme_names",
        "quote_count",
        "last_updated",
    )
    list_select_related = ("last_edited_by",)
    list_filter = (
        WorkflowStateFilter,
        "language",
        "themes",
        ("published_at", admin.DateFieldListFilter),
        # Shown only while in use: the lists the insights page's numbers link to.
        *insight_filters.FILTERS,
    )
    date_hierarchy = "published_at"
    search_fields = ("headline", "slug", "standfirst", "byline", "dateline")
    prepopulated_fields = {"slug": ("headline",)}
    autocomplete_fields = ("people", "organizations", "lead_picture", "translation_of")
    radio_fields = {"language": admin.HORIZONTAL}
    inlines = (QuoteInline, CorrectionInline)
    actions = ("submit_for_review", "return_to_draft", "publish", "unpublish")
    fieldsets = (
        (
            None,
            {"fields": ("headline", ("language", "translation_of"), "slug", "standfirst", "body")},
        ),
        (
            _("Shared links and search engines"),
            {"fields": ("social_headline", "social_description"), "classes": ("collapse",)},
        ),
        (_("Publication"), {"fields": ("status", "published_at")}),
        (_("Who and what it is about"), {"fields": ("themes", "people", "organizations")}),
        (_("Attribution"), {"fields": ("dateline", "byline", "source", "source_url")}),
        (
            # Open: search results and shared links want a picture with every story.
            _("Lead image"),
            {"fields": ("lead_picture", "lead_image_caption")},
        ),
        (_("Record"), {"fields": record_fields, "classes": ("collapse",)}),
    )

    def get_search_results(self, request, queryset, search_term):
        if editions.is_autocomplete_for(request, "translation_of"):
            queryset = editions.originals_only(queryset)
        return super().get_search_results(request, queryset, search_term)

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if not permissions.is_editor(request.user):
            # Reporters work on their own stories, and follow them through review.
            queryset = queryset.filter(created_by=request.user)
        return (
            # A subquery, not a join and GROUP BY: the list and its search stay on the articles'
            # index and count the quotes of the page's rows only (milliseconds at 100,000).
            queryset.annotate(quote_count=quote_counts())
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
                    _("“{}” was saved. It is no longer a draft, so it is read-only for you now."),
                    obj,
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

    @admin.display(description=_("Body"))
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
        # The version's comment is stored in English (gettext_noop), as every comment is; the
        # history translates it when it shows it.
        if from_state is None:
            record(AuditEvent.Action.CREATED, article=obj, by=request.user, to_state=to_state)
            from_state = permissions.DRAFT
            comment = gettext_noop("Created")
        elif from_state == to_state:
            comment = gettext_noop("Edited")
            if to_state in (permissions.PUBLISHED, permissions.SCHEDULED):
                # Every change to a story readers can see (or soon will) is accountable. It
                # stays where it was: the trail reads "published, unchanged", not a move.
                record(
                    AuditEvent.Action.EDITED,
                    article=obj,
                    by=request.user,
                    from_state=from_state,
                    to_state=to_state,
                )
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
                label=_("Themes"),
                help_text=format_lazy(
                    "{} {}", db_field.help_text, _("Type to search; add new themes under Themes.")
                ),
                widget=widgets.SafeAutocompleteSelectMultiple(db_field, self.admin_site),
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
                    if reversion.is_active():
                        # History lists this save as what it was: a correction, not an edit.
                        done = reversion.get_comment()
                        if done in ("", "Edited"):
                            reversion.set_comment(gettext_noop("Correction added"))
                        elif "correction added" not in done.lower():
                            reversion.set_comment(f"{done}; correction added")
                else:
                    correction.save()
            for correction in formset.deleted_objects:
                correction.delete()
            formset.save_m2m()
        else:
            super().save_formset(request, form, formset, change)

    @admin.display(description=_("status"), ordering="status")
    def publication(self, obj):
        if obj.is_scheduled:
            return _("Scheduled")
        return obj.get_status_display()

    # Short newsroom times, so that at 1280 px the headline keeps its width (desk/desk.css).

    @admin.display(description=_("publication time"), ordering="published_at")
    def published(self, obj):
        return list_time(obj.published_at)

    @admin.display(description=_("last updated"), ordering="updated_at")
    def last_updated(self, obj):
        by = obj.last_edited_by
        if by is None:
            return list_time(obj.updated_at)
        name = by.get_full_name() or by.get_username()
        return format_html('{}<span class="desk-by">{}</span>', list_time(obj.updated_at), name)

    @admin.display(description=_("themes"))
    def theme_names(self, obj):
        # Sorted here: taggit's prefetch ignores Theme's ordering.
        names = sorted((theme.name for theme in obj.themes.all()), key=str.casefold)
        return ", ".join(names) or "—"

    @admin.display(description=_("quotes"), ordering="quote_count")
    def quote_count(self, obj):
        return obj.quote_count

    def _report(self, request, result, done, refused=None):
        refused = refused or _("Not changed")
        if result.moved:
            self.message_user(request, done.format(count=len(result.moved)), messages.SUCCESS)
        for article, reasons in result.refused:
            self.message_user(
                request,
                format_html(
                    _("{}: “{}”. {}"),
                    refused,
                    article.headline or _("article %(id)s") % {"id": article.pk},
                    " ".join(reasons),
                ),
                messages.ERROR,
            )
        if not result.moved and not result.refused and not result.unchanged:
            self.message_user(request, _("Nothing to change."))

    # Each action moves every selected article through services.transition(), which checks the
    # person's role on each article: a crafted POST naming another reporter's story is refused.

    @admin.action(description=_("Submit selected drafts for review"), permissions=["submit"])
    def submit_for_review(self, request, queryset):
        result = services.transition_each(articles=queryset, to=permissions.REVIEW, by=request.user)
        self._report(request, result, _("Submitted {count} article(s) for review."))

    @admin.action(description=_("Return selected articles to draft"), permissions=["submit"])
    def return_to_draft(self, request, queryset):
        result = services.transition_each(articles=queryset, to=permissions.DRAFT, by=request.user)
        self._report(request, result, _("Returned {count} article(s) to draft."))

    @admin.action(description=_("Publish selected articles"), permissions=["publish"])
    def publish(self, request, queryset):
        result = services.transition_each(articles=queryset, by=request.user)
        self._report(
            request,
            result,
            _(
                "Published {count} article(s). Any with a future publication time go live at "
                "that time."
            ),
            refused=_("Not published"),
        )
        if result.unchanged:
            self.message_user(
                request,
                _("%(count)s article(s) were already published.")
                % {"count": len(result.unchanged)},
                messages.INFO,
            )

    @admin.action(description=_("Unpublish selected articles"), permissions=["publish"])
    def unpublish(self, request, queryset):
        result = services.transition_each(
            articles=queryset.filter(status=Article.Status.PUBLISHED),
            to=permissions.UNPUBLISHED,
            by=request.user,
        )
        if result.moved or result.refused:
            self._report(
                request, result, _("Unpublished {count} article(s). Readers no longer see them.")
            )
        else:
            self.message_user(request, _("None of the selected articles was published."))
