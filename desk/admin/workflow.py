"""The desk's screens for the workflow's records: the audit trail and preview links."""

from datetime import timedelta

from django import forms
from django.contrib import admin, messages
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from newsroom.links import absolute
from workflow import services
from workflow.models import AuditEvent, PreviewLink

from .. import widgets

# The actions that move a story between states; every other event leaves its state as it was.
MOVES = set(services.ACTION_FOR_STATE.values())


@admin.register(AuditEvent)
class AuditEventAdmin(widgets.ModelAdmin):
    """The trail: read-only, filterable by person, by action and (from an article's page, or
    ?article__id__exact=N) by article."""

    list_display = ("at", "actor", "action", "article_link", "change", "note")
    list_select_related = ("actor", "article")
    list_filter = (
        "action",
        ("actor", admin.RelatedOnlyFieldListFilter),
        ("at", admin.DateFieldListFilter),
    )
    search_fields = ("article_headline", "actor__username", "note")
    date_hierarchy = "at"
    list_per_page = 50

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="article", ordering="article_headline")
    def article_link(self, obj):
        if obj.article_id is None:
            return obj.article_headline or "—"
        url = (
            reverse("admin:workflow_auditevent_changelist")
            + f"?article__id__exact={obj.article_id}"
        )
        return format_html(
            '<a href="{}" title="Only this article">{}</a>', url, obj.article_headline
        )

    @admin.display(description="from → to")
    def change(self, obj):
        """The move an event made. An edit or a correction moves nothing: it shows the state the
        story was in ("published, unchanged"), never "— → published" as if it had just gone out."""
        if not obj.to_state:
            return ""
        if obj.action == AuditEvent.Action.CREATED:
            return f"new → {obj.to_state}"
        if obj.from_state in ("", obj.to_state) and obj.action not in MOVES:
            return f"{obj.to_state}, unchanged"
        return f"{obj.from_state or '—'} → {obj.to_state}"


class PreviewLinkForm(forms.ModelForm):
    lifetime = forms.TypedChoiceField(
        label="Works for",
        coerce=int,
        choices=[(1, "1 hour"), (24, "1 day"), (72, "3 days"), (168, "1 week"), (720, "30 days")],
        initial=72,
        help_text="After this the link stops working. You can also revoke it at any time.",
    )

    class Meta:
        model = PreviewLink
        fields = ("article", "note")

    def clean_article(self):
        article = self.cleaned_data["article"]
        services.check_previewable(article)  # a ValidationError here is a form error
        return article


@admin.register(PreviewLink)
class PreviewLinkAdmin(widgets.ModelAdmin):
    form = PreviewLinkForm
    list_display = ("article", "note", "created_by", "created_at", "expires_at", "state", "address")
    list_select_related = ("article", "created_by")
    autocomplete_fields = ("article",)
    actions = ("revoke",)
    readonly_fields = (
        "address",
        "created_by",
        "created_at",
        "expires_at",
        "revoked_at",
        "revoked_by",
    )

    def get_fields(self, request, obj=None):
        if obj is None:
            return ("article", "lifetime", "note")
        return (
            "article",
            "note",
            "address",
            "created_by",
            "created_at",
            "expires_at",
            "revoked_at",
            "revoked_by",
        )

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        return ("article", *self.readonly_fields)

    def has_delete_permission(self, request, obj=None):
        return False  # revoke instead, so the record stays

    def save_model(self, request, obj, form, change):
        if change:
            obj.save(update_fields=["note"])
            return
        services.create_preview_link(
            link=obj,
            article=obj.article,
            by=request.user,
            lifetime=timedelta(hours=form.cleaned_data["lifetime"]),
            note=obj.note,
        )

    def response_add(self, request, obj, post_url_continue=None):
        self.message_user(
            request,
            format_html("Send this address: {}", self.address(obj)),
            messages.SUCCESS,
        )
        return super().response_add(request, obj, post_url_continue)

    @admin.display(description="state")
    def state(self, obj):
        if obj.revoked_at:
            return "Revoked"
        return "Active" if obj.expires_at > timezone.now() else "Expired"

    @admin.display(description="address to send")
    def address(self, obj):
        if obj.pk is None or not obj.is_active:
            return "—"
        url = absolute(reverse("workflow:preview", args=[services.preview_token(obj)]))
        return format_html('<a href="{}" rel="noreferrer">{}</a>', url, url)

    @admin.action(description="Revoke selected links", permissions=["change"])
    def revoke(self, request, queryset):
        count = services.revoke_preview_links(
            links=queryset.select_related("article"), by=request.user
        )
        self.message_user(
            request, f"Revoked {count} link(s). They no longer work.", messages.SUCCESS
        )
