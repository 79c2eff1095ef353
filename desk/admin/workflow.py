"""The desk's screens for the workflow's records: the audit trail and preview links."""

from datetime import timedelta

from django import forms
from django.contrib import admin, messages
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from newsroom.links import absolute
from workflow import services
from workflow.models import AuditEvent, PreviewLink

from .. import widgets
from . import editions

# The actions that move a story between states; every other event leaves its state as it was.
MOVES = set(services.ACTION_FOR_STATE.values())
# The states as the trail names them (the codes it stores, in the desk's language).
STATE_NAMES = {
    "draft": pgettext_lazy("workflow state", "draft"),
    "review": pgettext_lazy("workflow state", "review"),
    "scheduled": pgettext_lazy("workflow state", "scheduled"),
    "published": pgettext_lazy("workflow state", "published"),
    "unpublished": pgettext_lazy("workflow state", "unpublished"),
}


@admin.register(AuditEvent)
class AuditEventAdmin(widgets.ModelAdmin):
    """The trail: read-only, filterable by person, by action and (from an article's page, or
    ?article__id__exact=N) by article."""

    list_display = (
        "at",
        "actor",
        "action",
        "article_link",
        editions.article_language,
        "change",
        "note",
    )
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

    @admin.display(description=_("article"), ordering="article_headline")
    def article_link(self, obj):
        if obj.article_id is None:
            return obj.article_headline or "—"
        url = (
            reverse("admin:workflow_auditevent_changelist")
            + f"?article__id__exact={obj.article_id}"
        )
        return format_html(
            '<a href="{}" title="{}">{}</a>', url, _("Only this article"), obj.article_headline
        )

    @admin.display(description=_("from → to"))
    def change(self, obj):
        """The move an event made. An edit or a correction moves nothing: it shows the state the
        story was in ("published, unchanged"), never "— → published" as if it had just gone out."""
        if not obj.to_state:
            return ""
        to_state = STATE_NAMES.get(obj.to_state, obj.to_state)
        if obj.action == AuditEvent.Action.CREATED:
            return _("new → %(to)s") % {"to": to_state}
        if obj.from_state in ("", obj.to_state) and obj.action not in MOVES:
            return _("%(state)s, unchanged") % {"state": to_state}
        from_state = STATE_NAMES.get(obj.from_state, obj.from_state or "—")
        return f"{from_state} → {to_state}"


class PreviewLinkForm(forms.ModelForm):
    lifetime = forms.TypedChoiceField(
        label=_("Works for"),
        coerce=int,
        choices=[
            (1, _("1 hour")),
            (24, _("1 day")),
            (72, _("3 days")),
            (168, _("1 week")),
            (720, _("30 days")),
        ],
        initial=72,
        help_text=_("After this the link stops working. You can also revoke it at any time."),
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
    list_display = (
        "article",
        editions.article_language,
        "note",
        "created_by",
        "created_at",
        "expires_at",
        "state",
        "address",
    )
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
            format_html(_("Send this address: {}"), self.address(obj)),
            messages.SUCCESS,
        )
        return super().response_add(request, obj, post_url_continue)

    @admin.display(description=_("state"))
    def state(self, obj):
        if obj.revoked_at:
            return _("Revoked")
        return _("Active") if obj.expires_at > timezone.now() else _("Expired")

    @admin.display(description=_("address to send"))
    def address(self, obj):
        if obj.pk is None or not obj.is_active:
            return "—"
        url = absolute(reverse("workflow:preview", args=[services.preview_token(obj)]))
        return format_html('<a href="{}" rel="noreferrer">{}</a>', url, url)

    @admin.action(description=_("Revoke selected links"), permissions=["change"])
    def revoke(self, request, queryset):
        count = services.revoke_preview_links(
            links=queryset.select_related("article"), by=request.user
        )
        self.message_user(
            request,
            _("Revoked %(count)s link(s). They no longer work.") % {"count": count},
            messages.SUCCESS,
        )
